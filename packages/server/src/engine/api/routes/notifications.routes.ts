import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '../../notifications/notification.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { notificationIdParams, notificationSchema, notificationsPageSchema, notificationsQuerystring, readAllSchema } from './notifications.schemas.ts';

const userOf = (request: FastifyRequest): { workspaceId: string; userId: string } => {
  const { workspace, actorId } = getContext(request);
  if (!actorId) throw new AppError('FORBIDDEN', 'Notifications belong to users: this API key belongs to no user.');
  return { workspaceId: workspace.id, userId: actorId };
};

/** The caller's notifications (mentions, assignments, reminders), made from the change feed. */
export const registerNotificationRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get<{ Querystring: { unread?: boolean; limit?: number } }>(
    '/notifications',
    { config: { licenceFeatures: [] }, schema: { querystring: notificationsQuerystring, response: { 200: notificationsPageSchema } } },
    async (request) => {
      const { workspaceId, userId } = userOf(request);
      // Read your own writes: the events committed so far are turned into notifications first.
      await services.notifications.catchUp(workspaceId);
      return listNotifications(db, { workspaceId, userId, isUnreadOnly: request.query.unread === true, limit: request.query.limit ?? 50 });
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
