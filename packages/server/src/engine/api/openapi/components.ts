import { DEFAULT_PAGE_SIZE, ERROR_CODES, MAX_PAGE_SIZE, problemType, type ErrorCode, type FieldError } from '@rapport/common';
import { headerRef, responseRef, schemaRef, type JsonSchema, type OpenApiParameter, type OpenApiResponse, type Ref } from './openapi-types.ts';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const SECURITY_SCHEME = 'apiKey';

export const SECURITY_SCHEMES: Record<string, JsonSchema> = {
  [SECURITY_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'rap_<key id>_<secret> (API key) or rps_<session id>_<secret> (session)',
    description:
      'An API key of the workspace (`POST /api/v1/apikeys`, or `npx rapport apikey create --workspace NAME`) or the token of a sign-in, sent as `Authorization: Bearer <token>`. Browsers may use the `rapport_session` cookie of sign-in instead, with the `x-csrf-token` header on changes.',
  },
};

export const HEADERS: Record<string, JsonSchema> = {
  ETag: { description: 'The record version, quoted: send it back in If-Match.', schema: { type: 'string', examples: ['"3"'] } },
  Location: { description: 'The URL of the created resource.', schema: { type: 'string' } },
  'X-Request-Id': { description: 'The id of this request in the server logs.', schema: { type: 'string' } },
  'WWW-Authenticate': { description: 'The authentication scheme to use: Bearer.', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
  'Set-Cookie': {
    description: 'The session cookie `rapport_session` (httpOnly, SameSite=Lax) and the CSRF cookie `rapport_csrf` for browsers.',
    schema: { type: 'string' },
  },
};

const commaList = (name: string, description: string): OpenApiParameter => ({
  name,
  in: 'query',
  description,
  schema: { type: 'array', items: { type: 'string' } },
  style: 'form',
  explode: false,
});

export const PARAMETERS: Record<string, OpenApiParameter> = {
  recordId: { name: 'id', in: 'path', required: true, description: 'The record id.', schema: { type: 'string', format: 'uuid' } },
  ifMatch: {
    name: 'If-Match',
    in: 'header',
    description: 'The version from the record\'s ETag (`"3"`, `3` or `W/"3"`): the change applies only if the record is still at that version, else 412.',
    schema: { type: 'string', pattern: '^(W/)?"?[0-9]+"?$' },
    example: '"3"',
  },
  filter: {
    name: 'filter',
    in: 'query',
    description: 'A filter as URL-encoded JSON, e.g. `{"field":"lastName","op":"eq","value":"Doe"}`.',
    content: { 'application/json': { schema: schemaRef('Filter') } },
  },
  sort: commaList('sort', 'Comma-separated field names, `-` first for descending, e.g. `-closeDate,name` (at most 5); newest first by default, ties broken by id.'),
  limit: { name: 'limit', in: 'query', description: 'Records per page.', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
  cursor: { name: 'cursor', in: 'query', description: '`pageInfo.nextCursor` of the previous page, with the same filter and sort.', schema: { type: 'string', maxLength: 10_000 } },
  fields: commaList('fields', 'Comma-separated fields to return; system fields always come along.'),
  include: commaList('include', 'Comma-separated relations to return as records instead of ids, and references as {object, id, record} (at most 10).'),
  count: { name: 'count', in: 'query', description: 'Also return `totalCount`; `estimate`: the planner estimate for a whole table of 10,000 records or more the caller reads entirely (marked `totalCountIsEstimate`), else exact.', schema: { anyOf: [{ type: 'boolean' }, { type: 'string', const: 'estimate' }] } },
  deleted: { name: 'deleted', in: 'query', description: 'List the trash instead of live records.', schema: { type: 'boolean' } },
  segment: { name: 'segment', in: 'query', description: 'Only the records of this segment (its filter or its members), ANDed with filter.', schema: { type: 'string', format: 'uuid' } },
  withDeleted: { name: 'deleted', in: 'query', description: 'Also find the record when it is in the trash.', schema: { type: 'boolean' } },
  historyLimit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
  historyBefore: { name: 'before', in: 'query', description: '`pageInfo.nextBefore` of the previous page: entries older than this id.', schema: { type: 'integer', minimum: 1 } },
  objectName: { name: 'object', in: 'path', required: true, description: 'The object\'s API name, e.g. `person`.', schema: { type: 'string', maxLength: 100 } },
  fieldName: { name: 'field', in: 'path', required: true, description: 'The field\'s API name, e.g. `jobTitle`.', schema: { type: 'string', maxLength: 100 } },
  searchQuery: { name: 'q', in: 'query', required: true, description: 'The text to find; prefix and typo tolerant.', schema: { type: 'string', minLength: 1, maxLength: 200 } },
  searchObjects: commaList('objects', 'Comma-separated objects to search; all by default.'),
  searchLimit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
};

interface ProblemResponseSpec {
  name: string;
  description: string;
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
  headers?: string[];
}

const PROBLEM_RESPONSE_SPECS: Record<string, ProblemResponseSpec> = {
  400: { name: 'BadRequest', description: 'The request is malformed: body, query string, filter, sort or cursor.', code: 'INVALID_QUERY', detail: 'Unknown field "nmae" on person.', errors: [{ field: 'nmae', code: 'invalidQuery', message: 'Unknown field "nmae" on person.' }] },
  401: { name: 'Unauthorized', description: 'No API key, or one that is unknown, expired or revoked.', code: 'UNAUTHENTICATED', detail: 'Send an API key as "Authorization: Bearer <token>".', headers: ['WWW-Authenticate'] },
  403: { name: 'Forbidden', description: 'The change is not allowed (standard objects and fields keep their names and cannot be deleted).', code: 'FORBIDDEN', detail: '"person" is a standard object and cannot be deleted.' },
  404: { name: 'NotFound', description: 'The object, field or record does not exist (records in the trash count as missing).', code: 'RECORD_NOT_FOUND', detail: 'No person with id 0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11.' },
  409: { name: 'Conflict', description: 'A unique value or name is already used, or the record is not in the trash.', code: 'UNIQUE_VIOLATION', detail: 'Another person already has this email (ada@example.com).', errors: [{ field: 'email', code: 'unique', message: 'Already used by another record: ada@example.com.' }] },
  412: { name: 'PreconditionFailed', description: 'If-Match names an old version; nothing was changed. The ETag header holds the current version.', code: 'VERSION_MISMATCH', detail: 'The person is at version 4, not 3: someone changed it. Reload it and apply your change again.', headers: ['ETag'] },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than the server accepts.', code: 'PAYLOAD_TOO_LARGE', detail: 'The body is larger than the server accepts; send fewer records per request.' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not application/json.', code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the body as application/json.' },
  429: { name: 'TooManyRequests', description: 'Too many requests or failed sign-ins from this client or for this account; retry after Retry-After seconds.', code: 'RATE_LIMITED', detail: 'Too many failed sign-ins. Try again in 60 s, or reset your password.', headers: ['Retry-After'] },
  422: { name: 'UnprocessableContent', description: 'Values or metadata are invalid; `errors` lists each one. Nothing was written.', code: 'VALIDATION_FAILED', detail: 'Some values are invalid; nothing was saved.', errors: [{ field: 'email', code: 'invalidEmail', message: 'An email address needs an @ between the name and the domain.' }] },
  default: { name: 'UnexpectedError', description: 'An unexpected error; quote the request id when reporting it.', code: 'INTERNAL', detail: 'Something went wrong on our side. Quote request id 6f1c… when reporting it.' },
};

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429;

const toProblemResponse = (spec: ProblemResponseSpec): OpenApiResponse => ({
  description: spec.description,
  headers: Object.fromEntries(['X-Request-Id', ...(spec.headers ?? [])].map((name) => [name, headerRef(name)])),
  content: {
    [PROBLEM_MEDIA_TYPE]: {
      schema: schemaRef('Problem'),
      example: {
        type: problemType(spec.code),
        title: ERROR_CODES[spec.code].title,
        status: ERROR_CODES[spec.code].status,
        detail: spec.detail,
        code: spec.code,
        instance: '/api/v1/records/person',
        requestId: '6f1c2b0e-3c1d-4f7a-9a0b-2c5d8e9f1a2b',
        ...(spec.errors ? { errors: spec.errors } : {}),
      },
    },
  },
});

export const RESPONSES: Record<string, OpenApiResponse> = Object.fromEntries(
  Object.values(PROBLEM_RESPONSE_SPECS).map((spec) => [spec.name, toProblemResponse(spec)]),
);

/** The error responses of an operation, plus `default` for unexpected errors. */
export const problemResponses = (statuses: readonly ProblemStatus[]): Record<string, Ref> => ({
  ...Object.fromEntries(statuses.map((status) => [String(status), responseRef(PROBLEM_RESPONSE_SPECS[status]!.name)])),
  default: responseRef(PROBLEM_RESPONSE_SPECS.default!.name),
});

/** A JSON response with an optional set of headers. */
export const jsonResponse = (description: string, schema: JsonSchema, headers: string[] = []): OpenApiResponse => ({
  description,
  ...(headers.length > 0 ? { headers: Object.fromEntries(headers.map((name) => [name, headerRef(name)])) } : {}),
  content: { 'application/json': { schema } },
});

export const jsonBody = (schema: JsonSchema, example?: unknown) => ({
  required: true,
  content: { 'application/json': { schema, ...(example !== undefined ? { example } : {}) } },
});
