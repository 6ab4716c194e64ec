import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { csrfTokenFor } from '../../identity/csrf.ts';
import { acceptInvitation, type AcceptInvitationInput } from '../../identity/invitations.service.ts';
import { changePassword } from '../../identity/password-change.service.ts';
import { confirmPasswordReset, requestPasswordReset, resetUrl, RESET_TTL_MINUTES } from '../../identity/password-reset.service.ts';
import { createSession, revokeSession, revokeUserSessions, switchSessionWorkspace, type CreatedSession } from '../../identity/session.service.ts';
import { signIn, type SignInInput } from '../../identity/sign-in.service.ts';
import { isSignUpOpen, signUp, type SignUpInput } from '../../identity/sign-up.service.ts';
import { getUser } from '../../identity/users.service.ts';
import { passwordResetMessage } from '../../mail/messages.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getWorkspace } from '../../workspaces/workspace.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { clearSessionCookies, setSessionCookies } from '../session-cookie.ts';
import {
  acceptInvitationBody,
  authStatusSchema,
  changePasswordBody,
  passwordResetBody,
  passwordResetConfirmBody,
  securityPolicySchema,
  sessionSchema,
  signInBody,
  signOutBody,
  signUpBody,
  switchWorkspaceBody,
} from './auth.schemas.ts';
import { registerTwoFactorRoutes } from './two-factor.routes.ts';

const MINUTE = 60_000;

/** Answers with a new session: the token and CSRF token in the body, and as cookies for browsers. */
const sendSession = async (
  services: EngineServices,
  { request, reply, session, userId, workspaceId, status = 200 }: { request: FastifyRequest; reply: FastifyReply; session: CreatedSession; userId: string; workspaceId: string; status?: number },
) => {
  const db = services.database.db;
  const csrfToken = csrfTokenFor(services.identity.csrfKey, session.id);
  setSessionCookies(request, reply, { token: session.token, csrfToken, expiresAt: session.expiresAt, secure: services.identity.settings.cookieSecure });
  const [user, workspace] = await Promise.all([getUser(db, workspaceId, userId), getWorkspace(db, { id: workspaceId })]);
  return reply.status(status).send({ token: session.token, expiresAt: session.expiresAt, csrfToken, user, workspace: { id: workspace.id, name: workspace.name } });
};

/** Sign-in, sign-up, invitations and password resets: reached without a credential, limited per IP. */
export const registerPublicAuthRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const { rateLimiter, settings, mailer } = services.identity;
  const limitPerIp = async (request: FastifyRequest) => rateLimiter.consume(`auth-ip:${request.ip}`, { limit: settings.rateLimits.authPerMinute, windowMs: MINUTE });
  const sessionResponse = { response: { 200: sessionSchema, 201: sessionSchema } };

  // What the sign-in screen needs before anyone signs in: whether this is a new instance (sign-up open)
  // and the enabled single sign-on providers to offer as buttons.
  // Read on every visit to the sign-in screen: a looser limit of its own than password attempts.
  const statusLimit = async (request: FastifyRequest) => rateLimiter.consume(`auth-status-ip:${request.ip}`, { limit: 120, windowMs: MINUTE });
  app.get('/auth/status', { onRequest: statusLimit, schema: { response: { 200: authStatusSchema } } }, async (_request, reply) => {
    const [signUpOpen, { rows }] = await Promise.all([
      isSignUpOpen(db),
      sql<{ workspace: string; provider: string }>`select w.name as workspace, p.name as provider from rapport.oidc_provider p
        join rapport.workspace w on w.id = p.workspace_id where p.enabled order by w.name, p.name`.execute(db),
    ]);
    const sso = rows.map(({ workspace, provider }) => ({ workspace, provider, startUrl: `/api/v1/auth/sso/${encodeURIComponent(workspace)}/${encodeURIComponent(provider)}/start` }));
    return reply.header('cache-control', 'no-store').send({ signUpOpen, sso });
  });

  app.post<{ Body: SignInInput }>('/auth/sign-in', { onRequest: limitPerIp, schema: { body: signInBody, ...sessionResponse } }, async (request, reply) => {
    const facts = requestFacts(request);
    const signedIn = await signIn({ db, secretBox: services.identity.secretBox, ip: facts.ip, userAgent: facts.userAgent }, request.body);
    return sendSession(services, { request, reply, ...signedIn });
  });

  app.post<{ Body: SignUpInput }>('/auth/sign-up', { onRequest: limitPerIp, schema: { body: signUpBody, ...sessionResponse } }, async (request, reply) => {
    const { userId, workspaceId } = await signUp(db, { input: request.body, standardObjects: services.identity.standardObjects });
    const facts = requestFacts(request);
    await recordAudit(db, { workspaceId, actorId: userId, action: 'user.created', objectName: 'user', recordId: userId, ...facts, details: { email: request.body.email.trim(), via: 'signUp' } });
    const session = await createSession(db, { userId, workspaceId, via: 'password', ...facts });
    await recordAudit(db, { workspaceId, actorId: userId, action: 'auth.sign_in.succeeded', ...facts, details: { method: 'signUp' } });
    return sendSession(services, { request, reply, session, userId, workspaceId, status: 201 });
  });

  app.post<{ Body: AcceptInvitationInput }>(
    '/auth/invitations/accept',
    { onRequest: limitPerIp, schema: { body: acceptInvitationBody, ...sessionResponse } },
    async (request, reply) => {
      const { userId, workspaceId, email } = await acceptInvitation(db, request.body);
      services.onAccessChanged(workspaceId);
      const facts = requestFacts(request);
      const session = await createSession(db, { userId, workspaceId, via: 'invitation', ...facts });
      await recordAudit(db, { workspaceId, actorId: userId, action: 'auth.sign_in.succeeded', ...facts, details: { email, method: 'invitation' } });
      return sendSession(services, { request, reply, session, userId, workspaceId });
    },
  );

  app.post<{ Body: { email: string } }>('/auth/password-reset', { onRequest: limitPerIp, schema: { body: passwordResetBody } }, async (request, reply) => {
    const reset = await requestPasswordReset(db, request.body.email);
    // Sent in the background: the answer takes the same time whether the account exists or not.
    if (reset) {
      mailer
        .send(passwordResetMessage({ to: reset.to, url: resetUrl(settings.publicUrl, reset.token), expiresInMinutes: RESET_TTL_MINUTES }))
        .catch((error: unknown) => request.log.error({ err: error }, 'could not send the password reset email'));
    }
    return reply.status(202).send();
  });

  app.post<{ Body: { token: string; password: string } }>(
    '/auth/password-reset/confirm',
    { onRequest: limitPerIp, schema: { body: passwordResetConfirmBody } },
    async (request, reply) => {
      const { userId, email } = await confirmPasswordReset(db, request.body);
      services.authenticator.forget();
      const { rows } = await sql<{ workspace_id: string }>`select workspace_id from rapport.workspace_member where user_id = ${userId} and status = 'active'`.execute(db);
      for (const { workspace_id: workspaceId } of rows) {
        await recordAudit(db, { workspaceId, actorId: userId, action: 'auth.password.reset', ...requestFacts(request), details: { email } });
      }
      return reply.status(204).send();
    },
  );
};

