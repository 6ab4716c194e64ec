import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import { parameterRef, type OpenApiPathItem } from '../openapi/openapi-types.ts';
import { COLOR_PATTERN, LOGO_PATTERN, MAX_LOGO_LENGTH, WORKSPACE_LOCALES } from '../../designer/workspace-settings.ts';

export const WORKSPACE_TAG = 'Workspace';
export const DESIGNER_OPERATION_IDS = ['checkObjectExpression', 'getObjectLayout', 'replaceObjectLayout', 'getWorkspaceSettings', 'updateWorkspaceSettings'] as const;

export const expressionCheckBody = {
  type: 'object',
  properties: {
    expression: { type: 'string', maxLength: 4000, description: 'CEL source, as a formula or rule would hold it.' },
    kind: { type: 'string', enum: ['formula', 'rule'], default: 'formula', description: '`formula` reads `record`; `rule` reads `record`, `previous` (and `value` with `field`) and must give true or false.' },
    resultType: { type: 'string', enum: ['text', 'number', 'boolean', 'date', 'datetime'], description: 'A formula\'s result type: the expression must produce it.' },
    field: { type: 'string', maxLength: 100, description: 'The field the expression belongs to: a formula cannot read itself; a field rule reads its `value`.' },
  },
  required: ['expression'],
  additionalProperties: false,
} as const;

export const expressionCheckResult = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    type: { type: ['string', 'null'], description: 'The checked result type (`string`, `double`, `bool`, `google.protobuf.Timestamp`...); null when invalid.' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string', enum: ['syntax', 'type', 'resultType', 'limit'] },
          message: { type: 'string' },
          position: { type: ['integer', 'null'], description: 'Zero-based offset in the expression where the problem is, when known.' },
        },
        required: ['code', 'message', 'position'],
      },
    },
  },
  required: ['valid', 'type', 'errors'],
} as const;

const sectionSchema = {
  type: 'object',
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 100 },
    columns: { type: 'integer', enum: [1, 2] },
    fields: { type: 'array', maxItems: 300, items: { type: 'string', minLength: 1, maxLength: 100 } },
  },
  required: ['title', 'columns', 'fields'],
  additionalProperties: false,
} as const;

export const layoutBody = {
  type: 'object',
  properties: { sections: { type: 'array', minItems: 1, maxItems: 50, items: sectionSchema } },
  required: ['sections'],
  additionalProperties: false,
} as const;

export const layoutResponse = {
  type: 'object',
  properties: {
    sections: { type: 'array', items: sectionSchema },
    isDefault: { type: 'boolean', description: 'True when no layout was saved: one section with every field.' },
    updatedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['sections', 'isDefault', 'updatedAt'],
} as const;

const settingsProperties = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  logo: { type: ['string', 'null'], maxLength: MAX_LOGO_LENGTH, pattern: LOGO_PATTERN, description: `A PNG, JPEG, GIF, WebP or SVG image as a base64 data URL, at most ${MAX_LOGO_LENGTH} characters; null removes it.` },
  primaryColor: { type: ['string', 'null'], pattern: COLOR_PATTERN, description: 'The accent colour of the app, `#rrggbb`; null for the default.' },
  defaultCurrency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code for new currency values.' },
  locale: { type: 'string', enum: [...WORKSPACE_LOCALES], description: 'The language for people who have not chosen one.' },
  timezone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. `Europe/Paris`.' },
} as const;

export const workspacePatchBody = { type: 'object', properties: settingsProperties, additionalProperties: false, minProperties: 1 } as const;

export const workspaceSettingsResponse = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' }, ...settingsProperties, updatedAt: { type: 'string', format: 'date-time' } },
  required: ['id', 'name', 'logo', 'primaryColor', 'defaultCurrency', 'locale', 'timezone', 'updatedAt'],
} as const;

const metadataTags = ['Metadata'];

export const DESIGNER_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/metadata/objects/{object}/expressions/check': {
    parameters: [parameterRef('objectName')],
    post: {
      operationId: 'checkObjectExpression',
      summary: 'Check a formula or rule expression',
      description: 'Parses and type-checks a CEL expression against the object\'s fields, as saving it would, and saves nothing. An invalid expression is a 200 with `valid: false` and the checker\'s message and position.',
      tags: metadataTags,
      requestBody: jsonBody(expressionCheckBody, { expression: 'record.amount * 0.2', resultType: 'number' }),
      responses: { 200: jsonResponse('The result of the check.', expressionCheckResult), ...problemResponses([400, 401, 404, 415]) },
    },
  },
  '/api/v1/metadata/objects/{object}/layout': {
    parameters: [parameterRef('objectName')],
    get: {
      operationId: 'getObjectLayout',
      summary: 'Get the record-page layout',
      description: 'Sections of fields for record pages and forms. Fields the caller may not see are left out; without a saved layout, one section lists every field.',
      tags: metadataTags,
      responses: { 200: jsonResponse('The layout.', layoutResponse), ...problemResponses([401, 404]) },
    },
    put: {
      operationId: 'replaceObjectLayout',
      summary: 'Replace the record-page layout',
      description: 'Every field named must be a field of the object and appear once. Workspace administrators only.',
      tags: metadataTags,
      requestBody: jsonBody(layoutBody, { sections: [{ title: 'Details', columns: 2, fields: ['name', 'domain'] }] }),
      responses: { 200: jsonResponse('The saved layout.', layoutResponse), ...problemResponses([400, 401, 403, 404, 415, 422]) },
    },
  },
  '/api/v1/workspace': {
    get: {
      operationId: 'getWorkspaceSettings',
      summary: 'Get the workspace\'s branding and defaults',
      tags: [WORKSPACE_TAG],
      responses: { 200: jsonResponse('The workspace settings.', workspaceSettingsResponse), ...problemResponses([401]) },
    },
    patch: {
      operationId: 'updateWorkspaceSettings',
      summary: 'Change the workspace\'s branding and defaults',
      description: 'Name, logo, primary colour, default currency, locale and time zone. Workspace administrators only.',
      tags: [WORKSPACE_TAG],
      requestBody: jsonBody(workspacePatchBody, { primaryColor: '#0b7285', defaultCurrency: 'USD', timezone: 'America/New_York' }),
      responses: { 200: jsonResponse('The updated settings.', workspaceSettingsResponse), ...problemResponses([400, 401, 403, 409, 413, 415, 422]) },
    },
  },
};
