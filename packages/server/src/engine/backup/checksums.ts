import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface TableChecksum {
  /** `schema.table`. */
  table: string;
  rows: number;
  /** Sum over the rows of the first 60 bits of md5(row as text), as a decimal string. */
  checksum: string;
}

/**
 * Rows and a checksum of every table of the database (system and workspace schemas), in one snapshot
 * when `db` is a transaction (or PGlite's single session). The checksum adds up a 60-bit hash of each
 * row's text: no sort and no memory per row, so its cost is one sequential scan per table plus an
 * md5 per row (about 1 s per million rows on PostgreSQL, several on PGlite). Output settings are pinned
 * so the same rows give the same text on the scratch database a backup is verified on.
 */
export const tableChecksums = async (db: Db): Promise<TableChecksum[]> => {
  const { rows: tables } = await sql<{ schema: string; name: string }>`
    select n.nspname as schema, c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('information_schema') and n.nspname not like 'pg\\_%'
    order by n.nspname, c.relname`.execute(db);
  const results: TableChecksum[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await sql<{ rows: string | number; checksum: string }>`
      select count(*)::bigint as rows, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text as checksum
      from ${sql.id(schema, name)} as t`.execute(db);
    results.push({ table: `${schema}.${name}`, rows: Number(rows[0]?.rows ?? 0), checksum: String(rows[0]?.checksum ?? '0') });
  }
  return results;
};

/** Settings that shape a row's text; set for the transaction (or session) before tableChecksums. */
export const pinOutputSettings = async (db: Db, isLocal: boolean): Promise<void> => {
  for (const [name, value] of [
    ['timezone', 'UTC'],
    ['datestyle', 'ISO, MDY'],
    ['intervalstyle', 'postgres'],
    ['extra_float_digits', '1'],
    ['bytea_output', 'hex'],
  ] as const) {
    await sql`select set_config(${name}, ${value}, ${isLocal})`.execute(db);
  }
};

/** The tables whose rows or checksum differ, named; empty when the two agree. */
export const compareChecksums = (expected: TableChecksum[], actual: TableChecksum[]): string[] => {
  const found = new Map(actual.map((table) => [table.table, table]));
  const problems: string[] = [];
  for (const table of expected) {
    const other = found.get(table.table);
    if (!other) problems.push(`${table.table} is missing`);
    else if (other.rows !== table.rows) problems.push(`${table.table} has ${other.rows} rows instead of ${table.rows}`);
    else if (other.checksum !== table.checksum) problems.push(`${table.table} has different content (checksum)`);
    found.delete(table.table);
  }
  for (const extra of found.keys()) problems.push(`${extra} is not in the backup`);
  return problems;
};
