import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../packages/server/src/engine/db/database.ts';
import { migrate } from '../../packages/server/src/engine/db/migrate.ts';
import { freePort } from '../support/free-port.ts';
import type { TestEngine } from './engines.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const dbSourceDir = join(repoRoot, 'packages/server/src/engine/db');
const allEngines: TestEngine[] = ['pglite', 'postgres'];
const execFileAsync = promisify(execFile);

interface Cluster {
  url: string;
  stop(): void;
}

/** Builds the migrated templates once per run and hands their locations to the test workers. */
export const setup = async (project: TestProject) => {
  const engines = readRequestedEngines();
  const pgBinDir = engines.includes('postgres') ? findPostgresBinDir() : undefined;
  if (engines.includes('postgres') && !pgBinDir) {
    const message = 'PostgreSQL binaries not found (set RAPPORT_PG_BIN or install postgresql-15)';
    // CI must test both engines, and so must a run that asked for PostgreSQL by name.
    if (process.env.CI === 'true') throw new Error(`${message}: CI runs every test on both engines`);
    if (process.env.RAPPORT_TEST_ENGINES) throw new Error(`${message}: RAPPORT_TEST_ENGINES asks for postgres`);
    console.warn(`${message}: tests run on PGlite only`);
  }

  // Side by side: initdb of the cluster runs in child processes while PGlite works in this one.
  const [template, cluster] = await Promise.allSettled([
    engines.includes('pglite') ? ensurePgliteTemplate() : undefined,
    pgBinDir ? startPostgres(pgBinDir) : undefined,
  ]);
  if (template.status === 'rejected') {
    if (cluster.status === 'fulfilled') cluster.value?.stop();
    throw template.reason;
  }
  if (cluster.status === 'rejected') throw cluster.reason;

  // Test databases of the run are copied in here, and removed even when Ctrl-C skips the tests' afterAll hooks.
  const runDir = mkdtempSync(join(tmpdir(), 'rapport-test-'));
  const removeRunDir = () => rmSync(runDir, { recursive: true, force: true });
  process.once('exit', removeRunDir);

  project.provide('rapportTestRunDir', runDir);
  if (template.value) project.provide('rapportPgliteTemplate', template.value);
  if (cluster.value) project.provide('rapportPostgresUrl', cluster.value.url);
  project.provide(
    'rapportTestEngines',
    allEngines.filter((engine) => (engine === 'pglite' ? template.value : cluster.value)),
  );
  return () => {
    cluster.value?.stop();
    process.off('exit', removeRunDir);
    removeRunDir();
  };
};

const readRequestedEngines = (): TestEngine[] => {
  const requested = process.env.RAPPORT_TEST_ENGINES?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!requested?.length) return allEngines;
  const unknown = requested.filter((name) => !allEngines.includes(name as TestEngine));
  if (unknown.length > 0) throw new Error(`RAPPORT_TEST_ENGINES: unknown engine ${unknown.join(', ')} (use pglite, postgres)`);
  return requested as TestEngine[];
};

// A fresh PGlite folder costs seconds of initdb: keep the migrated one until the schema code changes.
const ensurePgliteTemplate = async (): Promise<string> => {
  const templatesDir = join(repoRoot, '.tmp/test-templates');
  const name = `pglite-${hashTemplateInputs()}`;
  const templateDir = join(templatesDir, name);
  const now = new Date();
  if (existsSync(templateDir)) {
    // Marks it in use, so that a run of other code does not prune it from under this one.
    utimesSync(templateDir, now, now);
    return templateDir;
  }

  mkdirSync(templatesDir, { recursive: true });
  for (const entry of readdirSync(templatesDir)) {
    const path = join(templatesDir, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && stat.mtimeMs < now.getTime() - 3_600_000) rmSync(path, { recursive: true, force: true });
  }
  // Built aside and renamed, so an interrupted or concurrent run never leaves half a template under the final name.
  const buildDir = mkdtempSync(join(templatesDir, `.${name}-`));
  try {
    const database = await openDatabase({ dataDir: buildDir });
    await migrate(database.db).finally(() => database.close());
    renameSync(buildDir, templateDir);
  } catch (error) {
    rmSync(buildDir, { recursive: true, force: true });
    // Fine when a concurrent run finished the same template first.
    if (!existsSync(templateDir)) throw error;
  }
  return templateDir;
};

