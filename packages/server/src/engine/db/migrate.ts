import { sql } from 'kysely';
import type { Db } from './database.ts';
import { systemMigrations } from './migrations/index.ts';

export interface Migration {
  /** `NNN-kebab-name`, applied in order once. */
  name: string;
  up(db: Db): Promise<void>;
}

/**
 * Applies the system migrations (the `rapport` schema: workspaces, keys, jobs, events) in order.
 * Each runs in its own transaction with its bookkeeping row, so a crash leaves it applied or not at all.
 * Workspace schemas follow their metadata, not this list.
 */
export const migrate = async (db: Db): Promise<string[]> => {
  await sql`create schema if not exists rapport`.execute(db);
  await sql`create table if not exists rapport.migration (name text primary key, applied_at timestamptz not null default now())`.execute(db);
  const { rows } = await sql<{ name: string }>`select name from rapport.migration`.execute(db);
  const applied = new Set(rows.map((row) => row.name));
  const ran: string[] = [];
  for (const migration of systemMigrations) {
    if (applied.has(migration.name)) continue;
    await db.transaction().execute(async (trx) => {
      // Serialise concurrent starters (several app servers on one PostgreSQL).
      await sql`select pg_advisory_xact_lock(7266870)`.execute(trx);
      const { rows: again } = await sql`select 1 from rapport.migration where name = ${migration.name}`.execute(trx);
      if (again.length > 0) return;
      await migration.up(trx);
      await sql`insert into rapport.migration (name) values (${migration.name})`.execute(trx);
      ran.push(migration.name);
    });
  }
  return ran;
};
