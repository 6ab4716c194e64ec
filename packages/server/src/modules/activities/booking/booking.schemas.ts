import { jsonBody, jsonResponse, problemResponses } from '../../../engine/api/openapi/components.ts';
import type { OpenApiPathItem } from '../../../engine/api/openapi/openapi-types.ts';

export const BOOKING_TAG = {
  name: 'Booking pages',
  description: 'Public booking pages (`/book/{slug}`): free slots of a page\'s members and bookings, without a credential. See docs/reference/booking.md.',
};

const timezone = { type: 'string', minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Paris.' } as const;
const instant = { type: 'string', format: 'date-time' } as const;

export const slugParams = { type: 'object', properties: { slug: { type: 'string', minLength: 1, maxLength: 80 } }, required: ['slug'], additionalProperties: false } as const;
export const tokenParams = { type: 'object', properties: { token: { type: 'string', minLength: 20, maxLength: 100 } }, required: ['token'], additionalProperties: false } as const;

export const slotsQuerystring = {
  type: 'object',
  properties: {
    from: { type: 'string', maxLength: 40, description: 'A date (YYYY-MM-DD, the start of that day in `tz`) or an ISO instant.' },
    to: { type: 'string', maxLength: 40, description: 'A date (YYYY-MM-DD, that whole day included) or an ISO instant; at most 42 days after `from`.' },
    tz: { ...timezone, description: 'The visitor\'s time zone, for date bounds; the page\'s own by default.' },
    durationMinutes: { type: 'integer', minimum: 1, maximum: 1440, description: 'One of the page\'s `durations`; its default length otherwise.' },
  },
  required: ['from', 'to'],
  additionalProperties: false,
} as const;

export const bookBody = {
  type: 'object',
  properties: {
    start: { ...instant, description: 'The `start` of one of the slots.' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', format: 'email', maxLength: 254 },
    tz: { ...timezone, description: 'The visitor\'s time zone: their invitation shows times in it.' },
    durationMinutes: slotsQuerystring.properties.durationMinutes,
    notes: { type: 'string', maxLength: 2000, description: 'What the visitor wants to talk about; goes to the meeting\'s agenda.' },
  },
  required: ['start', 'name', 'email', 'tz'],
  additionalProperties: false,
} as const;

export const manageBody = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['cancel', 'reschedule'] },
    start: { ...instant, description: 'reschedule: the `start` of one of the page\'s slots (same length as the booking).' },
    tz: { ...timezone, description: 'The visitor\'s time zone, for the updated invitation.' },
  },
  required: ['action'],
  additionalProperties: false,
} as const;

export const publicPageSchema = {
  type: 'object',
  properties: {
    slug: { type: 'string' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    durationMinutes: { type: 'integer', description: 'The default meeting length.' },
    durations: { type: 'array', items: { type: 'integer' }, description: 'Every length a visitor may choose, the default first.' },
    timezone: { type: 'string', description: 'The page\'s time zone (its working hours are in it).' },
  },
  required: ['slug', 'name', 'description', 'durationMinutes', 'durations', 'timezone'],
} as const;

const interval = { type: 'object', properties: { start: instant, end: instant }, required: ['start', 'end'] } as const;

export const slotsSchema = {
  type: 'object',
  properties: {
    timezone: { type: 'string', description: 'The zone date bounds were read in.' },
    durationMinutes: { type: 'integer' },
    slots: { type: 'array', items: interval, description: 'Free slots in UTC, earliest first. Only free/busy is derived from the members\' calendars.' },
  },
  required: ['timezone', 'durationMinutes', 'slots'],
} as const;

export const bookedSchema = {
  type: 'object',
  properties: {
    start: instant,
    end: instant,
    durationMinutes: { type: 'integer' },
    manageUrl: { type: 'string', description: 'The visitor\'s link to reschedule or cancel (`/book/manage/{token}`); also in their invitation mail.' },
  },
  required: ['start', 'end', 'durationMinutes', 'manageUrl'],
} as const;

export const bookingSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['booked', 'cancelled'] },
    start: instant,
    end: instant,
    page: { anyOf: [publicPageSchema, { type: 'null' }] },
    canReschedule: { type: 'boolean' },
    canCancel: { type: 'boolean' },
  },
  required: ['status', 'start', 'end', 'page', 'canReschedule', 'canCancel'],
} as const;

