import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { appendEvents } from '../events/outbox.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { referenceColumns } from '../fields/types/reference.field.ts';
import { withSavepoint } from '../imports/savepoint.ts';
import { describeError, silentLogger, type JobLogger } from '../jobs/logger.ts';
import { sealEncryptedValues } from '../records/field-encryption.ts';
import { historyInsert } from '../records/history.ts';
import { toApiRecord } from '../records/record-shape.ts';
import { loadWorkspaceMeta } from './metadata-store.ts';
import { RETENTION_DAYS } from './metadata.service.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from './types.ts';

/** What the purge left for a later run, and why. */
export interface PurgeSkip {
  workspaceId: string;
  object: string;
  field?: string;
  reason: string;
}

export interface PurgeResult {
  records: number;
  fields: number;
  objects: number;
  /** Live or trashed records whose relation (`onDelete: setNull`) or reference pointed at a purged record, now emptied. */
  clearedReferences: number;
  skipped: PurgeSkip[];
}

interface PurgeContext {
  trx: Db;
  workspaceId: string;
  schema: string;
  cutoff: string;
  result: PurgeResult;
  logger: JobLogger;
}

interface ObjectRow {
  id: string;
  name: string;
  table_name: string;
  deleted_at: string | null;
  expired: boolean;
}

/** A foreign key pointing at an object's table; `action` is pg_constraint.confdeltype (r restrict, a no action, n set null, c cascade). */
interface Reference {
  table_name: string;
  column_name: string;
  action: string;
}

// Trashed records purged per statement.
const CHUNK = 1000;

const emptyResult = (): PurgeResult => ({ records: 0, fields: 0, objects: 0, clearedReferences: 0, skipped: [] });

/**
 * Drops what has been deleted for longer than the retention period, in every workspace: trashed records,
 * deleted fields (their columns) and deleted objects (their tables). A workspace is purged in one
 * transaction, each object, field and table behind a savepoint: what cannot be purged (a trashed record still
 * referenced through a `restrict` relation, a failing statement) is skipped and logged, never holding back the rest.
 */
export const purgeExpired = async (db: Db, now = new Date(), logger: JobLogger = silentLogger): Promise<PurgeResult> => {
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000).toISOString();
  const total = emptyResult();
  const { rows: workspaces } = await sql<{ id: string; schema_name: string }>`select id, schema_name from rapport.workspace`.execute(db);
  for (const { id: workspaceId, schema_name: schema } of workspaces) {
    // Counted apart, so that a workspace whose transaction fails adds nothing but its skip.
    const result = emptyResult();
    try {
      await db.transaction().execute((trx) => purgeWorkspace({ trx, workspaceId, schema, cutoff, result, logger }));
    } catch (error) {
      total.skipped.push(skip({ result: emptyResult(), logger }, { workspaceId, object: '*', reason: describeError(error) }));
      continue;
    }
    total.records += result.records;
    total.fields += result.fields;
    total.objects += result.objects;
    total.clearedReferences += result.clearedReferences;
    total.skipped.push(...result.skipped);
  }
  return total;
};

const skip = (context: Pick<PurgeContext, 'result' | 'logger'>, skipped: PurgeSkip): PurgeSkip => {
  context.logger.warn({ ...skipped }, 'Purge skipped what it could not remove; a later run tries again');
  context.result.skipped.push(skipped);
  return skipped;
};

// Runs one step behind a savepoint: a failure undoes that step only, is logged and left for the next run.
const attempt = async <T>(context: PurgeContext, where: Omit<PurgeSkip, 'workspaceId' | 'reason'>, step: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await withSavepoint(context.trx, step);
  } catch (error) {
    skip(context, { workspaceId: context.workspaceId, ...where, reason: describeError(error) });
    return undefined;
  }
};

