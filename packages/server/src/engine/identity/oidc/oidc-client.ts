import * as client from 'openid-client';
import { AppError } from '../../errors.ts';
import { isLoopbackHttp, type OidcProviderWithSecret } from './oidc-providers.service.ts';

// Discovery documents and keys change rarely: one fetch per provider configuration per hour.
const DISCOVERY_TTL_MS = 3600_000;
const TIMEOUT_SECONDS = 10;
const MAX_ENTRIES = 1000;

const configurations = new Map<string, { config: Promise<client.Configuration>; until: number }>();

const ssoFailed = (detail: string) => new AppError('SSO_FAILED', detail);

/** The openid-client configuration of a provider (discovered, cached per issuer, client and secret). */
export const getClientConfiguration = (provider: OidcProviderWithSecret): Promise<client.Configuration> => {
  const key = JSON.stringify([provider.issuer, provider.clientId, provider.clientSecret]);
  const cached = configurations.get(key);
  if (cached && cached.until > Date.now()) return cached.config;
  const issuer = new URL(provider.issuer);
  const config = client
    .discovery(
      issuer,
      provider.clientId,
      provider.clientSecret ?? undefined,
      provider.clientSecret ? client.ClientSecretBasic(provider.clientSecret) : client.None(),
      { timeout: TIMEOUT_SECONDS, ...(isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : {}) },
    )
    .catch((error: unknown) => {
      configurations.delete(key);
      throw ssoFailed(`The identity provider ${provider.issuer} could not be reached or answered no valid OpenID configuration (${(error as Error).message}).`);
    });
  if (configurations.size >= MAX_ENTRIES) configurations.clear();
  configurations.set(key, { config, until: Date.now() + DISCOVERY_TTL_MS });
  return config;
};

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The URL that sends the browser to the provider: authorization code with PKCE (S256), state and nonce. */
export const buildAuthorizationRequest = async (provider: OidcProviderWithSecret, redirectUri: string): Promise<AuthorizationRequest> => {
  const config = await getClientConfiguration(provider);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: provider.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, state, nonce, codeVerifier };
};

export type Claims = Record<string, unknown> & { sub: string };

/**
 * Trades the code for tokens, checks the ID token (signature, issuer, audience, nonce, expiry) and
 * returns its claims merged with the userinfo endpoint's (scope claims such as email often live there).
 */
export const exchangeCode = async (options: {
  provider: OidcProviderWithSecret;
  callbackUrl: URL;
  checks: { state: string; nonce: string; codeVerifier: string };
}): Promise<Claims> => {
  // Checked here too (openid-client does) for a clear message: an answer to another browser's sign-in.
  if (options.callbackUrl.searchParams.get('state') !== options.checks.state) {
    throw ssoFailed('The answer does not belong to the sign-in this browser started (state mismatch).');
  }
  const config = await getClientConfiguration(options.provider);
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, options.callbackUrl, {
      pkceCodeVerifier: options.checks.codeVerifier,
      expectedState: options.checks.state,
      expectedNonce: options.checks.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError) {
      throw ssoFailed(`The identity provider refused the sign-in: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`);
    }
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw ssoFailed(`The identity provider's answer could not be verified: ${(error as Error).message}${cause ? ` (${cause})` : ''}.`);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw ssoFailed('The identity provider returned no ID token.');
  let userInfo: Record<string, unknown> = {};
  if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
    try {
      userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (error) {
      throw ssoFailed(`The identity provider's userinfo could not be read: ${(error as Error).message}.`);
    }
  }
  return { ...userInfo, ...idClaims } as Claims;
};
