import type { CreateSandboxInput } from '@rapport/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { createSandbox, deleteSandbox, deploySandbox, diffSandbox, findCurrentSandbox, getSandbox, listSandboxes } from '../../sandboxes/sandboxes.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { configurationDiffSchema, deploymentSchema } from './configuration.schemas.ts';
import { onConfigurationChanged } from './configuration.routes.ts';
import { createSandboxBody, currentSandboxSchema, deploySandboxBody, sandboxListSchema, sandboxParams, sandboxSchema } from './sandboxes.schemas.ts';

/** Sandboxes (engine/sandboxes): workspaces made from this one, compared with it and deployed to it. */
export const registerSandboxRoutes = (app: FastifyInstance, services: EngineServices) => {
  const { db } = services.database;
  const adminOnly = async (request: FastifyRequest) => assertWorkspaceAdmin(db, getContext(request).principal);
  const config = { licenceFeatures: ['metadata.admin'] as const };
  const audit = (request: FastifyRequest, action: string, recordId: string, details: Record<string, unknown>) => {
    const { workspace, actorId } = getContext(request);
    return recordAudit(db, { workspaceId: workspace.id, actorId, action, recordId, ...requestFacts(request), details });
  };
  const sandboxOf = (request: FastifyRequest<{ Params: { id: string } }>) => getSandbox(db, getContext(request).workspace.id, request.params.id);

  app.get('/sandboxes', { config, schema: { response: { 200: sandboxListSchema } }, preHandler: adminOnly }, async (request) => ({
    data: await listSandboxes(db, getContext(request).workspace.id),
  }));

  app.post<{ Body: CreateSandboxInput }>('/sandboxes', { config, schema: { body: createSandboxBody, response: { 201: sandboxSchema } }, preHandler: adminOnly }, async (request, reply) => {
    const { workspace, actorId } = getContext(request);
    const { sandbox, copied } = await createSandbox({ db, productionId: workspace.id, input: request.body, actorId, standardObjects: services.identity.standardObjects });
    await audit(request, 'sandbox.created', sandbox.id, { name: sandbox.name, workspaceId: sandbox.workspaceId, data: sandbox.data, sampleSize: sandbox.sampleSize, copied });
    return reply.status(201).send(sandbox);
  });

  // Any member: the web app shows the sandbox banner from it.
  app.get('/sandboxes/current', { config: { licenceFeatures: [] }, schema: { response: { 200: currentSandboxSchema } } }, async (request) => findCurrentSandbox(db, getContext(request).workspace.id));

  app.get<{ Params: { id: string } }>('/sandboxes/:id/diff', { config, schema: { params: sandboxParams, response: { 200: configurationDiffSchema } }, preHandler: adminOnly }, async (request) =>
    diffSandbox(db, await sandboxOf(request)),
  );

  app.post<{ Params: { id: string }; Body: { fingerprint?: string } | null }>(
    '/sandboxes/:id/deploy',
    { config, schema: { params: sandboxParams, body: deploySandboxBody, response: { 201: deploymentSchema } }, preHandler: adminOnly },
    async (request, reply) => {
      const { workspace, actorId } = getContext(request);
      const sandbox = await sandboxOf(request);
      const deployment = await deploySandbox({ db, sandbox, fingerprint: request.body?.fingerprint, actorId });
      onConfigurationChanged(services, workspace.id);
      await audit(request, 'configuration.deployed', deployment.id, { source: 'sandbox', sandbox: sandbox.name, changes: deployment.changes.length });
      return reply.status(201).send(deployment);
    },
  );

  app.delete<{ Params: { id: string } }>('/sandboxes/:id', { config, schema: { params: sandboxParams }, preHandler: adminOnly }, async (request, reply) => {
    const sandbox = await sandboxOf(request);
    await deleteSandbox(db, sandbox);
    services.metadata.invalidate(sandbox.workspaceId);
    services.authenticator.forget();
    await audit(request, 'sandbox.deleted', sandbox.id, { name: sandbox.name, workspaceId: sandbox.workspaceId });
    return reply.status(204).send();
  });
};