const purgeWorkspace = async (context: PurgeContext): Promise<void> => {
  const { trx, schema, cutoff } = context;
  const { rows: objects } = await sql<ObjectRow>`
    select id, name, table_name, deleted_at, deleted_at < ${cutoff} as expired from ${sql.id(schema, '_object')}`.execute(trx);
  // Objects, then fields: the tables and columns they drop (with their foreign keys) no longer hold records back.
  for (const object of objects.filter((row) => row.expired)) await attempt(context, { object: object.name }, () => purgeObject(context, object));
  const live = objects.filter((row) => row.deleted_at === null);
  for (const object of live) await purgeFields(context, object);
  const workspace = await loadWorkspaceMeta(trx, context.workspaceId);
  // Purging a trashed record can free another that it referred to (restrict): passes go on while they purge something.
  let pending = live;
  for (let pass = 0; pass <= live.length && pending.length > 0; pass++) {
    const left: { object: ObjectRow; remaining: number }[] = [];
    let purged = 0;
    for (const object of pending) {
      const outcome = await attempt(context, { object: object.name }, () => purgeRecords(context, workspace, object));
      if (!outcome) continue;
      purged += outcome.purged;
      // Counted once the step is kept: a step rolled back to its savepoint purged nothing.
      context.result.records += outcome.purged;
      context.result.clearedReferences += outcome.cleared;
      if (outcome.remaining > 0) left.push({ object, remaining: outcome.remaining });
    }
    pending = left.map((entry) => entry.object);
    if (purged === 0 || pass === live.length) {
      for (const { object, remaining } of left) {
        skip(context, { workspaceId: context.workspaceId, object: object.name, reason: `${remaining} trashed record(s) still referenced through a relation that restricts deletion` });
      }
      break;
    }
  }
};

const purgeObject = async ({ trx, schema, result }: PurgeContext, object: ObjectRow): Promise<void> => {
  const { rows: junctions } = await sql<{ table_name: string }>`
    select storage->'junction'->>'table' as table_name from ${sql.id(schema, '_field')} where object_id = ${object.id} and storage->'junction' is not null`.execute(trx);
  for (const junction of junctions) await sql`drop table if exists ${sql.id(schema, junction.table_name)}`.execute(trx);
  await sql`drop table if exists ${sql.id(schema, object.table_name)} cascade`.execute(trx);
  await sql`delete from ${sql.id(schema, '_object')} where id = ${object.id}`.execute(trx);
  result.objects++;
};

const purgeFields = async (context: PurgeContext, object: ObjectRow): Promise<void> => {
  const { trx, schema, cutoff, result } = context;
  const { rows: fields } = await sql<{ id: string; name: string; type: FieldMeta['type']; column_name: string; options: FieldMeta['options']; storage: { junction?: FieldMeta['junction'] } }>`
    select id, name, type, column_name, options, storage from ${sql.id(schema, '_field')} where object_id = ${object.id} and deleted_at < ${cutoff}`.execute(trx);
  for (const field of fields) {
    await attempt(context, { object: object.name, field: field.name }, async () => {
      const meta = { type: field.type, column: field.column_name, options: field.options } as FieldMeta;
      for (const spec of getFieldTypeHandler(field.type).columns(meta)) {
        await sql`alter table ${sql.id(schema, object.table_name)} drop column if exists ${sql.id(spec.column)}`.execute(trx);
      }
      if (field.storage?.junction) await sql`drop table if exists ${sql.id(schema, field.storage.junction.table)}`.execute(trx);
      await sql`delete from ${sql.id(schema, '_field')} where id = ${field.id}`.execute(trx);
      result.fields++;
    });
  }
};

// The foreign keys that point at a table, read from the catalog: relations of live, deleted and trashed fields alike.
const referencesTo = async (trx: Db, schema: string, table: string): Promise<Reference[]> => {
  const { rows } = await sql<Reference>`
    select src.relname as table_name, a.attname as column_name, c.confdeltype::text as action
    from pg_constraint c
      join pg_class target on target.oid = c.confrelid
      join pg_namespace n on n.oid = target.relnamespace
      join pg_class src on src.oid = c.conrelid and src.relnamespace = n.oid
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and n.nspname = ${schema} and target.relname = ${table}`.execute(trx);
  return rows;
};

