import { DUPLICATE_REASONS } from '@rapport/common';
import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const DUPLICATES_TAG = 'Duplicates';
export const DUPLICATES_OPERATION_IDS = [
  'checkDuplicates', 'listRecordDuplicates', 'listDuplicatePairs', 'dismissDuplicatePair', 'scanDuplicates', 'mergeRecords', 'previewMerge', 'getMerge', 'undoMerge',
] as const;

const uuid = { type: 'string', format: 'uuid' } as const;
// Records come as the records API returns them (the object's own schema in the per-object paths).
const record = { type: 'object', description: 'A record as `GET /records/{object}/{id}` returns it.', properties: { id: uuid, version: { type: 'integer' } }, required: ['id', 'version'], additionalProperties: true } as const;
const reasons = {
  type: 'array',
  items: { type: 'string', enum: DUPLICATE_REASONS },
  description: '`email`: an email in common; `phone`: a phone number in common (E.164); `domain`: the same web domain; `name`: similar titles (trigram similarity ≥ 0.5).',
} as const;
const score = { type: 'number', minimum: 0, maximum: 1, description: 'How alike, 0..1: each reason adds evidence (an email 0.95, a phone 0.85, a domain 0.8, a name its similarity).' } as const;

export const candidateSchema = {
  type: 'object',
  properties: { record, score, reasons },
  required: ['record', 'score', 'reasons'],
} as const;
export const candidatesSchema = { type: 'object', properties: { data: { type: 'array', items: candidateSchema } }, required: ['data'] } as const;

export const pairSchema = {
  type: 'object',
  properties: { id: uuid, object: { type: 'string' }, a: record, b: record, score, reasons, foundAt: { type: 'string', format: 'date-time' } },
  required: ['id', 'object', 'a', 'b', 'score', 'reasons', 'foundAt'],
} as const;
export const pairsPageSchema = {
  type: 'object',
  properties: { data: { type: 'array', items: pairSchema }, nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last.' } },
  required: ['data', 'nextCursor'],
} as const;
export const dismissedSchema = { type: 'object', properties: { id: uuid, dismissedAt: { type: 'string', format: 'date-time' } }, required: ['id', 'dismissedAt'] } as const;
export const scanResultSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'array',
      items: { type: 'object', properties: { object: { type: 'string' }, scanned: { type: 'integer', minimum: 0 }, pairs: { type: 'integer', minimum: 0 } }, required: ['object', 'scanned', 'pairs'] },
    },
  },
  required: ['data'],
} as const;

export const mergeSchema = {
  type: 'object',
  properties: {
    id: uuid,
    object: { type: 'string' },
    survivorId: uuid,
    mergedIds: { type: 'array', items: uuid },
    movedRelations: { type: 'integer', minimum: 0, description: 'Related records (each once, however many of its fields pointed at a merged record) and links moved from the merged records to the survivor.' },
    actorId: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    undoneAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'object', 'survivorId', 'mergedIds', 'movedRelations', 'actorId', 'createdAt', 'undoneAt'],
} as const;
export const mergeResultSchema = { type: 'object', properties: { merge: mergeSchema, record }, required: ['merge', 'record'] } as const;
export const mergePreviewSchema = {
  type: 'object',
  properties: {
    relations: {
      type: 'array',
      description: 'Per relation, how many related records (that you may read) will move to the survivor.',
      items: { type: 'object', properties: { object: { type: 'string' }, field: { type: 'string' }, count: { type: 'integer', minimum: 1 } }, required: ['object', 'field', 'count'] },
    },
  },
  required: ['relations'],
} as const;

export const candidatesQuerystring = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 20, default: 5, description: 'At most this many candidates, most alike first.' } },
  additionalProperties: false,
} as const;
export const checkBody = {
  type: 'object',
  description: 'Record values as for a create, partial; invalid values are ignored.',
  maxProperties: 500,
  additionalProperties: true,
} as const;
export const pairsQuerystring = {
  type: 'object',
  properties: {
    object: { type: 'string', maxLength: 100, description: 'The object, e.g. `person`.' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'At most this many pairs.' },
    cursor: { type: 'string', maxLength: 500, description: '`nextCursor` of the previous page.' },
  },
  required: ['object'],
  additionalProperties: false,
} as const;
export const idParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false } as const;
export const scanBody = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 100, description: 'Only this object; by default every object with emails, phones or web addresses.' } },
  additionalProperties: false,
} as const;
const ids = { type: 'array', items: uuid, minItems: 1, maxItems: 10, uniqueItems: true } as const;
export const mergeBody = {
  type: 'object',
  properties: {
    survivorId: { ...uuid, description: 'The record kept.' },
    mergedIds: { ...ids, description: 'The records merged into it: they go to the trash.' },
    values: { type: 'object', maxProperties: 500, additionalProperties: true, description: 'The value kept for each field, written on the survivor (fields left out keep the survivor\'s value).' },
    survivorVersion: { type: 'integer', minimum: 1, description: 'The survivor\'s version the choices were made on: VERSION_MISMATCH (412) if it changed since.' },
  },
  required: ['survivorId', 'mergedIds'],
  additionalProperties: false,
} as const;
export const previewBody = {
  type: 'object',
  properties: { survivorId: uuid, mergedIds: ids },
  required: ['survivorId', 'mergedIds'],
  additionalProperties: false,
} as const;

