import { RETENTION_DAYS } from '../../metadata/metadata.service.ts';
import { jsonBody, jsonResponse, problemResponses } from './components.ts';
import { parameterRef, schemaRef, type OpenApiPathItem } from './openapi-types.ts';

export const METADATA_TAG = 'Metadata';
export const SEARCH_TAG = 'Search';
export const SYSTEM_TAG = 'System';

/** OperationIds of the paths that do not depend on the workspace's objects. */
export const STATIC_OPERATION_IDS = [
  'listObjectDefinitions', 'createObjectDefinition', 'getObjectDefinition', 'updateObjectDefinition', 'deleteObjectDefinition',
  'restoreObjectDefinition', 'createFieldDefinition', 'getFieldDefinition', 'updateFieldDefinition', 'deleteFieldDefinition',
  'restoreFieldDefinition', 'searchRecords', 'getOpenApiDocument', 'getHealth',
] as const;

const tags = [METADATA_TAG];
const object = schemaRef('ObjectDefinition');
const field = schemaRef('FieldDefinition');
const noContent = (description: string) => ({ 204: { description } });

const METADATA_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/metadata/objects': {
    get: {
      operationId: 'listObjectDefinitions',
      summary: 'List objects',
      description: 'Every live object of the workspace, standard and custom, with its fields.',
      tags,
      responses: { 200: jsonResponse('The objects.', schemaRef('ObjectDefinitionList')), ...problemResponses([401]) },
    },
    post: {
      operationId: 'createObjectDefinition',
      summary: 'Create an object',
      description: 'Creates a custom object, its table and its fields (relations create their inverse field on the target).',
      tags,
      requestBody: jsonBody(object, { name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', fields: [{ name: 'plate', type: 'text', label: 'Plate', unique: true }] }),
      responses: { 201: jsonResponse('The created object.', object, ['Location']), ...problemResponses([400, 401, 409, 413, 415, 422]) },
    },
  },
  '/api/v1/metadata/objects/{object}': {
    parameters: [parameterRef('objectName')],
    get: {
      operationId: 'getObjectDefinition',
      summary: 'Get an object',
      tags,
      responses: { 200: jsonResponse('The object.', object), ...problemResponses([401, 404]) },
    },
    patch: {
      operationId: 'updateObjectDefinition',
      summary: 'Update an object',
      description: 'Relabels or renames an object; relations pointing at it follow a rename.',
      tags,
      requestBody: jsonBody(schemaRef('ObjectPatch')),
      responses: { 200: jsonResponse('The updated object.', object), ...problemResponses([400, 401, 403, 404, 409, 415, 422]) },
    },
    delete: {
      operationId: 'deleteObjectDefinition',
      summary: 'Delete an object',
      description: `Hides a custom object and its records; it can be restored for ${RETENTION_DAYS} days before its data is purged.`,
      tags,
      responses: { ...noContent('Deleted.'), ...problemResponses([401, 403, 404]) },
    },
  },
  '/api/v1/metadata/objects/{object}/restore': {
    parameters: [parameterRef('objectName')],
    post: {
      operationId: 'restoreObjectDefinition',
      summary: 'Restore a deleted object',
      tags,
      responses: { 200: jsonResponse('The restored object.', object), ...problemResponses([401, 404, 409]) },
    },
  },
  '/api/v1/metadata/objects/{object}/fields': {
    parameters: [parameterRef('objectName')],
    post: {
      operationId: 'createFieldDefinition',
      summary: 'Add a field',
      description: 'Adds a field and its column. A relation also adds its inverse field on the target object.',
      tags,
      requestBody: jsonBody(field, { name: 'linkedinUrl', type: 'url', label: 'LinkedIn' }),
      responses: { 201: jsonResponse('The created field.', field, ['Location']), ...problemResponses([400, 401, 404, 409, 413, 415, 422]) },
    },
  },
  '/api/v1/metadata/objects/{object}/fields/{field}': {
    parameters: [parameterRef('objectName'), parameterRef('fieldName')],
    get: {
      operationId: 'getFieldDefinition',
      summary: 'Get a field',
      tags,
      responses: { 200: jsonResponse('The field.', field), ...problemResponses([401, 404]) },
    },
    patch: {
      operationId: 'updateFieldDefinition',
      summary: 'Update a field',
      description: 'Relabels, renames or changes the options of a field; its type cannot change.',
      tags,
      requestBody: jsonBody(schemaRef('FieldPatch')),
      responses: { 200: jsonResponse('The updated field.', field), ...problemResponses([400, 401, 403, 404, 409, 415, 422]) },
    },
    delete: {
      operationId: 'deleteFieldDefinition',
      summary: 'Delete a field',
      description: `Hides a custom field (and a relation's inverse); it can be restored for ${RETENTION_DAYS} days before its data is purged.`,
      tags,
      responses: { ...noContent('Deleted.'), ...problemResponses([401, 403, 404]) },
    },
  },
  '/api/v1/metadata/objects/{object}/fields/{field}/restore': {
    parameters: [parameterRef('objectName'), parameterRef('fieldName')],
    post: {
      operationId: 'restoreFieldDefinition',
      summary: 'Restore a deleted field',
      tags,
      responses: { 200: jsonResponse('The restored field.', field), ...problemResponses([401, 404, 409]) },
    },
  },
};

const SYSTEM_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/search': {
    get: {
      operationId: 'searchRecords',
      summary: 'Search records',
      description: 'Finds records of every object (or the ones named) by their searchable fields, typo tolerant, best first.',
      tags: [SEARCH_TAG],
      parameters: ['searchQuery', 'searchObjects', 'searchLimit'].map(parameterRef),
      responses: { 200: jsonResponse('The hits, best first.', schemaRef('SearchResult')), ...problemResponses([400, 401, 404]) },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'Get this OpenAPI document',
      description: 'Generated from the workspace\'s objects and fields: it changes when they do.',
      tags: [SYSTEM_TAG],
      responses: { 200: jsonResponse('An OpenAPI 3.1 document.', { type: 'object' }), ...problemResponses([401]) },
    },
  },
  '/healthz': {
    get: {
      operationId: 'getHealth',
      summary: 'Check health',
      description: 'Answers when the server and its database are up. No authentication.',
      tags: [SYSTEM_TAG],
      security: [],
      responses: { 200: jsonResponse('The server is up.', schemaRef('Health')), ...problemResponses([]) },
    },
  },
};

export const STATIC_PATHS: Record<string, OpenApiPathItem> = { ...METADATA_PATHS, ...SYSTEM_PATHS };
