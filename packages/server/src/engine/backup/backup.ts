import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { openDatabase, type Database, type Db } from '../db/database.ts';
import { systemMigrations } from '../db/migrations/index.ts';
import { AppError } from '../errors.ts';
import { checkPayload, headerOf, payloadStream, readBackupHeader, type BackupManifest, type OpenedBackup } from './backup-file.ts';
import { compareChecksums, pinOutputSettings, tableChecksums, type TableChecksum } from './checksums.ts';
import { runPostgresTool, withDatabaseName } from './postgres-tools.ts';

const RAPPORT_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export type Progress = (message: string) => void;

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
  durationMs: number;
}

const checksumsInSnapshot = async (db: Db): Promise<{ tables: TableChecksum[]; migrations: string[] }> =>
  db.transaction().execute(async (trx) => {
    await pinOutputSettings(trx, true);
    const { rows } = await sql<{ name: string }>`select name from rapport.migration order by name`.execute(trx);
    return { tables: await tableChecksums(trx), migrations: rows.map((row) => row.name) };
  });

/** `rapport-backup-2026-12-01T03-50-22Z.rbk`: sorts by time. */
export const backupFileName = (at = new Date()) => `rapport-backup-${at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.rbk`;

/**
 * Writes a consistent snapshot of the whole database to `file`: on PGlite, the data folder taken between
 * two statements of its single session; on PostgreSQL, pg_dump reading the snapshot of a repeatable-read
 * transaction that computes the checksums meanwhile. Written aside, then renamed: a file under its final
 * name is whole.
 */