const hashTemplateInputs = (): string => {
  const migrationsDir = join(dbSourceDir, 'migrations');
  const files = [
    ...readdirSync(migrationsDir).filter((file) => file.endsWith('.ts')).sort().map((file) => join(migrationsDir, file)),
    join(dbSourceDir, 'migrate.ts'),
    join(dbSourceDir, 'database.ts'),
  ];
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.slice(repoRoot.length)).update(readFileSync(file));
  // A new PGlite may carry a new PostgreSQL major whose data folders the old ones are not.
  hash.update(readPgliteVersion());
  return hash.digest('hex').slice(0, 16);
};

const readPgliteVersion = (): string => {
  let dir = dirname(createRequire(join(dbSourceDir, 'database.ts')).resolve('@electric-sql/pglite'));
  while (dir !== dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite') return version ?? '';
    }
    dir = dirname(dir);
  }
  return '';
};

const findPostgresBinDir = (): string | undefined => {
  const hasTools = (dir: string) => existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'));
  const explicit = process.env.RAPPORT_PG_BIN;
  if (explicit) {
    if (!hasTools(explicit)) throw new Error(`RAPPORT_PG_BIN=${explicit} has no pg_ctl and initdb`);
    return explicit;
  }
  const debianRoot = '/usr/lib/postgresql';
  const versions = existsSync(debianRoot) ? readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)) : [];
  // 15 is the version CI installs; otherwise the newest one present.
  versions.sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)));
  const candidates = [...versions.map((v) => join(debianRoot, v, 'bin')), ...(process.env.PATH ?? '').split(delimiter)];
  return candidates.find((dir) => dir && hasTools(dir));
};

const startPostgres = async (binDir: string): Promise<Cluster> => {
  // initdb and pg_ctl refuse to run as root.
  const isRoot = process.getuid?.() === 0;
  if (isRoot) ensurePostgresUser();
  const dir = mkdtempSync(join(isRoot ? '/tmp' : tmpdir(), 'rapport-pg-'));
  if (isRoot) await execFileAsync('chown', ['postgres:', dir]);
  const dataDir = join(dir, 'data');
  const command = (tool: string, args: string[]): [string, string[]] =>
    isRoot ? ['runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]] : [join(binDir, tool), args];
  const run = (tool: string, args: string[]) => execFileAsync(...command(tool, args), { cwd: dir });
  // Synchronous so it can also run on 'exit', the only hook Vitest leaves on Ctrl-C (teardown is skipped).
  const stop = () => {
    process.off('exit', stop);
    spawnSync(...command('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']), { cwd: dir });
    // Exiting backends may still be removing their files when pg_ctl returns.
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  process.once('exit', stop);

  try {
    // A UTF-8 character type, as PGlite and production clusters have: under a pure C locale pg_trgm
    // sees no letters in Cyrillic or CJK text. Collation C keeps sorting the same everywhere.
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--lc-ctype=C.UTF-8', '--no-sync']);
    const port = await freePort();
    // Durability is worthless for a cluster that lives one test run.
    const settings = {
      listen_addresses: `'127.0.0.1'`,
      port: String(port),
      unix_socket_directories: `'${dir}'`,
      max_connections: '200',
      fsync: 'off',
      full_page_writes: 'off',
      synchronous_commit: 'off',
    };
    appendFileSync(join(dataDir, 'postgresql.conf'), Object.entries(settings).map(([key, value]) => `${key} = ${value}\n`).join(''));
    await run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'postgres.log'), '-w', 'start']).catch((error: Error) => {
      const log = existsSync(join(dir, 'postgres.log')) ? readFileSync(join(dir, 'postgres.log'), 'utf8') : '';
      throw new Error(`${error.message}\n${log}`);
    });

    const url = `postgres://postgres@127.0.0.1:${port}`;
    const admin = new pg.Client({ connectionString: `${url}/postgres` });
    await admin.connect();
    await admin.query('create database rapport_template').finally(() => admin.end());
    const database = await openDatabase({ databaseUrl: `${url}/rapport_template`, poolSize: 1 });
    // Closed before any test: CREATE DATABASE ... TEMPLATE fails while a session is connected to the template.
    await migrate(database.db).finally(() => database.close());
    return { url, stop };
  } catch (error) {
    stop();
    throw error;
  }
};

const ensurePostgresUser = () => {
  if (spawnSync('id', ['-u', 'postgres']).status === 0) return;
  const result = spawnSync('useradd', ['--system', 'postgres'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`useradd postgres failed: ${result.stderr}`);
};

