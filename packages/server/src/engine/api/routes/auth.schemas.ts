import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';
import { userSchema } from './users.schemas.ts';

export const AUTH_TAG = 'Authentication';
export const AUTH_OPERATION_IDS = [
  'getAuthStatus', 'signIn', 'signUp', 'signOut', 'signOutEverywhere', 'acceptInvitation', 'requestPasswordReset', 'confirmPasswordReset',
  'changePassword', 'enrollTotp', 'verifyTotp', 'disableTotp', 'getSecurityPolicy', 'updateSecurityPolicy',
] as const;

const password = { type: 'string', minLength: 1, maxLength: 1000 } as const;
const email = { type: 'string', minLength: 1, maxLength: 320 } as const;

export const signInBody = {
  type: 'object',
  properties: {
    email,
    password,
    totp: { type: 'string', maxLength: 100, description: 'The 6-digit code of the authenticator app, or a recovery code.' },
    workspace: { type: 'string', maxLength: 200, description: 'For someone in several workspaces: its id or name. Default: the one last signed in to.' },
  },
  required: ['email', 'password'],
  additionalProperties: false,
} as const;

export const signUpBody = {
  type: 'object',
  properties: { workspaceName: { type: 'string', maxLength: 200 }, email, name: { type: 'string', maxLength: 200 }, password },
  required: ['workspaceName', 'email', 'name', 'password'],
  additionalProperties: false,
} as const;

export const acceptInvitationBody = {
  type: 'object',
  properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password, name: { type: 'string', maxLength: 200 } },
  required: ['token', 'password'],
  additionalProperties: false,
} as const;

export const passwordResetBody = { type: 'object', properties: { email }, required: ['email'], additionalProperties: false } as const;

export const passwordResetConfirmBody = {
  type: 'object',
  properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password },
  required: ['token', 'password'],
  additionalProperties: false,
} as const;

export const changePasswordBody = {
  type: 'object',
  properties: { currentPassword: password, newPassword: password },
  required: ['currentPassword', 'newPassword'],
  additionalProperties: false,
} as const;

export const signOutBody = {
  type: ['object', 'null'],
  properties: { everywhere: { type: 'boolean', description: 'End every session of the user, on every device and in every workspace.' } },
  additionalProperties: false,
} as const;

export const switchWorkspaceBody = {
  type: 'object',
  properties: { workspace: { type: 'string', format: 'uuid', description: 'The id of a workspace the signed-in user is an active member of (a sandbox, or back to its production).' } },
  required: ['workspace'],
  additionalProperties: false,
} as const;

export const codeBody = {
  type: 'object',
  properties: { code: { type: 'string', minLength: 1, maxLength: 100, description: 'A code of the authenticator app (or, to turn 2FA off, a recovery code).' } },
  required: ['code'],
  additionalProperties: false,
} as const;

export const sessionSchema = {
  type: 'object',
  description: 'A new session. Browsers also get it as the httpOnly cookie `rapport_session`.',
  properties: {
    token: { type: 'string', description: 'The session token: send it as `Authorization: Bearer <token>`.' },
    expiresAt: { type: 'string', format: 'date-time', description: 'At the latest; a week without use ends it sooner.' },
    csrfToken: { type: 'string', description: 'Cookie sessions: send it as the `x-csrf-token` header with every POST, PATCH, PUT and DELETE.' },
    user: userSchema,
    workspace: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }, required: ['id', 'name'] },
  },
  required: ['token', 'expiresAt', 'csrfToken', 'user', 'workspace'],
} as const;

export const totpEnrolmentSchema = {
  type: 'object',
  properties: {
    secret: { type: 'string', description: 'Base32 secret (SHA-1, 6 digits, 30 s) to type into an authenticator app.' },
    otpauthUrl: { type: 'string', description: 'The same as an `otpauth://totp/...` URI, for a QR code.' },
  },
  required: ['secret', 'otpauthUrl'],
} as const;

export const recoveryCodesSchema = {
  type: 'object',
  properties: {
    recoveryCodes: { type: 'array', items: { type: 'string' }, description: 'Single-use codes for when the device is lost: shown once, stored hashed.' },
  },
  required: ['recoveryCodes'],
} as const;

