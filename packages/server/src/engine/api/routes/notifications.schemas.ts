import { jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const NOTIFICATIONS_TAG = 'Notifications';
export const NOTIFICATIONS_OPERATION_IDS = ['listNotifications', 'readNotification', 'readAllNotifications', 'getNotificationPreferences', 'updateNotificationPreferences', 'listRecordFollowers', 'followRecord', 'unfollowRecord'] as const;

const KINDS = ['mention', 'assignment', 'reminder', 'missedCall', 'recordChange'] as const;
const CHANNELS = ['inApp', 'digest', 'off'] as const;

export const notificationsQuerystring = {
  type: 'object',
  properties: {
    unread: { type: 'boolean', description: 'Only unread notifications.' },
    kind: { type: 'string', pattern: '^[a-zA-Z]+(,[a-zA-Z]+)*$', maxLength: 200, description: `Only these kinds, comma-separated: ${KINDS.join(', ')}.` },
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
    kind: { type: 'string', enum: [...KINDS], description: '`mention`: a rich-text field mentions you; `assignment`: a record was given to you; `reminder`: a reminder time you own came; `missedCall`: a call to your line was not answered; `recordChange`: a record you follow changed (the excerpt names the fields).' },
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

export const notificationPreferencesSchema = {
  type: 'object',
  properties: Object.fromEntries(KINDS.map((kind) => [kind, { type: 'string', enum: [...CHANNELS] }])),
  required: [...KINDS],
  additionalProperties: false,
  description: 'Per kind: `inApp` (the bell, the default), `digest` (the bell and a daily email of what is unread) or `off` (not made at all).',
} as const;

export const notificationPreferencesPatch = {
  type: 'object',
  properties: Object.fromEntries(KINDS.map((kind) => [kind, { type: 'string' }])),
  additionalProperties: { type: 'string' },
  maxProperties: 20,
} as const;

export const recordParams = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 63 }, id: { type: 'string', maxLength: 100 } },
  required: ['object', 'id'],
  additionalProperties: false,
} as const;

export const followerSchema = {
  type: 'object',
  properties: {
    userId: { type: 'string', format: 'uuid' },
    fields: { type: ['array', 'null'], items: { type: 'string' }, description: 'The fields whose changes the follower hears about; null for any change.' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['userId', 'fields', 'createdAt'],
} as const;

export const followersSchema = {
  type: 'object',
  properties: {
    data: { type: 'array', items: followerSchema },
    me: { anyOf: [followerSchema, { type: 'null' }], description: 'How the caller follows the record; null when they do not.' },
    followableFields: { type: 'array', items: { type: 'string' }, description: 'The fields a follower may choose among (those the caller may see).' },
  },
  required: ['data', 'me', 'followableFields'],
} as const;

export const followBody = {
  type: 'object',
  properties: { fields: { type: ['array', 'null'], items: { type: 'string', maxLength: 100 }, maxItems: 200, description: 'null or absent: any change.' } },
  additionalProperties: false,
} as const;

const tags = [NOTIFICATIONS_TAG];
const recordParameters = [
  { name: 'object', in: 'path', required: true, description: 'The object name.', schema: { type: 'string' } },
  { name: 'id', in: 'path', required: true, description: 'The record id.', schema: { type: 'string', format: 'uuid' } },
] as const;
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
  '/api/v1/notifications/preferences': {
    get: {
      operationId: 'getNotificationPreferences',
      summary: 'My notification preferences',
      description: 'For each kind of notification, how it reaches the signed-in user in this workspace: in the app, also in a daily email digest, or not at all.',
      tags,
      responses: { 200: jsonResponse('My preferences.', notificationPreferencesSchema), ...problemResponses([401, 403]) },
    },
    patch: {
      operationId: 'updateNotificationPreferences',
      summary: 'Change my notification preferences',
      description: 'Sets the channel of the kinds given (`{"recordChange": "digest", "assignment": "off"}`); the others keep theirs. An unknown kind or channel refuses the whole change (422, per-field errors).',
      tags,
      requestBody: { required: true, content: { 'application/json': { schema: notificationPreferencesPatch } } },
      responses: { 200: jsonResponse('My preferences.', notificationPreferencesSchema), ...problemResponses([400, 401, 403, 422]) },
    },
  },
  '/api/v1/records/{object}/{id}/followers': {
    get: {
      operationId: 'listRecordFollowers',
      summary: 'Who follows a record',
      description: 'The users following the record (each with the fields they chose), how the caller follows it, and the fields one may choose. 404 for a record the caller may not read.',
      tags,
      parameters: [...recordParameters],
      responses: { 200: jsonResponse('The followers.', followersSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/records/{object}/{id}/followers/me': {
    put: {
      operationId: 'followRecord',
      summary: 'Follow a record',
      description: 'The caller follows the record: a `recordChange` notification tells them of each change by someone else to the fields they chose (`fields`; null or absent: any field they may see). Following again replaces the choice.',
      tags,
      parameters: [...recordParameters],
      requestBody: { required: false, content: { 'application/json': { schema: followBody } } },
      responses: { 200: jsonResponse('How the caller follows the record.', followerSchema), ...problemResponses([400, 401, 403, 404, 422]) },
    },
    delete: {
      operationId: 'unfollowRecord',
      summary: 'Stop following a record',
      tags,
      parameters: [...recordParameters],
      responses: { 204: { description: 'No longer following (also when the caller did not follow it).' }, ...problemResponses([400, 401, 403, 404]) },
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
