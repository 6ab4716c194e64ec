import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { registerApiV1 } from '../../packages/server/src/engine/api/build-api.ts';

export interface WalkedRoute {
  method: string;
  url: string;
  features: readonly string[] | undefined;
}

/** Every route `register` adds, with the licence features it declares (HEAD twins of GET routes left out). */
export const walkRoutes = async (register: (app: FastifyInstance) => PromiseLike<unknown>): Promise<WalkedRoute[]> => {
  const app = Fastify({ logger: false });
  const routes: WalkedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, features: route.config?.licenceFeatures });
    }
  });
  await register(app);
  await app.ready();
  await app.close();
  return routes;
};

/** The licence features each route of the real authenticated API declares, by `METHOD /api/v1/...` pattern. */
export const declaredFeaturesOfApi = async (services: EngineServices): Promise<Map<string, readonly string[] | undefined>> =>
  new Map((await walkRoutes((app) => registerApiV1(app, services))).map((route) => [`${route.method} ${route.url}`, route.features]));
