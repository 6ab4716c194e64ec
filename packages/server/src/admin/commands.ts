import type { Database } from '../engine/db/database.ts';
import { migrate } from '../engine/db/migrate.ts';
import { AppError } from '../engine/errors.ts';
import { createApiKey } from '../engine/identity/api-key.service.ts';
import { createWorkspace, findWorkspace, getWorkspace, listWorkspaces } from '../engine/workspaces/workspace.service.ts';
import { standardObjects } from '../modules/index.ts';

/**
 * Administrative commands, run by the CLI directly or, when a server holds the embedded
 * database, through that server. Arguments and results are plain JSON.
 */
export type AdminCommand =
  | { command: 'migrate' }
  | { command: 'workspace.create'; name: string; timezone?: string; currency?: string }
  | { command: 'workspace.list' }
  | { command: 'apikey.create'; workspace: string; name?: string; expiresInDays?: number }
  | { command: 'seed.demo'; workspace?: string; size?: number };

export const ADMIN_COMMANDS = ['migrate', 'workspace.create', 'workspace.list', 'apikey.create', 'seed.demo'] as const;

const DEMO_WORKSPACE = 'Demo';

export const runAdminCommand = async (database: Database, input: AdminCommand): Promise<Record<string, unknown>> => {
  const db = database.db;
  switch (input.command) {
    case 'migrate':
      return { applied: await migrate(db) };
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
      const counts = await seedDemo({ database, workspaceId: workspace.id, people: size });
      return { workspace: workspace.name, ...counts };
    }
    default: {
      const unknown: never = input;
      throw new AppError('INVALID_REQUEST', `Unknown command ${JSON.stringify(unknown)}.`);
    }
  }
};
