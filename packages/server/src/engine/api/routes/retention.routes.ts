import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import {
  applyRetentionRule,
  createRetentionRule,
  deleteRetentionRule,
  getRetentionRule,
  listRetentionRules,
  previewRetentionRule,
  updateRetentionRule,
  type RetentionAction,
  type RetentionRuleInput,
} from '../../privacy/retention.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { idParams, listOf, retentionCreateBody, retentionPatchBody, retentionPreviewSchema, retentionRuleSchema, retentionRunSchema } from './retention.schemas.ts';

/** Retention rules (T7): administrators say which records are anonymised or deleted after how long. */
export const registerRetentionRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const config = { licenceFeatures: ['admin' as const] };
  const adminContext = async (request: FastifyRequest) => {
    const context = getContext(request);
    await assertWorkspaceAdmin(db, context.principal);
    return context;
  };
  type IdRequest = { Params: { id: string } };

  app.get('/retention-rules', { config, schema: { response: { 200: listOf(retentionRuleSchema) } } }, async (request) => ({ data: await listRetentionRules(db, (await adminContext(request)).workspace) }));

  app.post<{ Body: RetentionRuleInput & { name: string; object: string; basisField: string; afterDays: number; action: RetentionAction } }>(
    '/retention-rules',
    { config, schema: { body: retentionCreateBody, response: { 201: retentionRuleSchema } } },
    async (request, reply) => {
      const { workspace, actorId } = await adminContext(request);
      const rule = await createRetentionRule(db, workspace, actorId, request.body);
      return reply.status(201).header('Location', `/api/v1/retention-rules/${rule.id}`).send(rule);
    },
  );

  app.get<IdRequest>('/retention-rules/:id', { config, schema: { params: idParams, response: { 200: retentionRuleSchema } } }, async (request) => getRetentionRule(db, (await adminContext(request)).workspace, request.params.id));

  app.patch<IdRequest & { Body: RetentionRuleInput }>('/retention-rules/:id', { config, schema: { params: idParams, body: retentionPatchBody, response: { 200: retentionRuleSchema } } }, async (request) =>
    updateRetentionRule(db, (await adminContext(request)).workspace, request.params.id, request.body),
  );

  app.delete<IdRequest>('/retention-rules/:id', { config, schema: { params: idParams } }, async (request, reply) => {
    await deleteRetentionRule(db, (await adminContext(request)).workspace, request.params.id);
    return reply.status(204).send();
  });

  app.post<IdRequest>('/retention-rules/:id/preview', { config, schema: { params: idParams, response: { 200: retentionPreviewSchema } } }, async (request) =>
    previewRetentionRule(db, (await adminContext(request)).workspace, request.params.id),
  );

  app.post<IdRequest>('/retention-rules/:id/run', { config, schema: { params: idParams, response: { 200: retentionRunSchema } } }, async (request) => {
    const { workspace, actorId } = await adminContext(request);
    return applyRetentionRule(db, workspace, request.params.id, { actorId });
  });
};
