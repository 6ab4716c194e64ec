import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { createInvitation, deliverInvitation, type CreatedInvitation } from '../../identity/invitations.service.ts';
import { countRecoveryCodes, isTwoFactorRequired, resetTotpByAdmin } from '../../identity/two-factor.service.ts';
import { deactivateUser, reactivateUser, removeUser } from '../../identity/user-lifecycle.service.ts';
import { createUser, getUser, listUsers, updateUser, type CreateUserInput, type MemberStatus, type UpdateUserPatch } from '../../identity/users.service.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, type EngineServices } from '../context.ts';
import {
  createUserBody,
  currentUserSchema,
  deactivatedUserSchema,
  deactivateUserBody,
  listUsersQuerystring,
  updateUserBody,
  userIdParams,
  userPageSchema,
  userSchema,
} from './users.schemas.ts';

type IdParams = { id: string };

/** Members of the workspace: anyone in it may read them; administrators change them. */
export const registerUserRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  const asAdmin = async (request: FastifyRequest) => {
    const context = getContext(request);
    await assertWorkspaceAdmin(db, context.principal);
    return context;
  };
  // Who may see what depends on roles, teams and status: tell the permission caches, and drop cached sessions.
  const afterMembershipChange = (workspaceId: string) => {
    services.onAccessChanged(workspaceId);
    services.authenticator.forget();
  };
  const sendInvitation = async (request: FastifyRequest, options: { workspaceId: string; userId: string; invitation: CreatedInvitation }) => {
    try {
      await deliverInvitation({ db, mailer: services.identity.mailer, publicUrl: services.identity.settings.publicUrl, ...options });
    } catch (error) {
      // The user exists either way; an administrator can send a new invitation once mail works.
      request.log.error({ err: error }, 'could not send the invitation email');
    }
  };

  app.get<{ Querystring: { status?: MemberStatus; limit?: number; after?: string } }>(
    '/users',
    { config: { licenceFeatures: [] }, schema: { querystring: listUsersQuerystring, response: { 200: userPageSchema } } },
    async (request) => {
      const { workspace } = getContext(request);
      const { data, nextAfter } = await listUsers(db, { workspaceId: workspace.id, limit: request.query.limit ?? 100, ...request.query });
      return { data, pageInfo: { hasNextPage: nextAfter !== null, nextAfter } };
    },
  );

  app.post<{ Body: CreateUserInput }>('/users', { config: { licenceFeatures: ['admin'] }, schema: { body: createUserBody, response: { 201: userSchema } } }, async (request, reply) => {
    const { workspace, principal } = await asAdmin(request);
    const { user, invitation } = await createUser(db, { workspaceId: workspace.id, input: request.body, invitedBy: principal.userId });
    afterMembershipChange(workspace.id);
    const facts = requestFacts(request);
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'user.created', objectName: 'user', recordId: user.id, ...facts, details: { email: user.email, roleId: user.roleId } });
    if (invitation) {
      await sendInvitation(request, { workspaceId: workspace.id, userId: user.id, invitation });
      await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'user.invited', objectName: 'user', recordId: user.id, ...facts, details: { email: user.email } });
    }
    return reply.status(201).header('Location', `/api/v1/users/${user.id}`).send(user);
  });

  app.get('/users/me', { config: { licenceFeatures: [] }, schema: { response: { 200: currentUserSchema } } }, async (request) => {
    const { principal, workspace } = getContext(request);
    if (!principal.userId) throw new AppError('USER_NOT_FOUND', 'This API key belongs to no user (a workspace key, e.g. made with the CLI).');
    const [user, twoFactorRequired, recoveryCodesLeft] = await Promise.all([
      getUser(db, workspace.id, principal.userId),
      isTwoFactorRequired(db, { workspaceId: workspace.id, userId: principal.userId }),
      countRecoveryCodes(db, principal.userId),
    ]);
    return { ...user, workspace: { id: workspace.id, name: workspace.name }, twoFactorRequired, recoveryCodesLeft, via: principal.via };
  });

  app.get<{ Params: IdParams }>('/users/:id', { config: { licenceFeatures: [] }, schema: { params: userIdParams, response: { 200: userSchema } } }, async (request) =>
    getUser(db, getContext(request).workspace.id, request.params.id),
  );

  app.patch<{ Params: IdParams; Body: UpdateUserPatch }>(
    '/users/:id',
    { config: { licenceFeatures: ['admin'] }, schema: { params: userIdParams, body: updateUserBody, response: { 200: userSchema } } },
    async (request) => {
      const { workspace, principal } = await asAdmin(request);
      const user = await updateUser(db, { workspaceId: workspace.id, userId: request.params.id, patch: request.body });
      afterMembershipChange(workspace.id);
      await recordAudit(db, {
        workspaceId: workspace.id,
        actorId: principal.userId,
        action: 'user.updated',
        objectName: 'user',
        recordId: user.id,
        ...requestFacts(request),
        details: { changes: request.body },
      });
      return user;
    },
  );

  app.delete<{ Params: IdParams }>('/users/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: userIdParams } }, async (request, reply) => {
    const { workspace, principal } = await asAdmin(request);
    const user = await getUser(db, workspace.id, request.params.id);
    await removeUser(db, { workspaceId: workspace.id, userId: user.id });
    afterMembershipChange(workspace.id);
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'user.deleted', objectName: 'user', recordId: user.id, ...requestFacts(request), details: { email: user.email } });
    return reply.status(204).send();
  });

  app.post<{ Params: IdParams; Body: { reassignTo?: string } | null }>(
    '/users/:id/deactivate',
    { config: { licenceFeatures: ['admin'] }, schema: { params: userIdParams, body: deactivateUserBody, response: { 200: deactivatedUserSchema } } },
    async (request) => {
      const { workspace, principal } = await asAdmin(request);
      const reassignTo = request.body?.reassignTo;
      const result = await deactivateUser(db, { workspace, userId: request.params.id, actorId: principal.userId, ...(reassignTo ? { reassignTo } : {}) });
      afterMembershipChange(workspace.id);
      await recordAudit(db, {
        workspaceId: workspace.id,
        actorId: principal.userId,
        action: 'user.deactivated',
        objectName: 'user',
        recordId: result.user.id,
        ...requestFacts(request),
        details: { email: result.user.email, ...(reassignTo ? { reassignTo, reassigned: result.reassigned } : {}) },
      });
      return result;
    },
  );

  app.post<{ Params: IdParams }>('/users/:id/reactivate', { config: { licenceFeatures: ['admin'] }, schema: { params: userIdParams, response: { 200: userSchema } } }, async (request) => {
    const { workspace, principal } = await asAdmin(request);
    const user = await reactivateUser(db, { workspaceId: workspace.id, userId: request.params.id });
    afterMembershipChange(workspace.id);
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'user.reactivated', objectName: 'user', recordId: user.id, ...requestFacts(request), details: { email: user.email } });
    return user;
  });

  app.post<{ Params: IdParams }>('/users/:id/invitation', { config: { licenceFeatures: ['admin'] }, schema: { params: userIdParams } }, async (request, reply) => {
    const { workspace, principal } = await asAdmin(request);
    const user = await getUser(db, workspace.id, request.params.id);
    if (user.status !== 'invited') throw new AppError('CONFLICT', `${user.email} is ${user.status}: only invited users get invitations.`);
    const invitation = await db.transaction().execute((trx) => createInvitation(trx, { workspaceId: workspace.id, userId: user.id, invitedBy: principal.userId }));
    await sendInvitation(request, { workspaceId: workspace.id, userId: user.id, invitation });
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'user.invited', objectName: 'user', recordId: user.id, ...requestFacts(request), details: { email: user.email } });
    return reply.status(202).send();
  });

  app.post<{ Params: IdParams }>('/users/:id/reset-two-factor', { config: { licenceFeatures: ['admin'] }, schema: { params: userIdParams } }, async (request, reply) => {
    const { workspace, principal } = await asAdmin(request);
    const user = await getUser(db, workspace.id, request.params.id);
    await resetTotpByAdmin(db, { workspaceId: workspace.id, userId: user.id });
    services.authenticator.forget();
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'auth.totp.reset', objectName: 'user', recordId: user.id, ...requestFacts(request), details: { email: user.email } });
    return reply.status(204).send();
  });
};
