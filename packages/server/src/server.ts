import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { registerAdminRoute } from './admin/admin.route.ts';
import { buildApp } from './app.ts';
import type { RapportConfig } from './config/config.ts';
import { openDatabase, type Database } from './engine/db/database.ts';
import { acquireDataDirLock } from './engine/db/data-dir-lock.ts';
import { migrate } from './engine/db/migrate.ts';
import { listWorkspaces } from './engine/workspaces/workspace.service.ts';
import { startBackgroundWork } from './background.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/** The embedded database lives in a subfolder, next to the lock file that guards it. */
export const pgliteDir = (dataDir: string) => join(dataDir, 'pglite');

export const startServer = async (config: RapportConfig): Promise<RunningServer> => {
  const lock = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir, config.port);
  try {
    const database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: config.poolSize } : { dataDir: pgliteDir(config.dataDir) });
    await migrate(database.db);
    const app = await buildApp({ database, config });
    if (lock) registerAdminRoute(app, { database, adminToken: lock.info.adminToken });
    const background = config.isWorkerEnabled ? await startBackgroundWork({ database, logger: app.log }) : undefined;
    await app.listen({ port: config.port, host: config.host });
    const url = `http://localhost:${config.port}`;
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await background?.stop();
        await app.close();
        await database.close();
        lock?.release();
      })());
    return { app, database, url, close };
  } catch (error) {
    lock?.release();
    throw error;
  }
};

/** What a person sees on first start: where the server is and how to get in. */
export const describeAccess = async (server: RunningServer): Promise<string> => {
  const workspaces = await listWorkspaces(server.database.db);
  const lines = [`Rapport is running at ${server.url} (${server.database.engine === 'pglite' ? 'embedded database' : 'PostgreSQL'}).`];
  if (workspaces.length === 0) {
    lines.push('No workspace yet. In another terminal:', '  npx rapport workspace create "My company"', '  npx rapport apikey create --workspace "My company"');
    lines.push('Demo data:  npx rapport seed --demo --size 1000');
  } else {
    lines.push(`Workspaces: ${workspaces.map((w) => w.name).join(', ')}.`, `API key:  npx rapport apikey create --workspace "${workspaces[0]!.name}"`);
  }
  return lines.join('\n');
};
