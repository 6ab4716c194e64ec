import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineServices } from '../context.ts';
import { registerOpenApiRoute } from '../routes/openapi.route.ts';
import { buildWorkspaceMeta } from './workspace-meta.factory.ts';

const workspace = buildWorkspaceMeta({
  objects: [{ name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', fields: [{ name: 'plate', type: 'text', label: 'Plate' }] }],
  name: 'Fleet',
});

// The route only reads the request context that build-api's auth hook sets; no database is involved.
const buildTestApp = async () => {
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request) => {
    request.rapport = { principal: { keyId: 'key', workspaceId: workspace.id }, workspace, actorId: null };
  });
  registerOpenApiRoute(app, {} as EngineServices);
  await app.ready();
  return app;
};

describe('GET /openapi.json', () => {
  let app: Awaited<ReturnType<typeof buildTestApp>> | undefined;
  afterEach(async () => app?.close());

  it('should return the workspace document with this server as its server when authenticated', async () => {
    app = await buildTestApp();

    const response = await app.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'crm.example.com' } });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = response.json();
    expect(document.info.title).toBe('Rapport API — Fleet');
    expect(document.servers).toEqual([{ url: 'http://crm.example.com' }]);
    expect(document.paths['/api/v1/records/vehicle'].get.operationId).toBe('listVehicles');
  });
});
