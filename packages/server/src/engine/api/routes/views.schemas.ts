import { CALENDAR_MODES, VIEW_TYPES, VIEW_VISIBILITIES } from '@rapport/common';
import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiParameter, OpenApiPathItem } from '../openapi/openapi-types.ts';
import { filterJson, idParams, listOf, uuid } from './permission.schemas.ts';

export const VIEWS_TAG = 'Views and favourites';
export const VIEW_OPERATION_IDS = ['listViews', 'createView', 'getView', 'updateView', 'deleteView', 'listFavourites', 'createFavourite', 'deleteFavourite', 'reorderFavourites', 'getNavigationOrder', 'setNavigationOrder'] as const;

const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableFieldName = { type: ['string', 'null'], maxLength: 200 } as const;

const columnSchema = {
  type: 'object',
  properties: {
    field: { type: 'string', minLength: 1, maxLength: 200 },
    width: { type: 'integer', minimum: 40, maximum: 2000, description: 'Pixels.' },
    hidden: { type: 'boolean' },
  },
  required: ['field'],
  additionalProperties: false,
} as const;

const calendarSchema = {
  type: ['object', 'null'],
  description: 'A calendar view\'s settings (required for `calendar`): the date or datetime field records start at, optionally the one they end at or a number field of their length, a select field that colours them, and the mode.',
  properties: {
    startField: { type: 'string', minLength: 1, maxLength: 200 },
    endField: nullableFieldName,
    durationField: { ...nullableFieldName, description: 'Seconds when its name ends in `Seconds`, hours in `Hours`, else minutes.' },
    colorField: nullableFieldName,
    mode: { type: 'string', enum: [...CALENDAR_MODES] },
  },
  required: ['startField', 'mode'],
  additionalProperties: false,
} as const;

const viewProperties = {
  object: { type: 'string', maxLength: 200, description: 'The object\'s name.' },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  type: { type: 'string', enum: [...VIEW_TYPES] },
  visibility: { type: 'string', enum: [...VIEW_VISIBILITIES], description: '`private`: only its owner sees it; `shared`: everyone who can read the object.' },
  filter: { ...filterJson, type: ['object', 'null'] },
  sort: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 5, description: 'As in the query language: `lastName`, `-createdAt`.' },
  columns: { type: 'array', items: columnSchema, maxItems: 500, description: 'Columns in display order, with widths and hidden ones.' },
  groupBy: { ...nullableFieldName, description: 'A select, owner, boolean or many-to-one relation field the table groups rows by.' },
  kanbanField: { ...nullableFieldName, description: 'The select field a kanban view has its columns from (required for kanban).' },
  cardFields: {
    type: ['array', 'null'],
    items: { type: 'string', minLength: 1, maxLength: 200 },
    maxItems: 20,
    description: 'The fields a kanban card shows under its title, in order (each once); `null` for the board\'s default (the amount, a date and the main relation).',
  },
  calendar: calendarSchema,
  position: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Order among the object\'s views.' },
} as const;

export const viewSchema = {
  type: 'object',
  description: 'A saved table, kanban or calendar view of one object.',
  properties: { id: uuid, ...viewProperties, ownerId: { type: ['string', 'null'], format: 'uuid' }, createdAt: timestamp, updatedAt: timestamp },
  required: ['id', 'object', 'name', 'type', 'visibility', 'ownerId', 'filter', 'sort', 'columns', 'groupBy', 'kanbanField', 'cardFields', 'calendar', 'position', 'createdAt', 'updatedAt'],
} as const;

export const viewCreateBody = { type: 'object', properties: viewProperties, required: ['object', 'name'], additionalProperties: false } as const;
export const viewPatchBody = { type: 'object', properties: viewProperties, additionalProperties: false, minProperties: 1 } as const;
export const listViewsQuerystring = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 200, description: 'Only the views of this object.' } },
  additionalProperties: false,
} as const;

export const favouriteSchema = {
  type: 'object',
  description: 'A pinned view (`view`) or record (`record`, with its label).',
  properties: {
    id: uuid,
    kind: { type: 'string', enum: ['view', 'record'] },
    position: { type: 'integer' },
    view: { type: 'object', properties: { id: uuid, object: { type: 'string' }, name: { type: 'string' }, type: { type: 'string', enum: [...VIEW_TYPES] } }, required: ['id', 'object', 'name', 'type'] },
    record: { type: 'object', properties: { object: { type: 'string' }, id: uuid, label: { type: 'string' } }, required: ['object', 'id', 'label'] },
  },
  required: ['id', 'kind', 'position'],
} as const;

export const favouriteCreateBody = {
  type: 'object',
  description: 'Either `viewId`, or `object` and `recordId`.',
  oneOf: [
    { type: 'object', properties: { viewId: uuid, position: viewProperties.position }, required: ['viewId'], additionalProperties: false },
    {
      type: 'object',
      properties: { object: { type: 'string', maxLength: 200 }, recordId: { type: 'string', maxLength: 100 }, position: viewProperties.position },
      required: ['object', 'recordId'],
      additionalProperties: false,
    },
  ],
} as const;

export const favouriteOrderBody = {
  type: 'object',
  description: 'The caller\'s favourites in their new order; those left out follow in their current order.',
  properties: { ids: { type: 'array', items: uuid, maxItems: 100 } },
  required: ['ids'],
  additionalProperties: false,
} as const;

const objectNames = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, maxItems: 1000 } as const;

