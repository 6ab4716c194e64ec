import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { readEvents } from '../../events/outbox.ts';
import { getContext, type EngineServices } from '../context.ts';

/** The change feed: committed record events in order, read from the outbox by id. */
export const registerEventsRoute = (app: FastifyInstance, services: EngineServices) => {
  app.get<{ Querystring: { after?: number; limit?: number } }>(
    '/events',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { after: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { workspace, access } = getContext(request);
      // Events carry whole records of every object: only a caller who may read everything follows the feed.
      if (!access.readsEverything) throw new AppError('FORBIDDEN', 'The change feed holds every record and field of the workspace: it needs an admin, or a key with read:* and no user restrictions.');
      const limit = request.query.limit ?? 100;
      const data = await readEvents(services.database.db, { workspaceId: workspace.id, afterId: request.query.after ?? 0, limit });
      return { data, pageInfo: { hasNextPage: data.length === limit, nextAfter: data.at(-1)?.id ?? request.query.after ?? 0 } };
    },
  );
};
