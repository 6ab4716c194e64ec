import { DEFAULT_IDLE_MINUTES, LICENCE_FEATURES } from '../../licences/licence-types.ts';
import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const LICENCES_TAG = 'Licences';
export const LICENCE_OPERATION_IDS = ['listLicenceTypes', 'putLicenceType', 'getLicenceUtilisation'] as const;

export interface LicenceBody {
  seats?: number | null;
  concurrent?: boolean;
  features?: string[];
  idleMinutes?: number;
}

export interface UtilisationQuerystring {
  inactiveDays?: number;
  days?: number;
}

export const licenceNameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 60 } },
  required: ['name'],
} as const;

export const licenceBodySchema = {
  type: 'object',
  properties: {
    seats: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000, description: 'Named seats, or people signed in at once when `concurrent`; null for unlimited.' },
    concurrent: { type: 'boolean', description: 'Seats limit how many holders are signed in at once instead of how many hold it.' },
    features: { type: 'array', items: { type: 'string', enum: [...LICENCE_FEATURES] }, maxItems: 50, uniqueItems: true },
    idleMinutes: { type: 'integer', minimum: 1, maximum: 10_080, description: `Concurrent seats: a session without activity for this long releases its seat (default ${DEFAULT_IDLE_MINUTES}).` },
  },
  additionalProperties: false,
} as const;

export const licenceTypeSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', examples: ['Professional'] },
    seats: { type: ['integer', 'null'] },
    used: { type: 'integer', description: 'Named licences: users holding it. Concurrent ones: holders signed in and active now.' },
    concurrent: { type: 'boolean' },
    features: { type: 'array', items: { type: 'string' } },
    idleMinutes: { type: 'integer' },
  },
  required: ['name', 'seats', 'used', 'concurrent', 'features', 'idleMinutes'],
} as const;

export const licenceListSchema = {
  type: 'object',
  properties: { types: { type: 'array', items: licenceTypeSchema } },
  required: ['types'],
} as const;

export const utilisationQuerystring = {
  type: 'object',
  properties: {
    inactiveDays: { type: 'integer', minimum: 0, maximum: 3650, default: 30, description: 'Flag users inactive for more than this many days.' },
    days: { type: 'integer', minimum: 1, maximum: 365, default: 90, description: 'The window of `featuresUsed` and of downgrade suggestions.' },
  },
  additionalProperties: false,
} as const;

const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export const utilisationSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          userId: { type: 'string', format: 'uuid' },
          email: { type: 'string' },
          name: { type: 'string' },
          status: { type: 'string', enum: ['invited', 'active'] },
          licence: { type: ['string', 'null'] },
          lastSignInAt: { type: ['string', 'null'], format: 'date-time' },
          lastActiveAt: { type: ['string', 'null'], format: 'date-time' },
          inactiveDays: { type: 'integer' },
          featuresUsed: { type: 'array', items: { type: 'string' } },
          usage: { type: 'object', properties: { last30Days: counts, last90Days: counts }, required: ['last30Days', 'last90Days'] },
          flaggedInactive: { type: 'boolean' },
          suggestedLicence: { type: ['string', 'null'], description: 'A licence with fewer features that covers every feature used; null when none.' },
        },
        required: ['userId', 'email', 'name', 'status', 'licence', 'lastSignInAt', 'lastActiveAt', 'inactiveDays', 'featuresUsed', 'usage', 'flaggedInactive', 'suggestedLicence'],
      },
    },
  },
  required: ['data'],
} as const;

const tags = [LICENCES_TAG];

export const LICENCE_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/licences': {
    get: {
      operationId: 'listLicenceTypes',
      summary: 'List licence types',
      description: 'The licence types of the workspace, their seats, how many are used and the features each includes.',
      tags,
      responses: { 200: jsonResponse('The licence types, fewest features first.', licenceListSchema), ...problemResponses([401]) },
    },
  },
  '/api/v1/licences/{name}': {
    parameters: [{ name: 'name', in: 'path', required: true, description: 'The licence type, e.g. `Professional`.', schema: { type: 'string', maxLength: 60 } }],
    put: {
      operationId: 'putLicenceType',
      summary: 'Create or change a licence type',
      description: 'Sets seats, concurrency, features or idle time; fields left out keep their value. Workspace administrators only.',
      tags,
      requestBody: jsonBody(licenceBodySchema, { seats: 10, concurrent: false }),
      responses: {
        200: jsonResponse('The changed licence type.', licenceTypeSchema),
        201: jsonResponse('The created licence type.', licenceTypeSchema),
        ...problemResponses([400, 401, 403, 409, 415, 422]),
      },
    },
  },
  '/api/v1/licences/utilisation': {
    get: {
      operationId: 'getLicenceUtilisation',
      summary: 'Licence utilisation report',
      description: 'One row per user: licence, last sign-in and activity, features used, inactive users flagged and suggested downgrades. Workspace administrators only.',
      tags,
      parameters: Object.entries(utilisationQuerystring.properties).map(([name, { description, ...schema }]) => ({ name, in: 'query' as const, description, schema })),
      responses: { 200: jsonResponse('The report.', utilisationSchema), ...problemResponses([400, 401, 403]) },
    },
  },
};
