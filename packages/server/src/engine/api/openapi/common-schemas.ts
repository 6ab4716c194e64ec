import {
  AGGREGATE_OPS,
  COMPARISON_OPS,
  DATE_BUCKETS,
  DEFAULT_PAGE_SIZE,
  ERROR_CODES,
  FIELD_ERROR_CODES,
  MAX_PAGE_SIZE,
  RELATIVE_DATES,
} from '@rapport/common';
import { schemaRef, type JsonSchema } from './openapi-types.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
const names = (description: string, maxItems: number): JsonSchema => ({ type: 'array', items: { type: 'string', maxLength: 200 }, maxItems, description });

/** Properties every record has, whatever its object; set by Rapport. */
export const SYSTEM_PROPERTIES: Record<string, JsonSchema> = {
  id: { ...uuid, readOnly: true, description: 'The record id. A client may choose it on create.' },
  version: { type: 'integer', minimum: 1, readOnly: true, description: 'Raised by every change; the ETag of the record, sent back in If-Match.' },
  createdAt: { type: 'string', format: 'date-time', readOnly: true },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true },
  createdBy: { ...nullableUuid, readOnly: true, description: 'The user who created the record; null for API keys.' },
  updatedBy: { ...nullableUuid, readOnly: true, description: 'The user who last changed the record; null for API keys.' },
  deletedAt: { type: 'string', format: 'date-time', readOnly: true, description: 'Only on records in the trash.' },
};

export const SYSTEM_REQUIRED = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy'];

const problemSchemas: Record<string, JsonSchema> = {
  FieldError: {
    type: 'object',
    description: 'One invalid value: where it is, a stable code and a message for people.',
    properties: {
      field: { type: 'string', description: 'The field or path, e.g. `email`, `records[3].amount`, `filter`.', examples: ['email'] },
      code: { type: 'string', description: `A stable code, usually one of: ${FIELD_ERROR_CODES.join(', ')}.`, examples: ['invalidEmail'] },
      message: { type: 'string' },
    },
    required: ['field', 'code', 'message'],
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details. `code` is stable; `detail` is for people and may change.',
    properties: {
      type: { type: 'string', format: 'uri', description: 'A URI naming the error code.' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      code: { type: 'string', enum: Object.keys(ERROR_CODES) },
      instance: { type: 'string', description: 'The request path.' },
      requestId: { type: 'string', description: 'Quote it when reporting a problem; also in the x-request-id header.' },
      errors: { type: 'array', items: schemaRef('FieldError') },
    },
    required: ['type', 'title', 'status', 'detail', 'code'],
  },
};

const querySchemas: Record<string, JsonSchema> = {
  FilterCondition: {
    type: 'object',
    description:
      'Compares a field with a value. `field` is a field, a composite part (`address.city`, `amount.currency`), a system field or a path through many-to-one relations (`company.industry`).',
    properties: {
      field: { type: 'string', minLength: 1, maxLength: 500, examples: ['lastName', 'address.country', 'company.industry'] },
      op: { type: 'string', enum: [...COMPARISON_OPS] },
      value: {
        description: `Depends on op: a scalar (eq, lt...), a list (in, nin), [low, high] (between), none (isEmpty, isNotEmpty), a relative date (during: ${RELATIVE_DATES.join(', ')}) or a number of days (inLastDays, inNextDays).`,
      },
    },
    required: ['field', 'op'],
    additionalProperties: false,
  },
  Filter: {
    description: 'A condition, or a group of filters: all of them (`and`), any of them (`or`), or the opposite of one (`not`).',
    oneOf: [
      schemaRef('FilterCondition'),
      { type: 'object', properties: { and: { type: 'array', items: schemaRef('Filter') } }, required: ['and'], additionalProperties: false },
      { type: 'object', properties: { or: { type: 'array', items: schemaRef('Filter') } }, required: ['or'], additionalProperties: false },
      { type: 'object', properties: { not: schemaRef('Filter') }, required: ['not'], additionalProperties: false },
    ],
    examples: [{ and: [{ field: 'stage', op: 'in', value: ['proposal', 'negotiation'] }, { field: 'closeDate', op: 'during', value: 'thisQuarter' }] }],
  },
  RecordQuery: {
    type: 'object',
    description: 'The list query as a body: the same options as the query string of a list, without URL length limits.',
    properties: {
      filter: schemaRef('Filter'),
      sort: names('Field names, `-` first for descending, e.g. `["-closeDate", "name"]`; newest first by default, ties broken by id.', 5),
      limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
      cursor: { type: ['string', 'null'], maxLength: 10_000, description: 'pageInfo.nextCursor of the previous page.' },
      fields: names('Fields to return (system fields always come along); all but one-to-many relations by default.', 500),
      include: names('Relations to return as records instead of ids.', 10),
      count: { anyOf: [{ type: 'boolean' }, { type: 'string', const: 'estimate' }], description: 'Also return totalCount; `estimate`: the planner estimate for a whole table of 10,000 records or more the caller reads entirely (marked totalCountIsEstimate), else exact.' },
      deleted: { type: 'boolean', description: 'Read the trash instead of live records.' },
      segment: { type: 'string', format: 'uuid', description: 'Only the records of this segment (its filter or its members), ANDed with filter.' },
    },
    additionalProperties: false,
  },
  GroupBy: {
    description: 'A field name, or a date field cut into buckets.',
    oneOf: [
      { type: 'string', maxLength: 500 },
      {
        type: 'object',
        properties: {
          field: { type: 'string', maxLength: 500 },
          bucket: { type: 'string', enum: [...DATE_BUCKETS] },
          alias: { type: 'string', maxLength: 100 },
        },
        required: ['field'],
        additionalProperties: false,
      },
    ],
  },
  Metric: {
    type: 'object',
    properties: {
      op: { type: 'string', enum: [...AGGREGATE_OPS] },
      field: { type: 'string', maxLength: 500, description: 'Omitted for `count` of records.' },
      alias: { type: 'string', maxLength: 100 },
      currency: { type: 'string', enum: ['default', 'none'], description: 'sum, avg, min, max of a currency field: `default` converts each amount to the workspace\'s default currency at the rate of its date; `none` adds amounts as stored. Overrides the query\'s `currency`.' },
    },
    required: ['op'],
    additionalProperties: false,
  },
  AggregateQuery: {
    type: 'object',
    properties: {
      segment: { type: 'string', format: 'uuid', description: 'Only the records of this segment (its filter or its members), ANDed with filter.' },
      filter: schemaRef('Filter'),
      groupBy: { type: 'array', items: schemaRef('GroupBy'), maxItems: 3 },
      metrics: { type: 'array', items: schemaRef('Metric'), maxItems: 10 },
      sort: { type: 'array', items: { type: 'string' }, maxItems: 5, description: 'Group or metric names, `-` first for descending.' },
      limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 1000, description: 'The most groups returned.' },
      currency: {
        type: 'string',
        enum: ['default', 'none'],
        default: 'none',
        description: '`default`: sum, avg, min and max of currency fields convert each amount to the workspace\'s default currency at the `exchangeRate` of its date (docs/reference/currency.md); the answer names `currency` and lists `unconverted` amounts. `none`: amounts are added as stored, whatever their currency.',
      },
    },
    additionalProperties: false,
    examples: [{ groupBy: ['stage', { field: 'closeDate', bucket: 'month' }], metrics: [{ op: 'sum', field: 'amount' }] }, { groupBy: ['stage'], metrics: [{ op: 'sum', field: 'amount' }], currency: 'default' }],
  },
  AggregateResult: {
    type: 'object',
    properties: {
      data: {
        type: 'array',
        description:
          'One row per group, sorted by the sort then the group keys, empty values last. Group keys are named by alias, field path or `field:bucket` (a bucket is its first day, `YYYY-MM-DD`); metrics by alias, `count` or `op_field` (`sum_amount`). Without metrics, `count` is computed.',
        items: { type: 'object', additionalProperties: true },
      },
      currency: { type: 'string', description: 'With converted metrics: the workspace\'s default currency they are expressed in.' },
      unconverted: {
        type: 'array',
        description: 'With converted metrics: amounts of the records read that were left out because their currency has no exchange rate at all, by field and currency.',
        items: {
          type: 'object',
          properties: { field: { type: 'string' }, currency: { type: 'string' }, count: { type: 'integer' } },
          required: ['field', 'currency', 'count'],
        },
      },
    },
    required: ['data'],
    examples: [{ data: [{ stage: 'proposal', 'closeDate:month': '2025-03-01', sum_amount: 125000 }] }],
  },
  PageInfo: {
    type: 'object',
    properties: {
      nextCursor: { type: ['string', 'null'], description: 'Pass it as `cursor` to read the next page; null on the last page.' },
      hasNextPage: { type: 'boolean' },
    },
    required: ['nextCursor', 'hasNextPage'],
  },
};

