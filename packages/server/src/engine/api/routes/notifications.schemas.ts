import { jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const NOTIFICATIONS_TAG = 'Notifications';
export const NOTIFICATIONS_OPERATION_IDS = ['listNotifications', 'readNotification', 'readAllNotifications'] as const;

export const notificationsQuerystring = {
  type: 'object',
  properties: {
    unread: { type: 'boolean', description: 'Only unread notifications.' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Newest first, at most this many.' },
  },
  additionalProperties: false,
} as const;

export const notificationIdParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
  additionalProperties: false,
} as const;

export const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: ['mention', 'assignment', 'reminder'], description: '`mention`: a rich-text field mentions you; `assignment`: a record was given to you; `reminder`: a reminder time you own came.' },
    object: { type: 'string', description: 'The object of the record concerned.' },
    recordId: { type: 'string', format: 'uuid' },
    actorId: { type: ['string', 'null'], description: 'Who mentioned or assigned; null for reminders.' },
    actorName: { type: ['string', 'null'] },
    title: { type: 'string', description: 'The record\'s title when the notification was made.' },
    excerpt: { type: ['string', 'null'], description: 'The text around a mention, without markup.' },
    createdAt: { type: 'string', format: 'date-time' },
    readAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'kind', 'object', 'recordId', 'actorId', 'actorName', 'title', 'excerpt', 'createdAt', 'readAt'],
} as const;

export const notificationsPageSchema = {
  type: 'object',
  properties: {
    data: { type: 'array', items: notificationSchema },
    unreadCount: { type: 'integer', minimum: 0 },
  },
  required: ['data', 'unreadCount'],
} as const;

export const readAllSchema = {
  type: 'object',
  properties: { updated: { type: 'integer', minimum: 0, description: 'How many notifications were unread.' } },
  required: ['updated'],
} as const;

const tags = [NOTIFICATIONS_TAG];
const idParameter = { name: 'id', in: 'path', required: true, description: 'The notification id.', schema: { type: 'string', format: 'uuid' } } as const;

export const NOTIFICATIONS_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/notifications': {
    get: {
      operationId: 'listNotifications',
      summary: 'List my notifications',
      description:
        'The signed-in user\'s notifications, newest first, and how many are unread: mentions in rich text (`<span data-type="mention" data-id="<user id>">`), records assigned to them, and reminders. Made from the change feed, only for records the user may read. A key without a user has none (403).',
      tags,
      parameters: Object.entries(notificationsQuerystring.properties).map(([name, { description, ...schema }]) => ({ name, in: 'query', description, schema })),
      responses: { 200: jsonResponse('My notifications.', notificationsPageSchema), ...problemResponses([400, 401, 403]) },
    },
  },
  '/api/v1/notifications/{id}/read': {
    post: {
      operationId: 'readNotification',
      summary: 'Mark a notification read',
      tags,
      parameters: [idParameter],
      responses: { 200: jsonResponse('The notification, read.', notificationSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/notifications/read-all': {
    post: {
      operationId: 'readAllNotifications',
      summary: 'Mark all my notifications read',
      tags,
      responses: { 200: jsonResponse('How many were unread.', readAllSchema), ...problemResponses([401, 403]) },
    },
  },
};
