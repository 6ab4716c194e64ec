import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { EngineServices } from './context.ts';
import { registerEventsRoute } from './routes/events.route.ts';
import { registerJobRoutes } from './routes/jobs.routes.ts';
import { registerMetadataRoutes } from './routes/metadata.routes.ts';
import { registerOpenApiRoute } from './routes/openapi.route.ts';
import { registerRecordRoutes } from './routes/records.routes.ts';
import { registerSearchRoute } from './routes/search.route.ts';

/** The authenticated `/api/v1` surface: every route below runs with a resolved workspace. */
export const registerApiV1 = async (app: FastifyInstance, services: EngineServices) => {
  // Routes reached without a credential (sign-up, sign-in, invitations, password reset, SSO callbacks)
  // register here; each one is rate limited and audited by its module.
  await app.register(
    async (_publicApi) => {
      // (identity routes register here)
    },
    { prefix: '/api/v1' },
  );
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        const principal = await services.authenticator.authenticate(request);
        const workspace = await services.metadata.get(principal.workspaceId).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'WORKSPACE_NOT_FOUND') throw new AppError('UNAUTHENTICATED', 'The workspace of this key no longer exists.');
          throw error;
        });
        request.rapport = { principal, workspace, actorId: principal.userId };
      });
      registerMetadataRoutes(api, services);
      registerRecordRoutes(api, services);
      registerSearchRoute(api, services);
      registerJobRoutes(api, services);
      registerEventsRoute(api, services);
      registerOpenApiRoute(api, services);
    },
    { prefix: '/api/v1' },
  );
};
