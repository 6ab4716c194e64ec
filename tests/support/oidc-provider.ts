import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The claims of an account of the test provider, besides `sub` (its key in `accounts`). */
export type AccountClaims = Record<string, unknown>;

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by subject; change them between sign-ins. */
  accounts: Map<string, AccountClaims>;
  /**
   * Plays the browser: follows the provider's redirects from `authorizationUrl`, signs in as `subject`
   * on its login page and confirms its consent page, until the provider redirects to the client.
   * Returns that redirect (the callback URL with `code` and `state`, or an `error`).
   */
  signIn(authorizationUrl: string, subject: string): Promise<URL>;
  close(): Promise<void>;
}

export interface StartOidcProviderOptions {
  redirectUris: string[];
  accounts?: Record<string, AccountClaims>;
  /** The claims of a scope beyond openid, email and profile, e.g. `{ groups: ['groups'] }`. */
  extraScopes?: Record<string, string[]>;
}

type CookieJar = Map<string, string>;

const storeCookies = (jar: CookieJar, response: Response) => {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const index = pair!.indexOf('=');
    const name = pair!.slice(0, index).trim();
    const value = pair!.slice(index + 1).trim();
    if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') jar.delete(name);
    else jar.set(name, value);
  }
};

const cookieHeader = (jar: CookieJar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1 and a random port, with one
 * confidential client and accounts held in memory. Login and consent use its development interactions.
 */
export const startOidcProvider = async (options: StartOidcProviderOptions): Promise<TestOidcProvider> => {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'rapport-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris, response_types: ['code'], grant_types: ['authorization_code'] }],
    jwks: { keys: [{ ...signingKey, kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], ...options.extraScopes },
    scopes: ['openid', 'email', 'profile', ...Object.keys(options.extraScopes ?? {})],
    pkce: { methods: ['S256'], required: () => true },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_context, subject) {
      const claims = accounts.get(subject);
      if (!claims) return undefined;
      return { accountId: subject, claims: async () => ({ sub: subject, ...claims }) };
    },
  });
  // The development interactions warn on start: quiet in tests.
  provider.on('server_error', () => undefined);
  server.on('request', provider.callback());

  const signIn = async (authorizationUrl: string, subject: string): Promise<URL> => {
    const jar: CookieJar = new Map();
    let url = new URL(authorizationUrl);
    let method = 'GET';
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        headers: { cookie: cookieHeader(jar), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body: body.toString() } : {}),
      });
      storeCookies(jar, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, url);
        if (next.origin !== issuer) return next;
        url = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (response.status !== 200 || !action || !prompt) throw new Error(`The test provider answered ${response.status} without a form at ${url.pathname}: ${html.slice(0, 300)}`);
      url = new URL(action.replaceAll('&amp;', '&'), url);
      method = 'POST';
      body = new URLSearchParams(prompt === 'login' ? { prompt, login: subject, password: 'any' } : { prompt });
    }
    throw new Error('The test provider did not redirect back to the client within 20 steps.');
  };

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signIn,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
