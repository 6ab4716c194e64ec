import { CURRENCY_CONVERSIONS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type AggregateQuery, type RecordQuery } from '@rapport/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestFacts } from '../../audit/audit.ts';
import { findRateSource } from '../../currency/exchange-rates.ts';
import { getReadableObject } from '../../permissions/assert-access.ts';
import { runAggregate } from '../../query/index.ts';
import { deleteRecord, restoreRecord } from '../../records/delete-records.ts';
import { getRecord, listRecords, readRecordHistory } from '../../records/read-records.ts';
import { saveRecords } from '../../records/save-records.ts';
import { getContext, getObjectOrThrow, parseIfMatch, type EngineServices } from '../context.ts';
import { assertId, objectParams, parseFilter, recordParams, splitList, type ObjectParams, type RecordParams } from './query-params.ts';
import { applySegment } from '../../segments/segments.service.ts';

// `true`, or `"estimate"` for the planner's figure on a whole large table (engine/query/list-query.ts).
const countSchema = { anyOf: [{ type: 'boolean' }, { type: 'string', const: 'estimate' }] } as const;
const listQuerystring = {
  type: 'object',
  properties: {
    filter: { type: 'string', maxLength: 100_000 },
    sort: { type: 'string', maxLength: 1000 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
    cursor: { type: 'string', maxLength: 10_000 },
    fields: { type: 'string', maxLength: 10_000 },
    include: { type: 'string', maxLength: 1000 },
    count: countSchema,
    deleted: { type: 'boolean' },
    segment: { type: 'string', format: 'uuid' },
  },
  additionalProperties: false,
} as const;
const queryBody = {
  type: 'object',
  properties: {
    filter: { type: 'object' },
    sort: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 5 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
    cursor: { type: ['string', 'null'], maxLength: 10_000 },
    fields: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 500 },
    include: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 10 },
    count: countSchema,
    deleted: { type: 'boolean' },
    segment: { type: 'string', format: 'uuid' },
  },
  additionalProperties: false,
} as const;
const batchBody = {
  type: 'object',
  properties: {
    records: { type: 'array', minItems: 1, maxItems: 1000 },
    upsertOn: { type: 'string', maxLength: 100 },
  },
  required: ['records'],
  additionalProperties: false,
} as const;
const aggregateBody = {
  type: 'object',
  properties: {
    filter: { type: 'object' },
    segment: { type: 'string', format: 'uuid' },
    groupBy: { type: 'array', maxItems: 3 },
    metrics: { type: 'array', maxItems: 10 },
    sort: { type: 'array', items: { type: 'string' }, maxItems: 5 },
    limit: { type: 'integer', minimum: 1, maximum: 10_000 },
    currency: { type: 'string', enum: [...CURRENCY_CONVERSIONS] },
  },
  additionalProperties: false,
} as const;
const historyQuerystring = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500 }, before: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
} as const;

const etag = (version: unknown) => `"${String(version)}"`;

