import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const SSO_TAG = 'Single sign-on';
export const SSO_OPERATION_IDS = [
  'listSsoProviders', 'createSsoProvider', 'getSsoProvider', 'updateSsoProvider', 'deleteSsoProvider', 'startSsoSignIn', 'finishSsoSignIn',
] as const;

const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;

const inputProperties = {
  name: { type: 'string', minLength: 1, maxLength: 63, description: 'Lower-case letters, digits and dashes; part of the sign-in URL.' },
  issuer: { type: 'string', minLength: 1, maxLength: 500, description: 'The issuer URL (https); its /.well-known/openid-configuration is read.' },
  clientId: { type: 'string', minLength: 1, maxLength: 500 },
  clientSecret: { type: ['string', 'null'], minLength: 1, maxLength: 2000, description: 'Stored encrypted and never shown again; null for a public client (PKCE only).' },
  scopes: { type: 'string', minLength: 6, maxLength: 500, description: 'Space-separated; must include openid. Default: `openid email profile`.' },
  roleClaim: { type: ['string', 'null'], maxLength: 200, description: 'The claim holding role names or groups, e.g. `groups` or `realm_access.roles`.' },
  roleMapping: { type: 'object', additionalProperties: uuid, maxProperties: 200, description: 'Claim value → role id; the first value of the claim that maps wins.' },
  defaultRoleId: { ...nullableUuid, description: 'The role of a new member whose claims map to none.' },
  defaultLicence: { type: ['string', 'null'], maxLength: 60, description: 'The licence of a new member; the role\'s or the workspace default otherwise.' },
  createUsers: { type: 'boolean', description: 'Create accounts and memberships just in time (default true).' },
  enabled: { type: 'boolean' },
} as const;

export const providerCreateBody = {
  type: 'object',
  properties: inputProperties,
  required: ['name', 'issuer', 'clientId'],
  additionalProperties: false,
} as const;

export const providerPatchBody = { type: 'object', properties: inputProperties, additionalProperties: false } as const;

export const providerParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;

export const providerSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string' },
    issuer: { type: 'string' },
    clientId: { type: 'string' },
    hasClientSecret: { type: 'boolean' },
    scopes: { type: 'string' },
    roleClaim: { type: ['string', 'null'] },
    roleMapping: { type: 'object', additionalProperties: { type: 'string' } },
    defaultRoleId: { type: ['string', 'null'] },
    defaultLicence: { type: ['string', 'null'] },
    createUsers: { type: 'boolean' },
    enabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    startUrl: { type: 'string', description: 'Send people here to sign in with this provider.' },
    redirectUri: { type: 'string', description: 'Register this redirect URI at the provider.' },
  },
  required: ['id', 'name', 'issuer', 'clientId', 'hasClientSecret', 'scopes', 'roleClaim', 'roleMapping', 'defaultRoleId', 'defaultLicence', 'createUsers', 'enabled', 'createdAt', 'startUrl', 'redirectUri'],
} as const;

export const providerListSchema = { type: 'object', properties: { data: { type: 'array', items: providerSchema } }, required: ['data'] } as const;

export const startParams = {
  type: 'object',
  properties: { workspace: { type: 'string', minLength: 1, maxLength: 100 }, provider: { type: 'string', minLength: 1, maxLength: 63 } },
  required: ['workspace', 'provider'],
} as const;

export const startQuerystring = {
  type: 'object',
  properties: { returnTo: { type: 'string', maxLength: 2000, description: 'A path of this server to land on after signing in; `/` by default.' } },
  additionalProperties: false,
} as const;

export const callbackQuerystring = {
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 4000 },
    state: { type: 'string', maxLength: 1000 },
    error: { type: 'string', maxLength: 200 },
    error_description: { type: 'string', maxLength: 2000 },
    iss: { type: 'string', maxLength: 500 },
    session_state: { type: 'string', maxLength: 1000 },
  },
} as const;

const tags = [SSO_TAG];
const redirect = (description: string) => ({ 302: { description, headers: { Location: { $ref: '#/components/headers/Location' } } } });

export const SSO_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/sso/providers': {
    get: {
      operationId: 'listSsoProviders',
      summary: 'List single sign-on providers',
      description: 'The OpenID Connect providers of the workspace (client secrets are never shown). Workspace administrators only.',
      tags,
      responses: { 200: jsonResponse('The providers.', providerListSchema), ...problemResponses([401, 403]) },
    },
    post: {
      operationId: 'createSsoProvider',
      summary: 'Add a single sign-on provider',
      description: 'Adds an OpenID Connect provider. Register `redirectUri` of the answer at the provider. Workspace administrators only.',
      tags,
      requestBody: jsonBody(providerCreateBody, { name: 'okta', issuer: 'https://acme.okta.com', clientId: '0oa1b2c3', clientSecret: '…', roleClaim: 'groups', roleMapping: { 'crm-sales': '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11' } }),
      responses: { 201: jsonResponse('The provider.', providerSchema, ['Location']), ...problemResponses([400, 401, 403, 409, 415, 422]) },
    },
  },
  '/api/v1/sso/providers/{id}': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
    get: {
      operationId: 'getSsoProvider',
      summary: 'Get a single sign-on provider',
      tags,
      responses: { 200: jsonResponse('The provider.', providerSchema), ...problemResponses([401, 403, 404]) },
    },
    patch: {
      operationId: 'updateSsoProvider',
      summary: 'Change a single sign-on provider',
      description: 'Fields left out keep their value; `clientSecret: null` removes the secret.',
      tags,
      requestBody: jsonBody(providerPatchBody),
      responses: { 200: jsonResponse('The provider.', providerSchema), ...problemResponses([400, 401, 403, 404, 409, 415, 422]) },
    },
    delete: {
      operationId: 'deleteSsoProvider',
      summary: 'Remove a single sign-on provider',
      tags,
      responses: { 204: { description: 'Removed.' }, ...problemResponses([401, 403, 404]) },
    },
  },
  '/api/v1/auth/sso/{workspace}/{provider}/start': {
    parameters: [
      { name: 'workspace', in: 'path', required: true, description: 'The workspace name.', schema: { type: 'string' } },
      { name: 'provider', in: 'path', required: true, description: 'The provider name.', schema: { type: 'string' } },
    ],
    get: {
      operationId: 'startSsoSignIn',
      summary: 'Start signing in with single sign-on',
      description: 'Redirects the browser to the provider (authorization code flow with PKCE), remembering the flow in a short-lived encrypted cookie. No authentication.',
      tags,
      security: [],
      parameters: [{ name: 'returnTo', in: 'query', schema: startQuerystring.properties.returnTo }],
      responses: { ...redirect('To the provider\'s authorization endpoint.'), ...problemResponses([400, 404, 429]) },
    },
  },
  '/api/v1/auth/sso/callback': {
    get: {
      operationId: 'finishSsoSignIn',
      summary: 'Finish signing in with single sign-on',
      description: 'Where the provider sends the browser back: checks the answer, finds or creates the user, sets the session cookies and redirects to `/` (or `returnTo`). No authentication.',
      tags,
      security: [],
      parameters: ['code', 'state', 'error'].map((name) => ({ name, in: 'query' as const, schema: { type: 'string' } })),
      responses: { ...redirect('Signed in: to the app, with the session cookies set.'), ...problemResponses([400, 401, 403, 409, 429]) },
    },
  },
};
