import type { FastifyInstance } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError, validationFailed } from '../../errors.ts';
import { checkScopes } from '../../identity/api-key-scopes.ts';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from '../../identity/api-key.service.ts';
import { isWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, type EngineServices } from '../context.ts';
import { apiKeyIdParams, apiKeyListSchema, createApiKeyBody, createdApiKeySchema, listApiKeysQuerystring } from './apikeys.schemas.ts';

interface CreateApiKeyBody {
  name: string;
  scopes: string[];
  expiresAt?: string;
}

/** API keys: everyone manages their own; administrators see and revoke every key of the workspace. */
export const registerApiKeyRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get<{ Querystring: { includeRevoked?: boolean } }>(
    '/apikeys',
    { config: { licenceFeatures: [] }, schema: { querystring: listApiKeysQuerystring, response: { 200: apiKeyListSchema } } },
    async (request) => {
      const { principal, workspace } = getContext(request);
      const isAdmin = await isWorkspaceAdmin(db, principal);
      if (!isAdmin && !principal.userId) return { data: [] };
      return { data: await listApiKeys(db, { workspaceId: workspace.id, includeRevoked: request.query.includeRevoked === true, ...(isAdmin ? {} : { userId: principal.userId! }) }) };
    },
  );

  app.post<{ Body: CreateApiKeyBody }>('/apikeys', { config: { licenceFeatures: ['api'] }, schema: { body: createApiKeyBody, response: { 201: createdApiKeySchema } } }, async (request, reply) => {
    const { principal, workspace } = getContext(request);
    const isAdmin = await isWorkspaceAdmin(db, principal);
    // A key may only mint keys when it administers the workspace; people make their own.
    if (principal.via === 'apiKey' && !isAdmin) throw new AppError('FORBIDDEN', 'Only a signed-in user or an admin key can create API keys.');
    const scopes = [...new Set(request.body.scopes)];
    if (scopes.includes('admin') && !isAdmin) throw new AppError('FORBIDDEN', 'Only workspace administrators can create admin keys.');
    const errors = checkScopes(scopes, new Set(workspace.objects.keys()));
    const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : undefined;
    if (expiresAt && expiresAt.getTime() <= Date.now()) errors.push({ field: 'expiresAt', code: 'tooSmall', message: 'Pick a time in the future.' });
    if (errors.length > 0) throw validationFailed(errors);
    const created = await createApiKey(db, {
      workspaceId: workspace.id,
      name: request.body.name,
      scopes,
      userId: principal.userId,
      createdBy: principal.userId,
      ...(expiresAt ? { expiresAt } : {}),
    });
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'apikey.created', objectName: 'apikey', recordId: created.id, ...requestFacts(request), details: { name: created.name, scopes } });
    const summary = (await findApiKey(db, { workspaceId: workspace.id, id: created.id }))!;
    return reply.status(201).header('Location', `/api/v1/apikeys/${created.id}`).send({ ...summary, token: created.token });
  });

  app.delete<{ Params: { id: string } }>('/apikeys/:id', { config: { licenceFeatures: [] }, schema: { params: apiKeyIdParams } }, async (request, reply) => {
    const { principal, workspace } = getContext(request);
    const key = await findApiKey(db, { workspaceId: workspace.id, id: request.params.id });
    const isAdmin = await isWorkspaceAdmin(db, principal);
    // Someone else's key is as good as missing to a non-administrator.
    if (!key || (!isAdmin && (!principal.userId || key.userId !== principal.userId))) throw new AppError('RECORD_NOT_FOUND', `No API key ${request.params.id}.`);
    await revokeApiKey(db, key.id);
    services.authenticator.forget();
    await recordAudit(db, { workspaceId: workspace.id, actorId: principal.userId, action: 'apikey.revoked', objectName: 'apikey', recordId: key.id, ...requestFacts(request), details: { name: key.name } });
    return reply.status(204).send();
  });
};
