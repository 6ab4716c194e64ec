import type { FastifyInstance } from 'fastify';
import { searchRecords } from '../../search/search.ts';
import { getContext, type EngineServices } from '../context.ts';

export const registerSearchRoute = (app: FastifyInstance, services: EngineServices) => {
  app.get<{ Querystring: { q: string; objects?: string; limit?: number } }>(
    '/search',
    {
      config: { licenceFeatures: ['search'] },
      schema: {
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', minLength: 1, maxLength: 200 },
            objects: { type: 'string', maxLength: 2000 },
            limit: { type: 'integer', minimum: 1, maximum: 100 },
          },
          required: ['q'],
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { workspace, access } = getContext(request);
      const objects = request.query.objects?.split(',').map((name) => name.trim()).filter(Boolean);
      return searchRecords(services.database.db, { workspace, access, q: request.query.q, ...(objects ? { objects } : {}), limit: request.query.limit ?? 20 });
    },
  );
};
