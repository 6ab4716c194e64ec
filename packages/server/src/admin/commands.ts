import type { Database } from '../engine/db/database.ts';
import { migrate } from '../engine/db/migrate.ts';
import { AppError } from '../engine/errors.ts';
import { sql } from 'kysely';
import { recordAudit } from '../engine/audit/audit.ts';
import { validationFailed } from '../engine/errors.ts';
import { createApiKey } from '../engine/identity/api-key.service.ts';
import { invitationUrl } from '../engine/identity/invitations.service.ts';
import { createUser } from '../engine/identity/users.service.ts';
import { createWorkspace, findWorkspace, getWorkspace, listWorkspaces } from '../engine/workspaces/workspace.service.ts';
import { upgradeStandardObjects } from '../engine/metadata/standard-upgrade.ts';
import { standardObjects } from '../modules/index.ts';
import { runImportCommand, type ImportCommand, type ImportCommandContext } from './import-command.ts';
import { notifyMetadataChanged, runKeyCommand, type KeyCommand, type KeyCommandContext } from './key-commands.ts';
import type { ConfigCommand, ConfigCommandContext } from './config-commands.ts';

/**
 * Administrative commands, run by the CLI directly or, when a server holds the embedded
 * database, through that server. Arguments and results are plain JSON.
 */
export type AdminCommand =
  | { command: 'migrate' }
  | { command: 'workspace.create'; name: string; timezone?: string; currency?: string }
  | { command: 'workspace.list' }
  | { command: 'apikey.create'; workspace: string; name?: string; expiresInDays?: number }
  | { command: 'seed.demo'; workspace?: string; size?: number; opportunities?: number }
  | { command: 'user.create'; workspace: string; email: string; name?: string; password?: string; role: string; licence?: string; publicUrl?: string }
  | { command: 'backup.create'; file: string }
  | KeyCommand
  | ImportCommand
  | ConfigCommand;

/** The commands a running server runs for the CLI (a master-key rotation needs the database to itself). */
export const ADMIN_COMMANDS = ['migrate', 'workspace.create', 'workspace.list', 'apikey.create', 'seed.demo', 'user.create', 'keys.rotateDataKey', 'keys.reencrypt', 'keys.status', 'backup.create', 'import.run', 'import.status', 'config.export', 'config.diff', 'config.apply'] as const;

export type AdminContext = KeyCommandContext & ImportCommandContext & ConfigCommandContext;

const DEMO_WORKSPACE = 'Demo';