export const createBackup = async (database: Database, file: string, onProgress: Progress = () => undefined): Promise<BackupResult> => {
  const started = Date.now();
  await mkdir(dirname(file), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'rapport-backup-'));
  const payloadFile = join(work, 'payload');
  try {
    let snapshot: { tables: TableChecksum[]; migrations: string[] };
    let format: BackupManifest['payload']['format'];
    if (database.engine === 'pglite') {
      if (!database.dumpDataDir) throw new AppError('BACKUP_FAILED', 'This embedded database cannot be snapshotted.');
      onProgress('Taking a snapshot of the embedded database...');
      const { tarball, inside } = await database.dumpDataDir(checksumsInSnapshot);
      snapshot = inside;
      await writeFile(payloadFile, Buffer.from(await tarball.arrayBuffer()));
      format = 'pglite-tar-gz';
    } else {
      const url = database.connectionString;
      if (!url) throw new AppError('BACKUP_FAILED', 'The PostgreSQL connection string is unknown.');
      onProgress('Dumping the PostgreSQL database (pg_dump)...');
      snapshot = await postgresSnapshot(url, async (snapshotId) => {
        await runPostgresTool('pg_dump', { args: ['--format=custom', `--snapshot=${snapshotId}`, '--no-owner', '--no-privileges', `--file=${payloadFile}`, `--dbname=${url}`] });
      });
      format = 'pg-dump-custom';
    }
    onProgress('Writing the backup file...');
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(payloadFile)) hash.update(chunk as Buffer);
    const { size } = await stat(payloadFile);
    const manifest: BackupManifest = {
      format: 'rapport-backup',
      version: 1,
      engine: database.engine,
      rapportVersion: RAPPORT_VERSION,
      migrations: snapshot.migrations,
      migrationLevel: snapshot.migrations.at(-1) ?? null,
      createdAt: new Date(started).toISOString(),
      tables: snapshot.tables,
      payload: { bytes: size, sha256: hash.digest('hex'), format },
    };
    const partial = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.partial`);
    try {
      const out = createWriteStream(partial, { mode: 0o600 });
      out.write(headerOf(manifest));
      await pipeline(createReadStream(payloadFile), out);
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const { size: bytes } = await stat(file);
    return { file, bytes, manifest, durationMs: Date.now() - started };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};

/** Checksums in a repeatable-read transaction whose snapshot `dump` reads too (pg_dump --snapshot). */
const postgresSnapshot = async (url: string, dump: (snapshotId: string) => Promise<void>) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
    // The dump runs while this transaction reads: both see the same snapshot.
    const dumping = dump(rows[0]!.id);
    dumping.catch(() => undefined);
    // Kysely over this one client, inside its transaction.
    const single: Db = new Kysely({ dialect: new PostgresDialect({ pool: { connect: async () => Object.assign(client, { release: () => undefined }), end: async () => undefined } as unknown as pg.Pool }) });
    await pinOutputSettings(single, true);
    const { rows: migrations } = await client.query<{ name: string }>('select name from rapport.migration order by name');
    const tables = await tableChecksums(single);
    await dumping;
    await client.query('commit');
    return { tables, migrations: migrations.map((row) => row.name) };
  } finally {
    await client.end().catch(() => undefined);
  }
};

export interface VerifyResult {
  file: string;
  manifest: BackupManifest;
  isVerified: boolean;
  /** The tables that differ, named; empty when verified. */
  problems: string[];
  durationMs: number;
}

/**
 * Restores the backup into a scratch database (PGlite: in memory; PostgreSQL: a database created and
 * dropped on the server of `connectionString`) and compares every table's rows and checksum with the
 * manifest. A damaged file fails with BACKUP_INVALID.
 */
export const verifyBackup = async (file: string, options: { connectionString?: string | undefined; onProgress?: Progress } = {}): Promise<VerifyResult> => {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => undefined);
  const opened = await readBackupHeader(file);
  await checkPayload(file, opened);
  onProgress('Restoring into a scratch database...');
  const actual = await withScratchRestore(file, opened, options.connectionString, async (db) => db.transaction().execute(async (trx) => {
    await pinOutputSettings(trx, true);
    return tableChecksums(trx);
  }));
  const problems = compareChecksums(opened.manifest.tables, actual);
  return { file, manifest: opened.manifest, isVerified: problems.length === 0, problems, durationMs: Date.now() - started };
};

const readPayload = async (file: string, opened: OpenedBackup): Promise<Blob> => {
  const chunks: Buffer[] = [];
  for await (const chunk of payloadStream(file, opened)) chunks.push(chunk as Buffer);
  return new Blob([Buffer.concat(chunks)]);
};

const withScratchRestore = async <T>(file: string, opened: OpenedBackup, connectionString: string | undefined, use: (db: Db) => Promise<T>): Promise<T> => {
  if (opened.manifest.engine === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: await readPayload(file, opened) }).catch((error: unknown) => {
      throw new AppError('BACKUP_INVALID', `${file} could not be opened as an embedded database: ${(error as Error).message}`);
    });
    try {
      return await use(database.db);
    } finally {
      await database.close();
    }
  }
  if (!connectionString) throw new AppError('BACKUP_ENGINE_MISMATCH', 'A PostgreSQL backup is verified on a PostgreSQL server: set DATABASE_URL.');
  const name = `rapport_verify_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`).catch((error: Error) => {
      throw new AppError('BACKUP_FAILED', `Cannot create a scratch database to verify the backup (${error.message}): grant CREATEDB to the database user, or verify on another server with DATABASE_URL.`);
    });
    try {
      const scratchUrl = withDatabaseName(connectionString, name);
      await runPostgresTool('pg_restore', { args: ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${scratchUrl}`], input: payloadStream(file, opened) });
      const database = await openDatabase({ databaseUrl: scratchUrl, poolSize: 1, preparedStatements: false });
      try {
        return await use(database.db);
      } finally {
        await database.close();
      }
    } finally {
      // The pool's connections close asynchronously: dropping with force meanwhile would kill a session
      // still saying goodbye (an error nobody listens to). Wait for them first.
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
};

/** Refuses a backup written by a newer Rapport (migrations this one does not know). */
const checkMigrationLevel = (manifest: BackupManifest): void => {
  const known = new Set(systemMigrations.map((migration) => migration.name));
  const unknown = manifest.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError(
      'BACKUP_TOO_NEW',
      `The backup was written by Rapport ${manifest.rapportVersion} at migration level ${manifest.migrationLevel}; this Rapport (${RAPPORT_VERSION}) does not know ${unknown.join(', ')}. Upgrade Rapport, then restore.`,
    );
  }
};

export interface RestoreResult {
  file: string;
  manifest: BackupManifest;
  target: string;
  /** PGlite: where the data folder replaced by the restore was kept. */
  previousDataDir?: string;
  durationMs: number;
}

