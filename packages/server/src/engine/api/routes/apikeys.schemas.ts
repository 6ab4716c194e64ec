import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const API_KEYS_TAG = 'API keys';
export const API_KEY_OPERATION_IDS = ['listApiKeys', 'createApiKey', 'revokeApiKey'] as const;

const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const apiKeySchema = {
  type: 'object',
  description: 'An API key, without its token (shown once, at creation).',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    userId: { type: ['string', 'null'], format: 'uuid', description: 'The user the key acts as (their role applies on top of the scopes); null for a workspace key.' },
    createdBy: { type: ['string', 'null'], format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: nullableTimestamp,
    lastUsedAt: { ...nullableTimestamp, description: 'Updated at most once a minute.' },
    revokedAt: nullableTimestamp,
  },
  required: ['id', 'name', 'scopes', 'userId', 'createdBy', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'],
} as const;

export const createdApiKeySchema = {
  ...apiKeySchema,
  description: 'The new key, with its token: store it now, it is never shown again.',
  properties: { ...apiKeySchema.properties, token: { type: 'string', description: 'Send it as `Authorization: Bearer <token>`.' } },
  required: [...apiKeySchema.required, 'token'],
} as const;

export const apiKeyListSchema = { type: 'object', properties: { data: { type: 'array', items: apiKeySchema } }, required: ['data'] } as const;

export const listApiKeysQuerystring = {
  type: 'object',
  properties: { includeRevoked: { type: 'boolean', default: false, description: 'Also list revoked keys.' } },
  additionalProperties: false,
} as const;

export const createApiKeyBody = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    scopes: {
      type: 'array',
      items: { type: 'string', maxLength: 200 },
      minItems: 1,
      maxItems: 100,
      description: '`admin`, `read:*`, `write:*`, `read:<object>` or `write:<object>` (write includes read). Only administrators may create `admin` keys.',
    },
    expiresAt: { type: 'string', format: 'date-time', description: 'When the key stops working; never by default.' },
  },
  required: ['name', 'scopes'],
  additionalProperties: false,
} as const;

export const apiKeyIdParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;

const tags = [API_KEYS_TAG];

export const API_KEY_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/apikeys': {
    get: {
      operationId: 'listApiKeys',
      summary: 'List API keys',
      description: 'Administrators see every key of the workspace, others their own. Tokens are never listed.',
      tags,
      parameters: [{ name: 'includeRevoked', in: 'query', schema: { type: 'boolean' } }],
      responses: { 200: jsonResponse('The keys, newest first.', apiKeyListSchema), ...problemResponses([400, 401, 429]) },
    },
    post: {
      operationId: 'createApiKey',
      summary: 'Create an API key',
      description: 'A key made by a signed-in user belongs to them: their role applies on top of its scopes. The token is in this response only.',
      tags,
      requestBody: jsonBody(createApiKeyBody, { name: 'Zapier', scopes: ['read:person', 'write:person'], expiresAt: '2027-01-01T00:00:00Z' }),
      responses: { 201: jsonResponse('The key and its token.', createdApiKeySchema, ['Location']), ...problemResponses([400, 401, 403, 422, 429]) },
    },
  },
  '/api/v1/apikeys/{id}': {
    parameters: [{ name: 'id', in: 'path', required: true, description: 'The key id.', schema: { type: 'string', format: 'uuid' } }],
    delete: {
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      description: 'The key stops working at once. Administrators may revoke any key of the workspace, others their own.',
      tags,
      responses: { 204: { description: 'Revoked.' }, ...problemResponses([401, 403, 404, 429]) },
    },
  },
};
