import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../packages/server/src/engine/db/database.ts';
import { createTestDatabase, type TestDatabase, type TestEngine } from '../setup/engines.ts';

// As the server lays out its data folder (pgliteDir in packages/server/src/server.ts).
const pgliteDir = (dataDir: string) => join(dataDir, 'pglite');

/** The `rapport` command of the workspace, run with the current Node. */
export const CLI = join(process.cwd(), 'packages/cli/bin/rapport.js');

export interface CliDatabase {
  engine: TestEngine;
  /** What a `rapport` process needs: RAPPORT_DATA_DIR (on PGlite the database is in it) and, on PostgreSQL, DATABASE_URL. */
  env: Record<string, string>;
  /** A fresh folder of the test run: the data folder on PGlite (database in its `pglite` subfolder); on PostgreSQL the data folder of the commands (key file, backups). */
  dataDir: string;
  /** PostgreSQL only: the test database. */
  databaseUrl?: string;
  /** Opens the database in this process; close it before a command needs the embedded database. */
  open(): Promise<Database>;
  /** Opens the database, runs `fn`, closes it. */
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** Removes the data folder and drops the PostgreSQL database. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database for commands run in other processes, closed here: on PGlite a data folder
 * laid out as the server expects (data/pglite) from the migrated template, on PostgreSQL a database of its own.
 */
export const prepareCliDatabase = async (engine: TestEngine, prefix: string): Promise<CliDatabase> => {
  const dataDir = mkdtempSync(join(inject('rapportTestRunDir'), prefix));
  let testDatabase: TestDatabase | undefined;
  let env: Record<string, string>;
  if (engine === 'pglite') {
    cpSync(inject('rapportPgliteTemplate')!, pgliteDir(dataDir), { recursive: true });
    env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: '' };
  } else {
    testDatabase = await createTestDatabase('postgres');
    await testDatabase.database.close();
    // The data folder on PostgreSQL too: the key file and backups stay in the test's folder, never the checkout's data/.
    env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: testDatabase.databaseUrl! };
  }
  const databaseUrl = testDatabase?.databaseUrl;
  const open = () => openDatabase(databaseUrl ? { databaseUrl } : { dataDir: pgliteDir(dataDir) });
  return {
    engine,
    env,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    open,
    async withDatabase(fn) {
      const database = await open();
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async destroy() {
      rmSync(dataDir, { recursive: true, force: true });
      await testDatabase?.destroy().catch(() => undefined);
    },
  };
};

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The last line of stdout, parsed: what `--json` prints. */
  json(): any;
}

/** Runs `rapport ...args` to its end, with `env` over this process's environment and no terminal. */
export const runCli = (env: Record<string, string>, ...args: string[]): CliResult => {
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000, input: '' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout.trim().split('\n').at(-1)!) };
};
