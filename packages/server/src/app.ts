import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { RapportConfig } from './config/config.ts';
import { createAuthenticator } from './engine/api/auth.ts';
import { registerApiV1 } from './engine/api/build-api.ts';
import type { EngineServices } from './engine/api/context.ts';
import { sendProblem } from './engine/api/problem.ts';
import { registerHealthRoutes } from './engine/api/routes/health.route.ts';
import type { Database } from './engine/db/database.ts';
import { AppError } from './engine/errors.ts';
import { MetadataCache } from './engine/metadata/metadata-store.ts';
import { registerHomePage } from './home-page.ts';

export interface BuildAppOptions {
  database: Database;
  config: Pick<RapportConfig, 'bodyLimit' | 'corsOrigins' | 'logLevel'>;
  /** Pino options or false; tests pass false. */
  logger?: boolean | Record<string, unknown>;
}

const METADATA_CHANNEL = 'rapport_metadata';

/** The HTTP app over an open database: engine routes, modules, errors. No listening, no jobs. */
export const buildApp = async ({ database, config, logger }: BuildAppOptions): Promise<FastifyInstance & { services: EngineServices }> => {
  const metadata = new MetadataCache(database.db);
  const services: EngineServices = {
    database,
    metadata,
    authenticator: createAuthenticator(database.db),
    onMetadataChanged(workspaceId) {
      metadata.invalidate(workspaceId);
      if (database.engine === 'postgres') {
        sql`select pg_notify(${METADATA_CHANNEL}, ${workspaceId})`.execute(database.db).catch(() => undefined);
      }
    },
  };
  // Other servers on the same PostgreSQL tell us when they change metadata.
  const unlisten = await database.listen(METADATA_CHANNEL, (workspaceId) => metadata.invalidate(workspaceId));

  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    // One log line per request costs throughput; requests are logged at debug level below, failures by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: true } },
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.addHook('onClose', async () => unlisten());
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });
  await app.register(cors, { origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, exposedHeaders: ['ETag', 'Location', 'x-request-id'] });
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}. See /api/v1/openapi.json.`), request, reply),
  );
  registerHealthRoutes(app, services);
  registerHomePage(app);
  await registerApiV1(app, services);
  return Object.assign(app, { services }) as unknown as FastifyInstance & { services: EngineServices };
};
