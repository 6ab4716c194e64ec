import { jsonResponse, problemResponses } from '../openapi/components.ts';
import type { JsonSchema, OpenApiParameter, OpenApiPathItem } from '../openapi/openapi-types.ts';

export const AUDIT_TAG = 'Audit log';
export const AUDIT_OPERATION_IDS = ['listAuditEntries', 'exportAuditEntries'] as const;

export interface AuditQuerystring {
  action?: string;
  userId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  scope?: 'workspace' | 'instance';
}

const filterProperties = {
  action: { type: 'string', minLength: 1, maxLength: 200, description: 'An action (`auth.sign_in.failed`) or a prefix ending in `.` or `*` (`auth.`).' },
  userId: { type: 'string', format: 'uuid', description: 'Entries by this acting user.' },
  from: { type: 'string', maxLength: 40, description: 'Entries at or after this ISO 8601 date or timestamp.' },
  to: { type: 'string', maxLength: 40, description: 'Entries before this ISO 8601 date or timestamp.' },
  scope: {
    type: 'string',
    enum: ['workspace', 'instance'],
    description: "`workspace` (default) or `instance`: entries that belong to no workspace (failed sign-ins for unknown emails); for the administrators of the instance's first workspace.",
  },
} as const;

export const auditListQuerystring = {
  type: 'object',
  properties: {
    ...filterProperties,
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Entries per page.' },
    cursor: { type: 'string', maxLength: 200, description: '`pageInfo.nextCursor` of the previous page, with the same filters.' },
  },
  additionalProperties: false,
} as const;

export const auditExportQuerystring = { type: 'object', properties: filterProperties, additionalProperties: false } as const;

export const auditEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer', description: 'Grows with time: a higher id is a later entry.' },
    at: { type: 'string', format: 'date-time' },
    actorId: { type: ['string', 'null'], description: 'The acting user; null for a key without a user or a failed sign-in.' },
    action: { type: 'string', examples: ['auth.sign_in.succeeded'] },
    objectName: { type: ['string', 'null'] },
    recordId: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    details: { type: 'object', additionalProperties: true },
  },
  required: ['id', 'at', 'actorId', 'action', 'objectName', 'recordId', 'ip', 'userAgent', 'details'],
} as const;

export const auditPageSchema = {
  type: 'object',
  properties: {
    data: { type: 'array', items: auditEntrySchema },
    pageInfo: {
      type: 'object',
      properties: { hasNextPage: { type: 'boolean' }, nextCursor: { type: ['string', 'null'] } },
      required: ['hasNextPage', 'nextCursor'],
    },
  },
  required: ['data', 'pageInfo'],
} as const;

const toParameters = (properties: Record<string, JsonSchema>): OpenApiParameter[] =>
  Object.entries(properties).map(([name, { description, ...schema }]) => ({ name, in: 'query', description: description as string, schema }));

const tags = [AUDIT_TAG];

export const AUDIT_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/audit': {
    get: {
      operationId: 'listAuditEntries',
      summary: 'Search the audit log',
      description: 'Sign-ins, 2FA, role, key, export, import and admin changes of the workspace, newest first. Workspace administrators only.',
      tags,
      parameters: toParameters(auditListQuerystring.properties),
      responses: { 200: jsonResponse('A page of entries.', auditPageSchema), ...problemResponses([400, 401, 403]) },
    },
  },
  '/api/v1/audit/export': {
    get: {
      operationId: 'exportAuditEntries',
      summary: 'Export the audit log as JSON lines',
      description: 'Every matching entry, newest first, one JSON object per line (`application/x-ndjson`), for a SIEM. Workspace administrators only.',
      tags,
      parameters: toParameters(auditExportQuerystring.properties),
      responses: {
        200: { description: 'One audit entry per line.', content: { 'application/x-ndjson': { schema: auditEntrySchema } } },
        ...problemResponses([400, 401, 403]),
      },
    },
  },
};