/** Sign-out, two-factor enrolment and the workspace security policy: for a signed-in caller. */
export const registerAuthRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  const signOut = async (request: FastifyRequest, reply: FastifyReply, everywhere: boolean) => {
    const { principal } = getContext(request);
    if (principal.via !== 'session' || !principal.sessionId || !principal.userId) {
      throw new AppError('INVALID_REQUEST', 'Signing out ends a session; an API key is revoked with DELETE /api/v1/apikeys/{id}.');
    }
    await (everywhere ? revokeUserSessions(db, principal.userId) : revokeSession(db, principal.sessionId));
    services.authenticator.forget();
    await recordAudit(db, { workspaceId: principal.workspaceId, actorId: principal.userId, action: 'auth.sign_out', ...requestFacts(request), details: { everywhere } });
    clearSessionCookies(request, reply, services.identity.settings.cookieSecure);
    return reply.status(204).send();
  };

  app.post<{ Body: { everywhere?: boolean } | null }>('/auth/sign-out', { config: { licenceFeatures: [] }, schema: { body: signOutBody } }, (request, reply) =>
    signOut(request, reply, request.body?.everywhere === true),
  );
  app.post('/auth/sign-out-everywhere', { config: { licenceFeatures: [] } }, (request, reply) => signOut(request, reply, true));

  app.post<{ Body: { currentPassword: string; newPassword: string } }>('/auth/password', { config: { licenceFeatures: [] }, schema: { body: changePasswordBody } }, async (request, reply) => {
    const { principal } = getContext(request);
    if (principal.via !== 'session' || !principal.sessionId || !principal.userId) throw new AppError('INVALID_REQUEST', 'Sign in to change your password.');
    await changePassword(db, { userId: principal.userId, keepSessionId: principal.sessionId, ...request.body });
    services.authenticator.forget();
    await recordAudit(db, { workspaceId: principal.workspaceId, actorId: principal.userId, action: 'auth.password.changed', ...requestFacts(request) });
    return reply.status(204).send();
  });

  // A new session in another workspace of the same user (a sandbox and its production); the old one ends.
  app.post<{ Body: { workspace: string } }>('/auth/switch-workspace', { config: { licenceFeatures: [] }, schema: { body: switchWorkspaceBody, response: { 200: sessionSchema } } }, async (request, reply) => {
    const { principal } = getContext(request);
    if (principal.via !== 'session' || !principal.sessionId || !principal.userId) throw new AppError('INVALID_REQUEST', 'Switching workspace opens a new session: sign in first (an API key belongs to one workspace).');
    const workspaceId = request.body.workspace.toLowerCase();
    const facts = requestFacts(request);
    const session = await switchSessionWorkspace(db, { sessionId: principal.sessionId, userId: principal.userId, workspaceId, ...facts });
    services.authenticator.forget();
    await recordAudit(db, { workspaceId, actorId: principal.userId, action: 'auth.workspace_switched', ...facts, details: { from: principal.workspaceId } });
    return sendSession(services, { request, reply, session, userId: principal.userId, workspaceId });
  });

  registerTwoFactorRoutes(app, services);

  app.get('/auth/policy', { config: { licenceFeatures: [] }, schema: { response: { 200: securityPolicySchema } } }, async (request) => {
    const { rows } = await sql<{ require_two_factor: boolean }>`select require_two_factor from rapport.workspace where id = ${getContext(request).workspace.id}`.execute(db);
    return { requireTwoFactor: rows[0]?.require_two_factor === true };
  });

  app.patch<{ Body: { requireTwoFactor: boolean } }>('/auth/policy', { config: { licenceFeatures: ['admin'] }, schema: { body: securityPolicySchema, response: { 200: securityPolicySchema } } }, async (request) => {
    const { principal, workspace } = getContext(request);
    await assertWorkspaceAdmin(db, principal);
    await sql`update rapport.workspace set require_two_factor = ${request.body.requireTwoFactor}, updated_at = now() where id = ${workspace.id}`.execute(db);
    services.authenticator.forget();
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'workspace.security_policy.updated', ...requestFacts(request), details: request.body });
    return { requireTwoFactor: request.body.requireTwoFactor };
  });
};
