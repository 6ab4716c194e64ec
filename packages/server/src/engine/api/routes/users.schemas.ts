import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const USERS_TAG = 'Users';
export const USER_OPERATION_IDS = ['listUsers', 'createUser', 'getCurrentUser', 'getUser', 'updateUser', 'deleteUser', 'deactivateUser', 'reactivateUser', 'resendInvitation'] as const;

const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const userSchema = {
  type: 'object',
  description: 'A person and their membership of this workspace.',
  properties: {
    id: uuid,
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['invited', 'active', 'deactivated'], description: '`invited` until the invitation is accepted.' },
    roleId: nullableUuid,
    role: { type: ['string', 'null'], description: 'The role\'s name.' },
    isAdmin: { type: 'boolean', description: 'The role is an administrator role.' },
    teamIds: { type: 'array', items: uuid },
    licence: { type: ['string', 'null'], description: 'The licence type the user holds.' },
    twoFactorEnabled: { type: 'boolean' },
    createdAt: { ...timestamp, description: 'When they joined the workspace.' },
    lastSignInAt: nullableTimestamp,
    lastActiveAt: nullableTimestamp,
    deactivatedAt: nullableTimestamp,
  },
  required: ['id', 'email', 'name', 'status', 'roleId', 'role', 'isAdmin', 'teamIds', 'licence', 'twoFactorEnabled', 'createdAt', 'lastSignInAt', 'lastActiveAt', 'deactivatedAt'],
} as const;

export const currentUserSchema = {
  ...userSchema,
  description: 'The signed-in user (or the user of the API key) in the current workspace.',
  properties: {
    ...userSchema.properties,
    workspace: { type: 'object', properties: { id: uuid, name: { type: 'string' } }, required: ['id', 'name'] },
    twoFactorRequired: { type: 'boolean', description: 'The workspace or the role requires two-factor authentication.' },
    recoveryCodesLeft: { type: 'integer', minimum: 0 },
    via: { type: 'string', enum: ['session', 'apiKey'] },
  },
  required: [...userSchema.required, 'workspace', 'twoFactorRequired', 'recoveryCodesLeft', 'via'],
} as const;

export const userPageSchema = {
  type: 'object',
  properties: {
    data: { type: 'array', items: userSchema },
    pageInfo: { type: 'object', properties: { hasNextPage: { type: 'boolean' }, nextAfter: { type: ['string', 'null'] } }, required: ['hasNextPage', 'nextAfter'] },
  },
  required: ['data', 'pageInfo'],
} as const;

export const userIdParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;

export const listUsersQuerystring = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['invited', 'active', 'deactivated'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    after: { type: 'string', maxLength: 320, description: '`pageInfo.nextAfter` of the previous page (users come in email order).' },
  },
  additionalProperties: false,
} as const;

export const createUserBody = {
  type: 'object',
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 320 },
    name: { type: 'string', maxLength: 200 },
    password: { type: 'string', maxLength: 1000, description: 'Without it, the person is invited by email to choose their own.' },
    roleId: { type: 'string', maxLength: 100 },
    teamIds: { type: 'array', items: uuid, maxItems: 100 },
    licence: { type: ['string', 'null'], maxLength: 100 },
  },
  required: ['email', 'name', 'roleId'],
  additionalProperties: false,
} as const;

export const updateUserBody = {
  type: 'object',
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 320 },
    name: { type: 'string', maxLength: 200 },
    roleId: { type: 'string', maxLength: 100 },
    teamIds: { type: 'array', items: uuid, maxItems: 100 },
    licence: { type: ['string', 'null'], maxLength: 100 },
  },
  additionalProperties: false,
} as const;

export const deactivateUserBody = {
  type: ['object', 'null'],
  properties: { reassignTo: { ...uuid, description: 'An active member who becomes the owner of every record this user owns.' } },
  additionalProperties: false,
} as const;

export const deactivatedUserSchema = {
  type: 'object',
  properties: {
    user: userSchema,
    reassigned: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Records given to `reassignTo`, per object.' },
  },
  required: ['user', 'reassigned'],
} as const;

const tags = [USERS_TAG];
const idParameter = { name: 'id', in: 'path', required: true, description: 'The user id.', schema: uuid } as const;

