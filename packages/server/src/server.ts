import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { registerAdminRoute } from './admin/admin.route.ts';
import { buildApp } from './app.ts';
import type { RapportConfig } from './config/config.ts';
import { openDatabase, type Database } from './engine/db/database.ts';
import { acquireDataDirLock } from './engine/db/data-dir-lock.ts';
import { migrate, type MigrateOptions } from './engine/db/migrate.ts';
import { isSignUpOpen } from './engine/identity/sign-up.service.ts';
import { loadMasterKey } from './engine/identity/secret-box.ts';
import { listWorkspaces } from './engine/workspaces/workspace.service.ts';
import { upgradeStandardObjects, type StandardUpgradeResult } from './engine/metadata/standard-upgrade.ts';
import { standardObjects } from './modules/index.ts';
import { startBackgroundWork } from './background.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/** The embedded database lives in a subfolder, next to the lock file that guards it. */
export const pgliteDir = (dataDir: string) => join(dataDir, 'pglite');

const logStandardUpgrades = (app: FastifyInstance, results: StandardUpgradeResult[]) => {
  for (const { workspaceId, addedObjects, addedFields, skipped } of results) {
    if (addedObjects.length > 0 || addedFields.length > 0) app.log.info({ workspaceId, addedObjects, addedFields }, 'standard objects upgraded');
    if (skipped.length > 0) app.log.warn({ workspaceId, skipped }, 'standard objects: names this workspace uses for its own objects or fields were left alone');
  }
};

/** `options.migrations`: tests start a server with a failing migration added. */
export const startServer = async (config: RapportConfig, options: MigrateOptions = {}): Promise<RunningServer> => {
  const lock = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir, config.port);
  try {
    // PGlite opens in the background (about a second, partly on other threads) while the app is built.
    const database = await openDatabase(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl, poolSize: config.poolSize, preparedStatements: config.preparedStatements }
        : { dataDir: pgliteDir(config.dataDir), isOpenedInBackground: true },
    );
    const migrating = migrate(database.db, options);
    migrating.catch(() => undefined);
    const masterKey = loadMasterKey({ secret: config.secret, dataDir: config.dataDir });
    const app = await buildApp({ database, config, masterKey: masterKey.key }).catch(async (error: unknown) => {
      await database.close().catch(() => undefined);
      throw error;
    });
    if (config.databaseUrl && masterKey.source === 'file') {
      app.log.warn(`RAPPORT_SECRET is not set: secrets at rest use the key in ${config.dataDir}/secret.key. Every server of this database must use the same key: set RAPPORT_SECRET on all of them.`);
    }
    if (lock) registerAdminRoute(app, { database, adminToken: lock.info.adminToken, services: app.services });
    await migrating.catch(async (error: unknown) => {
      await app.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      throw error;
    });
    // Workspaces made by an earlier version get the standard objects and fields added since (idempotent).
    await upgradeStandardObjects({ db: database.db, standardObjects, onChanged: (id) => app.services.onMetadataChanged(id) })
      .then((results) => logStandardUpgrades(app, results))
      .catch(async (error: unknown) => {
        await app.close().catch(() => undefined);
        await database.close().catch(() => undefined);
        throw error;
      });
    await app.listen({ port: config.port, host: config.host });
    // The job worker starts once the server answers: it is not needed to serve, and a start is shorter.
    const background = config.isWorkerEnabled
      ? await startBackgroundWork({ database, logger: app.log, services: app.services }).catch(async (error: unknown) => {
          await app.close();
          await database.close();
          throw error;
        })
      : undefined;
    const url = `${config.tls ? 'https' : 'http'}://localhost:${config.port}`;
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
  const db = server.database.db;
  const workspaces = await listWorkspaces(db);
  const lines = [`Rapport is running at ${server.url} (${server.database.engine === 'pglite' ? 'embedded database' : 'PostgreSQL'}).`];
  if (await isSignUpOpen(db)) {
    // Nobody can sign in yet: the first person to sign up becomes the administrator.
    const workspace = workspaces[0]?.name ?? 'My company';
    lines.push(
      `No user yet. Open ${server.url} in your browser to create the first administrator, or in another terminal:`,
      ...(workspaces.length === 0 ? [`  npx rapport workspace create "${workspace}"`] : []),
      `  npx rapport user create --workspace "${workspace}" --email you@example.com --name "Your Name" --password "a long passphrase" --role admin`,
      `or through the API (creates the workspace too): POST ${server.url}/api/v1/auth/sign-up {"workspaceName":"${workspace}","email":...,"name":...,"password":...}`,
    );
    if (workspaces.length === 0) lines.push('Demo data:  npx rapport seed --demo --size 1000');
  } else {
    lines.push(
      `Workspaces: ${workspaces.map((w) => w.name).join(', ')}.`,
      `Sign in: POST ${server.url}/api/v1/auth/sign-in {"email":...,"password":...}; forgot it? POST /api/v1/auth/password-reset.`,
      `API key:  npx rapport apikey create --workspace "${workspaces[0]?.name ?? 'NAME'}"`,
    );
  }
  return lines.join('\n');
};
