import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { csrfTokenFor } from '../../identity/csrf.ts';
import { buildAuthorizationRequest, exchangeCode } from '../../identity/oidc/oidc-client.ts';
import {
  createOidcProvider,
  deleteOidcProvider,
  findEnabledProvider,
  findProviderById,
  getOidcProvider,
  listOidcProviders,
  updateOidcProvider,
  type OidcProvider,
  type OidcProviderInput,
} from '../../identity/oidc/oidc-providers.service.ts';
import { signInWithOidc } from '../../identity/oidc/sso-sign-in.service.ts';
import { clearFlowCookie, openFlowCookie, safeReturnTo, sealFlowCookie, SSO_FLOW_TTL_MS } from '../../identity/oidc/sso-state.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getWorkspace } from '../../workspaces/workspace.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import { setSessionCookies } from '../session-cookie.ts';
import {
  callbackQuerystring,
  providerCreateBody,
  providerListSchema,
  providerParams,
  providerPatchBody,
  providerSchema,
  startParams,
  startQuerystring,
} from './sso.schemas.ts';

const MINUTE = 60_000;
export const SSO_CALLBACK_PATH = '/api/v1/auth/sso/callback';

const callbackUrl = (services: EngineServices) => `${services.identity.settings.publicUrl}${SSO_CALLBACK_PATH}`;

const isSecure = (services: EngineServices, request: FastifyRequest) => {
  const mode = services.identity.settings.cookieSecure;
  return mode === 'always' || (mode === 'auto' && request.protocol === 'https');
};

/** Admin API of the workspace's OpenID Connect providers. */
export const registerSsoProviderRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const { secretBox } = services.identity;
  const present = async (workspaceId: string, provider: OidcProvider) => {
    const workspace = await getWorkspace(db, { id: workspaceId });
    return {
      ...provider,
      startUrl: `${services.identity.settings.publicUrl}/api/v1/auth/sso/${encodeURIComponent(workspace.name)}/${provider.name}/start`,
      redirectUri: callbackUrl(services),
    };
  };
  const admin = async (request: FastifyRequest) => {
    const context = getContext(request);
    await assertWorkspaceAdmin(db, context.principal);
    return context;
  };
  const audit = (request: FastifyRequest, action: string, provider: OidcProvider, details: Record<string, unknown> = {}) => {
    const { workspace, actorId } = getContext(request);
    return recordAudit(db, { workspaceId: workspace.id, actorId, action, objectName: 'ssoProvider', recordId: provider.id, ...requestFacts(request), details: { name: provider.name, ...details } });
  };
  // What changed, without the secret itself.
  const changed = (body: OidcProviderInput) => ({ changed: Object.keys(body), ...Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'clientSecret')) });

  app.get('/sso/providers', { config: { licenceFeatures: [] }, schema: { response: { 200: providerListSchema } } }, async (request) => {
    const { workspace } = await admin(request);
    const providers = await listOidcProviders(db, workspace.id);
    return { data: await Promise.all(providers.map((provider) => present(workspace.id, provider))) };
  });

  app.post<{ Body: OidcProviderInput & { name: string; issuer: string; clientId: string } }>(
    '/sso/providers',
    { config: { licenceFeatures: ['admin'] }, schema: { body: providerCreateBody, response: { 201: providerSchema } } },
    async (request, reply) => {
      const { workspace } = await admin(request);
      const provider = await createOidcProvider(db, { workspaceId: workspace.id, input: request.body, secretBox });
      await audit(request, 'sso.provider.created', provider, changed(request.body));
      return reply.status(201).header('Location', `/api/v1/sso/providers/${provider.id}`).send(await present(workspace.id, provider));
    },
  );

  app.get<{ Params: { id: string } }>('/sso/providers/:id', { config: { licenceFeatures: [] }, schema: { params: providerParams, response: { 200: providerSchema } } }, async (request) => {
    const { workspace } = await admin(request);
    return present(workspace.id, await getOidcProvider(db, workspace.id, request.params.id));
  });

  app.patch<{ Params: { id: string }; Body: OidcProviderInput }>(
    '/sso/providers/:id',
    { config: { licenceFeatures: ['admin'] }, schema: { params: providerParams, body: providerPatchBody, response: { 200: providerSchema } } },
    async (request) => {
      const { workspace } = await admin(request);
      const provider = await updateOidcProvider(db, { workspaceId: workspace.id, id: request.params.id, patch: request.body, secretBox });
      await audit(request, 'sso.provider.updated', provider, changed(request.body));
      return present(workspace.id, provider);
    },
  );

  app.delete<{ Params: { id: string } }>('/sso/providers/:id', { config: { licenceFeatures: ['admin'] }, schema: { params: providerParams } }, async (request, reply) => {
    const { workspace } = await admin(request);
    const provider = await getOidcProvider(db, workspace.id, request.params.id);
    await deleteOidcProvider(db, workspace.id, provider.id);
    await audit(request, 'sso.provider.deleted', provider);
    return reply.status(204).send();
  });
};

