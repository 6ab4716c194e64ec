import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { Access } from '../permissions/access.ts';
import type { LicenceFeature } from './licence-types.ts';

// Reading these lists is open to every member (owner pickers, team names); changing them is administration.
const ADMIN_CHANGES = /^\/(users|roles|teams|territories|sharing-rules|licences|sso|jobs|workspace)(\/|$)/;

const ADMIN_FEATURES = new Set<LicenceFeature>(['admin', 'metadata.admin']);

export interface GatedRequest {
  method: string;
  /** The route pattern (`/api/v1/records/:object`), not the URL sent. */
  url: string;
  /** The credential is an API key (of a user: keys without a user hold no licence). */
  isApiKey: boolean;
}

/**
 * The licence features a request needs, each one a capability a licence type can leave out:
 * `api` for any call made with a user's API key (and for minting one), `records.read`, `records.write`,
 * `search`, `metadata.admin` for metadata changes, `admin` for administration, and `export` for exports.
 */
export const requiredFeatures = ({ method, url, isApiKey }: GatedRequest): LicenceFeature[] => {
  const path = url.replace(/^\/api\/v1/, '');
  const isRead = method === 'GET' || method === 'HEAD';
  const features: LicenceFeature[] = isApiKey ? ['api'] : [];
  // The change feed and its stream carry record data: reading them is reading records.
  if (path === '/events' || path === '/events/stream') features.push('records.read');
  else if (path.startsWith('/records/')) features.push(isRead || /\/(query|aggregate)$/.test(path) ? 'records.read' : 'records.write');
  else if (path === '/search') features.push('search');
  else if ((path.startsWith('/metadata/') || path.startsWith('/designer')) && !isRead) features.push('metadata.admin');
  else if (path.startsWith('/audit')) features.push('admin', ...(path === '/audit/export' ? (['export'] as const) : []));
  else if (ADMIN_CHANGES.test(path) && !isRead) features.push('admin');
  else if (path === '/apikeys' && method === 'POST') features.push('api');
  return [...new Set(features)];
};

/** LICENCE_FEATURE_REQUIRED (403) unless the caller's licence includes `feature`; callers no licence limits pass. */
export const assertLicenceFeature = (access: Access, feature: LicenceFeature): void => {
  const { licence } = access;
  if (!licence || licence.features.includes(feature)) return;
  const held = licence.name ? `Your ${licence.name} licence` : 'You hold no licence, so your account';
  throw new AppError('LICENCE_FEATURE_REQUIRED', `${held} does not include the "${feature}" feature, which this request needs. Ask an administrator for a licence with "${feature}".`, {
    errors: [{ field: 'licence', code: 'featureNotIncluded', message: `${licence.name ?? 'No licence'}: "${feature}" not included.` }],
  });
};

/** Checks every request of the authenticated API against the caller's licence (after authentication). */
export const registerLicenceGate = (app: FastifyInstance): void => {
  app.addHook('onRequest', async (request) => {
    const context = request.rapport;
    if (!context?.access.licence) return;
    const features = requiredFeatures({ method: request.method, url: request.routeOptions.url ?? '', isApiKey: context.principal.via === 'apiKey' });
    for (const feature of features) {
      // Administration is for admins first: anyone else gets the route's FORBIDDEN, as without licences.
      if (ADMIN_FEATURES.has(feature) && !context.access.isAdmin) continue;
      assertLicenceFeature(context.access, feature);
    }
  });
};