const tags = [DUPLICATES_TAG];
const objectParameter = { name: 'object', in: 'path', required: true, description: 'The object\'s API name, e.g. `person`.', schema: { type: 'string', maxLength: 100 } } as const;
const recordIdParameter = { name: 'id', in: 'path', required: true, description: 'The record id.', schema: uuid } as const;
const idParameter = (what: string) => ({ name: 'id', in: 'path', required: true, description: `The ${what} id.`, schema: uuid }) as const;
const limitParameter = { name: 'limit', in: 'query', description: candidatesQuerystring.properties.limit.description, schema: { type: 'integer', minimum: 1, maximum: 20, default: 5 } } as const;

export const DUPLICATES_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/records/{object}/duplicates/check': {
    post: {
      operationId: 'checkDuplicates',
      summary: 'Find records that look like these values',
      description: 'For a create form ("this looks like …"): live records you may read with an email, phone or web domain in common, or a similar title. Only fields you see are compared. Non-blocking: nothing is written.',
      tags,
      parameters: [objectParameter, limitParameter],
      requestBody: jsonBody(checkBody, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }),
      responses: { 200: jsonResponse('Candidates, most alike first.', candidatesSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/records/{object}/{id}/duplicates': {
    get: {
      operationId: 'listRecordDuplicates',
      summary: 'Find records that look like this one',
      tags,
      parameters: [objectParameter, recordIdParameter, limitParameter],
      responses: { 200: jsonResponse('Candidates, most alike first.', candidatesSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/records/{object}/merge': {
    post: {
      operationId: 'mergeRecords',
      summary: 'Merge records into one',
      description: 'In one transaction: the merged records go to the trash (restorable), every relation pointing at them (many-to-one fields of any object, many-to-many links) moves to the survivor, the chosen `values` are written on the survivor through the write path, and history entries (`merged`) are added to every record. Audited as `record.merged`. Needs update and delete on the object and write access to every record. Undo with `POST /merges/{id}/undo`.',
      tags,
      parameters: [objectParameter],
      requestBody: jsonBody(mergeBody),
      responses: { 200: jsonResponse('The merge and the survivor as it is now.', mergeResultSchema), ...problemResponses([400, 401, 403, 404, 409, 412, 422]) },
    },
  },
  '/api/v1/records/{object}/merge/preview': {
    post: {
      operationId: 'previewMerge',
      summary: 'What a merge would move',
      tags,
      parameters: [objectParameter],
      requestBody: jsonBody(previewBody),
      responses: { 200: jsonResponse('Related records per relation.', mergePreviewSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/merges/{id}': {
    get: {
      operationId: 'getMerge',
      summary: 'Get a merge',
      tags,
      parameters: [idParameter('merge')],
      responses: { 200: jsonResponse('The merge.', mergeSchema), ...problemResponses([400, 401, 404]) },
    },
  },
  '/api/v1/merges/{id}/undo': {
    post: {
      operationId: 'undoMerge',
      summary: 'Undo a merge',
      description: 'Restores the survivor\'s previous values, moves the relations back and brings the merged records out of the trash, in one transaction. `MERGE_UNDO_CONFLICT` (409) when the survivor changed after the merge; `MERGE_ALREADY_UNDONE` (409) the second time. Audited as `record.unmerged`.',
      tags,
      parameters: [idParameter('merge')],
      responses: { 200: jsonResponse('The merge (with `undoneAt`) and the survivor as it is now.', mergeResultSchema), ...problemResponses([400, 401, 403, 404, 409]) },
    },
  },
  '/api/v1/duplicates': {
    get: {
      operationId: 'listDuplicatePairs',
      summary: 'List duplicate pairs found by the scan',
      description: 'Pairs of live records you may both read, found by a field you see (`reasons` lists only those), most alike first; pairs marked "not duplicates" are left out. The scan runs every ten minutes over records changed since its last run.',
      tags,
      parameters: Object.entries(pairsQuerystring.properties).map(([name, { description, ...schema }]) => ({ name, in: 'query', description, required: name === 'object', schema })),
      responses: { 200: jsonResponse('A page of pairs.', pairsPageSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/duplicates/{id}/dismiss': {
    post: {
      operationId: 'dismissDuplicatePair',
      summary: 'Mark a pair as not duplicates',
      description: 'The pair leaves the list and later scans leave it dismissed.',
      tags,
      parameters: [idParameter('pair')],
      responses: { 200: jsonResponse('The pair, dismissed.', dismissedSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/duplicates/scan': {
    post: {
      operationId: 'scanDuplicates',
      summary: 'Run the duplicate scan now',
      description: 'One bounded pass of the scheduled scan for this workspace (up to 500 changed records per object). Administrators only.',
      tags,
      requestBody: { required: false, content: { 'application/json': { schema: scanBody } } },
      responses: { 200: jsonResponse('Records looked at and pairs found, per object.', scanResultSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
};