/** The browser side of single sign-on: reached without a credential, limited per IP like password sign-in. */
export const registerSsoAuthRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const { rateLimiter, settings, secretBox } = services.identity;
  const limitPerIp = async (request: FastifyRequest) => rateLimiter.consume(`auth-ip:${request.ip}`, { limit: settings.rateLimits.authPerMinute, windowMs: MINUTE });

  app.get<{ Params: { workspace: string; provider: string }; Querystring: { returnTo?: string } }>(
    '/auth/sso/:workspace/:provider/start',
    { onRequest: limitPerIp, schema: { params: startParams, querystring: startQuerystring } },
    async (request, reply) => {
      const provider = await findEnabledProvider(db, { workspaceName: request.params.workspace, providerName: request.params.provider, secretBox });
      const authorization = await buildAuthorizationRequest(provider, callbackUrl(services));
      const flow = {
        providerId: provider.id,
        state: authorization.state,
        nonce: authorization.nonce,
        codeVerifier: authorization.codeVerifier,
        returnTo: safeReturnTo(request.query.returnTo),
        expiresAt: Date.now() + SSO_FLOW_TTL_MS,
      };
      return reply.header('set-cookie', sealFlowCookie(secretBox, flow, isSecure(services, request))).header('cache-control', 'no-store').redirect(authorization.url.href, 302);
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/auth/sso/callback',
    { onRequest: limitPerIp, schema: { querystring: callbackQuerystring } },
    async (request, reply) => {
      // The flow cookie is single use: cleared whatever the outcome.
      reply.header('set-cookie', clearFlowCookie(isSecure(services, request)));
      const flow = openFlowCookie(secretBox, request.headers.cookie);
      const provider = await findProviderById(db, { id: flow.providerId, secretBox });
      if (!provider) throw new AppError('SSO_PROVIDER_NOT_FOUND', 'The single sign-on provider of this sign-in was removed or disabled.');
      const facts = requestFacts(request);
      const failed = async (error: unknown): Promise<never> => {
        if (error instanceof AppError) {
          await recordAudit(db, { workspaceId: provider.workspaceId, actorId: null, action: 'auth.sign_in.failed', ...facts, details: { method: 'oidc', provider: provider.name, reason: error.message } });
        }
        throw error;
      };
      const url = new URL(callbackUrl(services));
      for (const [name, value] of Object.entries(request.query)) if (typeof value === 'string') url.searchParams.set(name, value);
      const claims = await exchangeCode({ provider, callbackUrl: url, checks: flow }).catch(failed);
      const signedIn = await signInWithOidc({ db, provider, claims, ip: facts.ip, userAgent: facts.userAgent });
      if (signedIn.isAccessChanged) services.onAccessChanged(signedIn.workspaceId);
      const csrfToken = csrfTokenFor(services.identity.csrfKey, signedIn.session.id);
      setSessionCookies(request, reply, { token: signedIn.session.token, csrfToken, expiresAt: signedIn.session.expiresAt, secure: settings.cookieSecure });
      return reply.header('cache-control', 'no-store').redirect(flow.returnTo, 302);
    },
  );
};