export const securityPolicySchema = {
  type: 'object',
  properties: { requireTwoFactor: { type: 'boolean', description: 'Every member must use two-factor authentication (roles can also require it).' } },
  required: ['requireTwoFactor'],
  additionalProperties: false,
} as const;

export const authStatusSchema = {
  type: 'object',
  properties: {
    signUpOpen: { type: 'boolean', description: 'True while the instance has no user: the first person signs up and becomes its administrator.' },
    sso: {
      type: 'array',
      description: 'The enabled single sign-on providers, to offer on the sign-in screen.',
      items: {
        type: 'object',
        properties: {
          workspace: { type: 'string', description: 'The workspace the provider signs in to.' },
          provider: { type: 'string' },
          startUrl: { type: 'string', description: 'Open this path in the browser to sign in with the provider.' },
        },
        required: ['workspace', 'provider', 'startUrl'],
      },
    },
  },
  required: ['signUpOpen', 'sso'],
} as const;

const tags = [AUTH_TAG];
const publicRoute = { tags, security: [] as Record<string, string[]>[] };
const noContent = (description: string) => ({ 204: { description } });

export const AUTH_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/auth/status': {
    get: {
      operationId: 'getAuthStatus',
      summary: 'What the sign-in screen offers',
      description: 'Without a credential: whether sign-up is open (the instance has no user yet) and the enabled single sign-on providers.',
      ...publicRoute,
      responses: { 200: jsonResponse('The sign-in options.', authStatusSchema), ...problemResponses([429]) },
    },
  },
  '/api/v1/auth/sign-in': {
    post: {
      operationId: 'signIn',
      summary: 'Sign in',
      description:
        'Email and password, plus `totp` for accounts with two-factor authentication (`TOTP_REQUIRED` when it is missing). Failures are rate limited per IP and per email, with a lockout that grows (429 with Retry-After).',
      ...publicRoute,
      requestBody: jsonBody(signInBody, { email: 'ada@example.com', password: 'correct horse battery staple' }),
      responses: { 200: jsonResponse('Signed in.', sessionSchema, ['Set-Cookie']), ...problemResponses([400, 401, 403, 409, 429]) },
    },
  },
  '/api/v1/auth/sign-up': {
    post: {
      operationId: 'signUp',
      summary: 'Create the first administrator',
      description: 'Only while the instance has no user (`SIGN_UP_CLOSED` after): creates the workspace and its first Admin, and signs them in.',
      ...publicRoute,
      requestBody: jsonBody(signUpBody, { workspaceName: 'Acme', email: 'ada@example.com', name: 'Ada Lovelace', password: 'correct horse battery staple' }),
      responses: { 201: jsonResponse('Signed up and signed in.', sessionSchema, ['Set-Cookie']), ...problemResponses([400, 403, 409, 422, 429]) },
    },
  },
  '/api/v1/auth/sign-out': {
    post: {
      operationId: 'signOut',
      summary: 'Sign out',
      description: 'Ends this session (`{"everywhere": true}`: every session of the user) and clears the cookies.',
      tags,
      requestBody: { required: false, content: { 'application/json': { schema: signOutBody } } },
      responses: { ...noContent('Signed out.'), ...problemResponses([400, 401, 403, 429]) },
    },
  },
  '/api/v1/auth/sign-out-everywhere': {
    post: {
      operationId: 'signOutEverywhere',
      summary: 'Sign out everywhere',
      description: 'Ends every session of the user, on every device and in every workspace.',
      tags,
      responses: { ...noContent('Signed out everywhere.'), ...problemResponses([400, 401, 403, 429]) },
    },
  },
  '/api/v1/auth/invitations/accept': {
    post: {
      operationId: 'acceptInvitation',
      summary: 'Accept an invitation',
      description: 'The token of the emailed link, a password (and a name): activates the membership and signs in. Each link works once.',
      ...publicRoute,
      requestBody: jsonBody(acceptInvitationBody),
      responses: { 200: jsonResponse('Signed in.', sessionSchema, ['Set-Cookie']), ...problemResponses([400, 409, 422, 429]) },
    },
  },
  '/api/v1/auth/password-reset': {
    post: {
      operationId: 'requestPasswordReset',
      summary: 'Ask for a password reset link',
      description: 'Always 202, whether or not the email has an account; if it has, a link valid one hour is emailed.',
      ...publicRoute,
      requestBody: jsonBody(passwordResetBody, { email: 'ada@example.com' }),
      responses: { 202: { description: 'If the account exists, a link is on its way.' }, ...problemResponses([400, 429]) },
    },
  },
  '/api/v1/auth/password-reset/confirm': {
    post: {
      operationId: 'confirmPasswordReset',
      summary: 'Set a new password',
      description: 'The token of the emailed link and the new password. Ends every session of the account; sign in again.',
      ...publicRoute,
      requestBody: jsonBody(passwordResetConfirmBody),
      responses: { ...noContent('The password is changed.'), ...problemResponses([400, 422, 429]) },
    },
  },
  '/api/v1/auth/password': {
    post: {
      operationId: 'changePassword',
      summary: 'Change your password',
      description: 'With the current password. Every other session of the user ends; this one stays signed in.',
      tags,
      requestBody: jsonBody(changePasswordBody),
      responses: { ...noContent('The password is changed.'), ...problemResponses([400, 401, 403, 422, 429]) },
    },
  },
  '/api/v1/auth/totp/enroll': {
    post: {
      operationId: 'enrollTotp',
      summary: 'Start two-factor enrolment',
      description: 'A new TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s), pending until a code from it is verified.',
      tags,
      responses: { 200: jsonResponse('The secret to add to an authenticator app.', totpEnrolmentSchema), ...problemResponses([401, 403, 404, 409, 429]) },
    },
  },
  '/api/v1/auth/totp/verify': {
    post: {
      operationId: 'verifyTotp',
      summary: 'Turn two-factor authentication on',
      description: 'A current code from the enrolled app turns 2FA on and returns 10 single-use recovery codes (shown once).',
      tags,
      requestBody: jsonBody(codeBody, { code: '123456' }),
      responses: { 200: jsonResponse('2FA is on.', recoveryCodesSchema), ...problemResponses([400, 401, 403, 404, 409, 422, 429]) },
    },
  },
  '/api/v1/auth/totp/disable': {
    post: {
      operationId: 'disableTotp',
      summary: 'Turn two-factor authentication off',
      description: 'Needs a current code (or a recovery code). Refused while the workspace or the role requires 2FA.',
      tags,
      requestBody: jsonBody(codeBody, { code: '123456' }),
      responses: { ...noContent('2FA is off.'), ...problemResponses([400, 401, 403, 404, 409, 422, 429]) },
    },
  },
  '/api/v1/auth/totp/recovery-codes': {
    post: {
      operationId: 'renewRecoveryCodes',
      summary: 'Renew recovery codes',
      description: 'With a current code from the authenticator app (not a recovery code): 10 new single-use recovery codes, shown once; the old ones stop working.',
      tags,
      requestBody: jsonBody(codeBody, { code: '123456' }),
      responses: { 200: jsonResponse('The new recovery codes.', recoveryCodesSchema), ...problemResponses([400, 401, 403, 404, 409, 422, 429]) },
    },
  },
  '/api/v1/auth/policy': {
    get: {
      operationId: 'getSecurityPolicy',
      summary: 'Get the workspace security policy',
      tags,
      responses: { 200: jsonResponse('The policy.', securityPolicySchema), ...problemResponses([401, 429]) },
    },
    patch: {
      operationId: 'updateSecurityPolicy',
      summary: 'Change the workspace security policy',
      description: 'Workspace administrators only. Members without 2FA can then only reach the enrolment routes until they enrol.',
      tags,
      requestBody: jsonBody(securityPolicySchema, { requireTwoFactor: true }),
      responses: { 200: jsonResponse('The policy.', securityPolicySchema), ...problemResponses([400, 401, 403, 429]) },
    },
  },
};