const recordSchemas: Record<string, JsonSchema> = {
  AnyRecord: {
    type: 'object',
    description: 'A record of any object: the system fields and the object\'s fields.',
    properties: SYSTEM_PROPERTIES,
    required: SYSTEM_REQUIRED,
    additionalProperties: true,
  },
  SearchHit: {
    type: 'object',
    properties: {
      object: { type: 'string', description: 'The object name, e.g. `person`.' },
      id: uuid,
      label: { type: 'string', description: 'The value of the object\'s label field (the id when empty).' },
      score: { type: 'number', description: 'Higher is better; exact prefixes rank first.' },
      record: schemaRef('AnyRecord'),
    },
    required: ['object', 'id', 'label', 'score', 'record'],
  },
  SearchResult: { type: 'object', properties: { data: { type: 'array', items: schemaRef('SearchHit') } }, required: ['data'] },
  HistoryEntry: {
    type: 'object',
    properties: {
      id: { type: 'integer', description: 'Increasing; pass the last one as `before` to read older entries.' },
      changeType: { type: 'string', enum: ['created', 'updated', 'deleted', 'restored', 'merged', 'unmerged'] },
      field: { type: ['string', 'null'], description: 'The changed field (updates); null for whole-record changes.' },
      oldValue: { description: 'The value before (updates).' },
      newValue: { description: 'The value after; the stored fields of the record for whole-record changes.' },
      actorId: nullableUuid,
      occurredAt: { type: 'string', format: 'date-time' },
    },
    required: ['id', 'changeType', 'field', 'oldValue', 'newValue', 'actorId', 'occurredAt'],
  },
  HistoryPage: {
    type: 'object',
    properties: {
      data: { type: 'array', items: schemaRef('HistoryEntry'), description: 'Newest first.' },
      pageInfo: {
        type: 'object',
        properties: { hasNextPage: { type: 'boolean' }, nextBefore: { type: ['integer', 'null'] } },
        required: ['hasNextPage', 'nextBefore'],
      },
    },
    required: ['data', 'pageInfo'],
  },
  Health: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] },
};

/** The schemas that do not depend on the workspace's objects. */
export const COMMON_SCHEMAS: Record<string, JsonSchema> = { ...problemSchemas, ...querySchemas, ...recordSchemas };
