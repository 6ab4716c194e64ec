import { randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { RapportConfig } from './config/config.ts';
import { createAuthenticator } from './engine/api/auth.ts';
import { registerApiV1 } from './engine/api/build-api.ts';
import type { EngineServices } from './engine/api/context.ts';
import { sendProblem } from './engine/api/problem.ts';
import { createLazySchemaCompilers } from './engine/api/lazy-schema-compilers.ts';
import { registerSecurityHeaders } from './engine/api/security-headers.ts';
import { registerHealthRoutes } from './engine/api/routes/health.route.ts';
import { createFieldKeyring } from './engine/crypto/field-keys.ts';
import type { Database } from './engine/db/database.ts';
import { AppError } from './engine/errors.ts';
import { createIdentityServices, identitySettingsFrom } from './engine/identity/identity-settings.ts';
import { createMailer } from './engine/mail/mailer.ts';
import { announceMetadataChange, METADATA_CHANNEL, MetadataCache } from './engine/metadata/metadata-store.ts';
import { ACCESS_CHANNEL, announceAccessChange, createAccessProfileCache } from './engine/permissions/access-cache.ts';
import { createEventHub } from './engine/events/event-hub.ts';
import type { EventsRouteOptions } from './engine/api/routes/events.route.ts';
import { registerHomePage } from './home-page.ts';
import { reminderRules, standardObjects } from './modules/index.ts';
import { createNotificationConsumer } from './engine/notifications/notification-consumer.ts';

export interface BuildAppOptions {
  database: Database;
  config: Pick<RapportConfig, 'bodyLimit' | 'corsOrigins' | 'logLevel'> &
    Partial<Pick<RapportConfig, 'publicUrl' | 'smtpUrl' | 'mailFrom' | 'cookieSecure' | 'trustProxy' | 'rateLimits' | 'tls' | 'backupDir'>>;
  /** The master key of secrets at rest and CSRF tokens (loadMasterKey); tests leave it out and get a random one. */
  masterKey?: Buffer;
  /** Pino options or false; tests pass false. */
  logger?: boolean | Record<string, unknown>;
  /** Heartbeat and length of the change-feed stream; tests shorten them. */
  eventStream?: EventsRouteOptions;
  /** On PostgreSQL, how often cached metadata is checked against the database (30 s); tests shorten it. */
  metadataStaleCheckMs?: number;
}

/** The HTTP app over an open database: engine routes, modules, errors. No listening, no jobs. */
export const buildApp = async ({ database, config, logger, masterKey, eventStream, metadataStaleCheckMs = 30_000 }: BuildAppOptions): Promise<FastifyInstance & { services: EngineServices }> => {
  // One master key for secrets, CSRF tokens and encrypted fields; tests get a random one per app.
  const key = masterKey ?? randomBytes(32);
  const metadata = new MetadataCache(database.db, createFieldKeyring(key));
  const accessProfiles = createAccessProfileCache(database.db);
  // The app's logger exists once Fastify is built below; mail and rate-limit errors are only logged later.
  const log = { info: (object: object, message: string) => app.log.info(object, message), warn: (object: object, message: string) => app.log.warn(object, message) };
  const identitySettings = identitySettingsFrom(config);
  const identity = createIdentityServices({
    db: database.db,
    settings: identitySettings,
    masterKey: key,
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom ?? 'Rapport <rapport@localhost>', logger: log }),
    standardObjects,
    onError: (error) => log.warn({ err: error }, 'rate limit counters could not be written'),
  });
  const services: EngineServices = {
    database,
    metadata,
    authenticator: createAuthenticator(database.db, { csrfKey: identity.csrfKey, rateLimiter: identity.rateLimiter, rateLimits: identitySettings.rateLimits }),
    identity,
    onMetadataChanged(workspaceId) {
      metadata.invalidate(workspaceId);
      announceMetadataChange(database, workspaceId).catch(() => undefined);
    },
    accessProfiles,
    onAccessChanged(workspaceId) {
      accessProfiles.invalidate(workspaceId);
      announceAccessChange(database, workspaceId).catch(() => undefined);
    },
    events: createEventHub({ database, onError: (error) => log.warn({ err: error }, 'the event hub could not read the outbox') }),
    eventStream,
    notifications: createNotificationConsumer({ db: database.db, metadata, accessProfiles, reminderRules }),
    ...(config.backupDir ? { backupDir: config.backupDir } : {}),
  };
  // While someone follows the feed, their notifications are made as the events arrive (otherwise at the next look or within a minute).
  services.events.onWorkspaceWake((workspaceId) => {
    services.notifications.catchUp(workspaceId).catch((error: unknown) => log.warn({ err: error }, 'notifications could not be made'));
  });
  // Other servers on the same PostgreSQL tell us when they change metadata.
  const unlisten = await database.listen(METADATA_CHANNEL, (workspaceId) => metadata.invalidate(workspaceId));
  const unlistenAccess = await database.listen(ACCESS_CHANNEL, (workspaceId) => accessProfiles.invalidate(workspaceId));
  // A notification can be missed (the listening connection dropped by a database restart): every half
  // minute, cached metadata whose version is behind the database is dropped, so this server catches up
  // (a rotated field key among it: values are never sealed with a retired key for longer than that).
  const staleCheck =
    database.engine === 'postgres'
      ? setInterval(() => metadata.refreshStale().catch((error: unknown) => log.warn({ err: error }, 'cached metadata could not be checked')), metadataStaleCheckMs)
      : undefined;
  staleCheck?.unref();

  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    // One log line per request costs throughput; requests are logged at debug level below, failures by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: true } },
    // Route schemas compile on first use, not at start (engine/api/lazy-schema-compilers.ts).
    schemaController: { compilersFactory: createLazySchemaCompilers() },
    routerOptions: { ignoreTrailingSlash: true },
    // Behind a reverse proxy: the client IP (rate limits) and https (Secure cookies) come from X-Forwarded-*.
    trustProxy: config.trustProxy ?? false,
    // HTTPS served directly when a certificate is configured (same routes; Fastify types it as another server).
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key, minVersion: 'TLSv1.2' as const } } : {}),
  }) as unknown as FastifyInstance;
  app.addHook('onClose', async () => {
    clearInterval(staleCheck);
    await unlisten();
    await unlistenAccess();
    await services.events.close();
    identity.mailer.close();
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // The API answers JSON: nothing may run, load or frame it. Pages (home-page.ts) set their own policy.
  registerSecurityHeaders(app, {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    // Cookie sessions from the allowed origins; they send the CSRF token in x-csrf-token.
    credentials: true,
    exposedHeaders: ['ETag', 'Location', 'x-request-id', 'Retry-After'],
  });
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}. See /api/v1/openapi.json.`), request, reply),
  );
  registerHealthRoutes(app, services);
  registerHomePage(app);
  await registerApiV1(app, services);
  return Object.assign(app, { services }) as unknown as FastifyInstance & { services: EngineServices };
};
