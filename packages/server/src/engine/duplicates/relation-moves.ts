import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { appendEvents, type RecordEvent } from '../events/outbox.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { referenceColumns } from '../fields/types/reference.field.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { sealEncryptedValues } from '../records/field-encryption.ts';
import { writeHistory, type HistoryEntry } from '../records/history.ts';
import { toApiRecord } from '../records/record-shape.ts';

/** Many-to-one values moved: which records of `object` pointed at which merged record through `field`. */
export interface ColumnMove {
  object: string;
  field: string;
  rows: { id: string; from: string }[];
}

/** Junction rows of merged records removed, and the survivor's rows added in their place. */
export interface JunctionMove {
  table: string;
  column: string;
  other: string;
  removed: { self: string; other: string }[];
  added: string[];
}

export interface RelationMoves {
  columns: ColumnMove[];
  junctions: JunctionMove[];
}

interface InboundColumn {
  object: ObjectMeta;
  field: ObjectMeta['fields'][number];
  /** The column holding the target's id. */
  column: string;
  /** A reference field (any object): its column of object names, which must name the target. */
  objectColumn?: string;
}

interface Inbound {
  columns: InboundColumn[];
  /** `object`.`field` is the many-to-many field whose links (junction rows) point at the target through `column`. */
  junctions: { table: string; column: string; other: string; object: ObjectMeta; field: ObjectMeta['fields'][number] }[];
}

/** Every relation in the workspace that can point at a record of `target`: many-to-one columns, reference fields and junction columns. */
export const findInboundRelations = (workspace: WorkspaceMeta, target: ObjectMeta): Inbound => {
  const inbound: Inbound = { columns: [], junctions: [] };
  const seen = new Set<string>();
  for (const object of workspace.objects.values()) {
    for (const field of object.fields) {
      if (field.type === 'reference' && (!field.options?.targets || field.options.targets.includes(target.name))) {
        const columns = referenceColumns(field);
        inbound.columns.push({ object, field, column: columns.id, objectColumn: columns.object });
        continue;
      }
      if (field.type !== 'relation' || field.options?.target !== target.name) continue;
      const kind = relationKind(field);
      if (kind === 'manyToOne') inbound.columns.push({ object, field, column: field.column });
      // Both sides of a many-to-many are fields; the side on the other object names the column pointing at us.
      if (kind === 'manyToMany' && field.junction) {
        const key = `${field.junction.table}.${field.junction.otherColumn}`;
        if (seen.has(key)) continue;
        seen.add(key);
        inbound.junctions.push({ table: field.junction.table, column: field.junction.otherColumn, other: field.junction.selfColumn, object, field });
      }
    }
  }
  return inbound;
};

interface MoveContext {
  trx: Db;
  workspace: WorkspaceMeta;
  actorId: string | null;
}

// A moved record changes like any update: version, history and an event (live records only).
const recordChanges = async (context: MoveContext, object: ObjectMeta, field: string, rows: Record<string, unknown>[], previous: Map<string, unknown>) => {
  const { trx, workspace, actorId } = context;
  const history: HistoryEntry[] = [];
  const events: RecordEvent[] = [];
  for (const row of rows) {
    const record = toApiRecord(object, row);
    history.push({ objectName: object.name, recordId: record.id, changeType: 'updated', field, oldValue: previous.get(record.id) ?? null, newValue: record[field] ?? null, actorId });
    if (row.deleted_at === null) {
      events.push({ workspaceId: workspace.id, type: 'record.updated', object: object.name, recordId: record.id, changedFields: [field], payload: sealEncryptedValues(object, record), actorId });
    }
  }
  await writeHistory(trx, workspace.schema, history);
  await appendEvents(trx, events);
};

/**
 * Points every relation at the merged records to the survivor (trashed related records too: they may be
 * restored). The survivor's own relations are left alone: it would point at itself (a company its own parent).
 */
