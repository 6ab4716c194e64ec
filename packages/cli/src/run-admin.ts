import type { AdminCommand, AdminContext } from '@rapport/server/admin/commands';
import { runAdminCommand } from '@rapport/server/admin/commands';
import type { RapportConfig } from '@rapport/server/config/config';
import { openDatabase } from '@rapport/server/engine/db/database';
import { acquireDataDirLock, readLock } from '@rapport/server/engine/db/data-dir-lock';
import { migrate } from '@rapport/server/engine/db/migrate';
import { readMasterKey } from '@rapport/server/engine/identity/secret-box';
import { pgliteDir } from '@rapport/server/server';

export class CliError extends Error {}

/**
 * Runs an admin command where it is safe: on PostgreSQL directly; on the embedded database through the
 * running server when there is one (PGlite must never be opened by two processes), else by taking the lock.
 */
export const runAdmin = async (config: RapportConfig, command: AdminCommand, options: RunAdminOptions = {}): Promise<Record<string, unknown>> => {
  const context = command.command.startsWith('keys.') ? keyContext(config, options) : options.onProgress ? { onProgress: options.onProgress } : {};
  if (config.databaseUrl) return withDatabase({ databaseUrl: config.databaseUrl }, command, context);
  const holder = readLock(config.dataDir);
  if (holder?.port && options.isServerRefused) throw new CliError(`A Rapport server holds the data folder ${config.dataDir} (pid ${holder.pid}): ${options.isServerRefused}`);
  if (holder?.port) return throughServer(holder.port, holder.adminToken, command);
  if (holder) throw new CliError(`The data folder ${config.dataDir} is in use by another rapport command (pid ${holder.pid}); wait for it to finish.`);
  const lock = acquireDataDirLock(config.dataDir, null);
  try {
    return await withDatabase({ dataDir: pgliteDir(config.dataDir) }, command, context);
  } finally {
    lock.release();
  }
};

export interface RunAdminOptions {
  /** Why the command cannot go through a running server (it is refused, with this reason, when one holds the embedded database). */
  isServerRefused?: string;
  /** Progress lines of long commands run here (not through a server). */
  onProgress?: (message: string) => void;
}

// Key commands run here need the master key the servers use, found as a server finds it (without making one).
const keyContext = (config: RapportConfig, options: RunAdminOptions): AdminContext => {
  const masterKey = readMasterKey({ secret: config.secret, dataDir: config.dataDir });
  return { ...(masterKey ? { masterKey } : {}), dataDir: config.dataDir, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
};

const withDatabase = async (options: { databaseUrl?: string; dataDir?: string }, command: AdminCommand, context: AdminContext) => {
  const database = await openDatabase(options);
  try {
    // `migrate` reports what it applied: it runs the migrations itself. A backup is taken as the
    // database is, before an upgrade migrates it.
    if (command.command !== 'migrate' && command.command !== 'backup.create') await migrate(database.db);
    return await runAdminCommand(database, command, context);
  } finally {
    await database.close();
  }
};

const throughServer = async (port: number, token: string, command: AdminCommand) => {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/api/admin/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rapport-admin-token': token },
      body: JSON.stringify(command),
      signal: AbortSignal.timeout(60 * 60 * 1000),
    });
  } catch (error) {
    throw new CliError(`A Rapport server holds the data folder (port ${port}) but does not answer: ${(error as Error).message}. Stop it, or wait until it is up.`);
  }
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    const errors = Array.isArray(body.errors) ? (body.errors as { field: string; message: string }[]).map((error) => `\n  ${error.field}: ${error.message}`).join('') : '';
    throw new CliError(`${String(body.detail ?? `The server answered ${response.status}.`)}${errors}`);
  }
  return body;
};
