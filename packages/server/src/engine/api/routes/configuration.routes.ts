import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { parseConfigurationDocument, writeConfigurationDocument, type ConfigurationFormat } from '../../configuration/configuration-document.ts';
import { deployConfiguration, listDeployments, previewConfiguration, rollbackDeployment } from '../../configuration/deployments.ts';
import { readConfiguration } from '../../configuration/read-configuration.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, type EngineServices } from '../context.ts';
import { deployBody, deploymentListSchema, deploymentParams, deploymentSchema, configurationDiffSchema, exportQuerystring, previewBody } from './configuration.schemas.ts';

/** Configuration as code (engine/configuration): export, preview, deploy and roll back a workspace's configuration. */
export const registerConfigurationRoutes = (app: FastifyInstance, services: EngineServices) => {
  const { db } = services.database;
  const adminOnly = async (request: FastifyRequest) => assertWorkspaceAdmin(db, getContext(request).principal);
  const config = { licenceFeatures: ['metadata.admin'] as const };
  const audit = (request: FastifyRequest, action: string, details: Record<string, unknown>, recordId?: string) => {
    const { workspace, actorId } = getContext(request);
    return recordAudit(db, { workspaceId: workspace.id, actorId, action, ...(recordId ? { recordId } : {}), ...requestFacts(request), details });
  };

  app.get<{ Querystring: { format?: ConfigurationFormat } }>('/configuration', { config, schema: { querystring: exportQuerystring }, preHandler: adminOnly }, async (request, reply) => {
    const format = request.query.format ?? 'yaml';
    const { workspace, sections } = await readConfiguration(db, getContext(request).workspace.id);
    await audit(request, 'configuration.exported', { format });
    return reply
      .header('content-type', format === 'json' ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8')
      .header('content-disposition', `attachment; filename="rapport-configuration.${format}"`)
      .send(await writeConfigurationDocument({ workspaceName: workspace.name, sections, format }));
  });

  app.post<{ Body: { document: string } }>('/configuration/preview', { config, schema: { body: previewBody, response: { 200: configurationDiffSchema } }, preHandler: adminOnly }, async (request) =>
    previewConfiguration(db, getContext(request).workspace.id, await parseConfigurationDocument(request.body.document)),
  );

  app.get('/configuration/deployments', { config, schema: { response: { 200: deploymentListSchema } }, preHandler: adminOnly }, async (request) => ({
    data: await listDeployments(db, getContext(request).workspace.id),
  }));

  app.post<{ Body: { document: string; fingerprint?: string } }>(
    '/configuration/deployments',
    { config, schema: { body: deployBody, response: { 201: deploymentSchema } }, preHandler: adminOnly },
    async (request, reply) => {
      const { workspace, actorId } = getContext(request);
      const desired = await parseConfigurationDocument(request.body.document);
      const deployment = await deployConfiguration({ db, workspaceId: workspace.id, desired, fingerprint: request.body.fingerprint, source: { kind: 'file' }, actorId });
      onConfigurationChanged(services, workspace.id);
      await audit(request, 'configuration.deployed', { source: 'file', changes: deployment.changes.length }, deployment.id);
      return reply.status(201).send(deployment);
    },
  );

  app.post<{ Params: { id: string } }>('/configuration/deployments/:id/rollback', { config, schema: { params: deploymentParams, response: { 200: deploymentSchema } }, preHandler: adminOnly }, async (request) => {
    const { workspace } = getContext(request);
    const deployment = await rollbackDeployment({ db, workspaceId: workspace.id, id: request.params.id });
    onConfigurationChanged(services, workspace.id);
    await audit(request, 'configuration.rolled_back', { changes: deployment.changes.length }, deployment.id);
    return deployment;
  });
};

/** After a deployment commits: every server drops the workspace's cached metadata and access profiles. */
export const onConfigurationChanged = (services: EngineServices, workspaceId: string): void => {
  services.onMetadataChanged(workspaceId);
  services.onAccessChanged(workspaceId);
};
