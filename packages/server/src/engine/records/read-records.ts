import type { RecordQuery } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, invalidQuery } from '../errors.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { runListQuery } from '../query/index.ts';
import { toApiRecord, type ApiRecord } from './record-shape.ts';

export interface ReadContext {
  db: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
}

/** Records of a oneToMany relation returned per parent when included. */
export const MAX_INCLUDED_CHILDREN = 100;
const MAX_INCLUDES = 10;

const SYSTEM_OUTPUT = new Set(['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'deletedAt']);

// Inverse sides (a company's people, a person's opportunities) can be long: they come with `include` or `fields`.
const isInverseSide = (field: FieldMeta) =>
  field.type === 'relation' && (relationKind(field) === 'oneToMany' || (relationKind(field) === 'manyToMany' && field.junction?.selfColumn === 'target_id'));

/** The fields to output: all but inverse relations by default, or the named ones (system fields always come along). */
export const selectFields = (object: ObjectMeta, names?: string[]): FieldMeta[] => {
  if (!names || names.length === 0) return object.fields.filter((field) => !isInverseSide(field));
  return names
    .filter((name) => !SYSTEM_OUTPUT.has(name))
    .map((name) => {
      const field = object.fieldsByName.get(name);
      if (!field) throw invalidQuery(`Unknown field "${name}" in fields. Fields of ${object.name}: ${object.fields.map((f) => f.name).join(', ')}.`, 'fields');
      return field;
    });
};

const resolveIncludes = (object: ObjectMeta, include: string[] = []): FieldMeta[] => {
  if (include.length > MAX_INCLUDES) throw invalidQuery(`At most ${MAX_INCLUDES} includes.`, 'include');
  return include.map((name) => {
    const field = object.fieldsByName.get(name);
    if (!field || field.type !== 'relation') {
      const relations = object.fields.filter((f) => f.type === 'relation').map((f) => f.name);
      throw invalidQuery(`Cannot include "${name}": it is not a relation of ${object.name}. Relations: ${relations.join(', ') || 'none'}.`, 'include');
    }
    return field;
  });
};

/** Shapes rows into API records with the selected fields, manyToMany ids and included relations. */
export const shapeRecords = async (context: ReadContext, rows: Record<string, unknown>[], options: { fields?: string[]; include?: string[] }): Promise<ApiRecord[]> => {
  const { object } = context;
  const fields = selectFields(object, options.fields);
  const includes = resolveIncludes(object, options.include);
  const records = rows.map((row) => toApiRecord(object, row, fields));
  if (records.length === 0) return records;
  const ids = records.map((record) => record.id);
  for (const field of fields) {
    if (field.type !== 'relation' || relationKind(field) !== 'manyToMany' || includes.includes(field)) continue;
    const links = await readLinks(context, field, ids, false);
    for (const record of records) record[field.name] = (links.get(record.id) ?? []).map((linked) => linked.id);
  }
  for (const field of includes) await includeRelation(context, field, records);
  return records;
};

const targetOf = (context: ReadContext, field: FieldMeta): ObjectMeta => {
  const target = context.workspace.objects.get(field.options?.target ?? '');
  if (!target) throw new AppError('INTERNAL', `Relation ${field.objectName}.${field.name} points to a missing object.`);
  return target;
};

const includeRelation = async (context: ReadContext, field: FieldMeta, records: ApiRecord[]) => {
  const { db, workspace } = context;
  const target = targetOf(context, field);
  const table = sql.id(workspace.schema, target.table);
  const kind = relationKind(field);
  if (kind === 'manyToOne') {
    const ids = [...new Set(records.map((record) => record[field.name]).filter((id): id is string => typeof id === 'string'))];
    const { rows } = ids.length
      ? await sql<Record<string, unknown>>`select * from ${table} where id = any(${ids}::uuid[]) and deleted_at is null`.execute(db)
      : { rows: [] };
    const byId = new Map(rows.map((row) => [row.id as string, toApiRecord(target, row)]));
    for (const record of records) {
      const id = record[field.name];
      record[field.name] = typeof id === 'string' ? (byId.get(id) ?? null) : null;
    }
    return;
  }
  if (kind === 'oneToMany') {
    const inverse = target.fieldsByName.get(field.options?.inverseName ?? '');
    if (!inverse) return;
    const column = sql.ref(inverse.column);
    const { rows } = await sql<Record<string, unknown>>`
      select * from (
        select t.*, row_number() over (partition by t.${column} order by t.created_at desc, t.id desc) as rapport_rank
        from ${table} t where t.${column} = any(${records.map((r) => r.id)}::uuid[]) and t.deleted_at is null
      ) ranked where rapport_rank <= ${MAX_INCLUDED_CHILDREN}`.execute(db);
    const byParent = new Map<string, ApiRecord[]>();
    for (const row of rows) {
      const parent = row[inverse.column] as string;
      byParent.set(parent, [...(byParent.get(parent) ?? []), toApiRecord(target, row)]);
    }
    for (const record of records) record[field.name] = byParent.get(record.id) ?? [];
    return;
  }
  const links = await readLinks(context, field, records.map((r) => r.id), true);
  for (const record of records) record[field.name] = links.get(record.id) ?? [];
};

/** manyToMany links of the given records: ids only, or whole target records. */
const readLinks = async (context: ReadContext, field: FieldMeta, ids: string[], isFull: boolean): Promise<Map<string, ApiRecord[]>> => {
  const { db, workspace } = context;
  const junction = field.junction;
  const result = new Map<string, ApiRecord[]>();
  if (!junction) return result;
  const target = targetOf(context, field);
  const { rows } = await sql<Record<string, unknown>>`
    select j.${sql.ref(junction.selfColumn)} as rapport_owner, ${isFull ? sql`t.*` : sql`t.id`}
    from ${sql.id(workspace.schema, junction.table)} j
    join ${sql.id(workspace.schema, target.table)} t on t.id = j.${sql.ref(junction.otherColumn)} and t.deleted_at is null
    where j.${sql.ref(junction.selfColumn)} = any(${ids}::uuid[])
    order by j.created_at, t.id`.execute(db);
  for (const row of rows) {
    const owner = row.rapport_owner as string;
    const linked = isFull ? toApiRecord(target, row) : ({ id: row.id } as ApiRecord);
    result.set(owner, [...(result.get(owner) ?? []), linked]);
  }
  return result;
};

export interface GetRecordOptions {
  id: string;
  fields?: string[];
  include?: string[];
  /** Also find a record in the trash. */
  withDeleted?: boolean;
}

export const getRecord = async (context: ReadContext, options: GetRecordOptions): Promise<ApiRecord> => {
  const { db, workspace, object } = context;
  const { rows } = await sql<Record<string, unknown>>`
    select * from ${sql.id(workspace.schema, object.table)} where id = ${options.id}
    ${options.withDeleted ? sql`` : sql`and deleted_at is null`}`.execute(db);
  if (!rows[0]) throw new AppError('RECORD_NOT_FOUND', `No ${object.name} with id ${options.id}.`);
  const [record] = await shapeRecords(context, rows, options);
  return record!;
};

export interface RecordPage {
  data: ApiRecord[];
  pageInfo: { nextCursor: string | null; hasNextPage: boolean };
  totalCount?: number;
}

export const listRecords = async (context: ReadContext, query: RecordQuery): Promise<RecordPage> => {
  selectFields(context.object, query.fields);
  resolveIncludes(context.object, query.include);
  const page = await runListQuery(context.db, { workspace: context.workspace, object: context.object, query });
  const data = await shapeRecords(context, page.rows, { ...(query.fields ? { fields: query.fields } : {}), ...(query.include ? { include: query.include } : {}) });
  return {
    data,
    pageInfo: { nextCursor: page.nextCursor, hasNextPage: page.hasNextPage },
    ...(page.totalCount !== undefined ? { totalCount: page.totalCount } : {}),
  };
};
