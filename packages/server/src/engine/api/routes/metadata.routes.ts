import type { FastifyInstance } from 'fastify';
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

  app.get('/metadata/objects', async (request) => {
    const { workspace } = getContext(request);
    return { data: [...workspace.objects.values()].map(objectDefinitionOf) };
  });

  app.post('/metadata/objects', { schema: { body: jsonBody } }, async (request, reply) => {
    const { workspace } = getContext(request);
    await createObject({ ...change(workspace.id), definition: request.body });
    const created = getObjectOrThrow(await reload(workspace.id), (request.body as { name: string }).name);
    return reply.status(201).header('Location', `/api/v1/metadata/objects/${created.name}`).send(objectDefinitionOf(created));
  });

  app.get<{ Params: ObjectParams }>('/metadata/objects/:object', { schema: { params: objectParams } }, async (request) => {
    const { workspace } = getContext(request);
    return objectDefinitionOf(getObjectOrThrow(workspace, request.params.object));
  });

  app.patch<{ Params: ObjectParams }>('/metadata/objects/:object', { schema: { params: objectParams, body: jsonBody } }, async (request) => {
    const { workspace } = getContext(request);
    getObjectOrThrow(workspace, request.params.object);
    const patch = request.body as Record<string, unknown>;
    await updateObject({ ...change(workspace.id), objectName: request.params.object, patch });
    const name = typeof patch.name === 'string' ? patch.name : request.params.object;
    return objectDefinitionOf(getObjectOrThrow(await reload(workspace.id), name));
  });

  app.delete<{ Params: ObjectParams }>('/metadata/objects/:object', { schema: { params: objectParams } }, async (request, reply) => {
    const { workspace } = getContext(request);
    getObjectOrThrow(workspace, request.params.object);
    await deleteObject({ ...change(workspace.id), objectName: request.params.object });
    return reply.status(204).send();
  });

  app.post<{ Params: ObjectParams }>('/metadata/objects/:object/restore', { schema: { params: objectParams } }, async (request) => {
    const { workspace } = getContext(request);
    await restoreObject({ ...change(workspace.id), objectName: request.params.object });
    return objectDefinitionOf(getObjectOrThrow(await reload(workspace.id), request.params.object));
  });

  app.post<{ Params: ObjectParams }>('/metadata/objects/:object/fields', { schema: { params: objectParams, body: jsonBody } }, async (request, reply) => {
    const { workspace } = getContext(request);
    getObjectOrThrow(workspace, request.params.object);
    await addField({ ...change(workspace.id), objectName: request.params.object, definition: request.body });
    const object = getObjectOrThrow(await reload(workspace.id), request.params.object);
    const field = object.fieldsByName.get((request.body as { name: string }).name)!;
    return reply.status(201).header('Location', `/api/v1/metadata/objects/${object.name}/fields/${field.name}`).send(fieldDefinitionOf(field));
  });

  app.get<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field', { schema: { params: fieldParams } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const field = getObjectOrThrow(workspace, request.params.object).fieldsByName.get(request.params.field);
    if (!field) return reply.callNotFound();
    return fieldDefinitionOf(field);
  });

  app.patch<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field', { schema: { params: fieldParams, body: jsonBody } }, async (request) => {
    const { workspace } = getContext(request);
    const patch = request.body as Record<string, unknown>;
    await updateField({ ...change(workspace.id), objectName: request.params.object, fieldName: request.params.field, patch });
    const object = getObjectOrThrow(await reload(workspace.id), request.params.object);
    return fieldDefinitionOf(object.fieldsByName.get(typeof patch.name === 'string' ? patch.name : request.params.field)!);
  });

  app.delete<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field', { schema: { params: fieldParams } }, async (request, reply) => {
    const { workspace } = getContext(request);
    await deleteField({ ...change(workspace.id), objectName: request.params.object, fieldName: request.params.field });
    return reply.status(204).send();
  });

  app.post<{ Params: FieldParams }>('/metadata/objects/:object/fields/:field/restore', { schema: { params: fieldParams } }, async (request) => {
    const { workspace } = getContext(request);
    await restoreField({ ...change(workspace.id), objectName: request.params.object, fieldName: request.params.field });
    const object = getObjectOrThrow(await reload(workspace.id), request.params.object);
    return fieldDefinitionOf(object.fieldsByName.get(request.params.field)!);
  });
};
