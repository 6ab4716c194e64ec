import { jsonResponse, problemResponses } from '../openapi/components.ts';
import { parameterRef, type OpenApiPathItem } from '../openapi/openapi-types.ts';
import { METADATA_TAG } from '../openapi/static-paths.ts';

export const FIELD_ENCRYPTION_OPERATION_IDS = ['encryptFieldDefinition'] as const;

export const encryptFieldParams = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 100 }, field: { type: 'string', maxLength: 100 } },
  required: ['object', 'field'],
} as const;

export const encryptFieldAcceptedSchema = {
  type: 'object',
  properties: {
    job: {
      type: 'object',
      description: 'The background job that encrypts the stored values; follow it with GET /api/v1/jobs/{id}.',
      properties: {
        id: { type: 'string', format: 'uuid' },
        type: { type: 'string', enum: ['metadata.encryptField'] },
        status: { type: 'string' },
      },
      required: ['id', 'type', 'status'],
    },
  },
  required: ['job'],
} as const;

export const FIELD_ENCRYPTION_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/metadata/objects/{object}/fields/{field}/encrypt': {
    parameters: [parameterRef('objectName'), parameterRef('fieldName')],
    post: {
      operationId: 'encryptFieldDefinition',
      summary: 'Encrypt an existing field',
      description:
        'Queues a job that encrypts every stored value of the field (trashed records, history and outbox events included), then marks it `options.encrypted`. Writes to the object wait while it runs. Not reversible. Refused (422 INVALID_METADATA) for types that cannot be encrypted, the title field, a field with a default value, and unique fields other than single email and phone.',
      tags: [METADATA_TAG],
      responses: { 202: jsonResponse('The job was queued (or already exists).', encryptFieldAcceptedSchema), ...problemResponses([401, 403, 404, 422]) },
    },
  },
};
