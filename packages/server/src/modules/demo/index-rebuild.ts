import { sql } from 'kysely';
import type { Database } from '../../engine/db/database.ts';

/** Below this many rows, keeping the indexes up to date row by row costs less than rebuilding them. */
const REBUILD_MIN_ROWS = 50_000;

export interface SecondaryIndex {
  name: string;
  definition: string;
}

export interface DropSecondaryIndexesOptions {
  database: Database;
  schema: string;
  /** Unquoted table name. */
  table: string;
  /** Rows about to be loaded. */
  rows: number;
}

/**
 * Before a big load: drops the table's secondary indexes and returns their definitions, so they can
 * be built again afterwards. A sorted build is several times cheaper than a million single inserts
 * into each index (the GIN search index most of all). Only when the load is big and at least doubles the
 * table; primary keys and unique indexes stay, so the load is still checked. A process killed before
 * the rebuild leaves them missing: big seeds are meant for fresh demo workspaces, not ones in use.
 */
export const dropSecondaryIndexes = async ({ database, schema, table, rows }: DropSecondaryIndexesOptions): Promise<SecondaryIndex[]> => {
  if (rows < REBUILD_MIN_ROWS) return [];
  const { rows: stats } = await sql<{ estimate: number }>`
    select greatest(c.reltuples, 0)::float8 as estimate from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relname = ${table}`.execute(database.db);
  if ((stats[0]?.estimate ?? 0) > rows) return [];
  const { rows: indexes } = await sql<SecondaryIndex>`
    select i.relname as name, pg_get_indexdef(x.indexrelid) as definition
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    join pg_am a on a.oid = i.relam
    where n.nspname = ${schema} and t.relname = ${table} and not x.indisunique and not x.indisprimary
    order by a.amname = 'btree', i.relname`.execute(database.db);
  for (const index of indexes) await sql`drop index ${sql.id(schema, index.name)}`.execute(database.db);
  return indexes;
};

/** Memory for one index build on PostgreSQL: a GIN build several times faster than with the default 64 MB. */
const BUILD_MEMORY_MB = 256;

// PostgreSQL builds indexes side by side on two connections (the GIN search index is queued first),
// each with more memory when the server's setting is lower; PGlite has one connection, so there they
// are built one after the other, with its default memory (its WebAssembly heap never shrinks back).
export const rebuildIndexes = async (database: Database, indexes: readonly SecondaryIndex[]): Promise<void> => {
  const queue = [...indexes];
  const buildOne = (definition: string) =>
    database.engine === 'postgres'
      ? database.db.transaction().execute(async (trx) => {
          await sql`select set_config('maintenance_work_mem', ${`${BUILD_MEMORY_MB}MB`}, true)
            where pg_size_bytes(current_setting('maintenance_work_mem')) < ${BUILD_MEMORY_MB * 1024 * 1024}`.execute(trx);
          await sql.raw(definition).execute(trx);
        })
      : sql.raw(definition).execute(database.db);
  const build = async () => {
    for (let index = queue.shift(); index; index = queue.shift()) await buildOne(index.definition);
  };
  const results = await Promise.allSettled(Array.from({ length: database.engine === 'postgres' ? 2 : 1 }, build));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
};
