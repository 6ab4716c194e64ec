import type { FastifyInstance } from 'fastify';
import {
  createSharingRule,
  deleteSharingRule,
  getSharingRule,
  listSharingRules,
  updateSharingRule,
  type SharingRuleInput,
} from '../../permissions/sharing-rule.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { assertResourceId, changeAccess } from './access-change.ts';
import { idParams, listOf, sharingRuleCreateBody, sharingRulePatchBody, sharingRuleSchema } from './permission.schemas.ts';

export const sharingRuleQuerystring = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 100, description: 'Only the rules of this object.' } },
  additionalProperties: false,
} as const;

/** Sharing rules: records matching a filter shared read-only or writable with a team or a role. */
export const registerSharingRuleRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get<{ Querystring: { object?: string } }>(
    '/sharing-rules',
    { config: { licenceFeatures: [] }, schema: { querystring: sharingRuleQuerystring, response: { 200: listOf(sharingRuleSchema) } } },
    async (request) => ({ data: await listSharingRules(db, getContext(request).workspace.id, request.query) }),
  );

  app.get<{ Params: { id: string } }>('/sharing-rules/:id', { config: { licenceFeatures: [] }, schema: { params: idParams, response: { 200: sharingRuleSchema } } }, async (request) =>
    getSharingRule(db, getContext(request).workspace.id, assertResourceId(request.params.id, 'sharing rule')),
  );

  app.post<{ Body: SharingRuleInput & { object: string; filter: unknown } }>(
    '/sharing-rules',
    { config: { licenceFeatures: ['admin'] }, schema: { body: sharingRuleCreateBody, response: { 201: sharingRuleSchema } } },
    async (request, reply) => {
      const { workspace } = getContext(request);
      const rule = await changeAccess(services, request, {
        action: 'sharing_rule.created',
        async run(trx) {
          const id = await createSharingRule(trx, workspace, request.body);
          const created = await getSharingRule(trx, workspace.id, id);
          return { result: created, recordId: id, details: { rule: created } };
        },
      });
      return reply.status(201).header('Location', `/api/v1/sharing-rules/${rule.id}`).send(rule);
    },
  );

  app.patch<{ Params: { id: string }; Body: SharingRuleInput }>(
    '/sharing-rules/:id',
    { config: { licenceFeatures: ['admin'] }, schema: { params: idParams, body: sharingRulePatchBody, response: { 200: sharingRuleSchema } } },
    async (request) => {
      const { workspace } = getContext(request);
      const id = assertResourceId(request.params.id, 'sharing rule');
      return changeAccess(services, request, {
        action: 'sharing_rule.updated',
        async run(trx) {
          await updateSharingRule(trx, workspace, id, request.body);
          const rule = await getSharingRule(trx, workspace.id, id);
          return { result: rule, recordId: id, details: { rule, changes: request.body } };
        },
      });
    },
  );

  app.delete<{ Params: { id: string } }>('/sharing-rules/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: idParams } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const id = assertResourceId(request.params.id, 'sharing rule');
    await changeAccess(services, request, {
      action: 'sharing_rule.deleted',
      async run(trx) {
        const rule = await deleteSharingRule(trx, workspace.id, id);
        return { result: undefined, recordId: id, details: { rule } };
      },
    });
    return reply.status(204).send();
  });
};