export const moveRelations = async (context: MoveContext, options: { target: ObjectMeta; survivorId: string; mergedIds: string[] }): Promise<RelationMoves> => {
  const { trx, workspace } = context;
  const { target, survivorId, mergedIds } = options;
  const inbound = findInboundRelations(workspace, target);
  const moves: RelationMoves = { columns: [], junctions: [] };
  for (const { object, field, column, objectColumn } of inbound.columns) {
    const table = sql.id(workspace.schema, object.table);
    const ofTarget = objectColumn ? sql` and ${sql.id(objectColumn)} = ${target.name}` : sql``;
    const { rows: before } = await sql<{ id: string; old: string }>`
      select id, ${sql.id(column)} as old from ${table} where ${sql.id(column)} = any(${mergedIds}::uuid[])${ofTarget} and id <> ${survivorId}::uuid for update`.execute(trx);
    if (before.length === 0) continue;
    const { rows } = await sql<Record<string, unknown>>`
      update ${table} set ${sql.id(column)} = ${survivorId}, version = version + 1, updated_at = now(), updated_by = ${context.actorId}
      where id = any(${before.map((row) => row.id)}::uuid[]) returning *`.execute(trx);
    moves.columns.push({ object: object.name, field: field.name, rows: before.map((row) => ({ id: row.id, from: row.old })) });
    const valueOf = (id: string) => (objectColumn ? { object: target.name, id } : id);
    await recordChanges(context, object, field.name, rows, new Map(before.map((row) => [row.id, valueOf(row.old)])));
  }
  for (const junction of inbound.junctions) {
    const table = sql.id(workspace.schema, junction.table);
    const self = sql.id(junction.column);
    const other = sql.id(junction.other);
    const { rows: removed } = await sql<{ self: string; other: string }>`
      delete from ${table} where ${self} = any(${mergedIds}::uuid[]) returning ${self} as self, ${other} as other`.execute(trx);
    if (removed.length === 0) continue;
    // A link between a merged record and the survivor (self-relations) would become a link to itself: dropped.
    const others = [...new Set(removed.map((row) => row.other))].filter((id) => id !== survivorId && !mergedIds.includes(id));
    const { rows: added } = others.length
      ? await sql<{ other: string }>`insert into ${table} (${self}, ${other}) select ${survivorId}::uuid, unnest(${others}::uuid[]) on conflict do nothing returning ${other} as other`.execute(trx)
      : { rows: [] };
    moves.junctions.push({ table: junction.table, column: junction.column, other: junction.other, removed, added: added.map((row) => row.other) });
  }
  return moves;
};

/** Puts back what `moveRelations` moved; a record re-pointed since (no longer at the survivor) is left alone. */
export const moveRelationsBack = async (context: MoveContext, options: { survivorId: string; moves: RelationMoves }): Promise<void> => {
  const { trx, workspace } = context;
  const { survivorId, moves } = options;
  for (const move of moves.columns) {
    const object = workspace.objects.get(move.object);
    const field = object?.fieldsByName.get(move.field);
    if (!object || !field) continue;
    const table = sql.id(workspace.schema, object.table);
    // A reference keeps its object name: only its id moves, back to the merged record.
    const reference = field.type === 'reference' ? referenceColumns(field) : undefined;
    const column = reference?.id ?? field.column;
    const { rows } = await sql<Record<string, unknown>>`
      update ${table} as t set ${sql.id(column)} = v.old, version = t.version + 1, updated_at = now(), updated_by = ${context.actorId}
      from unnest(${move.rows.map((row) => row.id)}::uuid[], ${move.rows.map((row) => row.from)}::uuid[]) as v(id, old)
      where t.id = v.id and t.${sql.id(column)} = ${survivorId} returning t.*`.execute(trx);
    const previous = (row: Record<string, unknown>) => (reference ? { object: row[reference.object], id: survivorId } : survivorId);
    await recordChanges(context, object, field.name, rows, new Map(rows.map((row) => [row.id as string, previous(row)])));
  }
  for (const move of moves.junctions) {
    const table = sql.id(workspace.schema, move.table);
    const self = sql.id(move.column);
    const other = sql.id(move.other);
    if (move.added.length > 0) await sql`delete from ${table} where ${self} = ${survivorId} and ${other} = any(${move.added}::uuid[])`.execute(trx);
    await sql`insert into ${table} (${self}, ${other})
      select * from unnest(${move.removed.map((row) => row.self)}::uuid[], ${move.removed.map((row) => row.other)}::uuid[]) on conflict do nothing`.execute(trx);
  }
};

/** How many related records the caller may read each relation would move: the merge screen's summary. */
export const countRelationsToMove = async (db: Db, options: { workspace: WorkspaceMeta; access: Access; target: ObjectMeta; ids: string[] }): Promise<{ object: string; field: string; count: number }[]> => {
  const { workspace, access, target, ids } = options;
  const inbound = findInboundRelations(workspace, target);
  const anyId = sql`any(${ids}::uuid[])`;
  // Per relation, the related records (t0) pointing at the merged records: by a column of theirs or a junction row.
  const relations = [
    ...inbound.columns.map(({ object, field, column, objectColumn }) => ({
      object, field, rows: sql`from ${sql.id(workspace.schema, object.table)} as t0 where t0.${sql.id(column)} = ${anyId}${objectColumn ? sql` and t0.${sql.id(objectColumn)} = ${target.name}` : sql``}`,
    })),
    ...inbound.junctions.map(({ table, column, other, object, field }) => ({
      object, field, rows: sql`from ${sql.id(workspace.schema, table)} as j join ${sql.id(workspace.schema, object.table)} as t0 on t0.id = j.${sql.id(other)} where j.${sql.id(column)} = ${anyId}`,
    })),
  ];
  const counts: { object: string; field: string; count: number }[] = [];
  for (const relation of relations) {
    const { object, field } = relation;
    const visible = access.view.objects.get(object.name);
    if (!visible?.fieldsByName.has(field.name)) continue;
    const readable = access.rows.predicate({ object: visible, alias: 't0', mode: 'read' });
    const { rows } = await sql<{ n: number }>`
      select count(distinct t0.id)::int as n ${relation.rows} and t0.deleted_at is null ${readable ? sql`and ${readable}` : sql``}`.execute(db);
    if (rows[0]!.n > 0) counts.push({ object: object.name, field: field.name, count: rows[0]!.n });
  }
  return counts;
};
