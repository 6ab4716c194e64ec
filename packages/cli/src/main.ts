import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@rapport/server/config/config';
import { isAppError } from '@rapport/server/engine/errors';
import { describeAccess, startServer } from '@rapport/server/server';
import { readLock } from '@rapport/server/engine/db/data-dir-lock';
import { CliError, runAdmin } from './run-admin.ts';

const HELP = `Usage: npx rapport <command> [options]

Commands:
  start                                   start the server (PORT, RAPPORT_DATA_DIR, DATABASE_URL)
  migrate                                 create or upgrade the database, then add the standard objects,
                                          fields and indexes a newer version ships to every workspace
  workspace create NAME [--timezone TZ] [--currency EUR]
  workspace list
  apikey create --workspace NAME [--name LABEL] [--expires-in-days N]
                                          prints a token once; only its hash is stored
  seed --demo [--size N] [--opportunities N] [--workspace NAME]
                                          demo companies, people and opportunities (default 1000 people;
                                          one opportunity per 5 people unless --opportunities N)
  user create --workspace NAME --email E --role ROLE [--name N] [--password P] [--licence L]
                                          adds a user with a role (by name: admin, "sales rep"...);
                                          without --password, prints an invitation link
  keys rotate-data-key (--workspace NAME | --all) [--batch-size N]
                                          a new data key for encrypted fields, then re-encrypts
                                          every value sealed with an older one
  keys reencrypt (--workspace NAME | --all) [--batch-size N]
                                          finishes an interrupted rotate-data-key (safe to repeat); both
                                          delete older data keys no stored value refers to any more,
                                          10 minutes after the rotation
  keys status (--workspace NAME | --all)
                                          each data key version and the columns still holding values
                                          sealed with it
  keys rotate-master-key --new-key-file FILE
                                          re-seals data keys, TOTP and SSO secrets under a new master
                                          key; FILE holds the new RAPPORT_SECRET (or, without it, a
                                          data/secret.key: openssl rand -base64 32). Stop the servers first.
  backup [FILE]                           a consistent snapshot of the whole database, also while the
                                          server runs (default: RAPPORT_BACKUP_DIR, data/backups)
  backup verify FILE                      restores FILE into a scratch database and compares every
                                          table's rows and checksum with its manifest
  restore FILE [--to URL] [--yes]         replaces the database with FILE (PostgreSQL: DATABASE_URL or
                                          --to; embedded: stop the server first), then migrates it

  import FILE --object OBJECT [--map mapping.json] [--upsert-on FIELD] [--dry-run] [--workspace NAME]
                                          imports a CSV, XLSX or vCard file through the write path (1,000 rows
                                          per transaction, resumable); --map is a JSON file of column
                                          header → field (default: the suggested mapping); rejected rows
                                          are written to FILE.errors.csv
  config export [FILE] [--workspace NAME]
                                          the workspace's configuration (objects, fields, validation
                                          rules, layouts, shared views, roles) as YAML (--json: JSON);
                                          stdout without FILE
  config diff FILE [--workspace NAME]     the changes applying FILE would make
  config apply FILE [--yes] [--workspace NAME]
                                          shows the changes, asks, then applies them in one transaction
                                          (removed fields and objects go to the trash for 30 days)

Every command takes --json for machine-readable output.
A command run while the server holds the embedded database goes through that server.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    workspace: { type: 'string' },
    name: { type: 'string' },
    timezone: { type: 'string' },
    currency: { type: 'string' },
    'expires-in-days': { type: 'string' },
    demo: { type: 'boolean', default: false },
    size: { type: 'string' },
    opportunities: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string' },
    licence: { type: 'string' },
    all: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    'new-key-file': { type: 'string' },
    object: { type: 'string' },
    map: { type: 'string' },
    'upsert-on': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    to: { type: 'string' },
    yes: { type: 'boolean', default: false },
  },
});

const print = (result: Record<string, unknown>, human: string) => console.log(values.json ? JSON.stringify(result) : human);

const toInt = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(parsed) || parsed < 1) throw new CliError(`${flag} must be a positive whole number.`);
  return parsed;
};

interface MigrationResult {
  applied: string[];
  workspaces: { workspace: string; addedObjects: string[]; addedFields: string[]; addedIndexes: string[]; skipped: { name: string; reason: string }[] }[];
}

const describeMigration = ({ applied, workspaces }: MigrationResult): string => {
  const lines = [applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.'];
  for (const { workspace, addedObjects, addedFields, addedIndexes, skipped } of workspaces) {
    const added = [
      addedObjects.length ? `objects ${addedObjects.join(', ')}` : '',
      addedFields.length ? `fields ${addedFields.join(', ')}` : '',
      addedIndexes.length ? `indexes on ${addedIndexes.join(', ')}` : '',
    ].filter(Boolean);
    if (added.length) lines.push(`${workspace}: added ${added.join('; ')}.`);
    for (const { name, reason } of skipped) lines.push(`${workspace}: left ${name} alone: ${reason}`);
  }
  if (lines.length === 1 && workspaces.length > 0) lines.push(`Standard objects, fields and indexes are up to date in ${workspaces.length === 1 ? 'the workspace' : `all ${workspaces.length} workspaces`}.`);
  return lines.join('\n');
};

interface ReencryptionLine {
  workspace: string;
  keyVersion: number;
  records: number;
  historyEntries: number;
  events: number;
  retiredKeyVersions: number[];
  keptKeyVersions: { version: number; reason: 'settling' | 'referenced'; retirableAfter?: string; referencedBy?: string[] }[];
}

// What became of the older data keys (engine/crypto/retire-data-keys.ts).
const describeRetirement = ({ retiredKeyVersions, keptKeyVersions }: ReencryptionLine): string => {
  const parts = retiredKeyVersions.length ? [` Deleted data key ${retiredKeyVersions.join(', ')}: nothing refers to it any more.`] : [];
  const settling = keptKeyVersions.filter((kept) => kept.reason === 'settling');
  if (settling.length) parts.push(` Kept data key ${settling.map((kept) => kept.version).join(', ')} while the new key settles: run keys reencrypt after ${String(settling[0]!.retirableAfter)} to delete it.`);
  for (const kept of keptKeyVersions.filter((candidate) => candidate.reason === 'referenced')) parts.push(` Kept data key ${kept.version}: still referenced by ${(kept.referencedBy ?? []).join(', ')}.`);
  return parts.join('');
};

interface ImportSummary {
  id: string;
  workspace: string;
  object: string;
  status: string;
  dryRun: boolean;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  error: string | null;
  errorsFile?: string;
}

const describeImport = (run: ImportSummary): string => {
  const counts = `${run.processed} rows: ${run.created} created, ${run.updated} updated, ${run.failed} failed`;
  const head = run.status === 'completed' ? `${run.dryRun ? 'Dry run of import' : 'Imported'} into ${run.object} (${run.workspace}): ${counts}.` : `The import failed after ${counts}: ${run.error ?? 'unknown error'}`;
  const errors = run.errorsFile ? `\nRejected rows and why: ${run.errorsFile}` : '';
  return `${head}${errors}${run.dryRun ? '\nNothing was written (dry run).' : `\nImport ${run.id}: undo with POST /api/v1/imports/${run.id}/undo.`}`;
};

/** `rapport import FILE`: here when this process may hold the database, else queued on the running server and followed. */
const importFile = async (config: ReturnType<typeof loadConfig>, file: string) => {
  if (!values.object) throw new CliError('Usage: rapport import FILE --object OBJECT [--map mapping.json] [--upsert-on FIELD] [--dry-run] [--workspace NAME]');
  let mapping: Record<string, string | null> | undefined;
  if (values.map) {
    try {
      mapping = JSON.parse(readFileSync(resolve(values.map), 'utf8')) as Record<string, string | null>;
    } catch (error) {
      throw new CliError(`--map must be a JSON file of column header → field: ${(error as Error).message}`);
    }
  }
  const viaServer = !config.databaseUrl && Boolean(readLock(config.dataDir)?.port);
  const command = {
    command: 'import.run' as const,
    file: resolve(file),
    object: values.object,
    wait: !viaServer,
    ...(values.workspace ? { workspace: values.workspace } : {}),
    ...(mapping ? { mapping } : {}),
    ...(values['upsert-on'] ? { upsertOn: values['upsert-on'] } : {}),
    ...(values['dry-run'] ? { dryRun: true } : {}),
  };
  const progress = (line: string) => console.error(line);
  let result = await runAdmin(config, command, { onProgress: progress });
  if (viaServer) {
    // The server's worker runs it: follow its progress.
    progress(`Import ${String(result.id)} queued on the running server.`);
    let last = '';
    while (result.status === 'queued' || result.status === 'running') {
      await new Promise((done) => setTimeout(done, 500));
      result = await runAdmin(config, { command: 'import.status', id: String(result.id), workspace: String(result.workspace) });
      const line = `${String(result.processed)} rows: ${String(result.created)} created, ${String(result.updated)} updated, ${String(result.failed)} failed`;
      if (line !== last && result.status === 'running') progress(line);
      last = line;
    }
  }
  const summary = result as unknown as ImportSummary;
  print(result, describeImport(summary));
  if (summary.status !== 'completed') process.exitCode = 1;
};

const main = async () => {
  const [command, sub, arg] = positionals;
  const config = loadConfig();
  if (values.help || !command) return console.log(HELP);
  // Loaded on demand, as the server loads its backup code: `rapport start` on PGlite never loads pg.
  if (command === 'backup' || command === 'restore') return (await import('./backup-commands.ts')).backupCommands(config, positionals, values);
  if (command === 'config') return (await import('./config-commands.ts')).configCommands(config, positionals, values);
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'start': {
      const server = await startServer(config);
      console.log(values.json ? JSON.stringify({ url: server.url, engine: server.database.engine }) : await describeAccess(server));
      const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      const result = await runAdmin(config, { command: 'migrate' });
      return print(result, describeMigration(result as unknown as MigrationResult));
    }
    case 'workspace create': {
      if (!arg) throw new CliError('Usage: rapport workspace create NAME');
      const result = await runAdmin(config, {
        command: 'workspace.create',
        name: arg,
        ...(values.timezone ? { timezone: values.timezone } : {}),
        ...(values.currency ? { currency: values.currency } : {}),
      });
      const workspace = result.workspace as { name: string; id: string };
      return print(result, `Created workspace "${workspace.name}" (${workspace.id}).\nNext: npx rapport apikey create --workspace "${workspace.name}"`);
    }
    case 'workspace list': {
      const result = await runAdmin(config, { command: 'workspace.list' });
      const workspaces = result.workspaces as { name: string; id: string }[];
      return print(result, workspaces.length ? workspaces.map((w) => `${w.name}\t${w.id}`).join('\n') : 'No workspaces yet.');
    }
    case 'apikey create': {
      if (!values.workspace) throw new CliError('Usage: rapport apikey create --workspace NAME');
      const expiresInDays = toInt(values['expires-in-days'], '--expires-in-days');
      const result = await runAdmin(config, {
        command: 'apikey.create',
        workspace: values.workspace,
        ...(values.name ? { name: values.name } : {}),
        ...(expiresInDays ? { expiresInDays } : {}),
      });
      return print(
        { token: result.token, id: result.id, name: result.name, workspace: result.workspace, expiresAt: result.expiresAt },
        `API key for "${String(result.workspace)}" (shown once, store it now):\n${String(result.token)}\n\ncurl -H "Authorization: Bearer ${String(result.token)}" http://localhost:${config.port}/api/v1/records/person`,
      );
    }
    case 'seed': {
      if (!values.demo) throw new CliError('Usage: rapport seed --demo [--size N]');
      const size = toInt(values.size, '--size') ?? 1000;
      const opportunities = toInt(values.opportunities, '--opportunities');
      const started = Date.now();
      const result = await runAdmin(config, { command: 'seed.demo', size, ...(opportunities !== undefined ? { opportunities } : {}), ...(values.workspace ? { workspace: values.workspace } : {}) });
      return print(
        result,
        `Seeded workspace "${String(result.workspace)}": ${String(result.companies)} companies, ${String(result.people)} people, ${String(result.opportunities)} opportunities, ${String(result.meetings)} meetings and ${String(result.calls)} calls in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
    }
    case 'user create': {
      if (!values.workspace || !values.email || !values.role) throw new CliError('Usage: rapport user create --workspace NAME --email E --role ROLE [--name N] [--password P]');
      const result = await runAdmin(config, {
        command: 'user.create',
        workspace: values.workspace,
        email: values.email,
        role: values.role,
        publicUrl: config.publicUrl,
        ...(values.name ? { name: values.name } : {}),
        ...(values.password !== undefined ? { password: values.password } : {}),
        ...(values.licence ? { licence: values.licence } : {}),
      });
      const user = result.user as { email: string; role: string; id: string };
      const invitation = result.invitationUrl ? `\nNo password given: send them this link (single use, expires ${String(result.invitationExpiresAt)}):\n${String(result.invitationUrl)}` : '\nThey can sign in now: POST /api/v1/auth/sign-in';
      return print(result, `Added ${user.email} to "${String(result.workspace)}" as ${user.role} (${user.id}).${invitation}`);
    }
    case 'keys rotate-data-key':
    case 'keys reencrypt': {
      if (!values.workspace && !values.all) throw new CliError(`Usage: rapport keys ${sub} (--workspace NAME | --all) [--batch-size N]`);
      const batchSize = toInt(values['batch-size'], '--batch-size');
      const result = await runAdmin(
        config,
        {
          command: sub === 'reencrypt' ? 'keys.reencrypt' : 'keys.rotateDataKey',
          ...(values.workspace ? { workspace: values.workspace } : {}),
          ...(values.all ? { all: true } : {}),
          ...(batchSize ? { batchSize } : {}),
        },
        { onProgress: (line) => console.error(line) },
      );
      const workspaces = result.workspaces as ReencryptionLine[];
      const lines = workspaces.map((w) => `${w.workspace}: data key ${w.keyVersion}; re-encrypted ${w.records} values, ${w.historyEntries} history entries, ${w.events} events.${describeRetirement(w)}`);
      return print(result, lines.length ? lines.join('\n') : 'No workspaces.');
    }
    case 'keys status': {
      if (!values.workspace && !values.all) throw new CliError('Usage: rapport keys status (--workspace NAME | --all)');
      const result = await runAdmin(config, { command: 'keys.status', ...(values.workspace ? { workspace: values.workspace } : {}), ...(values.all ? { all: true } : {}) });
      const workspaces = result.workspaces as { workspace: string; versions: { version: number; createdAt: string; isCurrent: boolean; referencedBy: string[] }[] }[];
      const lines = workspaces.flatMap(({ workspace, versions }) =>
        versions.length === 0
          ? [`${workspace}: no data key (no encrypted field yet).`]
          : versions.map(({ version, createdAt, isCurrent, referencedBy }) => {
            const use = referencedBy.length ? `used by ${referencedBy.join(', ')}` : 'used by nothing';
            return `${workspace}: data key ${version}${isCurrent ? ' (current)' : ''}, made ${createdAt}, ${use}${!isCurrent && referencedBy.length === 0 ? ': keys reencrypt deletes it' : ''}.`;
          }),
      );
      return print(result, lines.length ? lines.join('\n') : 'No workspaces.');
    }
    case 'keys rotate-master-key': {
      const file = values['new-key-file'];
      if (!file) throw new CliError('Usage: rapport keys rotate-master-key --new-key-file FILE');
      const result = await runAdmin(
        config,
        { command: 'keys.rotateMasterKey', newKeyFile: resolve(file) },
        { isServerRefused: 'stop it first. The master key is read at start: rotate it with the database to yourself, then start the server with the new key.' },
      );
      const resealed = Object.entries(result.resealed as Record<string, number>).map(([what, count]) => `${count} ${what}`).join(', ');
      const next = result.keyFile
        ? `${String(result.keyFile)} now holds the new key.`
        : 'Now set RAPPORT_SECRET to the content of the new key file on every server and restart them; browser sessions sign in again.';
      return print(result, `Re-sealed ${resealed}${result.alreadyRotated ? ` (${String(result.alreadyRotated)} already were)` : ''}.\n${next}`);
    }
    default:
      if (command === 'import' && sub) return importFile(config, sub);
      throw new CliError(`Unknown command "${positionals.join(' ')}".\n\n${HELP}`);
  }
};

main().catch((error: unknown) => {
  const details = isAppError(error) && error.errors ? error.errors.map((item) => `\n  ${item.field}: ${item.message}`).join('') : '';
  const message = error instanceof CliError || isAppError(error) ? `${error.message}${details}` : (error as Error).stack ?? String(error);
  if (values.json) console.log(JSON.stringify({ error: message, ...(isAppError(error) ? { code: error.code } : {}) }));
  else console.error(`rapport: ${message}`);
  process.exitCode = 1;
});
