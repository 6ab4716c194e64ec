import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

export interface BenchCluster {
  /** `postgres://postgres@127.0.0.1:<port>` without a database name. */
  url: string;
  version: string;
  settings: Record<string, string>;
  createDatabase(name: string): Promise<string>;
  /** The postmaster's pid (its backends are its children), for CPU accounting. */
  postmasterPid(): number | undefined;
  stop(): void;
}

// Default durability (fsync, full_page_writes, synchronous_commit all on), sized for the machine:
// numbers from a cluster that may lose commits would flatter every write figure.
const UTF8_CTYPE = 'C.UTF-8';

export const BENCH_SETTINGS: Record<string, string> = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: `'1GB'`,
  maintenance_work_mem: `'512MB'`,
  work_mem: `'16MB'`,
  max_wal_size: `'4GB'`,
  effective_cache_size: `'4GB'`,
  max_connections: '100',
};

export const findPostgresBinDir = (): string | undefined => {
  const hasTools = (dir: string) => existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'));
  const explicit = process.env.RAPPORT_PG_BIN;
  if (explicit) return hasTools(explicit) ? explicit : undefined;
  const debianRoot = '/usr/lib/postgresql';
  const versions = existsSync(debianRoot) ? readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)) : [];
  versions.sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)));
  const candidates = [...versions.map((v) => join(debianRoot, v, 'bin')), ...(process.env.PATH ?? '').split(delimiter)];
  return candidates.find((dir) => dir && hasTools(dir));
};

/** A throwaway cluster on 127.0.0.1, as the test harness starts one but with real durability. Stopped on exit. */
export const startBenchCluster = async (binDir: string): Promise<BenchCluster> => {
  // initdb and pg_ctl refuse to run as root.
  const isRoot = process.getuid?.() === 0;
  if (isRoot && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    const result = spawnSync('useradd', ['--system', 'postgres'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`useradd postgres failed: ${result.stderr}`);
  }
  const dir = mkdtempSync(join(isRoot ? '/tmp' : tmpdir(), 'rapport-bench-pg-'));
  if (isRoot) await execFileAsync('chown', ['postgres:', dir]);
  const dataDir = join(dir, 'data');
  const command = (tool: string, args: string[]): [string, string[]] =>
    isRoot ? ['runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]] : [join(binDir, tool), args];
  const run = (tool: string, args: string[]) => execFileAsync(...command(tool, args), { cwd: dir, maxBuffer: 10 * 1024 * 1024 });
  let isStopped = false;
  const stop = () => {
    if (isStopped) return;
    isStopped = true;
    process.off('exit', stop);
    spawnSync(...command('pg_ctl', ['-D', dataDir, '-m', 'fast', 'stop']), { cwd: dir, timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  process.once('exit', stop);

  try {
    // A UTF-8 character type, as production clusters have: under the C locale pg_trgm sees no letters
    // in Cyrillic or CJK text, and search finds nothing in those scripts.
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--lc-collate=C', `--lc-ctype=${UTF8_CTYPE}`]);
    const port = await findFreePort();
    const config = { listen_addresses: `'127.0.0.1'`, port: String(port), unix_socket_directories: `'${dir}'`, ...BENCH_SETTINGS };
    appendFileSync(join(dataDir, 'postgresql.conf'), Object.entries(config).map(([key, value]) => `${key} = ${value}\n`).join(''));
    await run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', 'start']).catch((error: Error) => {
      const log = existsSync(join(dir, 'postgres.log')) ? readFileSync(join(dir, 'postgres.log'), 'utf8') : '';
      throw new Error(`${error.message}\n${log}`);
    });
    const url = `postgres://postgres@127.0.0.1:${port}`;
    const version = (await adminQuery(url, 'show server_version'))[0]?.server_version ?? 'unknown';
    const settings = { ...BENCH_SETTINGS, lc_collate: 'C', lc_ctype: UTF8_CTYPE };
    return {
      url,
      version: String(version),
      settings,
      async createDatabase(name) {
        await adminQuery(url, `create database ${pg.escapeIdentifier(name)}`);
        return `${url}/${name}`;
      },
      postmasterPid: () => {
        const file = join(dataDir, 'postmaster.pid');
        const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : Number.NaN;
        return Number.isInteger(pid) && pid > 0 ? pid : undefined;
      },
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
};

const adminQuery = async (url: string, query: string): Promise<Record<string, unknown>[]> => {
  const client = new pg.Client({ connectionString: `${url}/postgres` });
  await client.connect();
  try {
    return (await client.query(query)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
};

const findFreePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
