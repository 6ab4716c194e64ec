import { sql } from 'kysely';
import type { Db } from './database.ts';
import { systemMigrations } from './migrations/index.ts';

export interface Migration {
  /** `NNN-kebab-name`, applied in order once. */
  name: string;
  up(db: Db): Promise<void>;
}

export interface MigrateOptions {
  /** The migrations to apply; the system migrations by default (tests add a failing one). */
  migrations?: Migration[];
}

/** A migration failed: it was rolled back, and the database stays at the level before it. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    readonly level: string | null,
    cause: unknown,
  ) {
    super(
      `Migration ${migration} failed and was rolled back: the database is unchanged at level ${level ?? 'none'}. ${(cause as Error)?.message ?? String(cause)}. Run the previous Rapport version, or restore a backup, and report the error.`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}

/**
 * Applies the system migrations (the `rapport` schema: workspaces, keys, jobs, events) in order.
 * Each runs in its own transaction with its bookkeeping row (`rapport.migration` records the level), so
 * a crash or an error leaves it applied or not at all. A database migrated by a newer Rapport (it has
 * migrations this one does not know) is refused: an older version must not run on it.
 * Workspace schemas follow their metadata, not this list.
 */
export const migrate = async (db: Db, options: MigrateOptions = {}): Promise<string[]> => {
  const migrations = options.migrations ?? systemMigrations;
  await sql`create schema if not exists rapport`.execute(db);
  await sql`create table if not exists rapport.migration (name text primary key, applied_at timestamptz not null default now())`.execute(db);
  const { rows } = await sql<{ name: string }>`select name from rapport.migration order by name`.execute(db);
  const applied = new Set(rows.map((row) => row.name));
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = rows.map((row) => row.name).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(`The database was migrated by a newer Rapport (${unknown.join(', ')} unknown to this version): upgrade Rapport to run on it, or restore a backup made by this version.`);
  }
  const ran: string[] = [];
  let level = rows.at(-1)?.name ?? null;
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    try {
      await db.transaction().execute(async (trx) => {
        // Serialise concurrent starters (several app servers on one PostgreSQL).
        await sql`select pg_advisory_xact_lock(7266870)`.execute(trx);
        const { rows: again } = await sql`select 1 from rapport.migration where name = ${migration.name}`.execute(trx);
        if (again.length > 0) return;
        await migration.up(trx);
        await sql`insert into rapport.migration (name) values (${migration.name})`.execute(trx);
        ran.push(migration.name);
      });
    } catch (error) {
      throw new MigrationError(migration.name, level, error);
    }
    level = migration.name;
  }
  return ran;
};
