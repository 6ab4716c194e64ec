import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { isUuid } from '../../fields/types/relation.field.ts';
import { cancelJob, findJob, JOB_STATUSES, listJobs, type JobStatus } from '../../jobs/index.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, type EngineServices } from '../context.ts';

/**
 * The workspace's background jobs (imports, sends, syncs...): their state is always visible to
 * administrators. Payloads can hold record data, so other members follow their own work through the
 * feature's routes (e.g. GET /imports/{id}), which apply the permission layer.
 */
export const registerJobRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const adminOnly = async (request: FastifyRequest) => assertWorkspaceAdmin(db, getContext(request).principal);
  const getWorkspaceJob = async (workspaceId: string, id: string) => {
    const job = isUuid(id) ? await findJob(db, id) : undefined;
    if (!job || job.workspaceId !== workspaceId) throw new AppError('RECORD_NOT_FOUND', `No job ${id} in this workspace.`);
    return job;
  };

  app.get<{ Querystring: { status?: JobStatus; type?: string; limit?: number } }>(
    '/jobs',
    {
      config: { licenceFeatures: [] },
      preHandler: adminOnly,
      schema: {
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: [...JOB_STATUSES] }, type: { type: 'string', maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { workspace } = getContext(request);
      const { status, type, limit } = request.query;
      return { data: await listJobs(db, { workspaceId: workspace.id, ...(status ? { status } : {}), ...(type ? { type } : {}), limit: limit ?? 100 }) };
    },
  );

  app.get<{ Params: { id: string } }>('/jobs/:id', { config: { licenceFeatures: [] }, preHandler: adminOnly }, async (request) => getWorkspaceJob(getContext(request).workspace.id, request.params.id));

  app.post<{ Params: { id: string } }>('/jobs/:id/cancel', { config: { licenceFeatures: ['admin'] }, preHandler: adminOnly }, async (request) => {
    const { workspace } = getContext(request);
    await getWorkspaceJob(workspace.id, request.params.id);
    await cancelJob(db, request.params.id);
    return getWorkspaceJob(workspace.id, request.params.id);
  });
};
