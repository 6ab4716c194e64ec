import { jsonBody, jsonResponse, problemResponses } from '../../../engine/api/openapi/components.ts';
import type { OpenApiPathItem } from '../../../engine/api/openapi/openapi-types.ts';

export const CALENDAR_TAG = {
  name: 'Calendar',
  description: 'Your private calendar feed (meetings and tasks for any calendar app) and how reminders reach you.',
};

export const calendarFeedSchema = {
  type: 'object',
  properties: { url: { type: 'string', format: 'uri', description: 'The private address of your feed: anyone who has it can read your calendar, so share it with your calendar app only.' } },
  required: ['url'],
  additionalProperties: false,
} as const;

export const reminderPreferencesSchema = {
  type: 'object',
  properties: { reminderEmails: { type: 'boolean', description: 'Reminders of your tasks also arrive by email (besides the bell).' } },
  required: ['reminderEmails'],
  additionalProperties: false,
} as const;

export const reminderPreferencesPatch = {
  type: 'object',
  properties: reminderPreferencesSchema.properties,
  additionalProperties: false,
} as const;

export const feedParams = {
  type: 'object',
  properties: { feed: { type: 'string', maxLength: 100, description: 'The feed token followed by `.ics`.' } },
  required: ['feed'],
  additionalProperties: false,
} as const;

const tags = [CALENDAR_TAG.name];

export const CALENDAR_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/me/calendar-feed': {
    get: {
      operationId: 'getCalendarFeed',
      summary: 'Get your calendar feed address',
      description: 'The address of your private iCalendar feed in this workspace, made on first use; the same address until you revoke it. Users only (not workspace keys).',
      tags,
      responses: { 200: jsonResponse('The feed address.', calendarFeedSchema), ...problemResponses([401, 403, 429]) },
    },
    delete: {
      operationId: 'revokeCalendarFeed',
      summary: 'Revoke your calendar feed address',
      description: 'The address stops working at once (404); asking for the feed again gives a new address.',
      tags,
      responses: { 204: { description: 'Revoked (or there was none).' }, ...problemResponses([401, 403, 429]) },
    },
  },
  '/api/v1/me/reminder-preferences': {
    get: {
      operationId: 'getReminderPreferences',
      summary: 'Get how reminders reach you',
      tags,
      responses: { 200: jsonResponse('Your preferences.', reminderPreferencesSchema), ...problemResponses([401, 403, 429]) },
    },
    patch: {
      operationId: 'updateReminderPreferences',
      summary: 'Change how reminders reach you',
      description: 'A preference of the person: it applies in every workspace they belong to.',
      tags,
      requestBody: jsonBody(reminderPreferencesPatch, { reminderEmails: false }),
      responses: { 200: jsonResponse('Your preferences.', reminderPreferencesSchema), ...problemResponses([400, 401, 403, 429]) },
    },
  },
  '/api/v1/public/calendar/{feed}': {
    get: {
      operationId: 'readCalendarFeed',
      summary: 'Read a calendar feed (iCalendar)',
      description:
        'No authentication: the token in the address is the credential. Your meetings (organised or attended as a colleague) from 90 days back to a year ahead and your open tasks with a due date (all-day entries, recurring ones with their RRULE), as you may read them. Rate limited per address and per client.',
      tags,
      security: [],
      parameters: [{ name: 'feed', in: 'path', required: true, description: 'The feed token followed by `.ics`, as given by `GET /me/calendar-feed`.', schema: { type: 'string' } }],
      responses: {
        200: { description: 'The calendar (RFC 5545).', content: { 'text/calendar': { schema: { type: 'string' } } } },
        ...problemResponses([404, 429]),
      },
    },
  },
};
