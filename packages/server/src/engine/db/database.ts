import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Notification, Pool } from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import { createPreparingPool } from './prepared-statements.ts';

export type Engine = 'pglite' | 'postgres';

// Rows are untyped at this layer: tables come from metadata at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;

export interface Database {
  engine: Engine;
  db: Db;
  /** Bulk load rows with COPY (CSV text); used by the seeder, imports and benchmarks. */
  copyCsv(options: CopyCsvOptions): Promise<void>;
  /** Listen to a NOTIFY channel (PostgreSQL only; PGlite is one process so nothing crosses). */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PostgreSQL: the connection string (pg_dump and pg_restore of engine/backup reach the database with it). */
  connectionString?: string;
  /**
   * PGlite: the data folder as a gzip tarball (engine/backup). `inside` runs first on the same session,
   * nothing else running in between, so what it reads is exactly what the tarball holds.
   */
  dumpDataDir?<T>(inside: (db: Db) => Promise<T>): Promise<{ tarball: Blob; inside: T }>;
}

export interface CopyCsvOptions {
  /** Already quoted, e.g. `"ws_acme"."person"`. */
  table: string;
  /** Already quoted column names. */
  columns: string[];
  csv: string;
}

export interface OpenDatabaseOptions {
  /** postgres://... for PostgreSQL; absent for the embedded engine. */
  databaseUrl?: string;
  /** Folder of the embedded database; absent with a databaseUrl. `memory://` for an in-memory one. */
  dataDir?: string;
  poolSize?: number;
  /** PostgreSQL: run statements as named prepared statements (prepared-statements.ts); on unless false. */
  preparedStatements?: boolean;
  /**
   * PGlite: return at once while the engine opens (about a second); the first query waits for it,
   * and fails if opening failed. The server builds its app meanwhile.
   */
  isOpenedInBackground?: boolean;
  /** PGlite: start from this data folder tarball (a backup) instead of an empty database; the folder must be new. */
  loadDataDir?: Blob;
}

const NUMERIC = 1700;
const INT8 = 20;
const DATE = 1082;
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;

const toIso = (value: string) => new Date(value.includes('T') ? value : value.replace(' ', 'T')).toISOString();
// PostgreSQL writes a timestamptz in UTC sessions as "2026-11-30 13:57:31.099123+00": that common case is
// rewritten as text (the same ISO string Date gives, milliseconds truncated), two per record read.
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;
const parseTimestampTz = (value: string) => {
  const utc = UTC_TIMESTAMP.exec(value);
  if (utc) return `${utc[1]}T${utc[2]}.${(utc[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  return toIso(value.length > 19 && /[+-]\d\d$/.test(value) ? `${value}:00` : value);
};

// Same value shapes on both engines: numbers as JS numbers, dates as 'YYYY-MM-DD', timestamps as ISO strings.
const parsers: Record<number, (value: string) => unknown> = {
  [NUMERIC]: Number,
  [INT8]: Number,
  [DATE]: (value) => value,
  [TIMESTAMPTZ]: parseTimestampTz,
  [TIMESTAMP]: (value) => toIso(`${value}Z`),
};

export const openDatabase = async (options: OpenDatabaseOptions): Promise<Database> =>
  options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.preparedStatements ?? true)
    : openPGlite(options.dataDir ?? 'memory://', options.isOpenedInBackground ?? false, options.loadDataDir);

const openPostgres = async (connectionString: string, max: number, isPreparing: boolean): Promise<Database> => {
  // Loaded on demand, like PGlite: each engine's driver is only in memory when it is used.
  const { default: pg } = await import('pg');
  for (const [oid, parse] of Object.entries(parsers)) pg.types.setTypeParser(Number(oid), parse);
  const pool = new pg.Pool({ connectionString, max });
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool: isPreparing ? (createPreparingPool(pool) as unknown as Pool) : pool }) });
  await sql`create extension if not exists pg_trgm`.execute(db).catch(async (error: unknown) => {
    // Without superuser rights the extension must have been created by an administrator.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`.execute(db);
    if (rows[0]?.n !== 1) throw error;
  });
  return {
    engine: 'postgres',
    db,
    connectionString,
    async copyCsv({ table, columns, csv }) {
      const { from } = await import('pg-copy-streams');
      const client = await pool.connect();
      try {
        const stream = client.query(from(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`));
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.on('finish', resolve);
          stream.end(csv);
        });
      } finally {
        client.release();
      }
    },
    async listen(channel, onMessage) {
      const client = await pool.connect();
      const handler = (message: Notification) => {
        if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
      };
      // A listening connection sits outside the pool's care: a server restart must not crash this process.
      const onError = () => undefined;
      client.on('error', onError);
      client.on('notification', handler);
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off('notification', handler);
        client.off('error', onError);
        await client.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    close: () => db.destroy(),
  };
};

const openPGlite = async (dataDir: string, isOpenedInBackground: boolean, loadDataDir?: Blob): Promise<Database> => {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const opening = (async () => {
    // Loaded on demand: a server on PostgreSQL never holds the WebAssembly engine in memory.
    const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
    const pglite = await PGlite.create(dataDir, {
      extensions: { pg_trgm },
      parsers,
      relaxedDurability: false,
      // The WASM heap holds shared buffers: 32 MB instead of 128 MB saves ~100 MB of resident memory;
      // the operating system's page cache still caches the data files.
      postgresqlconf: `shared_buffers=${process.env.RAPPORT_PGLITE_SHARED_BUFFERS ?? '32MB'}`,
      ...(loadDataDir ? { loadDataDir } : {}),
    });
    // Looked up first: `create extension if not exists` costs a few hundred milliseconds at every start even when present.
    const { rows } = await pglite.query<{ n: number }>(`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`);
    if (rows[0]?.n === 0) await pglite.exec('create extension pg_trgm');
    return pglite;
  })();
  // Opened in the background, a failure reaches the first query instead.
  if (isOpenedInBackground) opening.catch(() => undefined);
  else await opening;
  const db: Db = new Kysely({ dialect: new PGliteDialect(opening) });
  return {
    engine: 'pglite',
    db,
    async copyCsv({ table, columns, csv }) {
      const pglite = await opening;
      // Through the Kysely connection so the copy waits its turn on the single session.
      await db.connection().execute(async () => {
        await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`, [], {
          blob: new Blob([csv]),
        });
      });
    },
    async listen() {
      return async () => undefined;
    },
    async dumpDataDir(inside) {
      const pglite = await opening;
      // Through the Kysely connection: no transaction of this process is half done in the tarball.
      return db.connection().execute(async (connection) => {
        const result = await inside(connection);
        await sql`checkpoint`.execute(connection);
        return { tarball: await pglite.dumpDataDir('gzip'), inside: result };
      });
    },
    close: () => db.destroy(),
  };
};
