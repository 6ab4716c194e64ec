import type { FastifyInstance } from 'fastify';
import type { WorkspaceMeta } from '../../metadata/types.ts';
import { buildOpenApiDocument } from '../openapi/build-openapi.ts';
import { createOpenApiCache } from '../openapi/openapi-cache.ts';
import type { OpenApiDocument } from '../openapi/openapi-types.ts';
import { getContext, type EngineServices } from '../context.ts';

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the caller's workspace, as the caller sees it. */
export const registerOpenApiRoute = (app: FastifyInstance, _services: EngineServices) => {
  const cache = createOpenApiCache();
  // A caller with hidden fields or unreadable objects gets the document of their view (cached with it).
  const viewDocuments = new WeakMap<WorkspaceMeta, OpenApiDocument>();
  app.get('/openapi.json', { config: { licenceFeatures: [] } }, async (request) => {
    const { workspace, access } = getContext(request);
    const serverUrl = `${request.protocol}://${request.host}`;
    if (access.view === workspace) return cache.get({ workspace, serverUrl });
    let document = viewDocuments.get(access.view);
    if (!document) viewDocuments.set(access.view, (document = buildOpenApiDocument({ workspace: access.view })));
    return { ...document, servers: [{ url: serverUrl }] };
  });
};
