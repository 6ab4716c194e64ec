import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import {
  addField,
  createObject,
  deleteField,
  deleteObject,
  fieldDefinitionOf,
  objectDefinitionOf,
  restoreField,
  restoreObject,
  updateField,
  updateObject,
} from '../../metadata/metadata.service.ts';
import { getReadableObject, objectPermissionsOf } from '../../permissions/assert-access.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';

const objectParams = { type: 'object', properties: { object: { type: 'string', maxLength: 100 } }, required: ['object'] } as const;
const fieldParams = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 100 }, field: { type: 'string', maxLength: 100 } },
  required: ['object', 'field'],
} as const;
const jsonBody = { type: 'object' } as const;

type ObjectParams = { object: string };
type FieldParams = { object: string; field: string };

export const registerMetadataRoutes = (app: FastifyInstance, services: EngineServices) => {
  const change = (workspaceId: string) => ({ db: services.database.db, workspaceId, onChanged: services.onMetadataChanged });
  const reload = async (workspaceId: string) => services.metadata.get(workspaceId);
  // Changing the data model is administration; reading it shows each caller what they may see.
  const adminOnly = async (request: FastifyRequest) => assertWorkspaceAdmin(services.database.db, getContext(request).principal);
  // Metadata changes are admin actions: each lands in the audit log with who, from where and what.
  const audit = (request: FastifyRequest, action: string, objectName: string, details: Record<string, unknown> = {}) => {
    const { workspace, actorId } = getContext(request);
    return recordAudit(services.database.db, { workspaceId: workspace.id, actorId, action, objectName, ...requestFacts(request), details });
  };

  app.get('/metadata/objects', { config: { licenceFeatures: [] } }, async (request) => {
    const { access } = getContext(request);
    return { data: [...access.view.objects.values()].map((object) => ({ ...objectDefinitionOf(object), permissions: objectPermissionsOf(access, object.name) })) };
  });

  app.post('/metadata/objects', { config: { licenceFeatures: ['metadata.admin'] }, schema: { body: jsonBody }, preHandler: adminOnly }, async (request, reply) => {
    const { workspace } = getContext(request);
    await createObject({ ...change(workspace.id), definition: request.body });
    const created = getObjectOrThrow(await reload(workspace.id), (request.body as { name: string }).name);
    await audit(request, 'metadata.object.created', created.name);
    return reply.status(201).header('Location', `/api/v1/metadata/objects/${created.name}`).send(objectDefinitionOf(created));
  });

  app.get<{ Params: ObjectParams }>('/metadata/objects/:object', { config: { licenceFeatures: [] }, schema: { params: objectParams } }, async (request) => {
    const { access } = getContext(request);
    const object = getReadableObject(access, request.params.object);
    return { ...objectDefinitionOf(object), permissions: objectPermissionsOf(access, object.name) };
  });

  app.patch<{ Params: ObjectParams }>('/metadata/objects/:object', { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: objectParams, body: jsonBody }, preHandler: adminOnly }, async (request) => {
    const { workspace } = getContext(request);
    getObjectOrThrow(workspace, request.params.object);
    const patch = request.body as Record<string, unknown>;
    await updateObject({ ...change(workspace.id), objectName: request.params.object, patch });
    const name = typeof patch.name === 'string' ? patch.name : request.params.object;
    await audit(request, 'metadata.object.updated', name, { patch });
    return objectDefinitionOf(getObjectOrThrow(await reload(workspace.id), name));
  });

  app.delete<{ Params: ObjectParams }>('/metadata/objects/:object', { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: objectParams }, preHandler: adminOnly }, async (request, reply) => {
    const { workspace } = getContext(request);
    getObjectOrThrow(workspace, request.params.object);
    await deleteObject({ ...change(workspace.id), objectName: request.params.object });
    await audit(request, 'metadata.object.deleted', request.params.object);
    return reply.status(204).send();
  });

  app.post<{ Params: ObjectParams }>('/metadata/objects/:object/restore', { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: objectParams }, preHandler: adminOnly }, async (request) => {
    const { workspace } = getContext(request);
    await restoreObject({ ...change(workspace.id), objectName: request.params.object });
    await audit(request, 'metadata.object.restored', request.params.object);
    return objectDefinitionOf(getObjectOrThrow(await reload(workspace.id), request.params.object));
  });

  app.post<{ Params: ObjectParams }>('/metadata/objects/:object/fields', { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: objectParams, body: jsonBody }, preHandler: adminOnly }, async (request, reply) => {
    const { workspace } = getContext(request);
    getObjectOrThrow(workspace, request.params.object);
    await addField({ ...change(workspace.id), objectName: request.params.object, definition: request.body });
    const object = getObjectOrThrow(await reload(workspace.id), request.params.object);
    const field = object.fieldsByName.get((request.body as { name: string }).name)!;
    await audit(request, 'metadata.field.created', object.name, { field: field.name, type: field.type });
    return reply.status(201).header('Location', `/api/v1/metadata/objects/${object.name}/fields/${field.name}`).send(fieldDefinitionOf(field));
  });

  app.get<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field', { config: { licenceFeatures: [] }, schema: { params: fieldParams } }, async (request, reply) => {
    const { access } = getContext(request);
    const field = getReadableObject(access, request.params.object).fieldsByName.get(request.params.field);
    if (!field) return reply.callNotFound();
    return fieldDefinitionOf(field);
  });

  app.patch<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field', { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: fieldParams, body: jsonBody }, preHandler: adminOnly }, async (request) => {
    const { workspace } = getContext(request);
    const patch = request.body as Record<string, unknown>;
    await updateField({ ...change(workspace.id), objectName: request.params.object, fieldName: request.params.field, patch });
    await audit(request, 'metadata.field.updated', request.params.object, { field: request.params.field, patch });
    const object = getObjectOrThrow(await reload(workspace.id), request.params.object);
    return fieldDefinitionOf(object.fieldsByName.get(typeof patch.name === 'string' ? patch.name : request.params.field)!);
  });

  app.delete<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field', { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: fieldParams }, preHandler: adminOnly }, async (request, reply) => {
    const { workspace } = getContext(request);
    await deleteField({ ...change(workspace.id), objectName: request.params.object, fieldName: request.params.field });
    await audit(request, 'metadata.field.deleted', request.params.object, { field: request.params.field });
    return reply.status(204).send();
  });

  app.post<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field/restore', { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: fieldParams }, preHandler: adminOnly }, async (request) => {
    const { workspace } = getContext(request);
    await restoreField({ ...change(workspace.id), objectName: request.params.object, fieldName: request.params.field });
    await audit(request, 'metadata.field.restored', request.params.object, { field: request.params.field });
    const object = getObjectOrThrow(await reload(workspace.id), request.params.object);
    return fieldDefinitionOf(object.fieldsByName.get(request.params.field)!);
  });
};
