import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { createAccess } from '../permissions/access.ts';
import type { EngineServices } from './context.ts';
import { registerFeatureUseHook } from '../licences/feature-use.ts';
import { registerLicenceGate } from '../licences/licence-gate.ts';
import { registerApiKeyRoutes } from './routes/apikeys.routes.ts';
import { registerAuditRoutes } from './routes/audit.routes.ts';
import { registerBackupRoutes } from './routes/backups.routes.ts';
import { registerAuthRoutes, registerPublicAuthRoutes } from './routes/auth.routes.ts';
import { registerLicenceRoutes } from './routes/licences.routes.ts';
import { registerEventsRoute } from './routes/events.route.ts';
import { registerNotificationRoutes } from './routes/notifications.routes.ts';
import { registerJobRoutes } from './routes/jobs.routes.ts';
import { registerMetadataRoutes } from './routes/metadata.routes.ts';
import { registerFieldEncryptionRoute } from './routes/field-encryption.route.ts';
import { registerDesignerRoutes } from './routes/designer.routes.ts';
import { registerDuplicateRoutes } from './routes/duplicates.routes.ts';
import { registerOpenApiRoute } from './routes/openapi.route.ts';
import { registerExportRoutes } from './routes/exports.routes.ts';
import { registerImportRoutes } from './routes/imports.routes.ts';
import { registerPrivacyRoutes } from './routes/privacy.routes.ts';
import { registerRecordRoutes } from './routes/records.routes.ts';
import { registerCurrencyRoutes } from './routes/currency.routes.ts';
import { registerRoleRoutes } from './routes/roles.routes.ts';
import { registerSharingRuleRoutes } from './routes/sharing-rules.routes.ts';
import { registerTeamRoutes } from './routes/teams.routes.ts';
import { registerTerritoryRoutes } from './routes/territories.routes.ts';
import { registerSearchRoute } from './routes/search.route.ts';
import { registerSsoAuthRoutes, registerSsoProviderRoutes } from './routes/sso.routes.ts';
import { registerUserRoutes } from './routes/users.routes.ts';
import { registerViewRoutes } from './routes/views.routes.ts';
import { registerSegmentRoutes } from './routes/segments.routes.ts';
import { registerRetentionRoutes } from './routes/retention.routes.ts';
import { registerConfigurationRoutes } from './routes/configuration.routes.ts';
import { registerSandboxRoutes } from './routes/sandboxes.routes.ts';
import { moduleApis } from './module-api.ts';

/** The authenticated `/api/v1` surface: every route below runs with a resolved workspace. */
export const registerApiV1 = async (app: FastifyInstance, services: EngineServices) => {
  // Routes reached without a credential (sign-up, sign-in, invitations, password reset, SSO callbacks)
  // register here; each one is rate limited and audited by its module.
  await app.register(
    async (publicApi) => {
      registerPublicAuthRoutes(publicApi, services);
      registerSsoAuthRoutes(publicApi, services);
      for (const module of moduleApis()) module.registerPublic?.(publicApi, services);
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
        // The caller's permissions, from their cached access profile narrowed by the key's scopes.
        const profile = await services.accessProfiles.get(principal.workspaceId, principal.userId);
        const access = createAccess({ workspace, profile, scopes: principal.scopes });
        request.rapport = { principal, workspace, actorId: principal.userId, access };
      });
      // What the caller's licence type includes: a user's API key needs `api`, records need `records.*`...
      registerLicenceGate(api);
      registerMetadataRoutes(api, services);
      registerFieldEncryptionRoute(api, services);
      registerDesignerRoutes(api, services);
      registerRecordRoutes(api, services);
      registerCurrencyRoutes(api, services);
      registerDuplicateRoutes(api, services);
      registerExportRoutes(api, services);
      registerImportRoutes(api, services);
      registerPrivacyRoutes(api, services);
      registerSearchRoute(api, services);
      registerJobRoutes(api, services);
      registerEventsRoute(api, services);
      registerNotificationRoutes(api, services);
      registerOpenApiRoute(api, services);
      registerAuthRoutes(api, services);
      registerUserRoutes(api, services);
      registerApiKeyRoutes(api, services);
      registerRoleRoutes(api, services);
      registerTeamRoutes(api, services);
      registerTerritoryRoutes(api, services);
      registerSharingRuleRoutes(api, services);
      registerAuditRoutes(api, services);
      registerBackupRoutes(api, services);
      registerLicenceRoutes(api, services);
      registerSsoProviderRoutes(api, services);
      registerViewRoutes(api, services);
      registerSegmentRoutes(api, services);
      registerRetentionRoutes(api, services);
      registerConfigurationRoutes(api, services);
      registerSandboxRoutes(api, services);
      // The modules' own routes (modules/index.ts installs them).
      for (const module of moduleApis()) module.register(api, services);
      registerFeatureUseHook(api, services.database.db);
    },
    { prefix: '/api/v1' },
  );
};
