import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { openDatabase, type Database } from '../../packages/server/src/engine/db/database.ts';

export type TestEngine = 'pglite' | 'postgres';

// Set once by tests/setup/global-setup.ts, read by every test file.
declare module 'vitest' {
  export interface ProvidedContext {
    rapportTestEngines: TestEngine[];
    /** Temporary folder of this run, removed at its end; PGlite test databases are copied into it. */
    rapportTestRunDir: string;
    /** Folder of a migrated PGlite database, copied for each test database. */
    rapportPgliteTemplate?: string;
    /** `postgres://postgres@127.0.0.1:<port>` of the throwaway cluster, without a database name. */
    rapportPostgresUrl?: string;
  }
}

export interface TestDatabase {
  engine: TestEngine;
  database: Database;
  databaseUrl?: string;
  dataDir?: string;
  /** Closes the database, then drops it (PostgreSQL) or removes its folder (PGlite). */
  destroy(): Promise<void>;
}

/** The engines available in this run (see RAPPORT_TEST_ENGINES). */
export const testEngines: TestEngine[] = inject('rapportTestEngines');

/** A fresh, migrated database of its own, cloned from the template made by the global setup. */
export const createTestDatabase = (engine: TestEngine): Promise<TestDatabase> =>
  engine === 'pglite' ? createPgliteDatabase() : createPostgresDatabase();

/** One describe block per engine of the run: `describeEngines('records API', (engine) => {...})`. */
export const describeEngines = (name: string, fn: (engine: TestEngine) => void): void => {
  for (const engine of testEngines) describe(`${name} [${engine}]`, () => fn(engine));
};

const createPgliteDatabase = async (): Promise<TestDatabase> => {
  const template = inject('rapportPgliteTemplate');
  if (!template) throw new Error('PGlite is not an engine of this test run (RAPPORT_TEST_ENGINES)');
  const dataDir = mkdtempSync(join(inject('rapportTestRunDir'), 'pglite-'));
  cpSync(template, dataDir, { recursive: true });
  const database = await openDatabase({ dataDir });
  return {
    engine: 'pglite',
    database,
    dataDir,
    async destroy() {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

const createPostgresDatabase = async (): Promise<TestDatabase> => {
  const baseUrl = inject('rapportPostgresUrl');
  if (!baseUrl) throw new Error('PostgreSQL is not an engine of this test run (RAPPORT_TEST_ENGINES, RAPPORT_PG_BIN)');
  // Test files run in parallel workers: the pid and a random part keep names apart.
  const name = `rapport_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await runAdminQuery(baseUrl, `create database ${name} template rapport_template`);
  const databaseUrl = `${baseUrl}/${name}`;
  const database = await openDatabase({ databaseUrl });
  return {
    engine: 'postgres',
    database,
    databaseUrl,
    async destroy() {
      await database.close();
      // The pool's connections close asynchronously: a forced drop meanwhile kills a session still
      // saying goodbye, whose client then raises an error nobody listens to. Wait for them first.
      await waitForNoSessions(baseUrl, name);
      await runAdminQuery(baseUrl, `drop database if exists ${name} with (force)`);
    },
  };
};

const waitForNoSessions = async (baseUrl: string, name: string, timeoutMs = 2000): Promise<void> => {
  const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0]?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
};

const runAdminQuery = async (baseUrl: string, query: string): Promise<void> => {
  const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
};
