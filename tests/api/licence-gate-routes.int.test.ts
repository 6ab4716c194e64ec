import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { registerApiV1 } from '../../packages/server/src/engine/api/build-api.ts';
import { registerPublicAuthRoutes } from '../../packages/server/src/engine/api/routes/auth.routes.ts';
import { registerSsoAuthRoutes } from '../../packages/server/src/engine/api/routes/sso.routes.ts';
import { registerLicenceGate } from '../../packages/server/src/engine/licences/licence-gate.ts';
import { describeEngines } from '../setup/engines.ts';
import { walkRoutes, type WalkedRoute } from '../support/route-walk.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// What each gated module asks: a new route in one of them must declare the same, not escape with [].
const expectedFeatures = (method: string, url: string): string[] | undefined => {
  const path = url.replace(/^\/api\/v1/, '');
  const isRead = method === 'GET';
  if (/^\/records\/[^/]+\/export$/.test(path)) return ['records.read', 'export'];
  if (/^\/records\/[^/]+\/[^/]+\/personal-data$/.test(path)) return ['records.read', 'export'];
  if (/^\/records\/[^/]+\/[^/]+\/erase$/.test(path)) return ['admin'];
  if (path === '/workspace/export') return ['admin', 'export'];
  if (/^\/imports(\/|$)/.test(path)) return [isRead ? 'records.read' : 'records.write', 'import'];
  if (path.startsWith('/import-mappings')) return ['import'];
  // Following a record changes nothing in it: whoever may read it may follow it.
  if (/^\/records\/[^/]+\/[^/]+\/followers(\/me)?$/.test(path)) return ['records.read'];
  if (path.startsWith('/records/')) return [isRead || /\/(query|aggregate)$/.test(path) ? 'records.read' : 'records.write'];
  if (path.startsWith('/events')) return ['records.read'];
  if (path === '/search') return ['search'];
  if (path.startsWith('/metadata/')) return isRead ? [] : ['metadata.admin'];
  if (path.startsWith('/audit')) return path === '/audit/export' ? ['admin', 'export'] : ['admin'];
  if (path.startsWith('/backups')) return ['admin'];
  if (/^\/(users|roles|teams|territories|sharing-rules|licences|sso|jobs|workspace)(\/|$)/.test(path) || path === '/auth/policy') return isRead ? [] : ['admin'];
  if (path === '/apikeys' && method === 'POST') return ['api'];
  return undefined;
};

describeEngines('licence gate: every route declares its features', (engine) => {
  let t: TestApp;
  let services: EngineServices;
  beforeAll(async () => {
    t = await createTestApp(engine);
    services = (t.app as unknown as { services: EngineServices }).services;
  });
  afterAll(async () => t?.destroy());

  it('should have every route of the authenticated API declare its licence features, those of gated modules the module\'s own', async () => {
    const all = await walkRoutes((app) => registerApiV1(app, services));
    const publicRoutes = await walkRoutes((app) =>
      app.register(async (api) => {
        registerPublicAuthRoutes(api, services);
        registerSsoAuthRoutes(api, services);
      }, { prefix: '/api/v1' }),
    );
    const isPublic = (route: WalkedRoute) => publicRoutes.some((candidate) => candidate.method === route.method && candidate.url === route.url);
    const gated = all.filter((route) => !isPublic(route));

    expect(publicRoutes.length).toBeGreaterThan(3);
    expect(gated.length).toBeGreaterThan(80);
    expect(gated.filter((route) => route.features === undefined)).toEqual([]);
    for (const route of gated) {
      const expected = expectedFeatures(route.method, route.url);
      if (expected) expect({ route: `${route.method} ${route.url}`, features: route.features }).toEqual({ route: `${route.method} ${route.url}`, features: expected });
    }
    const byRoute = new Map(gated.map((route) => [`${route.method} ${route.url}`, route.features]));
    expect(byRoute.get('POST /api/v1/records/:object/query')).toEqual(['records.read']);
    expect(byRoute.get('DELETE /api/v1/records/:object/:id')).toEqual(['records.write']);
    expect(byRoute.get('GET /api/v1/events/stream')).toEqual(['records.read']);
    expect(byRoute.get('POST /api/v1/metadata/objects/:object/fields/:field/encrypt')).toEqual(['metadata.admin']);
    expect(byRoute.get('PATCH /api/v1/workspace')).toEqual(['admin']);
    expect(byRoute.get('POST /api/v1/auth/sign-out')).toEqual([]);
    expect(byRoute.get('GET /api/v1/roles')).toEqual([]);
  });

  it('should refuse to start with a route that declares no licence features', async () => {
    const app = Fastify({ logger: false });
    const start = async () => {
      await app.register(async (api) => {
        registerLicenceGate(api);
        api.get('/declared', { config: { licenceFeatures: ['search'] } }, async () => ({}));
        api.get('/forgotten', async () => ({}));
      }, { prefix: '/api/v1' });
      await app.ready();
    };

    await expect(start()).rejects.toThrow('GET /api/v1/forgotten declares no licence features');
    await app.close().catch(() => undefined);
  });
});