export const runAdminCommand = async (database: Database, input: AdminCommand, context: AdminContext = {}): Promise<Record<string, unknown>> => {
  const db = database.db;
  switch (input.command) {
    case 'migrate':
      return migrateCommand(database, context);
    case 'workspace.create': {
      const workspace = await createWorkspace({
        db,
        name: input.name,
        standardObjects,
        ...(input.timezone ? { timezone: input.timezone } : {}),
        ...(input.currency ? { defaultCurrency: input.currency.toUpperCase() } : {}),
      });
      return { workspace };
    }
    case 'workspace.list':
      return { workspaces: await listWorkspaces(db) };
    case 'apikey.create': {
      const workspace = await getWorkspace(db, { name: input.workspace });
      const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : undefined;
      const key = await createApiKey(db, { workspaceId: workspace.id, ...(input.name ? { name: input.name } : {}), ...(expiresAt ? { expiresAt } : {}) });
      return { token: key.token, id: key.id, name: key.name, workspace: workspace.name, expiresAt: key.expiresAt };
    }
    case 'seed.demo': {
      const name = input.workspace ?? DEMO_WORKSPACE;
      const workspace = (await findWorkspace(db, { name })) ?? (await createWorkspace({ db, name, standardObjects }));
      const size = input.size ?? 1000;
      if (!Number.isInteger(size) || size < 1 || size > 10_000_000) throw new AppError('INVALID_REQUEST', '--size is a whole number of people between 1 and 10,000,000.');
      // Loaded on demand: the demo data generator (and its name pools) stays out of the server's memory.
      const { seedDemo } = await import('../modules/demo/seed-demo.ts');
      const counts = await seedDemo({ database, workspaceId: workspace.id, people: size, ...(input.opportunities !== undefined ? { opportunities: input.opportunities } : {}) });
      return { workspace: workspace.name, ...counts };
    }
    case 'user.create':
      return createUserCommand(database, input);
    case 'backup.create': {
      // In the process that holds the database: on PGlite, the running server when there is one.
      const { createBackup } = await import('../engine/backup/backup.ts');
      const { file, bytes, manifest, durationMs } = await createBackup(database, input.file, context.onProgress);
      return { file, bytes, durationMs, engine: manifest.engine, migrationLevel: manifest.migrationLevel, createdAt: manifest.createdAt, tables: manifest.tables.length, rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0) };
    }
    case 'keys.rotateDataKey':
    case 'keys.reencrypt':
    case 'keys.status':
    case 'keys.rotateMasterKey':
      return runKeyCommand(database, input, context);
    case 'import.run':
    case 'import.status':
      return runImportCommand(database, input, context);
    case 'config.export':
    case 'config.diff':
    case 'config.apply':
      // Loaded on demand, as the CLI loads its config commands.
      return (await import('./config-commands.ts')).runConfigCommand(database, input, context);
    default: {
      const unknown: never = input;
      throw new AppError('INVALID_REQUEST', `Unknown command ${JSON.stringify(unknown)}.`);
    }
  }
};

/**
 * `rapport migrate`: the system migrations, then every workspace's standard objects brought up to the
 * shipped definitions (as at each start) plus the composite indexes a new workspace gets on them.
 */
const migrateCommand = async (database: Database, context: AdminContext) => {
  const db = database.db;
  const applied = await migrate(db);
  const changed = new Set<string>();
  const results = await upgradeStandardObjects({ db, standardObjects, onChanged: (id) => changed.add(id), indexes: { isConcurrent: database.engine === 'postgres' } });
  for (const id of changed) await notifyMetadataChanged(database, context, id);
  const names = new Map((await listWorkspaces(db)).map((workspace) => [workspace.id, workspace.name]));
  return { applied, workspaces: results.map(({ workspaceId, ...result }) => ({ workspace: names.get(workspaceId) ?? workspaceId, workspaceId, ...result })) };
};

/** `rapport user create`: a member with a role named case-insensitively; without a password, an invitation link to hand over. */
const createUserCommand = async (database: Database, input: Extract<AdminCommand, { command: 'user.create' }>) => {
  const db = database.db;
  const workspace = await getWorkspace(db, { name: input.workspace });
  const { rows: roles } = await sql<{ id: string; name: string }>`select id, name from rapport.role where workspace_id = ${workspace.id} order by name`.execute(db);
  const role = roles.find((candidate) => candidate.name.toLowerCase() === input.role.trim().toLowerCase());
  if (!role) throw validationFailed([{ field: 'role', code: 'invalidChoice', message: `No role "${input.role}" in ${workspace.name}; roles: ${roles.map((r) => r.name).join(', ')}.` }]);
  const { user, invitation } = await createUser(db, {
    workspaceId: workspace.id,
    invitedBy: null,
    input: {
      email: input.email,
      name: input.name ?? input.email.split('@')[0] ?? input.email,
      roleId: role.id,
      ...(input.password !== undefined ? { password: input.password } : {}),
      ...(input.licence ? { licence: input.licence } : {}),
    },
  });
  await recordAudit(db, { workspaceId: workspace.id, actorId: null, action: 'user.created', objectName: 'user', recordId: user.id, details: { email: user.email, via: 'cli' } });
  return {
    user,
    workspace: workspace.name,
    ...(invitation ? { invitationUrl: invitationUrl(input.publicUrl ?? 'http://localhost:3000', invitation.token), invitationExpiresAt: invitation.expiresAt.toISOString() } : {}),
  };
};