export const managedSchema = { type: 'object', properties: { status: bookingSchema.properties.status, start: instant, end: instant }, required: ['status', 'start', 'end'] } as const;

const tags = [BOOKING_TAG.name];
const slugParameter = { name: 'slug', in: 'path' as const, required: true, description: 'The page\'s address (`/book/{slug}`).', schema: { type: 'string' } };
const tokenParameter = { name: 'token', in: 'path' as const, required: true, description: 'The manage link\'s token (from the booking\'s answer or mail).', schema: { type: 'string' } };

export const BOOKING_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/public/booking/{slug}': {
    get: {
      operationId: 'getPublicBookingPage',
      summary: 'A published booking page',
      description: 'Its name, description, meeting lengths and time zone; never its members. No authentication; limited per IP.',
      tags,
      security: [],
      parameters: [slugParameter],
      responses: { 200: jsonResponse('The page.', publicPageSchema), ...problemResponses([404, 429]) },
    },
    post: {
      operationId: 'bookPublicSlot',
      summary: 'Book a slot',
      description:
        'Creates the meeting in the CRM with the member the page assigns (round robin or first available), the visitor as its attendee (a person found by email, or created), and mails both an invitation (.ics). 409 `SLOT_TAKEN` when the slot was just taken; 422 when the page never offers that start. No authentication; limited per IP.',
      tags,
      security: [],
      parameters: [slugParameter],
      requestBody: jsonBody(bookBody, { start: '2026-03-02T09:00:00Z', name: 'Ada Lovelace', email: 'ada@example.com', tz: 'Europe/London' }),
      responses: { 201: jsonResponse('Booked.', bookedSchema), ...problemResponses([400, 404, 409, 422, 429]) },
    },
  },
  '/api/v1/public/booking/{slug}/slots': {
    get: {
      operationId: 'listPublicBookingSlots',
      summary: 'Free slots of a booking page',
      description: 'Slots of the chosen length inside the page\'s working hours, after its minimum notice, when at least one member is free (their meetings and buffer, their daily maximum). At most 42 days per request. No authentication; limited per IP.',
      tags,
      security: [],
      parameters: [
        slugParameter,
        ...(['from', 'to', 'tz', 'durationMinutes'] as const).map((name) => ({
          name,
          in: 'query' as const,
          required: name === 'from' || name === 'to',
          description: slotsQuerystring.properties[name].description,
          schema: name === 'durationMinutes' ? { type: 'integer' } : { type: 'string' },
        })),
      ],
      responses: { 200: jsonResponse('The free slots.', slotsSchema), ...problemResponses([400, 404, 422, 429]) },
    },
  },
  '/api/v1/public/booking/manage/{token}': {
    get: {
      operationId: 'getPublicBooking',
      summary: 'A booking, by its manage link',
      description: 'Its time, status and page, and whether it can still be moved or cancelled. No authentication; limited per IP.',
      tags,
      security: [],
      parameters: [tokenParameter],
      responses: { 200: jsonResponse('The booking.', bookingSchema), ...problemResponses([404, 429]) },
    },
    post: {
      operationId: 'managePublicBooking',
      summary: 'Reschedule or cancel a booking by its manage link',
      description: '`{"action": "cancel"}` cancels the meeting; `{"action": "reschedule", "start": …, "tz": …}` moves it to another free slot (409 `SLOT_TAKEN` when it was just taken). Both sides get the updated invitation. 409 `BOOKING_CLOSED` once cancelled or over. No authentication; limited per IP.',
      tags,
      security: [],
      parameters: [tokenParameter],
      requestBody: jsonBody(manageBody, { action: 'reschedule', start: '2026-03-03T10:00:00Z', tz: 'Europe/London' }),
      responses: { 200: jsonResponse('The booking as it is now.', managedSchema), ...problemResponses([400, 404, 409, 422, 429]) },
    },
  },
};
