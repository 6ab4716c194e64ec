import type { FastifyInstance } from 'fastify';
import { createRole, deleteRole, getRole, listRoles, updateRole, type RoleInput } from '../../permissions/role.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { assertResourceId, changeAccess } from './access-change.ts';
import { idParams, listOf, roleCreateBody, rolePatchBody, roleSchema } from './permission.schemas.ts';

/** Roles: object, field and record permissions, the role hierarchy and the sharing rules of each role. */
export const registerRoleRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get('/roles', { config: { licenceFeatures: [] }, schema: { response: { 200: listOf(roleSchema) } } }, async (request) => ({ data: await listRoles(db, getContext(request).workspace.id) }));

  app.get<{ Params: { id: string } }>('/roles/:id', { config: { licenceFeatures: [] }, schema: { params: idParams, response: { 200: roleSchema } } }, async (request) =>
    getRole(db, getContext(request).workspace.id, assertResourceId(request.params.id, 'role')),
  );

  app.post<{ Body: RoleInput & { name: string } }>('/roles', { config: { licenceFeatures: ['admin'] }, schema: { body: roleCreateBody, response: { 201: roleSchema } } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const role = await changeAccess(services, request, {
      action: 'role.created',
      async run(trx) {
        const id = await createRole(trx, workspace, request.body);
        const created = await getRole(trx, workspace.id, id);
        return { result: created, recordId: id, details: { name: created.name, role: request.body } };
      },
    });
    return reply.status(201).header('Location', `/api/v1/roles/${role.id}`).send(role);
  });

  app.patch<{ Params: { id: string }; Body: RoleInput }>('/roles/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: idParams, body: rolePatchBody, response: { 200: roleSchema } } }, async (request) => {
    const { workspace } = getContext(request);
    const id = assertResourceId(request.params.id, 'role');
    return changeAccess(services, request, {
      action: 'role.updated',
      async run(trx) {
        const before = await getRole(trx, workspace.id, id);
        await updateRole(trx, workspace, id, request.body);
        return { result: await getRole(trx, workspace.id, id), recordId: id, details: { name: before.name, changes: request.body } };
      },
    });
  });

  app.delete<{ Params: { id: string } }>('/roles/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: idParams } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const id = assertResourceId(request.params.id, 'role');
    await changeAccess(services, request, {
      action: 'role.deleted',
      async run(trx) {
        const role = await deleteRole(trx, workspace.id, id);
        return { result: undefined, recordId: id, details: { name: role.name } };
      },
    });
    return reply.status(204).send();
  });
};
