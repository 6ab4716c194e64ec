import type { FastifyInstance } from 'fastify';
import { createOpenApiCache } from '../openapi/openapi-cache.ts';
import { getContext, type EngineServices } from '../context.ts';

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the caller's workspace. */
export const registerOpenApiRoute = (app: FastifyInstance, _services: EngineServices) => {
  const cache = createOpenApiCache();
  app.get('/openapi.json', async (request) => {
    const { workspace } = getContext(request);
    return cache.get({ workspace, serverUrl: `${request.protocol}://${request.host}` });
  });
};
