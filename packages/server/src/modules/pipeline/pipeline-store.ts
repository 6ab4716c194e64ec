import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.ts';
import type { ObjectMeta, WorkspaceMeta } from '../../engine/metadata/types.ts';
import { toApiRecord } from '../../engine/records/record-shape.ts';

/** A stage as the stage rules need it. */
export interface StageRecord {
  id: string;
  name: string;
  pipeline: string;
  position: number;
  probability: number | null;
  kind: 'open' | 'won' | 'lost';
  forecastCategory: string | null;
  requiredFields: string[];
}

export interface PipelineRecord {
  id: string;
  name: string;
  position: number | null;
  isActive: boolean | null;
}

const objectOf = (workspace: WorkspaceMeta, name: string): ObjectMeta | undefined => workspace.objects.get(name);
const columnOf = (object: ObjectMeta, field: string) => sql.ref(`t.${object.fieldsByName.get(field)!.column}`);

const toStage = (object: ObjectMeta, row: Record<string, unknown>): StageRecord => {
  const record = toApiRecord(object, row);
  const required = record.requiredFields;
  return {
    id: record.id,
    name: String(record.name ?? ''),
    pipeline: record.pipeline as string,
    position: Number(record.position ?? 0),
    probability: (record.probability as number | null) ?? null,
    kind: (record.kind as StageRecord['kind'] | null) ?? 'open',
    forecastCategory: (record.forecastCategory as string | null) ?? null,
    requiredFields: Array.isArray(required) ? required.filter((name): name is string => typeof name === 'string') : [],
  };
};

/** Live stages by id (engine reads: the write path has already decided who may write the deal). */
export const readStagesById = async (db: Db, workspace: WorkspaceMeta, ids: readonly string[], options: { withDeleted?: boolean } = {}): Promise<Map<string, StageRecord>> => {
  const object = objectOf(workspace, 'pipelineStage');
  if (!object || ids.length === 0) return new Map();
  const live = options.withDeleted ? sql`` : sql` and t.deleted_at is null`;
  const { rows } = await sql<Record<string, unknown>>`select t.* from ${sql.id(workspace.schema, object.table)} as t where t.id = any(${[...new Set(ids)]}::uuid[])${live}`.execute(db);
  return new Map(rows.map((row) => [row.id as string, toStage(object, row)]));
};

/** The live stages of some pipelines, in pipeline order. */
export const readStagesOfPipelines = async (db: Db, workspace: WorkspaceMeta, pipelineIds: readonly string[]): Promise<StageRecord[]> => {
  const object = objectOf(workspace, 'pipelineStage');
  if (!object || pipelineIds.length === 0) return [];
  const { rows } = await sql<Record<string, unknown>>`
    select t.* from ${sql.id(workspace.schema, object.table)} as t
    where ${columnOf(object, 'pipeline')} = any(${[...new Set(pipelineIds)]}::uuid[]) and t.deleted_at is null
    order by ${columnOf(object, 'position')} nulls last, t.created_at, t.id`.execute(db);
  return rows.map((row) => toStage(object, row));
};

/** The default pipeline: the first active one by position. */
export const readDefaultPipeline = async (db: Db, workspace: WorkspaceMeta): Promise<PipelineRecord | undefined> => {
  const object = objectOf(workspace, 'pipeline');
  if (!object) return undefined;
  const { rows } = await sql<Record<string, unknown>>`
    select t.* from ${sql.id(workspace.schema, object.table)} as t
    where t.deleted_at is null and ${columnOf(object, 'isActive')} is not false
    order by ${columnOf(object, 'position')} nulls last, t.created_at, t.id limit 1`.execute(db);
  if (!rows[0]) return undefined;
  const record = toApiRecord(object, rows[0]);
  return { id: record.id, name: String(record.name ?? ''), position: (record.position as number | null) ?? null, isActive: (record.isActive as boolean | null) ?? null };
};
