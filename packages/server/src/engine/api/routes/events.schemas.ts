import { jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const EVENTS_TAG = 'Change feed';
export const EVENTS_OPERATION_IDS = ['listEvents', 'streamEvents'] as const;

export const eventsQuerystring = {
  type: 'object',
  properties: {
    after: { type: 'integer', minimum: 0, description: 'Events after this id (`pageInfo.nextAfter` of the previous page); 0 by default.' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Events per page.' },
  },
  additionalProperties: false,
} as const;

export const eventsStreamQuerystring = {
  type: 'object',
  properties: {
    after: { type: 'integer', minimum: 0, description: 'Start after this event id; `Last-Event-ID` wins. Without either, only events from now on.' },
  },
  additionalProperties: false,
} as const;

export const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer', description: 'Grows with each committed event of the server: resume after it.' },
    workspaceId: { type: 'string', format: 'uuid' },
    type: { type: 'string', enum: ['record.created', 'record.updated', 'record.deleted', 'record.restored', 'notification.created', 'call.ringing'] },
    object: { type: 'string', description: 'The object of the record (`notification` for notifications).' },
    recordId: { type: 'string', format: 'uuid' },
    changedFields: { type: 'array', items: { type: 'string' } },
    payload: { type: 'object', additionalProperties: true, description: 'The record after the change (before it, for a deletion) with only the fields the caller may see; a notification for `notification.created`.' },
    actorId: { type: ['string', 'null'], format: 'uuid' },
    occurredAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'workspaceId', 'type', 'object', 'recordId', 'changedFields', 'payload', 'actorId', 'occurredAt'],
} as const;

export const eventsPageSchema = {
  type: 'object',
  properties: {
    data: { type: 'array', items: eventSchema },
    pageInfo: {
      type: 'object',
      properties: {
        hasNextPage: { type: 'boolean' },
        nextAfter: { type: 'integer', description: 'Pass as `after` for the next page (it may skip events you may not see).' },
      },
      required: ['hasNextPage', 'nextAfter'],
    },
  },
  required: ['data', 'pageInfo'],
} as const;

const tags = [EVENTS_TAG];

export const EVENTS_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/events': {
    get: {
      operationId: 'listEvents',
      summary: 'Read the change feed',
      description:
        'Committed record events, oldest first, read by id. Each caller sees only events of objects and records they may read now, without the fields hidden from them; an update of hidden fields only is left out.',
      tags,
      parameters: Object.entries(eventsQuerystring.properties).map(([name, { description, ...schema }]) => ({ name, in: 'query', description, schema })),
      responses: { 200: jsonResponse('A page of events.', eventsPageSchema), ...problemResponses([400, 401]) },
    },
  },
  '/api/v1/events/stream': {
    get: {
      operationId: 'streamEvents',
      summary: 'Follow the change feed as server-sent events',
      description:
        'A `text/event-stream`: each event as `id:` (its id), `event:` (its type) and `data:` (the event as JSON), filtered like `GET /events`. A comment line every 15 seconds keeps the connection open; the server closes it after 5 minutes and the client reconnects with `Last-Event-ID` (EventSource does so by itself), so nothing is missed.',
      tags,
      parameters: [
        { name: 'after', in: 'query', description: eventsStreamQuerystring.properties.after.description, schema: { type: 'integer', minimum: 0 } },
        { name: 'Last-Event-ID', in: 'header', description: 'The id of the last event received: the stream resumes after it.', schema: { type: 'string', pattern: '^[0-9]+$' } },
      ],
      responses: {
        200: { description: 'The stream of events.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...problemResponses([400, 401]),
      },
    },
  },
};
