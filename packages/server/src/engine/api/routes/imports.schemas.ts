import { IMPORT_FORMATS, IMPORT_STATUSES } from '@rapport/common';
import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { JsonSchema, OpenApiPathItem } from '../openapi/openapi-types.ts';

export const IMPORTS_TAG = 'Imports';
export const IMPORTS_OPERATION_IDS = [
  'previewImport', 'createImport', 'listImports', 'getImport', 'getImportErrors', 'undoImport', 'listImportMappings', 'createImportMapping', 'deleteImportMapping',
] as const;

const statusSchema = { type: 'string', enum: IMPORT_STATUSES } as const;
const mappingSchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'null'] },
  description: 'Column header → target: a field (`email`), a part (`address.city`), a related record\'s field (`company.name`, `company.domain`) or the relation itself (`company`, by title or domain); null skips the column.',
} as const;

export const importRunSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    object: { type: 'string' },
    fileName: { type: 'string' },
    format: { type: 'string', enum: IMPORT_FORMATS },
    status: statusSchema,
    dryRun: { type: 'boolean' },
    upsertOn: { type: ['string', 'null'] },
    mapping: mappingSchema,
    processed: { type: 'integer', minimum: 0, description: 'Rows read so far, written or not.' },
    created: { type: 'integer', minimum: 0 },
    updated: { type: 'integer', minimum: 0 },
    failed: { type: 'integer', minimum: 0, description: 'Rows rejected: see `GET /imports/{id}/errors`.' },
    totalRows: { type: ['integer', 'null'], description: 'Known once the import has completed.' },
    error: { type: ['string', 'null'], description: 'Why the import failed as a whole (the file could not be read, the mapping no longer fits...).' },
    undo: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: {
            status: statusSchema,
            removed: { type: 'integer', minimum: 0, description: 'Created records moved to the trash (related records included).' },
            restored: { type: 'integer', minimum: 0, description: 'Updated fields given back their previous value.' },
            conflicts: { type: 'integer', minimum: 0, description: 'Updated fields changed again since the import: the later change was kept.' },
            finishedAt: { type: ['string', 'null'], format: 'date-time' },
          },
          required: ['status', 'removed', 'restored', 'conflicts', 'finishedAt'],
        },
      ],
    },
    createdBy: { type: ['string', 'null'], description: 'The user who started it (null for the CLI and keys without a user).' },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'object', 'fileName', 'format', 'status', 'dryRun', 'upsertOn', 'mapping', 'processed', 'created', 'updated', 'failed', 'totalRows', 'error', 'undo', 'createdBy', 'createdAt', 'startedAt', 'finishedAt'],
} as const;

export const importListSchema = { type: 'object', properties: { data: { type: 'array', items: importRunSchema } }, required: ['data'] } as const;
export const importAcceptedSchema = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;

const problemSchema = {
  type: 'object',
  properties: { column: { type: ['string', 'null'] }, field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
  required: ['column', 'field', 'code', 'message'],
} as const;

export const previewSchema = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: IMPORT_FORMATS },
    encoding: { type: 'string' },
    delimiter: { type: ['string', 'null'] },
    headers: { type: 'array', items: { type: 'string' } },
    suggestedMapping: mappingSchema,
    mapping: mappingSchema,
    sampleRows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          rowNumber: { type: 'integer' },
          cells: { type: 'array', items: { type: 'string' }, description: 'The row as the file holds it, one cell per header.' },
          values: { type: 'object', additionalProperties: true },
          errors: { type: 'array', items: problemSchema },
        },
        required: ['rowNumber', 'cells', 'values', 'errors'],
      },
    },
  },
  required: ['format', 'encoding', 'delimiter', 'headers', 'suggestedMapping', 'mapping', 'sampleRows'],
} as const;

export const importMappingSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    object: { type: 'string' },
    mapping: mappingSchema,
    upsertOn: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'object', 'mapping', 'upsertOn', 'createdAt'],
} as const;

export const importMappingListSchema = { type: 'object', properties: { data: { type: 'array', items: importMappingSchema } }, required: ['data'] } as const;

export const importMappingBody = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    object: { type: 'string', minLength: 1, maxLength: 100 },
    mapping: { type: 'object', additionalProperties: { type: ['string', 'null'], maxLength: 300 }, maxProperties: 1000 },
    upsertOn: { type: ['string', 'null'], maxLength: 100 },
  },
  required: ['name', 'object', 'mapping'],
  additionalProperties: false,
} as const;

export interface ImportMappingBody {
  name: string;
  object: string;
  mapping: Record<string, string | null>;
  upsertOn?: string | null;
}

export const importIdParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false } as const;

export const importListQuerystring = {
  type: 'object',
  properties: {
    object: { type: 'string', maxLength: 100, description: 'Only the imports of this object.' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Newest first, at most this many.' },
  },
  additionalProperties: false,
} as const;

export const importMappingQuerystring = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 100, description: 'Only the mappings of this object.' } },
  additionalProperties: false,
} as const;

const multipartSchema = (preview: boolean): JsonSchema => ({
  type: 'object',
  properties: {
    object: { type: 'string', description: 'The object to import into, e.g. `person`.' },
    file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'A CSV (any delimiter; UTF-8, UTF-16 or Windows-1252) or XLSX file.' },
    mapping: { type: 'string', contentMediaType: 'application/json', description: 'A JSON object: column header → target (see ImportRun.mapping). Omitted: the suggested mapping.' },
    upsertOn: { type: 'string', description: 'A unique field (e.g. `email`): a row whose value matches a live record updates it instead of creating one.' },
    ...(preview
      ? {}
      : {
          dryRun: { type: 'string', enum: ['true', 'false'], description: 'Validate every row and count what would happen; nothing is written.' },
          createRelated: { type: 'string', enum: ['true', 'false'], description: 'Create a related record (a company) that is not found; `true` by default.' },
        }),
  },
  required: ['object', 'file'],
});

