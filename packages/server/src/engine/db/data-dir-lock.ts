import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

/** Who holds an embedded data folder, and how to reach it. */
export interface LockInfo {
  pid: number;
  /** The port of the server holding the folder (null for a CLI command). */
  port: number | null;
  /** Lets the CLI on this machine run commands through the running server. */
  adminToken: string;
  startedAt: string;
}

const LOCK_FILE = 'rapport.lock';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const readLock = (dataDir: string): LockInfo | undefined => {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockInfo;
    return isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Takes the data folder for this process: PGlite must never be opened by two processes at once.
 * A lock left by a dead process is taken over.
 */
export const acquireDataDirLock = (dataDir: string, port: number | null): { info: LockInfo; release(): void } => {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, port, adminToken: randomBytes(32).toString('base64url'), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readLock(dataDir)?.pid === process.pid) rmSync(path, { force: true });
      };
      process.once('exit', release);
      return { info, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dataDir);
      if (holder) {
        const who = holder.port ? `a Rapport server (pid ${holder.pid}, port ${holder.port})` : `another rapport command (pid ${holder.pid})`;
        throw new AppError('DATA_DIR_LOCKED', `The data folder ${dataDir} is in use by ${who}. Stop it first, or use DATABASE_URL with PostgreSQL to run several processes.`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('DATA_DIR_LOCKED', `Could not lock the data folder ${dataDir}.`);
};
