import type { FastifyInstance } from 'fastify';
import { createTerritory, deleteTerritory, getTerritory, listTerritories, updateTerritory, type TerritoryInput } from '../../permissions/territory.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { assertResourceId, changeAccess } from './access-change.ts';
import { idParams, listOf, territoryCreateBody, territoryPatchBody, territorySchema } from './permission.schemas.ts';

/** Territories: a filter per object and members; `territory` record access sees the matching records. */
export const registerTerritoryRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get('/territories', { config: { licenceFeatures: [] }, schema: { response: { 200: listOf(territorySchema) } } }, async (request) => ({
    data: await listTerritories(db, getContext(request).workspace.id),
  }));

  app.get<{ Params: { id: string } }>('/territories/:id', { config: { licenceFeatures: [] }, schema: { params: idParams, response: { 200: territorySchema } } }, async (request) =>
    getTerritory(db, getContext(request).workspace.id, assertResourceId(request.params.id, 'territory')),
  );

  app.post<{ Body: TerritoryInput & { name: string } }>('/territories', { config: { licenceFeatures: ['admin'] }, schema: { body: territoryCreateBody, response: { 201: territorySchema } } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const territory = await changeAccess(services, request, {
      action: 'territory.created',
      async run(trx) {
        const id = await createTerritory(trx, workspace, request.body);
        const created = await getTerritory(trx, workspace.id, id);
        return { result: created, recordId: id, details: { name: created.name, rules: created.rules, memberIds: created.memberIds } };
      },
    });
    return reply.status(201).header('Location', `/api/v1/territories/${territory.id}`).send(territory);
  });

  app.patch<{ Params: { id: string }; Body: TerritoryInput }>(
    '/territories/:id',
    { config: { licenceFeatures: ['admin'] }, schema: { params: idParams, body: territoryPatchBody, response: { 200: territorySchema } } },
    async (request) => {
      const { workspace } = getContext(request);
      const id = assertResourceId(request.params.id, 'territory');
      return changeAccess(services, request, {
        action: 'territory.updated',
        async run(trx) {
          await updateTerritory(trx, workspace, id, request.body);
          const territory = await getTerritory(trx, workspace.id, id);
          return { result: territory, recordId: id, details: { name: territory.name, changes: request.body } };
        },
      });
    },
  );

  app.delete<{ Params: { id: string } }>('/territories/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: idParams } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const id = assertResourceId(request.params.id, 'territory');
    await changeAccess(services, request, {
      action: 'territory.deleted',
      async run(trx) {
        const territory = await deleteTerritory(trx, workspace.id, id);
        return { result: undefined, recordId: id, details: { name: territory.name } };
      },
    });
    return reply.status(204).send();
  });
};
