import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { RapportConfig } from '@rapport/server/config/config';
import { readBackupHeader } from '@rapport/server/engine/backup/backup-file';
import { backupFileName, redact, restorePglite, restorePostgres, verifyBackup } from '@rapport/server/engine/backup/backup';
import { openDatabase } from '@rapport/server/engine/db/database';
import { acquireDataDirLock, readLock } from '@rapport/server/engine/db/data-dir-lock';
import { migrate } from '@rapport/server/engine/db/migrate';
import { pgliteDir } from '@rapport/server/server';
import { CliError, runAdmin } from './run-admin.ts';

interface BackupFlags {
  json?: boolean | undefined;
  to?: string | undefined;
  yes?: boolean | undefined;
}

const progress = (line: string) => console.error(line);
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} kB`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `rapport backup [FILE]`, `rapport backup verify FILE`, `rapport restore FILE [--to URL] [--yes]`. */
export const backupCommands = async (config: RapportConfig, positionals: string[], flags: BackupFlags): Promise<void> => {
  const [command, sub, arg] = positionals;
  const print = (result: Record<string, unknown>, human: string) => console.log(flags.json ? JSON.stringify(result) : human);
  if (command === 'backup' && sub === 'verify') {
    if (!arg) throw new CliError('Usage: rapport backup verify FILE');
    progress(`Verifying ${arg}...`);
    const result = await verifyBackup(resolve(arg), { connectionString: config.databaseUrl, onProgress: progress });
    const summary = { file: result.file, isVerified: result.isVerified, problems: result.problems, engine: result.manifest.engine, createdAt: result.manifest.createdAt, migrationLevel: result.manifest.migrationLevel, tables: result.manifest.tables.length, durationMs: result.durationMs };
    print(
      summary,
      result.isVerified
        ? `Verified: ${result.manifest.tables.length} tables, ${result.manifest.tables.reduce((sum, table) => sum + table.rows, 0)} rows match the manifest (${result.manifest.engine} backup of ${result.manifest.createdAt}, ${seconds(result.durationMs)}).`
        : `NOT verified: ${result.problems.join('; ')}`,
    );
    if (!result.isVerified) process.exitCode = 1;
    return;
  }
  if (command === 'backup') {
    if (arg) throw new CliError('Usage: rapport backup [FILE] | rapport backup verify FILE');
    const file = resolve(sub ?? resolve(config.backupDir, backupFileName()));
    progress(`Backing up to ${file}...`);
    const result = await runAdmin(config, { command: 'backup.create', file });
    return print(result, `Backed up ${String(result.tables)} tables, ${String(result.rows)} rows (${String(result.engine)}, level ${String(result.migrationLevel)}) to ${String(result.file)}: ${size(Number(result.bytes))} in ${seconds(Number(result.durationMs))}.\nCheck it: npx rapport backup verify "${String(result.file)}"`);
  }
  // restore
  if (!sub || arg) throw new CliError('Usage: rapport restore FILE [--to URL] [--yes]');
  const file = resolve(sub);
  const { manifest } = await readBackupHeader(file);
  const target = manifest.engine === 'postgres' ? flags.to ?? config.databaseUrl : pgliteDir(config.dataDir);
  if (!target) throw new CliError(`${file} is a PostgreSQL backup: set DATABASE_URL or pass --to postgres://... to restore it.`);
  if (manifest.engine === 'pglite' && flags.to) throw new CliError('--to is for PostgreSQL backups; an embedded-database backup restores into RAPPORT_DATA_DIR.');
  const shown = manifest.engine === 'postgres' ? redact(target) : target;
  await confirm(`Replace everything in ${shown} with the backup of ${manifest.createdAt} (${manifest.tables.reduce((sum, table) => sum + table.rows, 0)} rows)?`, flags.yes === true);
  if (manifest.engine === 'pglite') {
    const holder = readLock(config.dataDir);
    if (holder) {
      throw new CliError(
        `The data folder ${config.dataDir} is in use by ${holder.port ? `a Rapport server (pid ${holder.pid}, port ${holder.port})` : `another rapport command (pid ${holder.pid})`}: stop it first, then restore. A backup can be taken while it runs; a restore replaces its database.`,
      );
    }
    const lock = acquireDataDirLock(config.dataDir, null);
    try {
      const result = await restorePglite(file, target, progress);
      const applied = await migrateTarget({ dataDir: target });
      return print(
        { ...result, manifest: undefined, migrationLevel: manifest.migrationLevel, applied },
        `Restored the backup of ${manifest.createdAt} into ${target} (${seconds(result.durationMs)}).${applied.length ? ` Migrated it: ${applied.join(', ')}.` : ''}${result.previousDataDir ? `\nThe previous database was kept in ${result.previousDataDir}: delete it when you are satisfied.` : ''}`,
      );
    } finally {
      lock.release();
    }
  }
  const result = await restorePostgres(file, target, progress);
  const applied = await migrateTarget({ databaseUrl: target });
  return print(
    { ...result, manifest: undefined, migrationLevel: manifest.migrationLevel, applied },
    `Restored the backup of ${manifest.createdAt} into ${shown} (${seconds(result.durationMs)}).${applied.length ? ` Migrated it: ${applied.join(', ')}.` : ''}\nRestart the servers of this database so they reload its metadata.`,
  );
};

// An older backup is brought up to this version's migration level.
const migrateTarget = async (options: { dataDir?: string; databaseUrl?: string }) => {
  const database = await openDatabase(options);
  try {
    return await migrate(database.db);
  } finally {
    await database.close();
  }
};

const confirm = async (question: string, isYes: boolean) => {
  if (isYes) return;
  if (!process.stdin.isTTY) throw new CliError(`${question} Add --yes to confirm.`);
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Restore cancelled; nothing was changed.');
  } finally {
    readline.close();
  }
};