export const navigationOrderSchema = {
  type: 'object',
  description: 'The objects the caller can read, in the workspace\'s navigation order.',
  properties: { objects: { ...objectNames, description: 'Object names, first to last.' } },
  required: ['objects'],
} as const;

export const navigationOrderBody = {
  type: 'object',
  properties: { objects: { ...objectNames, description: 'Object names in their new order; objects left out follow, by their metadata position.' } },
  required: ['objects'],
  additionalProperties: false,
} as const;

export { idParams, listOf };

const viewExample = {
  object: 'opportunity',
  name: 'My open deals this quarter',
  visibility: 'private',
  filter: { and: [{ field: 'closeDate', op: 'during', value: 'thisQuarter' }, { or: [{ field: 'stage', op: 'eq', value: 'proposal' }, { field: 'amount', op: 'gte', value: 10000 }] }] },
  sort: ['-amount'],
  columns: [{ field: 'name', width: 240 }, { field: 'amount' }, { field: 'stage', hidden: true }],
};

const tags = [VIEWS_TAG];
const idParameter = (what: string): OpenApiParameter[] => [{ name: 'id', in: 'path', required: true, description: `The ${what} id.`, schema: uuid }];

export const VIEW_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/views': {
    get: {
      operationId: 'listViews',
      summary: 'List saved views',
      description: 'The shared views of the objects the caller can read and the caller\'s own private views, in position order.',
      tags,
      parameters: [{ name: 'object', in: 'query', description: 'Only the views of this object.', schema: { type: 'string' } }],
      responses: { 200: jsonResponse('The views.', listOf(viewSchema)), ...problemResponses([400, 401, 429]) },
    },
    post: {
      operationId: 'createView',
      summary: 'Save a view',
      description: 'The filter, sort, columns, grouping, board field and card fields are checked against the object\'s fields as the caller sees them: each bad part is named in `errors[]` (422).',
      tags,
      requestBody: jsonBody(viewCreateBody, viewExample),
      responses: { 201: jsonResponse('The view.', viewSchema, ['Location']), ...problemResponses([400, 401, 409, 422, 429]) },
    },
  },
  '/api/v1/views/{id}': {
    parameters: idParameter('view'),
    get: { operationId: 'getView', summary: 'Get a saved view', tags, responses: { 200: jsonResponse('The view.', viewSchema), ...problemResponses([401, 404, 429]) } },
    patch: {
      operationId: 'updateView',
      summary: 'Change a saved view',
      description: 'Only the owner changes a private view; the owner or an administrator a shared one (403 for others).',
      tags,
      requestBody: jsonBody(viewPatchBody, { name: 'Big deals', visibility: 'shared' }),
      responses: { 200: jsonResponse('The view.', viewSchema), ...problemResponses([400, 401, 403, 404, 422, 429]) },
    },
    delete: {
      operationId: 'deleteView',
      summary: 'Delete a saved view',
      description: 'Favourites of the view go with it.',
      tags,
      responses: { 204: { description: 'Deleted.' }, ...problemResponses([401, 403, 404, 429]) },
    },
  },
  '/api/v1/favourites': {
    get: {
      operationId: 'listFavourites',
      summary: 'List my favourites',
      description: 'The caller\'s pinned views and records, in order; those they can no longer see are left out.',
      tags,
      responses: { 200: jsonResponse('The favourites.', listOf(favouriteSchema)), ...problemResponses([401, 403, 429]) },
    },
    post: {
      operationId: 'createFavourite',
      summary: 'Pin a view or a record',
      tags,
      requestBody: jsonBody(favouriteCreateBody, { object: 'company', recordId: '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11' }),
      responses: { 201: jsonResponse('The favourite.', favouriteSchema, ['Location']), ...problemResponses([400, 401, 403, 409, 422, 429]) },
    },
  },
  '/api/v1/favourites/order': {
    put: {
      operationId: 'reorderFavourites',
      summary: 'Reorder my favourites',
      description: 'Gives the named favourites positions 0, 1, 2… in that order; the others follow in their current order. An id that is not one of the caller\'s favourites, or one named twice, is `422` on `ids[i]` and nothing changes.',
      tags,
      requestBody: jsonBody(favouriteOrderBody, { ids: ['0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11', '7c0e4b1a-2d3f-4e5a-8b6c-9d0e1f2a3b4c'] }),
      responses: { 200: jsonResponse('The favourites in their new order.', listOf(favouriteSchema)), ...problemResponses([400, 401, 403, 422, 429]) },
    },
  },
  '/api/v1/navigation': {
    get: {
      operationId: 'getNavigationOrder',
      summary: 'Get the navigation order of objects',
      description: 'The objects the caller can read, in the order an administrator set for the workspace; objects never placed follow by their metadata position.',
      tags,
      responses: { 200: jsonResponse('The order.', navigationOrderSchema), ...problemResponses([401, 429]) },
    },
    put: {
      operationId: 'setNavigationOrder',
      summary: 'Set the navigation order of objects',
      description: 'Workspace administrators only (`403` for others). Unknown or repeated object names are `422` on `objects[i]`.',
      tags,
      requestBody: jsonBody(navigationOrderBody, { objects: ['opportunity', 'company', 'person'] }),
      responses: { 200: jsonResponse('The order.', navigationOrderSchema), ...problemResponses([400, 401, 403, 422, 429]) },
    },
  },
  '/api/v1/favourites/{id}': {
    parameters: idParameter('favourite'),
    delete: { operationId: 'deleteFavourite', summary: 'Unpin a favourite', tags, responses: { 204: { description: 'Removed.' }, ...problemResponses([401, 403, 404, 429]) } },
  },
};
