import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { loadWorkspaceMeta } from '../metadata/metadata-store.ts';
import type { FieldMeta, ObjectMeta } from '../metadata/types.ts';
import { sealedKeyVersion } from './field-cipher.ts';
import { getFieldCipher, isEncryptedField, type FieldKeyring } from './field-keys.ts';

export interface ReencryptProgress {
  /** Where the batch was: `<object>.<field>`, `history` or `events`. */
  scope: string;
  /** Values moved to the current key by this batch. */
  count: number;
}

export interface ReencryptValuesOptions {
  db: Db;
  fieldKeys: FieldKeyring;
  workspaceId: string;
  batchSize?: number;
  /** Called after each committed batch. */
  onBatch?: (progress: ReencryptProgress) => void;
}

export interface ReencryptResult {
  /** The data key version every value is now sealed with. */
  keyVersion: number;
  records: number;
  historyEntries: number;
  events: number;
}

const DEFAULT_BATCH = 500;

/**
 * Moves every value of a workspace's encrypted fields sealed with an older data key to the current one:
 * record columns (trashed records too), history entries and outbox payloads. Each batch is its own
 * transaction and picks only values still under an older key, so a run killed half way loses nothing
 * (old keys still open what is left) and the next run carries on where it stopped.
 */
export const reencryptValues = async ({ db, fieldKeys, workspaceId, batchSize = DEFAULT_BATCH, onBatch }: ReencryptValuesOptions): Promise<ReencryptResult> => {
  const workspace = await fieldKeys.attach(db, await loadWorkspaceMeta(db, workspaceId));
  const objects = [...workspace.objects.values()].filter((object) => object.fields.some(isEncryptedField));
  const result: ReencryptResult = { keyVersion: 0, records: 0, historyEntries: 0, events: 0 };
  if (objects.length === 0) return result;
  const keyVersion = getFieldCipher(objects[0]!.fields.find(isEncryptedField)!).keyVersion;
  result.keyVersion = keyVersion;
  const { rows: versions } = await sql<{ version: number }>`select version from rapport.workspace_key where workspace_id = ${workspaceId} and version < ${keyVersion}`.execute(db);
  const older = versions.map((row) => row.version);
  if (older.length === 0) return result;
  const context: BatchContext = { db, keyVersion, older, batchSize, onBatch: onBatch ?? (() => undefined) };
  for (const object of objects) {
    for (const field of object.fields.filter(isEncryptedField)) result.records += await reencryptColumn(context, { table: sql.id(workspace.schema, object.table), field, scope: `${object.name}.${field.name}` });
  }
  result.historyEntries = await reencryptHistory(context, { schema: workspace.schema, objects });
  result.events = await reencryptEvents(context, { workspaceId, objects });
  return result;
};

interface BatchContext {
  db: Db;
  keyVersion: number;
  older: number[];
  batchSize: number;
  onBatch: (progress: ReencryptProgress) => void;
}

const reseal = (field: FieldMeta, value: unknown, keyVersion: number): unknown => {
  const version = sealedKeyVersion(value);
  if (version === undefined || version === keyVersion) return value;
  const cipher = getFieldCipher(field);
  return cipher.seal(cipher.open(value as string));
};

// Values in JSON (history, events) are strings: `"rf1:<version>:…`.
const sealedUnderOlderKey = (expression: RawBuilder<unknown>, older: number[]) => sql.join(older.map((version) => sql`${expression} like ${`%"rf1:${version}:%`}`), sql` or `);

const reencryptColumn = async ({ db, keyVersion, older, batchSize, onBatch }: BatchContext, { table, field, scope }: { table: RawBuilder<unknown>; field: FieldMeta; scope: string }) => {
  const column = sql.id(field.column);
  const stale = sql.join(older.map((version) => sql`${column} like ${`rf1:${version}:%`}`), sql` or `);
  let total = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: string; value: string }>`select id, ${column} as value from ${table} where ${stale} order by id limit ${batchSize} for update`.execute(trx);
      if (rows.length === 0) return 0;
      const updates = rows.map((row) => ({ id: row.id, value: reseal(field, row.value, keyVersion) }));
      await sql`update ${table} as t set ${column} = r.value from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as r(id uuid, value text) where t.id = r.id`.execute(trx);
      return rows.length;
    });
    if (count === 0) return total;
    total += count;
    onBatch({ scope, count });
  }
};

const resealJson = (object: ObjectMeta, value: unknown, keyVersion: number): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => {
    const field = object.fieldsByName.get(name);
    return [name, field && isEncryptedField(field) ? reseal(field, item, keyVersion) : item];
  }));
};

// Entries of one field hold its value; entries without one hold a snapshot of the record.
const reencryptHistory = async (context: BatchContext, { schema, objects }: { schema: string; objects: ObjectMeta[] }) => {
  const { db, keyVersion, older, batchSize, onBatch } = context;
  const byName = new Map(objects.map((object) => [object.name, object]));
  const table = sql.id(schema, '_history');
  const stale = sql`(${sealedUnderOlderKey(sql`old_value::text`, older)} or ${sealedUnderOlderKey(sql`new_value::text`, older)})`;
  let after = 0;
  let total = 0;
  for (;;) {
    const { count, lastId } = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: number; object_name: string; field: string | null; old_value: unknown; new_value: unknown }>`
        select id, object_name, field, old_value, new_value from ${table}
        where id > ${after} and object_name = any(${[...byName.keys()]}::text[]) and ${stale}
        order by id limit ${batchSize} for update`.execute(trx);
      if (rows.length === 0) return { count: 0, lastId: after };
      const updates = rows.map((row) => {
        const object = byName.get(row.object_name)!;
        const field = row.field === null ? undefined : object.fieldsByName.get(row.field);
        const move = (value: unknown) => (row.field === null ? resealJson(object, value, keyVersion) : field && isEncryptedField(field) ? reseal(field, value, keyVersion) : value);
        return { id: row.id, old_value: move(row.old_value), new_value: move(row.new_value) };
      });
      await sql`update ${table} as t set old_value = r.old_value, new_value = r.new_value
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as r(id bigint, old_value jsonb, new_value jsonb) where t.id = r.id`.execute(trx);
      return { count: rows.length, lastId: Number(rows.at(-1)!.id) };
    });
    if (count === 0) return total;
    total += count;
    after = lastId;
    onBatch({ scope: 'history', count });
  }
};

const reencryptEvents = async (context: BatchContext, { workspaceId, objects }: { workspaceId: string; objects: ObjectMeta[] }) => {
  const { db, keyVersion, older, batchSize, onBatch } = context;
  const byName = new Map(objects.map((object) => [object.name, object]));
  let after = 0;
  let total = 0;
  for (;;) {
    const { count, lastId } = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: number; object: string; payload: unknown }>`
        select id, object, payload from rapport.event
        where workspace_id = ${workspaceId} and id > ${after} and object = any(${[...byName.keys()]}::text[]) and (${sealedUnderOlderKey(sql`payload::text`, older)})
        order by id limit ${batchSize} for update`.execute(trx);
      if (rows.length === 0) return { count: 0, lastId: after };
      const updates = rows.map((row) => ({ id: row.id, payload: resealJson(byName.get(row.object)!, row.payload, keyVersion) }));
      await sql`update rapport.event as t set payload = r.payload from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as r(id bigint, payload jsonb) where t.id = r.id`.execute(trx);
      return { count: rows.length, lastId: Number(rows.at(-1)!.id) };
    });
    if (count === 0) return total;
    total += count;
    after = lastId;
    onBatch({ scope: 'events', count });
  }
};
