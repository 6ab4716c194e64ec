import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiParameter, OpenApiPathItem } from '../openapi/openapi-types.ts';
import { RETENTION_ACTIONS, RETENTION_RUN_LIMIT } from '../../privacy/retention.service.ts';
import { filterJson, idParams, listOf, uuid } from './permission.schemas.ts';

export const RETENTION_TAG = 'Retention rules';
export const RETENTION_OPERATION_IDS = ['listRetentionRules', 'createRetentionRule', 'getRetentionRule', 'updateRetentionRule', 'deleteRetentionRule', 'previewRetentionRule', 'runRetentionRule'] as const;

const timestamp = { type: 'string', format: 'date-time' } as const;

const ruleProperties = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  object: { type: 'string', maxLength: 200, description: 'The object whose records the rule handles.' },
  basisField: { type: 'string', maxLength: 200, description: 'The date the days count from: `createdAt`, `updatedAt` or a date or datetime field of the object.' },
  afterDays: { type: 'integer', minimum: 1, maximum: 36_500, description: 'Days after the basis date when a record is due.' },
  action: { type: 'string', enum: [...RETENTION_ACTIONS], description: '`anonymise`: erase its personal data everywhere (as `POST …/erase`), keeping the record and its links; `delete`: move it to the trash.' },
  filter: { ...filterJson, type: ['object', 'null'], description: 'Only the records matching this filter (the query language).' },
  enabled: { type: 'boolean', description: 'Disabled rules do not run every day; they can still be previewed and run by hand.' },
} as const;

export const retentionRuleSchema = {
  type: 'object',
  description: 'Records of one object anonymised or deleted a number of days after one of their dates, every day.',
  properties: {
    id: uuid,
    ...ruleProperties,
    createdBy: { type: ['string', 'null'], format: 'uuid' },
    lastRun: {
      type: ['object', 'null'],
      properties: { at: timestamp, count: { type: 'integer' }, error: { type: ['string', 'null'] } },
      required: ['at', 'count', 'error'],
    },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'name', 'object', 'basisField', 'afterDays', 'action', 'filter', 'enabled', 'createdBy', 'lastRun', 'createdAt', 'updatedAt'],
} as const;

export const retentionCreateBody = { type: 'object', properties: ruleProperties, required: ['name', 'object', 'basisField', 'afterDays', 'action'], additionalProperties: false } as const;
export const retentionPatchBody = { type: 'object', properties: ruleProperties, additionalProperties: false, minProperties: 1 } as const;
export const retentionPreviewSchema = {
  type: 'object',
  properties: {
    count: { type: 'integer', description: 'Records the rule would handle if it ran now.' },
    sample: { type: 'array', items: { type: 'object', properties: { id: uuid, label: { type: ['string', 'null'] } }, required: ['id', 'label'] }, description: 'The oldest ten of them.' },
  },
  required: ['count', 'sample'],
} as const;
export const retentionRunSchema = {
  type: 'object',
  properties: { processed: { type: 'integer' }, hasMore: { type: 'boolean', description: `More were due than one run handles (${RETENTION_RUN_LIMIT.toLocaleString('en-US')}); run again or let the daily job go on.` } },
  required: ['processed', 'hasMore'],
} as const;

export { idParams, listOf };

const tags = [RETENTION_TAG];
const idParameter: OpenApiParameter[] = [{ name: 'id', in: 'path', required: true, description: 'The rule id.', schema: uuid }];
const adminOnly = 'Workspace administrators only (licence feature `admin`).';

export const RETENTION_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/retention-rules': {
    get: { operationId: 'listRetentionRules', summary: 'List retention rules', description: adminOnly, tags, responses: { 200: jsonResponse('The rules.', listOf(retentionRuleSchema)), ...problemResponses([401, 403, 429]) } },
    post: {
      operationId: 'createRetentionRule',
      summary: 'Make a retention rule',
      description: `${adminOnly} The rule runs every day (03:40 UTC) on the records due then; preview it first.`,
      tags,
      requestBody: jsonBody(retentionCreateBody, { name: 'Anonymise old leads', object: 'person', basisField: 'updatedAt', afterDays: 1095, action: 'anonymise', filter: { field: 'company', op: 'isEmpty' } }),
      responses: { 201: jsonResponse('The rule.', retentionRuleSchema, ['Location']), ...problemResponses([400, 401, 403, 422, 429]) },
    },
  },
  '/api/v1/retention-rules/{id}': {
    parameters: idParameter,
    get: { operationId: 'getRetentionRule', summary: 'Get a retention rule', description: adminOnly, tags, responses: { 200: jsonResponse('The rule.', retentionRuleSchema), ...problemResponses([401, 403, 404, 429]) } },
    patch: { operationId: 'updateRetentionRule', summary: 'Change a retention rule', description: adminOnly, tags, requestBody: jsonBody(retentionPatchBody, { afterDays: 730, enabled: false }), responses: { 200: jsonResponse('The rule.', retentionRuleSchema), ...problemResponses([400, 401, 403, 404, 422, 429]) } },
    delete: { operationId: 'deleteRetentionRule', summary: 'Delete a retention rule', description: adminOnly, tags, responses: { 204: { description: 'Deleted.' }, ...problemResponses([401, 403, 404, 429]) } },
  },
  '/api/v1/retention-rules/{id}/preview': {
    parameters: idParameter,
    post: { operationId: 'previewRetentionRule', summary: 'What a retention rule would do now', description: `${adminOnly} Changes nothing.`, tags, responses: { 200: jsonResponse('The records due now.', retentionPreviewSchema), ...problemResponses([401, 403, 404, 409, 429]) } },
  },
  '/api/v1/retention-rules/{id}/run': {
    parameters: idParameter,
    post: {
      operationId: 'runRetentionRule',
      summary: 'Run a retention rule now',
      description: `${adminOnly} Anonymises or deletes the records due now (at most ${RETENTION_RUN_LIMIT.toLocaleString('en-US')}); audited as \`retention.applied\` with the count. Anonymising cannot be undone.`,
      tags,
      responses: { 200: jsonResponse('What the run did.', retentionRunSchema), ...problemResponses([401, 403, 404, 409, 429]) },
    },
  },
};
