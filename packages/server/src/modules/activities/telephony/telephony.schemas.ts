import { jsonResponse, problemResponses } from '../../../engine/api/openapi/components.ts';
import type { OpenApiPathItem } from '../../../engine/api/openapi/openapi-types.ts';
import { TELEPHONY_PROVIDERS } from './telephony-adapter.ts';
import { MIN_SECRET_LENGTH } from './telephony-settings.ts';

export const TELEPHONY_TAG = { name: 'Telephony', description: 'Calls from a telephony provider: settings, and the signed webhook that turns its events into call records.' };

export const settingsSchema = {
  type: 'object',
  properties: {
    isConfigured: { type: 'boolean' },
    provider: { type: ['string', 'null'], enum: [...TELEPHONY_PROVIDERS, null] },
    hasSecret: { type: 'boolean' },
    secretHint: { type: ['string', 'null'], description: 'The last four characters of the secret; the secret itself is never returned.' },
    webhookUrl: { type: ['string', 'null'], description: 'The URL to give the provider: `POST`, signed.' },
    lines: { type: 'object', additionalProperties: { type: 'string', format: 'uuid' }, description: 'A number (E.164) or extension → the user who answers it.' },
    defaultCountry: { type: ['string', 'null'] },
    updatedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['isConfigured', 'provider', 'hasSecret', 'secretHint', 'webhookUrl', 'lines', 'defaultCountry', 'updatedAt'],
} as const;

export const settingsBody = {
  type: 'object',
  properties: {
    provider: { type: 'string', enum: [...TELEPHONY_PROVIDERS] },
    secret: { type: 'string', minLength: MIN_SECRET_LENGTH, maxLength: 500, description: 'rapport: the shared signing secret; twilio: the account\'s auth token. Omitted: the stored one is kept.' },
    lines: { type: 'object', maxProperties: 1000, additionalProperties: { type: 'string', maxLength: 100 }, propertyNames: { maxLength: 100 } },
    defaultCountry: { type: ['string', 'null'], pattern: '^[A-Za-z]{2}$' },
    rotateWebhookToken: { type: 'boolean' },
  },
  required: ['provider'],
  additionalProperties: false,
} as const;

export const webhookQuerystring = {
  type: 'object',
  properties: { token: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['token'],
} as const;

const webhookAnswer = {
  type: 'object',
  properties: {
    data: {
      type: 'array',
      items: { type: 'object', properties: { callId: { type: 'string' }, recordId: { type: ['string', 'null'], format: 'uuid' }, action: { type: 'string', enum: ['created', 'updated', 'unchanged'] } } },
    },
  },
} as const;

export const testEventBody = {
  type: ['object', 'null'],
  properties: {
    from: { type: 'string', minLength: 1, maxLength: 100, description: 'The caller\'s number (default: a fictitious +12025550142).' },
    line: { type: 'string', minLength: 1, maxLength: 100, description: 'The line called, a number or extension (default: the caller\'s own line, else the first one).' },
  },
  additionalProperties: false,
} as const;

const namedRef = { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'] } as const;

export const testEventSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean', description: 'Whether the webhook would accept the event and record the call.' },
    failure: {
      type: ['object', 'null'],
      properties: {
        code: { type: 'string', enum: ['notConfigured', 'signatureRefused', 'eventRefused', 'callRefused'] },
        message: { type: 'string' },
        errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'code', 'message'] } },
      },
      required: ['code', 'message'],
    },
    provider: { type: ['string', 'null'], enum: [...TELEPHONY_PROVIDERS, null] },
    event: {
      type: ['object', 'null'],
      properties: { callId: { type: 'string' }, type: { type: 'string' }, direction: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
      required: ['callId', 'type', 'direction', 'from', 'to', 'at'],
    },
    call: {
      type: ['object', 'null'],
      properties: { subject: { type: ['string', 'null'] }, phone: { type: ['string', 'null'] }, owner: namedRef, person: namedRef, screenPop: { type: 'boolean' } },
      required: ['subject', 'phone', 'owner', 'person', 'screenPop'],
    },
    notes: {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string', enum: ['noLines', 'lineUnknown', 'ownerInactive', 'noPersonMatched', 'callerNotANumber', 'personHiddenFromOwner'] }, message: { type: 'string' } }, required: ['code', 'message'] },
    },
  },
  required: ['ok', 'failure', 'provider', 'event', 'call', 'notes'],
} as const;

export const TELEPHONY_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/telephony/settings': {
    get: {
      operationId: 'getTelephonySettings',
      summary: "The workspace's telephony settings",
      description: 'Administrators only. The secret is never returned, only whether there is one and its last characters.',
      tags: [TELEPHONY_TAG.name],
      responses: { 200: jsonResponse('The settings.', settingsSchema), ...problemResponses([401, 403]) },
    },
    put: {
      operationId: 'putTelephonySettings',
      summary: "Sets the workspace's telephony provider, secret and lines",
      description: 'Administrators only. The secret is stored encrypted; the first save makes the webhook URL.',
      tags: [TELEPHONY_TAG.name],
      requestBody: { required: true, content: { 'application/json': { schema: settingsBody } } },
      responses: { 200: jsonResponse('The settings.', settingsSchema), ...problemResponses([400, 401, 403, 422]) },
    },
  },
  '/api/v1/telephony/test-event': {
    post: {
      operationId: 'postTelephonyTestEvent',
      summary: 'Sends a test event through the webhook\'s pipeline',
      description:
        'Administrators only. Signs a sample ringing inbound call with the stored secret, as the provider would for the webhook URL, reads it through the provider\'s adapter and applies it as the webhook does (the line\'s owner, the person matched by number, the write path and rules of `call`, the screen pop) — then rolls it all back: no call record stays, no screen pops, nobody is notified. `ok` says whether the webhook would record the call; `failure` says why not, `notes` what works but deserves a look (no owner, nobody with the number...).',
      tags: [TELEPHONY_TAG.name],
      requestBody: { required: false, content: { 'application/json': { schema: testEventBody } } },
      responses: { 200: jsonResponse('What the event would do.', testEventSchema), ...problemResponses([400, 401, 403, 422]) },
    },
  },
  '/api/v1/telephony/events': {
    post: {
      operationId: 'postTelephonyEvents',
      summary: 'The telephony webhook',
      description:
        'Called by the provider, without a credential: the `token` of the webhook URL names the workspace and the signature (`X-Rapport-Signature`, or `X-Twilio-Signature`) proves the sender. Each event creates or updates the call with its `callId` (docs/reference/telephony.md). A bad, missing or stale signature answers 401 and writes nothing.',
      tags: [TELEPHONY_TAG.name],
      security: [],
      parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } }, 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } },
      responses: { 200: jsonResponse('What each event did.', webhookAnswer), ...problemResponses([400, 401, 429]) },
    },
  },
};
