import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findWorkspaceRow } from '../metadata/metadata-store.ts';
import { sealedKeyVersion, type FieldCipher } from './field-cipher.ts';
import type { FieldKeyring } from './field-keys.ts';

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

interface EncryptedColumn {
  table: RawBuilder<unknown>;
  column: string;
  scope: string;
  cipher: FieldCipher;
}

interface EncryptedFields {
  schema: string;
  columns: EncryptedColumn[];
  /** Object name → field name → ciphers (live fields first): history and events name fields, and a trashed field's name may be taken again. */
  byName: Map<string, Map<string, FieldCipher[]>>;
}

/**
 * Every encrypted field of a workspace: live ones, trashed ones and those of trashed objects. A restored
 * field or object must still open with the keys that remain once older ones are deleted (retire-data-keys.ts).
 */
const loadEncryptedFields = async (db: Db, { fieldKeys, workspaceId }: { fieldKeys: FieldKeyring; workspaceId: string }): Promise<EncryptedFields> => {
  const workspace = await findWorkspaceRow(db, workspaceId);
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', `No workspace with id ${workspaceId}.`);
  const schema = workspace.schema_name;
  const { rows } = await sql<{ field_id: string; field_name: string; column_name: string; object_name: string; table_name: string; is_trashed: boolean }>`
    select f.id as field_id, f.name as field_name, f.column_name, o.name as object_name, o.table_name,
      (f.deleted_at is not null or o.deleted_at is not null) as is_trashed
    from ${sql.id(schema, '_field')} f join ${sql.id(schema, '_object')} o on o.id = f.object_id
    where f.options->>'encrypted' = 'true'
    order by (f.deleted_at is not null or o.deleted_at is not null), o.name, f.name, f.id`.execute(db);
  const ciphers = await fieldKeys.createCiphers(db, { workspaceId, fieldIds: rows.map((row) => row.field_id) });
  const byName = new Map<string, Map<string, FieldCipher[]>>();
  const columns = rows.map((row) => {
    const cipher = ciphers.get(row.field_id)!;
    const fields = byName.get(row.object_name) ?? new Map<string, FieldCipher[]>();
    byName.set(row.object_name, fields.set(row.field_name, [...(fields.get(row.field_name) ?? []), cipher]));
    return { table: sql.id(schema, row.table_name), column: row.column_name, scope: `${row.object_name}.${row.field_name}${row.is_trashed ? ' (trashed)' : ''}`, cipher };
  });
  return { schema, columns, byName };
};

/**
 * Moves every value of a workspace's encrypted fields sealed with an older data key to the current one:
 * record columns (trashed records, trashed fields and fields of trashed objects too), history entries
 * and outbox payloads. Each batch is its own transaction and picks only values still under an older key,
 * so a run killed half way loses nothing (old keys still open what is left) and the next run carries on
 * where it stopped.
 */
export const reencryptValues = async ({ db, fieldKeys, workspaceId, batchSize = DEFAULT_BATCH, onBatch }: ReencryptValuesOptions): Promise<ReencryptResult> => {
  const { schema, columns, byName } = await loadEncryptedFields(db, { fieldKeys, workspaceId });
  const result: ReencryptResult = { keyVersion: 0, records: 0, historyEntries: 0, events: 0 };
  if (columns.length === 0) return result;
  const keyVersion = columns[0]!.cipher.keyVersion;
  result.keyVersion = keyVersion;
  const { rows: versions } = await sql<{ version: number }>`select version from rapport.workspace_key where workspace_id = ${workspaceId} and version < ${keyVersion}`.execute(db);
  const older = versions.map((row) => row.version);
  if (older.length === 0) return result;
  const context: BatchContext = { db, keyVersion, older, batchSize, onBatch: onBatch ?? (() => undefined) };
  for (const column of columns) result.records += await reencryptColumn(context, column);
  result.historyEntries = await reencryptHistory(context, { schema, byName });
  result.events = await reencryptEvents(context, { workspaceId, byName });
  return result;
};

interface BatchContext {
  db: Db;
  keyVersion: number;
  older: number[];
  batchSize: number;
  onBatch: (progress: ReencryptProgress) => void;
}

// The cipher whose field the value belongs to opens it (the field id is bound to the ciphertext).
const reseal = (ciphers: readonly FieldCipher[], value: unknown, keyVersion: number): unknown => {
  const version = sealedKeyVersion(value);
  if (version === undefined || version === keyVersion) return value;
  let failure: unknown;
  for (const cipher of ciphers) {
    try {
      return cipher.seal(cipher.open(value as string));
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
};

// Values in JSON (history, events) are strings: `"rf1:<version>:…`.
const sealedUnderOlderKey = (expression: RawBuilder<unknown>, older: number[]) => sql.join(older.map((version) => sql`${expression} like ${`%"rf1:${version}:%`}`), sql` or `);

const reencryptColumn = async ({ db, keyVersion, older, batchSize, onBatch }: BatchContext, { table, column: columnName, scope, cipher }: EncryptedColumn) => {
  const column = sql.id(columnName);
  const stale = sql.join(older.map((version) => sql`${column} like ${`rf1:${version}:%`}`), sql` or `);
  let total = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: string; value: string }>`select id, ${column} as value from ${table} where ${stale} order by id limit ${batchSize} for update`.execute(trx);
      if (rows.length === 0) return 0;
      const updates = rows.map((row) => ({ id: row.id, value: reseal([cipher], row.value, keyVersion) }));
      await sql`update ${table} as t set ${column} = r.value from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as r(id uuid, value text) where t.id = r.id`.execute(trx);
      return rows.length;
    });
    if (count === 0) return total;
    total += count;
    onBatch({ scope, count });
  }
};

const resealJson = (fields: Map<string, FieldCipher[]>, value: unknown, keyVersion: number): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => {
    const ciphers = fields.get(name);
    return [name, ciphers ? reseal(ciphers, item, keyVersion) : item];
  }));
};

// Entries of one field hold its value; entries without one hold a snapshot of the record.
const reencryptHistory = async (context: BatchContext, { schema, byName }: { schema: string; byName: EncryptedFields['byName'] }) => {
  const { db, keyVersion, older, batchSize, onBatch } = context;
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
        const fields = byName.get(row.object_name)!;
        const ciphers = row.field === null ? undefined : fields.get(row.field);
        const move = (value: unknown) => (row.field === null ? resealJson(fields, value, keyVersion) : ciphers ? reseal(ciphers, value, keyVersion) : value);
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

const reencryptEvents = async (context: BatchContext, { workspaceId, byName }: { workspaceId: string; byName: EncryptedFields['byName'] }) => {
  const { db, keyVersion, older, batchSize, onBatch } = context;
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
