import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getContext, type EngineServices } from '../../../engine/api/context.ts';
import type { ModuleApi } from '../../../engine/api/module-api.ts';
import { recordAudit, requestFacts } from '../../../engine/audit/audit.ts';
import { AppError } from '../../../engine/errors.ts';
import { createAccess } from '../../../engine/permissions/access.ts';
import { assertWorkspaceAdmin } from '../../../engine/permissions/guards.ts';
import { recordCallEvent, type CallEventOutcome } from './record-call-events.ts';
import { TelephonyPayloadError, TelephonySignatureError } from './telephony-adapter.ts';
import { TELEPHONY_ADAPTERS } from './telephony-adapters.ts';
import { findTelephonyConfig, findTelephonyConfigByToken, saveTelephonySettings, toPublicSettings, type TelephonyConfig, type TelephonySettingsInput } from './telephony-settings.ts';
import { runTelephonyTestEvent, type TestEventInput } from './telephony-test-event.ts';
import { settingsBody, settingsSchema, TELEPHONY_PATHS, TELEPHONY_TAG, testEventBody, testEventSchema, webhookQuerystring } from './telephony.schemas.ts';

export const TELEPHONY_WEBHOOK_PATH = '/api/v1/telephony/events';
const MINUTE = 60_000;
// A busy call centre sends a few events per call; the limit is per sending address.
const WEBHOOK_REQUESTS_PER_MINUTE = 1200;

const webhookUrlOf = (services: EngineServices, token: string) => `${services.identity.settings.publicUrl}${TELEPHONY_WEBHOOK_PATH}?token=${encodeURIComponent(token)}`;

const present = (services: EngineServices, config: TelephonyConfig | undefined) =>
  config
    ? { isConfigured: true, ...toPublicSettings(config), webhookUrl: webhookUrlOf(services, config.webhookToken) }
    : { isConfigured: false, provider: null, hasSecret: false, secretHint: null, webhookUrl: null, lines: {}, defaultCountry: null, updatedAt: null };

/** Admin API of the workspace's telephony settings. */
const registerTelephonyRoutes = (api: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const { secretBox } = services.identity;
  const admin = async (request: FastifyRequest) => {
    const context = getContext(request);
    await assertWorkspaceAdmin(db, context.principal);
    return context;
  };

  api.get('/telephony/settings', { config: { licenceFeatures: [] }, schema: { response: { 200: settingsSchema } } }, async (request) => {
    const { workspace } = await admin(request);
    return present(services, await findTelephonyConfig(db, { workspaceId: workspace.id, secretBox }));
  });

  api.put<{ Body: TelephonySettingsInput }>(
    '/telephony/settings',
    { config: { licenceFeatures: ['admin'] }, schema: { body: settingsBody, response: { 200: settingsSchema } } },
    async (request) => {
      const { workspace, actorId } = await admin(request);
      const config = await saveTelephonySettings(db, { workspaceId: workspace.id, input: request.body, secretBox });
      // What changed, never the secret itself.
      const { secret: _secret, ...details } = request.body;
      await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'telephony.settings.updated', ...requestFacts(request), details: { ...details, changed: Object.keys(request.body) } });
      return present(services, config);
    },
  );

  // A signed sample call through the webhook's own pipeline, rolled back: what would happen, or why it would not.
  api.post<{ Body: TestEventInput }>(
    '/telephony/test-event',
    { config: { licenceFeatures: ['admin'] }, schema: { body: testEventBody, response: { 200: testEventSchema } } },
    async (request) => {
      const { workspace, actorId, access } = await admin(request);
      const config = await findTelephonyConfig(db, { workspaceId: workspace.id, secretBox });
      const accessOf = async (userId: string) => createAccess({ workspace, profile: await services.accessProfiles.get(workspace.id, userId), scopes: null });
      return runTelephonyTestEvent(db, {
        workspace,
        config,
        input: request.body ?? {},
        webhookUrl: config ? webhookUrlOf(services, config.webhookToken) : null,
        actorId,
        viewer: access,
        accessOf,
      });
    },
  );
};

/**
 * The provider's webhook, reached without a credential: the URL's token names the workspace, the signature proves
 * the sender. Parsed raw in its own scope: the signature covers the exact bytes (and Twilio's the form's fields).
 */
const registerTelephonyWebhook = (publicApi: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const { secretBox, rateLimiter } = services.identity;
  void publicApi.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post<{ Querystring: { token: string }; Body: string }>(
      '/telephony/events',
      {
        config: { licenceFeatures: [] },
        onRequest: async (request) => rateLimiter.consume(`telephony-ip:${request.ip}`, { limit: WEBHOOK_REQUESTS_PER_MINUTE, windowMs: MINUTE }),
        schema: { querystring: webhookQuerystring },
      },
      async (request) => {
        const refused = (reason: string) => new AppError('UNAUTHENTICATED', `The telephony request was refused: ${reason}`);
        const config = await findTelephonyConfigByToken(db, { token: request.query.token, secretBox });
        // An unknown token says no more than a bad signature.
        if (!config?.secret) throw refused('unknown webhook URL or no secret configured.');
        const rawBody = typeof request.body === 'string' ? request.body : '';
        let events;
        try {
          events = TELEPHONY_ADAPTERS[config.provider].parse(
            { url: `${services.identity.settings.publicUrl}${request.url}`, headers: request.headers, rawBody },
            { secret: config.secret, now: Math.floor(Date.now() / 1000) },
          );
        } catch (error) {
          if (error instanceof TelephonySignatureError) throw refused(error.message);
          if (error instanceof TelephonyPayloadError) throw new AppError('INVALID_REQUEST', error.message);
          throw error;
        }
        const workspace = await services.metadata.get(config.workspaceId);
        const data: CallEventOutcome[] = [];
        // In order: a provider batching one call's events expects them applied as sent.
        const accessOf = async (userId: string) => createAccess({ workspace, profile: await services.accessProfiles.get(workspace.id, userId), scopes: null });
        for (const event of events) data.push(await recordCallEvent(db, { workspace, config, event, accessOf }));
        return { data };
      },
    );
  });
};

export const telephonyApi: ModuleApi = { tag: TELEPHONY_TAG, paths: TELEPHONY_PATHS, register: registerTelephonyRoutes, registerPublic: registerTelephonyWebhook };
