import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getContext, type EngineServices } from '../../../engine/api/context.ts';
import type { ModuleApi } from '../../../engine/api/module-api.ts';
import { AppError } from '../../../engine/errors.ts';
import { assertLicenceFeature } from '../../../engine/licences/licence-gate.ts';
import { createAccess } from '../../../engine/permissions/access.ts';
import { buildCalendarFeed } from './calendar-feed.ts';
import { findFeedOwner, getOrCreateFeedToken, revokeFeedToken } from './calendar-feed-tokens.ts';
import { CALENDAR_PATHS, CALENDAR_TAG, feedParams, reminderPreferencesPatch, reminderPreferencesSchema, calendarFeedSchema } from './calendar.schemas.ts';
import { readReminderPreferences, updateReminderPreferences, type ReminderPreferences } from './reminder-preferences.ts';

const MINUTE = 60_000;
// Calendar apps poll every few minutes at most; a shared or leaked address cannot be hammered.
const FEED_PER_MINUTE = 30;
const FEED_PER_IP_PER_MINUTE = 120;
const TOKEN = /^([A-Za-z0-9_-]{20,100})\.ics$/;

const userOf = (request: FastifyRequest) => {
  const context = getContext(request);
  if (!context.principal.userId) throw new AppError('FORBIDDEN', 'A calendar feed and reminder preferences belong to a user: this API key belongs to no user.');
  return { ...context, userId: context.principal.userId };
};

const feedUrl = (services: EngineServices, token: string) => `${services.identity.settings.publicUrl}/api/v1/public/calendar/${token}.ics`;

/** The signed-in user's feed address and reminder preferences. */
const registerCalendarRoutes = (api: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  api.get('/me/calendar-feed', { config: { licenceFeatures: [] }, schema: { response: { 200: calendarFeedSchema } } }, async (request, reply) => {
    const { workspace, userId } = userOf(request);
    const token = await getOrCreateFeedToken({ db, secretBox: services.identity.secretBox, workspaceId: workspace.id, userId });
    return reply.header('cache-control', 'no-store').send({ url: feedUrl(services, token) });
  });

  api.delete('/me/calendar-feed', { config: { licenceFeatures: [] } }, async (request, reply) => {
    const { workspace, userId } = userOf(request);
    await revokeFeedToken(db, { workspaceId: workspace.id, userId });
    return reply.status(204).send();
  });

  api.get('/me/reminder-preferences', { config: { licenceFeatures: [] }, schema: { response: { 200: reminderPreferencesSchema } } }, async (request) =>
    readReminderPreferences(db, userOf(request).userId),
  );

  api.patch<{ Body: Partial<ReminderPreferences> }>(
    '/me/reminder-preferences',
    { config: { licenceFeatures: [] }, schema: { body: reminderPreferencesPatch, response: { 200: reminderPreferencesSchema } } },
    async (request) => updateReminderPreferences(db, userOf(request).userId, request.body ?? {}),
  );
};

/** The feed itself: the token in the address is the credential; the calendar is read as its owner. */
const registerPublicCalendarRoutes = (publicApi: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const { rateLimiter } = services.identity;
  const notFound = () => new AppError('ROUTE_NOT_FOUND', 'There is no calendar feed at this address (it may have been revoked).');

  publicApi.get<{ Params: { feed: string } }>(
    '/public/calendar/:feed',
    { config: { licenceFeatures: [] }, schema: { params: feedParams } },
    async (request, reply) => {
      await rateLimiter.consume(`calendar-feed-ip:${request.ip}`, { limit: FEED_PER_IP_PER_MINUTE, windowMs: MINUTE });
      const token = TOKEN.exec(request.params.feed)?.[1];
      if (!token) throw notFound();
      await rateLimiter.consume(`calendar-feed:${token.slice(0, 16)}`, { limit: FEED_PER_MINUTE, windowMs: MINUTE });
      const owner = await findFeedOwner(db, token);
      if (!owner) throw notFound();
      const workspace = await services.metadata.get(owner.workspaceId);
      const access = createAccess({ workspace, profile: await services.accessProfiles.get(owner.workspaceId, owner.userId), scopes: null });
      // The feed reads records: the owner's licence must allow it, as for the records API.
      assertLicenceFeature(access, 'records.read');
      const body = await buildCalendarFeed({ db, workspace, access, userId: owner.userId, publicUrl: services.identity.settings.publicUrl });
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="rapport.ics"')
        .header('cache-control', 'private, max-age=300')
        .send(body);
    },
  );
};

export const calendarApi: ModuleApi = { tag: CALENDAR_TAG, paths: CALENDAR_PATHS, register: registerCalendarRoutes, registerPublic: registerPublicCalendarRoutes };
