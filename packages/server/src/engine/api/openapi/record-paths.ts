import { relationKind } from '../../fields/types/relation.field.ts';
import { RETENTION_DAYS } from '../../metadata/metadata.service.ts';
import type { ObjectMeta } from '../../metadata/types.ts';
import { jsonBody, jsonResponse, problemResponses } from './components.ts';
import { exportQuerystring } from '../routes/exports.schemas.ts';
import { getRequiredOnCreate, type ObjectSchemaNames } from './object-schemas.ts';
import { parameterRef, schemaRef, type OpenApiPathItem } from './openapi-types.ts';

/** The operationIds of one object's record endpoints. */
export interface RecordOperationIds {
  list: string;
  create: string;
  batch: string;
  query: string;
  aggregate: string;
  export: string;
  personalData: string;
  erase: string;
  get: string;
  update: string;
  delete: string;
  restore: string;
  history: string;
}

export interface RecordPathsOptions {
  object: ObjectMeta;
  tag: string;
  schemas: ObjectSchemaNames;
  operationIds: RecordOperationIds;
}

const listOf = (names: string[]) => (names.length > 0 ? names.map((name) => `\`${name}\``).join(', ') : 'none');

/** Concrete paths per object (`/api/v1/records/person`...), so clients see each object's own schemas. */
export const buildRecordPaths = ({ object, tag, schemas, operationIds: ids }: RecordPathsOptions): Record<string, OpenApiPathItem> => {
  const base = `/api/v1/records/${object.name}`;
  const tags = [tag];
  const record = schemaRef(schemas.record);
  const relations = object.fields.filter((field) => field.type === 'relation').map((field) => field.name);
  const shape = `Fields: ${listOf(object.fields.filter((f) => !(f.type === 'relation' && relationKind(f) === 'oneToMany')).map((f) => f.name))}. Relations for include: ${listOf(relations)}.`;
  const required = getRequiredOnCreate(object);
  const createSchema = required.length > 0 ? { allOf: [schemaRef(schemas.input), { required }] } : schemaRef(schemas.input);
  const withEtag = (description: string) => jsonResponse(description, record, ['ETag']);
  const exportOperation = {
    operationId: ids.export,
    summary: `Export ${object.labelPlural} as CSV, XLSX or JSON`,
    description:
      `A view (its filter, sort and columns) or every record, streamed as a file through the same permissions as the list. Needs the role's \`export\` permission on the object and the licence feature \`export\`; audited as \`export.created\`. CSV text cells that a spreadsheet would run as a formula (starting with =, +, -, @) get a leading apostrophe. A currency takes two columns (amount, currency), an address one per part; related records and owners are written by name. ${shape}`,
    tags,
    parameters: Object.entries(exportQuerystring.properties).map(([name, { description, ...schema }]) => ({ name, in: 'query' as const, description, schema })),
    responses: {
      200: {
        description: 'The file (`Content-Disposition: attachment`).',
        content: {
          'text/csv': { schema: { type: 'string' } },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
          'application/json': { schema: { type: 'array', items: record } },
          'text/vcard': { schema: { type: 'string' } },
        },
      },
      ...problemResponses([400, 401, 403, 404]),
    },
  };
  return {
    [base]: {
      get: {
        operationId: ids.list,
        summary: `List ${object.labelPlural}`,
        description: `Live records by default, or the trash with deleted=true. Pages are keyset-paginated: follow pageInfo.nextCursor. ${shape}`,
        tags,
        parameters: ['filter', 'sort', 'limit', 'cursor', 'fields', 'include', 'count', 'deleted', 'segment'].map(parameterRef),
        responses: { 200: jsonResponse('A page of records.', schemaRef(schemas.page)), ...problemResponses([400, 401, 404]) },
      },
      post: {
        operationId: ids.create,
        summary: `Create ${object.labelSingular}`,
        tags,
        requestBody: jsonBody(createSchema),
        responses: { 201: jsonResponse('The created record.', record, ['ETag', 'Location']), ...problemResponses([400, 401, 404, 409, 413, 415, 422]) },
      },
    },
    [`${base}/query`]: {
      post: {
        operationId: ids.query,
        summary: `Query ${object.labelPlural}`,
        description: `The list endpoint with its options in the body: for filters too long for a URL. ${shape}`,
        tags,
        requestBody: jsonBody(schemaRef('RecordQuery')),
        responses: { 200: jsonResponse('A page of records.', schemaRef(schemas.page)), ...problemResponses([400, 401, 404, 413, 415]) },
      },
    },
    [`${base}/aggregate`]: {
      post: {
        operationId: ids.aggregate,
        summary: `Aggregate ${object.labelPlural}`,
        description: 'Counts, sums, averages, minimums and maximums, grouped by up to three fields (dates by day, week, month, quarter or year).',
        tags,
        requestBody: jsonBody(schemaRef('AggregateQuery')),
        responses: { 200: jsonResponse('The groups and their metrics.', schemaRef('AggregateResult')), ...problemResponses([400, 401, 404, 413, 415]) },
      },
    },
    [`${base}/export`]: { get: exportOperation },
    // The same export at the path the issue names: `/api/v1/exports/{object}`.
    [`/api/v1/exports/${object.name}`]: { get: { ...exportOperation, operationId: `${ids.export}AtExports` } },
    [`${base}/{id}/personal-data`]: {
      parameters: [parameterRef('recordId')],
      get: {
        operationId: ids.personalData,
        summary: `Everything about one ${object.labelSingular} (data subject request)`,
        description:
          'A zip archive for a data subject\'s access or portability request (GDPR articles 15 and 20): `record.json`, `history.jsonl` (every change), `related/<object>.<field>.jsonl` (records of other objects that point to it) and `manifest.json`. Read with the caller\'s permissions; needs the `export` permission on the object and licence feature; audited as `gdpr.exported` (the entry names the record, not its data).',
        tags,
        responses: { 200: { description: 'The archive.', content: { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } } }, ...problemResponses([401, 403, 404]) },
      },
    },
    [`${base}/{id}/erase`]: {
      parameters: [parameterRef('recordId')],
      post: {
        operationId: ids.erase,
        summary: `Erase the personal data of one ${object.labelSingular}`,
        description:
          'Right to erasure (GDPR article 17, CCPA): in one transaction, every stored value of the record is emptied (its title becomes "Erased"), its search tokens, the values in its history, the payloads of its past events and the titles of notifications about it. The record keeps its id and relations. Workspace administrators only; audited as `gdpr.erased` without any of the data. Cannot be undone.',
        tags,
        responses: { 200: jsonResponse('The erased record.', record), ...problemResponses([401, 403, 404]) },
      },
    },
    [`${base}/batch`]: {
      post: {
        operationId: ids.batch,
        summary: `Create or update ${object.labelPlural} in a batch`,
        description: 'Up to 1000 records in one transaction: if any is invalid, nothing is written and every problem is listed.',
        tags,
        requestBody: jsonBody(schemaRef(schemas.batchRequest)),
        responses: { 200: jsonResponse('The records written.', schemaRef(schemas.batchResult)), ...problemResponses([400, 401, 404, 409, 412, 413, 415, 422]) },
      },
    },
    [`${base}/{id}`]: {
      parameters: [parameterRef('recordId')],
      get: {
        operationId: ids.get,
        summary: `Get ${object.labelSingular}`,
        tags,
        parameters: ['fields', 'include', 'withDeleted'].map(parameterRef),
        responses: { 200: withEtag('The record.'), ...problemResponses([400, 401, 404]) },
      },
      patch: {
        operationId: ids.update,
        summary: `Update ${object.labelSingular}`,
        description: 'Changes the fields sent; null clears a value. Send If-Match with the ETag you read to avoid overwriting someone else\'s change.',
        tags,
        parameters: [parameterRef('ifMatch')],
        requestBody: jsonBody(schemaRef(schemas.input)),
        responses: { 200: withEtag('The updated record.'), ...problemResponses([400, 401, 404, 409, 412, 413, 415, 422]) },
      },
      delete: {
        operationId: ids.delete,
        summary: `Delete ${object.labelSingular}`,
        description: `Moves the record to the trash, where it can be restored for ${RETENTION_DAYS} days before it is purged; returns it with deletedAt set. 409 RECORD_REFERENCED while live records point at it through a restrict relation.`,
        tags,
        parameters: [parameterRef('ifMatch')],
        responses: { 200: withEtag('The record, now in the trash.'), ...problemResponses([400, 401, 404, 409, 412]) },
      },
    },
    [`${base}/{id}/restore`]: {
      parameters: [parameterRef('recordId')],
      post: {
        operationId: ids.restore,
        summary: `Restore ${object.labelSingular}`,
        description: 'Brings a record back from the trash. 409 when it is not in the trash or a unique value it holds is now used by another record.',
        tags,
        responses: { 200: withEtag('The restored record.'), ...problemResponses([401, 404, 409]) },
      },
    },
    [`${base}/{id}/history`]: {
      parameters: [parameterRef('recordId')],
      get: {
        operationId: ids.history,
        summary: `Get the history of ${object.labelSingular}`,
        description: 'Every change to the record, newest first: creation, each changed field, deletion and restore.',
        tags,
        parameters: ['historyLimit', 'historyBefore'].map(parameterRef),
        responses: { 200: jsonResponse('The changes, newest first.', schemaRef('HistoryPage')), ...problemResponses([400, 401, 404]) },
      },
    },
  };
};