const tags = [IMPORTS_TAG];
const idParameter = { name: 'id', in: 'path', required: true, description: 'The import id.', schema: { type: 'string', format: 'uuid' } } as const;
const multipartBody = (preview: boolean) => ({ required: true, content: { 'multipart/form-data': { schema: multipartSchema(preview) } } });

export const IMPORTS_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/imports/preview': {
    post: {
      operationId: 'previewImport',
      summary: 'Preview an import',
      description: 'Reads the file\'s format, encoding, delimiter and headers, suggests a mapping, and returns the first 20 rows as they would be stored with every problem per row and column. Nothing is written (the write path runs and is rolled back). The file may be only the first MB of a CSV.',
      tags,
      requestBody: multipartBody(true),
      responses: { 200: jsonResponse('The preview.', previewSchema as JsonSchema), ...problemResponses([400, 401, 403, 404, 413, 415, 422]) },
    },
  },
  '/api/v1/imports': {
    post: {
      operationId: 'createImport',
      summary: 'Start an import',
      description: 'Stores the file and queues a durable job that writes its rows through the write path as the caller (validation, rules, history, events), 1,000 rows per transaction; it resumes after a restart without duplicates. Needs the `import` and `create` permissions on the object (`update` too with `upsertOn`). Audited as `import.created`.',
      tags,
      requestBody: multipartBody(false),
      responses: { 202: jsonResponse('Queued: poll `GET /imports/{id}`.', importAcceptedSchema as JsonSchema), ...problemResponses([400, 401, 403, 404, 413, 415, 422]) },
    },
    get: {
      operationId: 'listImports',
      summary: 'List imports',
      description: 'The workspace\'s imports, newest first (import history).',
      tags,
      parameters: Object.entries(importListQuerystring.properties).map(([name, { description, ...schema }]) => ({ name, in: 'query', description, schema })),
      responses: { 200: jsonResponse('The imports.', importListSchema as JsonSchema), ...problemResponses([400, 401, 403]) },
    },
  },
  '/api/v1/imports/{id}': {
    get: {
      operationId: 'getImport',
      summary: 'Get an import',
      description: 'Its status and counts, updated after each batch of 1,000 rows while it runs.',
      tags,
      parameters: [idParameter],
      responses: { 200: jsonResponse('The import.', importRunSchema as JsonSchema), ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/imports/{id}/errors': {
    get: {
      operationId: 'getImportErrors',
      summary: 'Download the rejected rows',
      description: 'A CSV (UTF-8 with a byte order mark) of each problem of each rejected row: `row,column,field,code,message`, then the row\'s own cells under the file\'s headers. Cells that a spreadsheet would run as formulas are prefixed with `\'`.',
      tags,
      parameters: [idParameter],
      responses: { 200: { description: 'The CSV (`Content-Disposition: attachment`).', content: { 'text/csv': { schema: { type: 'string' } } } }, ...problemResponses([400, 401, 403, 404]) },
    },
  },
  '/api/v1/imports/{id}/undo': {
    post: {
      operationId: 'undoImport',
      summary: 'Undo an import',
      description: 'Queues a job that moves the records the import created to the trash, gives the fields it updated their previous values (a field changed since keeps the later change and counts as a conflict), and trashes the related records it created that nothing else links to. 409 for a dry run, an import still running or already undone. Needs `delete` and `update` on the object. Audited as `import.undone`.',
      tags,
      parameters: [idParameter],
      responses: { 202: jsonResponse('The import, its undo queued.', importRunSchema as JsonSchema), ...problemResponses([400, 401, 403, 404, 409]) },
    },
  },
  '/api/v1/import-mappings': {
    get: {
      operationId: 'listImportMappings',
      summary: 'List saved import mappings',
      tags,
      parameters: [{ name: 'object', in: 'query', description: 'Only the mappings of this object.', schema: { type: 'string' } }],
      responses: { 200: jsonResponse('The mappings.', importMappingListSchema as JsonSchema), ...problemResponses([400, 401, 403]) },
    },
    post: {
      operationId: 'createImportMapping',
      summary: 'Save an import mapping',
      description: 'A named column mapping to reuse for files of the same shape. Names are unique per object (case-insensitive).',
      tags,
      requestBody: jsonBody(importMappingBody as JsonSchema, { name: 'HubSpot contacts', object: 'person', mapping: { 'First Name': 'firstName', 'Email': 'email', 'Company Name': 'company.name' }, upsertOn: 'email' }),
      responses: { 201: jsonResponse('The saved mapping.', importMappingSchema as JsonSchema), ...problemResponses([400, 401, 403, 404, 409, 422]) },
    },
  },
  '/api/v1/import-mappings/{id}': {
    delete: {
      operationId: 'deleteImportMapping',
      summary: 'Delete a saved import mapping',
      tags,
      parameters: [{ ...idParameter, description: 'The mapping id.' }],
      responses: { 204: { description: 'Deleted.' }, ...problemResponses([400, 401, 403, 404]) },
    },
  },
};
