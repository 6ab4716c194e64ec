import type { FastifyInstance } from 'fastify';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam, type TeamInput } from '../../permissions/team.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { assertResourceId, changeAccess } from './access-change.ts';
import { idParams, listOf, teamCreateBody, teamPatchBody, teamSchema } from './permission.schemas.ts';

/** Teams (user groups): `team` record access and sharing rules build on them. */
export const registerTeamRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get('/teams', { config: { licenceFeatures: [] }, schema: { response: { 200: listOf(teamSchema) } } }, async (request) => ({ data: await listTeams(db, getContext(request).workspace.id) }));

  app.get<{ Params: { id: string } }>('/teams/:id', { config: { licenceFeatures: [] }, schema: { params: idParams, response: { 200: teamSchema } } }, async (request) =>
    getTeam(db, getContext(request).workspace.id, assertResourceId(request.params.id, 'team')),
  );

  app.post<{ Body: TeamInput & { name: string } }>('/teams', { config: { licenceFeatures: ['admin'] }, schema: { body: teamCreateBody, response: { 201: teamSchema } } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const team = await changeAccess(services, request, {
      action: 'team.created',
      async run(trx) {
        const id = await createTeam(trx, workspace.id, request.body);
        const created = await getTeam(trx, workspace.id, id);
        return { result: created, recordId: id, details: { name: created.name, memberIds: created.memberIds } };
      },
    });
    return reply.status(201).header('Location', `/api/v1/teams/${team.id}`).send(team);
  });

  app.patch<{ Params: { id: string }; Body: TeamInput }>('/teams/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: idParams, body: teamPatchBody, response: { 200: teamSchema } } }, async (request) => {
    const { workspace } = getContext(request);
    const id = assertResourceId(request.params.id, 'team');
    return changeAccess(services, request, {
      action: 'team.updated',
      async run(trx) {
        await updateTeam(trx, workspace.id, id, request.body);
        const team = await getTeam(trx, workspace.id, id);
        return { result: team, recordId: id, details: { name: team.name, changes: request.body } };
      },
    });
  });

  app.delete<{ Params: { id: string } }>('/teams/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: idParams } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const id = assertResourceId(request.params.id, 'team');
    await changeAccess(services, request, {
      action: 'team.deleted',
      async run(trx) {
        const team = await deleteTeam(trx, workspace.id, id);
        return { result: undefined, recordId: id, details: { name: team.name } };
      },
    });
    return reply.status(204).send();
  });
};
