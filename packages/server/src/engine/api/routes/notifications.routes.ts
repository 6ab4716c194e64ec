import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { AppError } from '../../errors.ts';
import { findReadableIds } from '../../events/event-visibility.ts';
import { checkFollowedFields, follow, followableFields, listFollowers, unfollow } from '../../notifications/followers.ts';
import { readNotificationPreferences, updateNotificationPreferences } from '../../notifications/notification-preferences.ts';
import { listNotifications, markAllNotificationsRead, markNotificationRead, NOTIFICATION_KINDS, type NotificationKind } from '../../notifications/notification.service.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';
import { assertId } from './query-params.ts';
import {
  followBody,
  followerSchema,
  followersSchema,
  notificationIdParams,
  notificationPreferencesPatch,
  notificationPreferencesSchema,
  notificationSchema,
  notificationsPageSchema,
  notificationsQuerystring,
  readAllSchema,
  recordParams,
} from './notifications.schemas.ts';

const userOf = (request: FastifyRequest): { workspaceId: string; userId: string } => {
  const { workspace, actorId } = getContext(request);
  if (!actorId) throw new AppError('FORBIDDEN', 'Notifications belong to users: this API key belongs to no user.');
  return { workspaceId: workspace.id, userId: actorId };
};

/** The caller's notifications (mentions, assignments, reminders), made from the change feed. */
export const registerNotificationRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get<{ Querystring: { unread?: boolean; limit?: number; kind?: string } }>(
    '/notifications',
    { config: { licenceFeatures: [] }, schema: { querystring: notificationsQuerystring, response: { 200: notificationsPageSchema } } },
    async (request) => {
      const { workspaceId, userId } = userOf(request);
      const kinds = request.query.kind?.split(',');
      const unknown = kinds?.find((kind) => !(NOTIFICATION_KINDS as readonly string[]).includes(kind));
      if (unknown) throw new AppError('INVALID_QUERY', `No notification kind "${unknown}". Kinds: ${NOTIFICATION_KINDS.join(', ')}.`);
      // Read your own writes: the events committed so far are turned into notifications first.
      await services.notifications.catchUp(workspaceId);
      return listNotifications(db, { workspaceId, userId, isUnreadOnly: request.query.unread === true, limit: request.query.limit ?? 50, ...(kinds ? { kinds: kinds as NotificationKind[] } : {}) });
    },
  );

  app.get('/notifications/preferences', { config: { licenceFeatures: [] }, schema: { response: { 200: notificationPreferencesSchema } } }, async (request) =>
    readNotificationPreferences(db, userOf(request)),
  );

  app.patch<{ Body: Record<string, unknown> }>(
    '/notifications/preferences',
    { config: { licenceFeatures: [] }, schema: { body: notificationPreferencesPatch, response: { 200: notificationPreferencesSchema } } },
    async (request) => updateNotificationPreferences(db, { ...userOf(request), changes: request.body }),
  );

  // A record's followers: only a user who may read the record follows it or sees who does.
  const readableRecord = async (request: FastifyRequest<{ Params: { object: string; id: string } }>) => {
    const { workspace, access } = getContext(request);
    const object = getObjectOrThrow(access.view, request.params.object);
    assertId(request.params.id, object.name);
    const { rows } = await sql<{ id: string }>`select id from ${sql.id(workspace.schema, object.table)} where id = ${request.params.id} and deleted_at is null`.execute(db);
    if (rows.length === 0 || !(await findReadableIds(db, access, workspace.objects.get(object.name)!, [request.params.id])).has(request.params.id)) {
      throw new AppError('RECORD_NOT_FOUND', `No ${object.name} with id ${request.params.id}.`);
    }
    return { object, id: request.params.id.toLowerCase() };
  };

  app.get<{ Params: { object: string; id: string } }>(
    '/records/:object/:id/followers',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: recordParams, response: { 200: followersSchema } } },
    async (request) => {
      const { object, id } = await readableRecord(request);
      const { workspace, actorId } = getContext(request);
      const data = await listFollowers(db, { workspaceId: workspace.id, object: object.name, recordId: id });
      return { data, me: data.find((follower) => follower.userId === actorId) ?? null, followableFields: followableFields(object) };
    },
  );

  app.put<{ Params: { object: string; id: string }; Body: { fields?: string[] | null } | undefined }>(
    '/records/:object/:id/followers/me',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: recordParams, body: followBody, response: { 200: followerSchema } } },
    async (request) => {
      const { object, id } = await readableRecord(request);
      const { workspaceId, userId } = userOf(request);
      return follow(db, { workspaceId, object: object.name, recordId: id, userId, fields: checkFollowedFields(object, request.body?.fields ?? null) });
    },
  );

  app.delete<{ Params: { object: string; id: string } }>(
    '/records/:object/:id/followers/me',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: recordParams } },
    async (request, reply) => {
      const { object, id } = await readableRecord(request);
      await unfollow(db, { ...userOf(request), object: object.name, recordId: id });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    '/notifications/:id/read',
    { config: { licenceFeatures: [] }, schema: { params: notificationIdParams, response: { 200: notificationSchema } } },
    async (request) => markNotificationRead(db, { ...userOf(request), id: request.params.id }),
  );

  app.post('/notifications/read-all', { config: { licenceFeatures: [] }, schema: { response: { 200: readAllSchema } } }, async (request) => ({
    updated: await markAllNotificationsRead(db, userOf(request)),
  }));
};