export const registerRecordRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  // The records layer applies the caller's access (object, field and row rules) to every call.
  const contextFor = (request: FastifyRequest<{ Params: ObjectParams }>) => {
    const { workspace, actorId, access } = getContext(request);
    return { db, workspace, object: getObjectOrThrow(workspace, request.params.object), actorId, access, origin: requestFacts(request) };
  };

  app.get<{ Params: ObjectParams; Querystring: Record<string, string | number | boolean | undefined> }>(
    '/records/:object',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: objectParams, querystring: listQuerystring } },
    async (request) => {
      const q = request.query;
      const query: RecordQuery = {
        ...(q.filter ? { filter: parseFilter(q.filter as string) } : {}),
        ...(q.sort ? { sort: splitList(q.sort as string) } : {}),
        limit: (q.limit as number | undefined) ?? DEFAULT_PAGE_SIZE,
        ...(q.cursor ? { cursor: q.cursor as string } : {}),
        ...(q.fields ? { fields: splitList(q.fields as string) } : {}),
        ...(q.include ? { include: splitList(q.include as string) } : {}),
        ...(q.count ? { count: q.count === 'estimate' ? 'estimate' : true } : {}),
        ...(q.deleted ? { deleted: true } : {}),
        ...(q.segment ? { segment: q.segment as string } : {}),
      };
      return listRecords(contextFor(request), query);
    },
  );

  app.post<{ Params: ObjectParams; Body: RecordQuery }>('/records/:object/query', { config: { licenceFeatures: ['records.read'] }, schema: { params: objectParams, body: queryBody } }, async (request) => {
    const body = request.body ?? {};
    const { cursor, ...rest } = body;
    return listRecords(contextFor(request), { ...rest, ...(cursor ? { cursor } : {}), limit: body.limit ?? DEFAULT_PAGE_SIZE });
  });

  app.post<{ Params: ObjectParams; Body: AggregateQuery }>('/records/:object/aggregate', { config: { licenceFeatures: ['records.read'] }, schema: { params: objectParams, body: aggregateBody } }, async (request) => {
    const { access, object, workspace } = contextFor(request);
    const { query, memberOf } = await applySegment(db, { workspaceId: workspace.id, access }, object, request.body ?? {});
    // Rates come from the whole workspace: converting needs them whether or not the caller may read exchangeRate.
    return runAggregate(db, { workspace: access.view, object: getReadableObject(access, object.name), query, rows: access.rows, rates: findRateSource(workspace), ...(memberOf ? { memberOf } : {}) });
  });

  app.post<{ Params: ObjectParams }>('/records/:object', { config: { licenceFeatures: ['records.write'] }, schema: { params: objectParams } }, async (request, reply) => {
    const context = contextFor(request);
    const { data } = await saveRecords(context, { records: [request.body], createOnly: true });
    const record = data[0]!;
    return reply.status(201).header('ETag', etag(record.version)).header('Location', `/api/v1/records/${context.object.name}/${record.id}`).send(record);
  });

  app.post<{ Params: ObjectParams; Body: { records: unknown[]; upsertOn?: string } }>(
    '/records/:object/batch',
    { config: { licenceFeatures: ['records.write'] }, schema: { params: objectParams, body: batchBody } },
    async (request) => {
      const { data, created, updated } = await saveRecords(contextFor(request), { records: request.body.records, ...(request.body.upsertOn ? { upsertOn: request.body.upsertOn } : {}) });
      return { data, meta: { created, updated } };
    },
  );

  app.get<{ Params: RecordParams; Querystring: { fields?: string; include?: string; deleted?: boolean } }>(
    '/records/:object/:id',
    {
      config: { licenceFeatures: ['records.read'] },
      schema: {
        params: recordParams,
        querystring: {
          type: 'object',
          properties: { fields: { type: 'string', maxLength: 10_000 }, include: { type: 'string', maxLength: 1000 }, deleted: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const context = contextFor(request);
      assertId(request.params.id, context.object.name);
      const fields = splitList(request.query.fields);
      const include = splitList(request.query.include);
      const record = await getRecord(context, {
        id: request.params.id,
        ...(fields ? { fields } : {}),
        ...(include ? { include } : {}),
        ...(request.query.deleted ? { withDeleted: true } : {}),
      });
      return reply.header('ETag', etag(record.version)).send(record);
    },
  );

  app.patch<{ Params: RecordParams }>('/records/:object/:id', { config: { licenceFeatures: ['records.write'] }, schema: { params: recordParams } }, async (request, reply) => {
    const context = contextFor(request);
    assertId(request.params.id, context.object.name);
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const { data } = await saveRecords(context, { records: [request.body], updateId: request.params.id.toLowerCase(), ...(ifMatch !== undefined ? { ifMatch } : {}) });
    const record = data[0]!;
    return reply.header('ETag', etag(record.version)).send(record);
  });

  app.delete<{ Params: RecordParams }>('/records/:object/:id', { config: { licenceFeatures: ['records.write'] }, schema: { params: recordParams } }, async (request, reply) => {
    const context = contextFor(request);
    assertId(request.params.id, context.object.name);
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const record = await deleteRecord(context, { id: request.params.id, ...(ifMatch !== undefined ? { ifMatch } : {}) });
    return reply.header('ETag', etag(record.version)).send(record);
  });

  app.post<{ Params: RecordParams }>('/records/:object/:id/restore', { config: { licenceFeatures: ['records.write'] }, schema: { params: recordParams } }, async (request, reply) => {
    const context = contextFor(request);
    assertId(request.params.id, context.object.name);
    const record = await restoreRecord(context, { id: request.params.id });
    return reply.header('ETag', etag(record.version)).send(record);
  });

  app.get<{ Params: RecordParams; Querystring: { limit?: number; before?: number } }>(
    '/records/:object/:id/history',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: recordParams, querystring: historyQuerystring } },
    async (request) => {
      const context = contextFor(request);
      assertId(request.params.id, context.object.name);
      return readRecordHistory(context, { id: request.params.id, limit: request.query.limit ?? 100, ...(request.query.before ? { beforeId: request.query.before } : {}) });
    },
  );
};
