import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { markSessionTwoFactorVerified } from '../../identity/session.service.ts';
import { confirmTotp, disableTotp, enrollTotp, regenerateRecoveryCodes } from '../../identity/two-factor.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { codeBody, recoveryCodesSchema, totpEnrolmentSchema } from './auth.schemas.ts';

/** TOTP enrolment, verification and removal for the signed-in user. */
export const registerTwoFactorRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const { secretBox } = services.identity;
  const currentUser = (request: FastifyRequest) => {
    const { principal } = getContext(request);
    if (!principal.userId) throw new AppError('USER_NOT_FOUND', 'This API key belongs to no user: two-factor authentication is per user.');
    return { userId: principal.userId, principal };
  };

  app.post('/auth/totp/enroll', { config: { licenceFeatures: [] }, schema: { response: { 200: totpEnrolmentSchema } } }, async (request) => enrollTotp(db, secretBox, currentUser(request)));

  app.post<{ Body: { code: string } }>('/auth/totp/verify', { config: { licenceFeatures: [] }, schema: { body: codeBody, response: { 200: recoveryCodesSchema } } }, async (request) => {
    const { userId, principal } = currentUser(request);
    const result = await confirmTotp(db, secretBox, { userId, code: request.body.code });
    // The session that enrolled has just proved the second factor: the enrolment gate lifts.
    if (principal.sessionId) await markSessionTwoFactorVerified(db, principal.sessionId);
    services.authenticator.forget();
    await recordAudit(db, { workspaceId: principal.workspaceId, actorId: userId, action: 'auth.totp.enabled', ...requestFacts(request) });
    return result;
  });

  app.post<{ Body: { code: string } }>('/auth/totp/disable', { config: { licenceFeatures: [] }, schema: { body: codeBody } }, async (request, reply) => {
    const { userId, principal } = currentUser(request);
    await disableTotp(db, secretBox, { userId, workspaceId: principal.workspaceId, code: request.body.code });
    services.authenticator.forget();
    await recordAudit(db, { workspaceId: principal.workspaceId, actorId: userId, action: 'auth.totp.disabled', ...requestFacts(request) });
    return reply.status(204).send();
  });

  app.post<{ Body: { code: string } }>('/auth/totp/recovery-codes', { config: { licenceFeatures: [] }, schema: { body: codeBody, response: { 200: recoveryCodesSchema } } }, async (request) => {
    const { userId, principal } = currentUser(request);
    const result = await regenerateRecoveryCodes(db, secretBox, { userId, code: request.body.code });
    await recordAudit(db, { workspaceId: principal.workspaceId, actorId: userId, action: 'auth.recovery_codes.renewed', ...requestFacts(request) });
    return result;
  });
};
