import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findWorkspaceRow } from '../metadata/metadata-store.ts';
import type { FieldKeyring } from './field-keys.ts';

/**
 * How long the current data key must have existed before older versions may be deleted: a request or
 * job that read the workspace's keys just before the rotation may still seal a value with the old one.
 */
export const DATA_KEY_SETTLE_MS = 10 * 60_000;

export interface KeptDataKey {
  version: number;
  /** `settling`: the current key is younger than DATA_KEY_SETTLE_MS; `referenced`: stored values still name this version. */
  reason: 'settling' | 'referenced';
  /** settling: when it may be deleted (by the next `keys reencrypt`). */
  retirableAfter?: string;
  /** referenced: the `table.column`s holding values sealed with it. */
  referencedBy?: string[];
}

export interface RetireDataKeysResult {
  /** The version every value is sealed with (0: the workspace has no data key). */
  currentVersion: number;
  /** Versions deleted: nothing stored referenced them any more. */
  retired: number[];
  /** Older versions still there, and why. */
  kept: KeptDataKey[];
}

/** The workspace's data key versions, oldest first: the last is the current one. */
const readDataKeyVersions = async (db: Db, workspaceId: string) =>
  (await sql<{ version: number; created_at: Date | string }>`
    select version, created_at from rapport.workspace_key where workspace_id = ${workspaceId} order by version`.execute(db)).rows;

// Columns that may hold a sealed value (`rf1:<version>:…`), alone or inside JSON or a list.
const TEXT_TYPES = ['text', 'character varying', 'json', 'jsonb'];
const TEXT_LISTS = ['_text', '_varchar', '_json', '_jsonb'];
// They hold keys, not values.
const KEY_TABLES = ['workspace_key', 'workspace_blind_key'];

/**
 * Which older data key versions stored values still name, by `table.column`. It does not trust the
 * re-encryption's own list of places: it reads every text and JSON column of the workspace's schema
 * (records, trash, deleted fields and objects, history...) and of the instance tables holding workspace
 * rows (outbox, jobs...), one pass per table. A plain value that happens to contain `rf1:<n>:` keeps
 * version n: when unsure, the key stays.
 */
export const findDataKeyReferences = async (db: Db, { workspaceId, versions }: { workspaceId: string; versions: readonly number[] }): Promise<Map<number, string[]>> => {
  const found = new Map<number, string[]>();
  if (versions.length === 0) return found;
  const workspace = await findWorkspaceRow(db, workspaceId);
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', `No workspace with id ${workspaceId}.`);
  const schema = workspace.schema_name;
  const { rows: columns } = await sql<{ table_schema: string; table_name: string; column_name: string }>`
    select c.table_schema, c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where (c.data_type = any(${TEXT_TYPES}::text[]) or c.udt_name = any(${TEXT_LISTS}::text[]))
      and (c.table_schema = ${schema}
        or (c.table_schema = 'rapport' and c.table_name <> all(${KEY_TABLES}::text[]) and exists (
          select 1 from information_schema.columns w where w.table_schema = 'rapport' and w.table_name = c.table_name and w.column_name = 'workspace_id')))
    order by c.table_schema, c.table_name, c.ordinal_position`.execute(db);
  const byTable = new Map<string, { schema: string; table: string; columns: string[] }>();
  for (const row of columns) {
    const key = `${row.table_schema}.${row.table_name}`;
    const entry = byTable.get(key) ?? { schema: row.table_schema, table: row.table_name, columns: [] };
    entry.columns.push(row.column_name);
    byTable.set(key, entry);
  }
  for (const { schema: tableSchema, table, columns: names } of byTable.values()) {
    const checks = names.flatMap((column) => versions.map((version) => ({ column, version })));
    const selects = checks.map(({ column, version }, index) => sql`coalesce(bool_or(${sql.id(column)}::text like ${`%rf1:${version}:%`}), false) as ${sql.id(`c${index}`)}`);
    const scope = tableSchema === 'rapport' ? sql`where workspace_id = ${workspaceId}` : sql``;
    const { rows } = await sql<Record<string, boolean>>`select ${sql.join(selects)} from ${sql.id(tableSchema, table)} ${scope}`.execute(db);
    checks.forEach(({ column, version }, index) => {
      if (rows[0]?.[`c${index}`] !== true) return;
      found.set(version, [...(found.get(version) ?? []), `${tableSchema === 'rapport' ? 'rapport.' : ''}${table}.${column}`]);
    });
  }
  return found;
};

/**
 * Deletes the data key versions older than the current one that no stored value references any more
 * (findDataKeyReferences, read in the same transaction as the delete), so that an old key, leaked or
 * kept in an old copy of the master key, opens nothing of today's data. Versions still referenced are
 * kept and named; none goes while the current key is younger than DATA_KEY_SETTLE_MS.
 */
export const retireDataKeys = async ({ db, fieldKeys, workspaceId, now = new Date() }: { db: Db; fieldKeys: FieldKeyring; workspaceId: string; now?: Date }): Promise<RetireDataKeysResult> => {
  const rows = await readDataKeyVersions(db, workspaceId);
  const current = rows.at(-1);
  if (!current) return { currentVersion: 0, retired: [], kept: [] };
  const older = rows.slice(0, -1).map((row) => row.version);
  const result: RetireDataKeysResult = { currentVersion: current.version, retired: [], kept: [] };
  if (older.length === 0) return result;
  const settled = new Date(new Date(current.created_at).getTime() + DATA_KEY_SETTLE_MS);
  if (settled > now) return { ...result, kept: older.map((version) => ({ version, reason: 'settling', retirableAfter: settled.toISOString() })) };
  return db.transaction().execute(async (trx) => {
    // Two retirements of the same workspace take turns.
    await sql`select version from rapport.workspace_key where workspace_id = ${workspaceId} for update`.execute(trx);
    const references = await findDataKeyReferences(trx, { workspaceId, versions: older });
    const retired = older.filter((version) => !references.has(version));
    await fieldKeys.deleteDataKeys(trx, { workspaceId, versions: retired });
    const kept = older.filter((version) => references.has(version)).map((version): KeptDataKey => ({ version, reason: 'referenced', referencedBy: references.get(version)! }));
    return { ...result, retired, kept };
  });
};

export interface DataKeyStatus {
  version: number;
  createdAt: string;
  isCurrent: boolean;
  /** The `table.column`s holding values sealed with it (findDataKeyReferences). */
  referencedBy: string[];
}

/** The data key versions of a workspace and where each is still used (`rapport keys status`); reads every table once. */
export const describeDataKeys = async (db: Db, workspaceId: string): Promise<{ versions: DataKeyStatus[]; blindKeyKeptApart: boolean }> => {
  const rows = await readDataKeyVersions(db, workspaceId);
  const references = await findDataKeyReferences(db, { workspaceId, versions: rows.map((row) => row.version) });
  const { rows: blind } = await sql<{ count: number }>`select count(*)::int as count from rapport.workspace_blind_key where workspace_id = ${workspaceId}`.execute(db);
  return {
    versions: rows.map((row, index) => ({
      version: row.version,
      createdAt: new Date(row.created_at).toISOString(),
      isCurrent: index === rows.length - 1,
      referencedBy: references.get(row.version) ?? [],
    })),
    blindKeyKeptApart: blind[0]!.count > 0,
  };
};