/**
 * PGlite: restores into `pgliteDir` (the folder of the embedded database; nobody may hold it). The backup
 * is loaded into a new folder beside it and checked against the manifest; only then is the current
 * folder moved aside (kept, its name reported) and the new one put in its place.
 */
export const restorePglite = async (file: string, pgliteDir: string, onProgress: Progress = () => undefined): Promise<RestoreResult> => {
  const started = Date.now();
  const opened = await readBackupHeader(file);
  if (opened.manifest.engine !== 'pglite') throw new AppError('BACKUP_ENGINE_MISMATCH', `${file} is a PostgreSQL backup: restore it with DATABASE_URL set (pg_restore).`);
  checkMigrationLevel(opened.manifest);
  await checkPayload(file, opened);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const incoming = `${pgliteDir}.restoring-${stamp}`;
  onProgress('Loading the backup into a new data folder...');
  try {
    const database = await openDatabase({ dataDir: incoming, loadDataDir: await readPayload(file, opened) });
    try {
      const problems = compareChecksums(opened.manifest.tables, await database.db.transaction().execute(async (trx) => {
        await pinOutputSettings(trx, true);
        return tableChecksums(trx);
      }));
      if (problems.length > 0) throw new AppError('BACKUP_VERIFY_FAILED', `The restored data does not match the backup's manifest: ${problems.join('; ')}. Nothing was changed.`);
    } finally {
      await database.close();
    }
  } catch (error) {
    await rm(incoming, { recursive: true, force: true });
    throw error;
  }
  const previous = `${pgliteDir}.before-restore-${stamp}`;
  const hadPrevious = await stat(pgliteDir).then(() => true, () => false);
  if (hadPrevious) await rename(pgliteDir, previous);
  await rename(incoming, pgliteDir);
  return { file, manifest: opened.manifest, target: pgliteDir, ...(hadPrevious ? { previousDataDir: previous } : {}), durationMs: Date.now() - started };
};

/**
 * PostgreSQL: replaces the content of the database at `connectionString` in one transaction (psql
 * --single-transaction): the Rapport schemas there are dropped, then the dump's objects and rows are
 * created. If anything fails, nothing changed.
 */
export const restorePostgres = async (file: string, connectionString: string, onProgress: Progress = () => undefined): Promise<RestoreResult> => {
  const started = Date.now();
  const opened = await readBackupHeader(file);
  if (opened.manifest.engine !== 'postgres') throw new AppError('BACKUP_ENGINE_MISMATCH', `${file} is a backup of the embedded database: restore it without DATABASE_URL (into RAPPORT_DATA_DIR).`);
  checkMigrationLevel(opened.manifest);
  await checkPayload(file, opened);
  const client = new pg.Client({ connectionString });
  await client.connect();
  let schemas: string[];
  try {
    const { rows } = await client.query<{ name: string }>(
      `select nspname as name from pg_namespace where nspname not in ('public', 'information_schema') and nspname not like 'pg\\_%' order by 1`,
    );
    schemas = rows.map((row) => row.name);
  } finally {
    await client.end();
  }
  onProgress('Restoring into the database (one transaction)...');
  const work = await mkdtemp(join(tmpdir(), 'rapport-restore-'));
  try {
    const script = join(work, 'restore.sql');
    await runPostgresTool('pg_restore', { args: ['--no-owner', '--no-privileges', '--file=-'], input: payloadStream(file, opened), output: createWriteStream(script) });
    const drops = schemas.map((schema) => `drop schema if exists ${pg.escapeIdentifier(schema)} cascade;\n`).join('');
    const input = async function* () {
      yield `set client_min_messages = warning;\n${drops}`;
      for await (const chunk of createReadStream(script)) yield chunk as Buffer;
    };
    await runPostgresTool('psql', { args: ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--dbname=${connectionString}`], input });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { file, manifest: opened.manifest, target: redact(connectionString), durationMs: Date.now() - started };
};

/** postgres://user@host/db without the password, for messages. */
export const redact = (connectionString: string): string => {
  try {
    const url = new URL(connectionString);
    url.password = '';
    return url.toString();
  } catch {
    return 'the database';
  }
};
