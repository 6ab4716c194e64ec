import type { Filter, SegmentInput, SegmentKind } from '@rapport/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isWorkspaceAdmin } from '../../permissions/guards.ts';
import { addSegmentMembers, createSegment, deleteSegment, getSegment, listSegments, removeSegmentMembers, updateSegment, type SegmentCaller } from '../../segments/segments.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { idParams, listOf, listSegmentsQuerystring, membersAddBody, membersRemoveBody, membershipChangeSchema, segmentCreateBody, segmentPatchBody, segmentSchema } from './segments.schemas.ts';

/** Segments: saved filters and hand-made lists of one object's records (engine/segments). */
export const registerSegmentRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const callerOf = async (request: FastifyRequest): Promise<SegmentCaller> => {
    const { principal, workspace, access } = getContext(request);
    return { workspaceId: workspace.id, access, isAdmin: access.isAdmin || (await isWorkspaceAdmin(db, principal)) };
  };
  const config = { licenceFeatures: ['records.read' as const] };

  app.get<{ Querystring: { object?: string } }>('/segments', { config, schema: { querystring: listSegmentsQuerystring, response: { 200: listOf(segmentSchema) } } }, async (request) => ({
    data: await listSegments(db, await callerOf(request), request.query.object),
  }));

  app.post<{ Body: SegmentInput & { object: string; name: string; kind: SegmentKind } }>('/segments', { config, schema: { body: segmentCreateBody, response: { 201: segmentSchema } } }, async (request, reply) => {
    const segment = await createSegment(db, await callerOf(request), request.body);
    return reply.status(201).header('Location', `/api/v1/segments/${segment.id}`).send(segment);
  });

  app.get<{ Params: { id: string } }>('/segments/:id', { config, schema: { params: idParams, response: { 200: segmentSchema } } }, async (request) => getSegment(db, await callerOf(request), request.params.id));

  app.patch<{ Params: { id: string }; Body: SegmentInput }>('/segments/:id', { config, schema: { params: idParams, body: segmentPatchBody, response: { 200: segmentSchema } } }, async (request) =>
    updateSegment(db, await callerOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>('/segments/:id', { config, schema: { params: idParams } }, async (request, reply) => {
    await deleteSegment(db, await callerOf(request), request.params.id);
    return reply.status(204).send();
  });

  app.post<{ Params: { id: string }; Body: { ids?: string[]; filter?: Filter } }>(
    '/segments/:id/members',
    { config, schema: { params: idParams, body: membersAddBody, response: { 200: membershipChangeSchema } } },
    async (request) => addSegmentMembers(db, await callerOf(request), request.params.id, request.body),
  );

  app.post<{ Params: { id: string }; Body: { ids: string[] } }>(
    '/segments/:id/members/remove',
    { config, schema: { params: idParams, body: membersRemoveBody, response: { 200: membershipChangeSchema } } },
    async (request) => removeSegmentMembers(db, await callerOf(request), request.params.id, request.body.ids),
  );
};
