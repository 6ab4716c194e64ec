import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Access } from '../permissions/access.ts';
import type { LicenceFeature } from './licence-types.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The licence features a route needs, declared where the route is (`[]`: none). Every route of the
     * authenticated API must say, or the app does not start (registerLicenceGate).
     */
    licenceFeatures?: readonly LicenceFeature[];
  }
}

const ADMIN_FEATURES = new Set<LicenceFeature>(['admin', 'metadata.admin']);

/**
 * The features a request needs: what its route declares, plus `api` for any call made with a user's
 * API key (keys without a user hold no licence). Routes declare `records.read`, `records.write`,
 * `search`, `metadata.admin` for metadata changes, `admin` for administration, `export` for exports,
 * and `api` for minting a key.
 */
export const requiredFeatures = ({ declared, isApiKey }: { declared: readonly LicenceFeature[]; isApiKey: boolean }): LicenceFeature[] => [
  ...new Set<LicenceFeature>([...(isApiKey ? (['api'] as const) : []), ...declared]),
];

/**
 * The features one request needs (and, once it succeeded, used): its route's `config.licenceFeatures`
 * and `api` for a user's key. The gate checks these and the utilisation report counts these (feature-use.ts).
 */
export const requestFeatures = (request: FastifyRequest): LicenceFeature[] =>
  requiredFeatures({ declared: request.routeOptions.config.licenceFeatures ?? [], isApiKey: request.rapport?.principal.via === 'apiKey' });

/** LICENCE_FEATURE_REQUIRED (403) unless the caller's licence includes `feature`; callers no licence limits pass. */
export const assertLicenceFeature = (access: Access, feature: LicenceFeature): void => {
  const { licence } = access;
  if (!licence || licence.features.includes(feature)) return;
  const held = licence.name ? `Your ${licence.name} licence` : 'You hold no licence, so your account';
  throw new AppError('LICENCE_FEATURE_REQUIRED', `${held} does not include the "${feature}" feature, which this request needs. Ask an administrator for a licence with "${feature}".`, {
    errors: [{ field: 'licence', code: 'featureNotIncluded', message: `${licence.name ?? 'No licence'}: "${feature}" not included.` }],
  });
};

/**
 * Checks every request of the authenticated API against the caller's licence (after authentication),
 * by the features its route declares (`config.licenceFeatures`). Register it before the routes: a route
 * that declares nothing is refused at start, so none escapes the gate by being forgotten.
 */
export const registerLicenceGate = (app: FastifyInstance): void => {
  app.addHook('onRoute', (route) => {
    if (route.config?.licenceFeatures === undefined) {
      throw new Error(`${String(route.method)} ${route.url} declares no licence features: add config: { licenceFeatures: [...] } (or [] for none) where the route is declared.`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const context = request.rapport;
    if (!context?.access.licence) return;
    for (const feature of requestFeatures(request)) {
      // Administration is for admins first: anyone else gets the route's FORBIDDEN, as without licences.
      if (ADMIN_FEATURES.has(feature) && !context.access.isAdmin) continue;
      assertLicenceFeature(context.access, feature);
    }
  });
};