/** Deletes an object's expired trashed records, in chunks, but those a `restrict` relation still points at. */
const purgeRecords = async (context: PurgeContext, workspace: WorkspaceMeta, object: ObjectRow): Promise<{ purged: number; cleared: number; remaining: number }> => {
  const { trx, schema, cutoff } = context;
  const table = sql.id(schema, object.table_name);
  const references = await referencesTo(trx, schema, object.table_name);
  const unreferenced = references
    .filter((reference) => reference.action === 'r' || reference.action === 'a')
    .map((reference) => {
      const self = reference.table_name === object.table_name ? sql`and r.id <> t.id` : sql``;
      return sql`and not exists (select 1 from ${sql.id(schema, reference.table_name)} as r where r.${sql.id(reference.column_name)} = t.id ${self})`;
    });
  let purged = 0;
  let cleared = 0;
  for (;;) {
    const { rows } = await sql<{ id: string }>`
      select t.id from ${table} as t where t.deleted_at < ${cutoff} ${sql.join(unreferenced, sql` `)} order by t.id limit ${CHUNK}`.execute(trx);
    if (rows.length === 0) break;
    const ids = rows.map((row) => row.id);
    for (const reference of references.filter((candidate) => candidate.action === 'n')) {
      cleared += await clearReferences(context, workspace, reference, ids);
    }
    cleared += await clearRecordReferences(context, workspace, object.name, ids);
    await sql`delete from ${table} where id = any(${ids}::uuid[])`.execute(trx);
    purged += ids.length;
    if (rows.length < CHUNK) break;
  }
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table} where deleted_at < ${cutoff}`.execute(trx);
  return { purged, cleared, remaining: rows[0]?.n ?? 0 };
};

/**
 * Empties the relation (`onDelete: setNull`) of the records pointing at records about to be purged, as a write
 * does: the version moves on, each change gets its history row and live records a `record.updated` event. A
 * relation of a deleted field or object is emptied quietly (nobody sees it; the foreign key would do the same).
 */
const clearReferences = async (context: PurgeContext, workspace: WorkspaceMeta, reference: Reference, ids: string[]): Promise<number> => {
  const { trx, schema } = context;
  const table = sql.id(schema, reference.table_name);
  const column = sql.id(reference.column_name);
  const object = [...workspace.objects.values()].find((candidate) => candidate.table === reference.table_name);
  const field = object?.fields.find((candidate) => candidate.type === 'relation' && relationKind(candidate) === 'manyToOne' && candidate.column === reference.column_name);
  if (!object || !field) {
    const cleared = await sql`update ${table} set ${column} = null where ${column} = any(${ids}::uuid[])`.execute(trx);
    return Number(cleared.numAffectedRows ?? 0);
  }
  const { rows } = await sql<Record<string, unknown> & { purged_reference: string }>`
    with hit as (select id, ${column} as old from ${table} where ${column} = any(${ids}::uuid[]) for update)
    update ${table} as t set ${column} = null, version = t.version + 1, updated_at = now(), updated_by = null
    from hit where t.id = hit.id returning t.*, hit.old as purged_reference`.execute(trx);
  await recordClearedReferences(context, workspace, object, field, rows.map((row) => ({ row, old: row.purged_reference })));
  return rows.length;
};

/**
 * Empties the reference fields (any object, `{object, id}`) naming records about to be purged, as a write does.
 * They have no foreign key: without this they would name a record that no longer exists.
 */
const clearRecordReferences = async (context: PurgeContext, workspace: WorkspaceMeta, objectName: string, ids: string[]): Promise<number> => {
  let cleared = 0;
  for (const object of workspace.objects.values()) {
    for (const field of object.fields) {
      if (field.type !== 'reference' || (field.options?.targets && !field.options.targets.includes(objectName))) continue;
      const columns = referenceColumns(field);
      const table = sql.id(context.schema, object.table);
      const { rows } = await sql<Record<string, unknown> & { purged_reference: string }>`
        with hit as (select id, ${sql.id(columns.id)} as old from ${table} where ${sql.id(columns.object)} = ${objectName} and ${sql.id(columns.id)} = any(${ids}::uuid[]) for update)
        update ${table} as t set ${sql.id(columns.object)} = null, ${sql.id(columns.id)} = null, version = t.version + 1, updated_at = now(), updated_by = null
        from hit where t.id = hit.id returning t.*, hit.old as purged_reference`.execute(context.trx);
      await recordClearedReferences(context, workspace, object, field, rows.map((row) => ({ row, old: { object: objectName, id: row.purged_reference } })));
      cleared += rows.length;
    }
  }
  return cleared;
};

// Each emptied reference gets its history row, and a live record its `record.updated` event.
const recordClearedReferences = async (context: PurgeContext, workspace: WorkspaceMeta, object: ObjectMeta, field: FieldMeta, cleared: { row: Record<string, unknown>; old: unknown }[]) => {
  for (let start = 0; start < cleared.length; start += CHUNK) {
    const slice = cleared.slice(start, start + CHUNK);
    const history = historyInsert(
      context.schema,
      slice.map(({ row, old }) => ({ objectName: object.name, recordId: row.id as string, changeType: 'updated', field: field.name, oldValue: old, newValue: null, actorId: null })),
    );
    const events = slice
      .filter(({ row }) => row.deleted_at === null)
      .map(({ row }) => ({
        workspaceId: workspace.id,
        type: 'record.updated' as const,
        object: object.name,
        recordId: row.id as string,
        changedFields: [field.name],
        payload: sealEncryptedValues(object, toApiRecord(object, row)),
        actorId: null,
      }));
    await appendEvents(context.trx, events, { alongside: [history] });
  }
};
