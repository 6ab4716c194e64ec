import { MAX_SEGMENT_CHANGE, SEGMENT_KINDS, VIEW_VISIBILITIES } from '@rapport/common';
import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiParameter, OpenApiPathItem } from '../openapi/openapi-types.ts';
import { filterJson, idParams, listOf, uuid } from './permission.schemas.ts';

export const SEGMENTS_TAG = 'Segments';
export const SEGMENT_OPERATION_IDS = ['listSegments', 'createSegment', 'getSegment', 'updateSegment', 'deleteSegment', 'addSegmentMembers', 'removeSegmentMembers'] as const;

const timestamp = { type: 'string', format: 'date-time' } as const;

const segmentProperties = {
  object: { type: 'string', maxLength: 200, description: 'The object whose records the segment lists.' },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  description: { type: 'string', maxLength: 2000 },
  kind: { type: 'string', enum: [...SEGMENT_KINDS], description: '`dynamic`: the records matching `filter`, evaluated on every use; `static`: the records added to it.' },
  visibility: { type: 'string', enum: [...VIEW_VISIBILITIES], description: '`private`: only its owner sees it; `shared`: everyone who can read the object.' },
  filter: { ...filterJson, type: ['object', 'null'], description: 'Dynamic segments: the filter (the query language), checked against the fields the caller sees.' },
} as const;

export const segmentSchema = {
  type: 'object',
  description: 'A named list of one object\'s records: a saved filter (dynamic) or a hand-made list (static).',
  properties: {
    id: uuid,
    ...segmentProperties,
    ownerId: { type: ['string', 'null'], format: 'uuid' },
    memberCount: { type: ['integer', 'null'], description: 'Static segments: the records added (some may since be in the trash or not readable by you). Null for dynamic segments: list them with `count=true`.' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'object', 'name', 'description', 'kind', 'visibility', 'ownerId', 'filter', 'memberCount', 'createdAt', 'updatedAt'],
} as const;

export const segmentCreateBody = { type: 'object', properties: segmentProperties, required: ['object', 'name', 'kind'], additionalProperties: false } as const;
export const segmentPatchBody = { type: 'object', properties: segmentProperties, additionalProperties: false, minProperties: 1 } as const;
export const listSegmentsQuerystring = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 200, description: 'Only the segments of this object.' } },
  additionalProperties: false,
} as const;

const ids = { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: MAX_SEGMENT_CHANGE } as const;
export const membersAddBody = {
  type: 'object',
  description: 'Either `ids` (at most 1,000 records) or `filter` (every record matching it, at most 100,000). Only live records you may read are added; an id that is not one makes the call add nothing (422).',
  properties: { ids, filter: filterJson },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
} as const;
export const membersRemoveBody = { type: 'object', properties: { ids }, required: ['ids'], additionalProperties: false } as const;
export const membershipChangeSchema = {
  type: 'object',
  properties: { changed: { type: 'integer', description: 'Records added or removed by this call.' }, memberCount: { type: 'integer' } },
  required: ['changed', 'memberCount'],
} as const;

export { idParams, listOf };

const tags = [SEGMENTS_TAG];
const idParameter: OpenApiParameter[] = [{ name: 'id', in: 'path', required: true, description: 'The segment id.', schema: uuid }];

export const SEGMENT_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/segments': {
    get: {
      operationId: 'listSegments',
      summary: 'List segments',
      description: 'The shared segments of the objects the caller can read and the caller\'s own private ones, by name. Read a segment\'s records with `GET /api/v1/records/{object}?segment={id}` (also `POST …/query` and the exports).',
      tags,
      parameters: [{ name: 'object', in: 'query', description: 'Only the segments of this object.', schema: { type: 'string' } }],
      responses: { 200: jsonResponse('The segments.', listOf(segmentSchema)), ...problemResponses([400, 401, 429]) },
    },
    post: {
      operationId: 'createSegment',
      summary: 'Make a segment',
      tags,
      requestBody: jsonBody(segmentCreateBody, { object: 'person', name: 'Paris customers', kind: 'dynamic', visibility: 'shared', filter: { field: 'address.city', op: 'eq', value: 'Paris' } }),
      responses: { 201: jsonResponse('The segment.', segmentSchema, ['Location']), ...problemResponses([400, 401, 409, 422, 429]) },
    },
  },
  '/api/v1/segments/{id}': {
    parameters: idParameter,
    get: { operationId: 'getSegment', summary: 'Get a segment', tags, responses: { 200: jsonResponse('The segment.', segmentSchema), ...problemResponses([401, 404, 429]) } },
    patch: {
      operationId: 'updateSegment',
      summary: 'Change a segment',
      description: 'Name, description, visibility and (dynamic segments) the filter. Only the owner changes a private segment; the owner or an administrator a shared one (403 for others). Its object and kind stay.',
      tags,
      requestBody: jsonBody(segmentPatchBody, { name: 'Paris and Lyon customers', filter: { field: 'address.city', op: 'in', value: ['Paris', 'Lyon'] } }),
      responses: { 200: jsonResponse('The segment.', segmentSchema), ...problemResponses([400, 401, 403, 404, 422, 429]) },
    },
    delete: { operationId: 'deleteSegment', summary: 'Delete a segment', description: 'The records stay; only the list goes.', tags, responses: { 204: { description: 'Deleted.' }, ...problemResponses([401, 403, 404, 429]) } },
  },
  '/api/v1/segments/{id}/members': {
    parameters: idParameter,
    post: {
      operationId: 'addSegmentMembers',
      summary: 'Add records to a static segment',
      tags,
      requestBody: jsonBody(membersAddBody, { ids: ['0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11'] }),
      responses: { 200: jsonResponse('What changed.', membershipChangeSchema), ...problemResponses([400, 401, 403, 404, 409, 422, 429]) },
    },
  },
  '/api/v1/segments/{id}/members/remove': {
    parameters: idParameter,
    post: {
      operationId: 'removeSegmentMembers',
      summary: 'Remove records from a static segment',
      tags,
      requestBody: jsonBody(membersRemoveBody, { ids: ['0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11'] }),
      responses: { 200: jsonResponse('What changed.', membershipChangeSchema), ...problemResponses([400, 401, 403, 404, 409, 422, 429]) },
    },
  },
};