export const USER_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/users': {
    get: {
      operationId: 'listUsers',
      summary: 'List users',
      description: 'The members of the workspace, in email order.',
      tags,
      parameters: Object.entries(listUsersQuerystring.properties).map(([name, schema]) => ({ name, in: 'query', schema })),
      responses: { 200: jsonResponse('A page of users.', userPageSchema), ...problemResponses([400, 401, 429]) },
    },
    post: {
      operationId: 'createUser',
      summary: 'Add a user',
      description: 'Adds a person to the workspace with a role. Without `password`, they get an invitation email with a single-use link valid 7 days. Workspace administrators only.',
      tags,
      requestBody: jsonBody(createUserBody, { email: 'ada@example.com', name: 'Ada Lovelace', roleId: '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11' }),
      responses: { 201: jsonResponse('The user.', userSchema, ['Location']), ...problemResponses([400, 401, 403, 409, 422, 429]) },
    },
  },
  '/api/v1/users/me': {
    get: {
      operationId: 'getCurrentUser',
      summary: 'Get the current user',
      description: 'Who is signed in (or whose API key this is), in which workspace, and their two-factor state.',
      tags,
      responses: { 200: jsonResponse('The current user.', currentUserSchema), ...problemResponses([401, 404, 429]) },
    },
  },
  '/api/v1/users/{id}': {
    parameters: [idParameter],
    get: {
      operationId: 'getUser',
      summary: 'Get a user',
      tags,
      responses: { 200: jsonResponse('The user.', userSchema), ...problemResponses([401, 404, 429]) },
    },
    patch: {
      operationId: 'updateUser',
      summary: 'Update a user',
      description: 'Changes the name, email, role, teams or licence. Workspace administrators only; the last administrator keeps their role.',
      tags,
      requestBody: jsonBody(updateUserBody, { roleId: '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11' }),
      responses: { 200: jsonResponse('The user.', userSchema), ...problemResponses([400, 401, 403, 404, 409, 422, 429]) },
    },
    delete: {
      operationId: 'deleteUser',
      summary: 'Remove a user from the workspace',
      description: 'Revokes their sessions and keys and removes the membership; records keep their owner. Workspace administrators only.',
      tags,
      responses: { 204: { description: 'Removed.' }, ...problemResponses([401, 403, 404, 409, 429]) },
    },
  },
  '/api/v1/users/{id}/deactivate': {
    parameters: [idParameter],
    post: {
      operationId: 'deactivateUser',
      summary: 'Deactivate a user',
      description:
        'At once: revokes their sessions, API keys and invitations and frees their seat. With `reassignTo`, every record they own is given to that member through the write path (history and events kept). Workspace administrators only.',
      tags,
      requestBody: { required: false, content: { 'application/json': { schema: deactivateUserBody } } },
      responses: { 200: jsonResponse('The deactivated user and the records reassigned.', deactivatedUserSchema), ...problemResponses([400, 401, 403, 404, 409, 422, 429]) },
    },
  },
  '/api/v1/users/{id}/reactivate': {
    parameters: [idParameter],
    post: {
      operationId: 'reactivateUser',
      summary: 'Reactivate a user',
      tags,
      responses: { 200: jsonResponse('The user.', userSchema), ...problemResponses([401, 403, 404, 409, 429]) },
    },
  },
  '/api/v1/users/{id}/reset-two-factor': {
    parameters: [idParameter],
    post: {
      operationId: 'resetUserTwoFactor',
      summary: "Turn a user's two-factor authentication off (lost device)",
      description:
        'Workspace administrators only. Removes the authenticator and recovery codes and ends the user\'s sessions; where 2FA is required they enrol again at their next sign-in. Refused (409) when the person also belongs to other workspaces.',
      tags,
      responses: { 204: { description: 'Done.' }, ...problemResponses([401, 403, 404, 409, 429]) },
    },
  },
  '/api/v1/users/{id}/invitation': {
    parameters: [idParameter],
    post: {
      operationId: 'resendInvitation',
      summary: 'Send a new invitation',
      description: 'For a user still `invited`: a new link is emailed and earlier ones stop working.',
      tags,
      responses: { 202: { description: 'Sent.' }, ...problemResponses([401, 403, 404, 409, 429]) },
    },
  },
};
