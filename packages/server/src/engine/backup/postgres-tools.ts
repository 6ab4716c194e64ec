import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../errors.ts';

type PostgresTool = 'pg_dump' | 'pg_restore' | 'psql';

/**
 * Finds pg_dump, pg_restore or psql: RAPPORT_PG_BIN, then /usr/lib/postgresql/<version>/bin (newest
 * first, as Debian installs them), then PATH. The client must be as new as the server.
 */
const findPostgresTool = (tool: PostgresTool, env: NodeJS.ProcessEnv = process.env): string => {
  const debianRoot = '/usr/lib/postgresql';
  const versions = existsSync(debianRoot) ? readdirSync(debianRoot).filter((version) => /^\d+$/.test(version)).sort((a, b) => Number(b) - Number(a)) : [];
  const dirs = [env.RAPPORT_PG_BIN, ...versions.map((version) => join(debianRoot, version, 'bin')), ...(env.PATH ?? '').split(delimiter)].filter((dir): dir is string => Boolean(dir));
  const found = dirs.map((dir) => join(dir, tool)).find((path) => existsSync(path));
  if (!found) {
    throw new AppError(
      'BACKUP_TOOL_MISSING',
      `${tool} was not found (RAPPORT_PG_BIN, /usr/lib/postgresql/*/bin, PATH). Install the PostgreSQL client tools of your server's version, e.g. "apt-get install postgresql-client-15", or set RAPPORT_PG_BIN to their folder.`,
    );
  }
  return found;
};

export interface RunToolOptions {
  args: string[];
  /** Fed to the tool's standard input, then closed. */
  input?: Readable | (() => AsyncIterable<Buffer | string>);
  /** Receives the tool's standard output. */
  output?: Writable;
  env?: NodeJS.ProcessEnv;
}

/** Runs a PostgreSQL client tool; fails with its own error text. */
export const runPostgresTool = (tool: PostgresTool, { args, input, output, env }: RunToolOptions): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(findPostgresTool(tool), args, { stdio: [input ? 'pipe' : 'ignore', output ? 'pipe' : 'ignore', 'pipe'], env: { ...process.env, ...env } });
    const childStderr = child.stderr!;
    let stderr = '';
    childStderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString('utf8');
    });
    if (output) child.stdout!.pipe(output);
    if (input) {
      const stdin = child.stdin!;
      stdin.on('error', () => undefined);
      void (async () => {
        try {
          for await (const chunk of typeof input === 'function' ? input() : input) {
            if (!stdin.write(chunk)) await new Promise((done) => stdin.once('drain', done));
          }
        } catch (error) {
          child.kill();
          reject(error as Error);
        } finally {
          stdin.end();
        }
      })();
    }
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new AppError('BACKUP_FAILED', `${tool} failed (exit ${code}): ${stderr.trim().split('\n').slice(-5).join(' ') || 'no message'}`));
    });
  });

/** postgres://... with another database name. */
export const withDatabaseName = (connectionString: string, name: string): string => {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
};
