import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { authenticateApiKey, touchApiKey } from '../identity/api-key.service.ts';
import { CSRF_HEADER, isCsrfTokenValid, isSafeMethod } from '../identity/csrf.ts';
import type { RateLimitSettings } from '../identity/identity-settings.ts';
import type { Principal } from '../identity/principal.ts';
import type { RateLimiter } from '../identity/rate-limit.ts';
import { authenticateSession, isSessionToken, touchSession } from '../identity/session.service.ts';
import { readSessionCookie } from './session-cookie.ts';

// A verified token is trusted for a few seconds: auth stays off the hot path of every request.
// Revocation (sign-out, deactivation, key revocation) takes effect within this time on every server,
// and at once on the server that revoked (it calls forget()).
const CACHE_MS = 5000;
const MAX_ENTRIES = 10_000;
const MINUTE = 60_000;

/** What a user who must enrol in 2FA can still reach (see Principal.twoFactorEnrolmentRequired). */
export const ENROLMENT_ROUTES: ReadonlySet<string> = new Set([
  '/api/v1/auth/totp/enroll',
  '/api/v1/auth/totp/verify',
  '/api/v1/users/me',
  '/api/v1/auth/sign-out',
  '/api/v1/auth/sign-out-everywhere',
]);

export interface Authenticator {
  /**
   * Resolves the request's credential: `Authorization: Bearer <API key or session token>`, else the
   * session cookie (then unsafe methods need the CSRF header). Applies the API rate limits and the
   * two-factor enrolment gate.
   */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** Resolves a token from any source; throws UNAUTHENTICATED. */
  authenticateToken(token: string, request: FastifyRequest): Promise<Principal>;
  forget(): void;
}

export interface AuthenticatorOptions {
  csrfKey: Buffer;
  rateLimiter: RateLimiter;
  rateLimits: Pick<RateLimitSettings, 'apiPerMinute' | 'ipPerMinute'>;
}

const challenge = { 'WWW-Authenticate': 'Bearer' };

export const createAuthenticator = (db: Db, options: AuthenticatorOptions): Authenticator => {
  const { csrfKey, rateLimiter, rateLimits } = options;
  const cache = new Map<string, { principal: Principal; until: number }>();
  const authenticateToken = async (token: string, request: FastifyRequest): Promise<Principal> => {
    const now = Date.now();
    const cached = cache.get(token);
    if (cached && cached.until > now) return cached.principal;
    const principal = await (isSessionToken(token) ? authenticateSession(db, token) : authenticateApiKey(db, token)).catch((error: unknown) => {
      if (error instanceof AppError) throw new AppError(error.code, error.message, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
      throw error;
    });
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(token, { principal, until: now + CACHE_MS });
    const touch = principal.keyId ? touchApiKey(db, principal.keyId) : touchSession(db, principal);
    touch.catch((error: unknown) => request.log.warn({ err: error }, 'could not record credential use'));
    return principal;
  };

  const fromCookie = async (request: FastifyRequest): Promise<Principal> => {
    const token = readSessionCookie(request);
    if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API key as "Authorization: Bearer <token>".', { headers: challenge });
    if (!isSessionToken(token)) throw new AppError('UNAUTHENTICATED', 'The session cookie does not hold a session: sign in again.');
    const principal = await authenticateToken(token, request);
    // A cross-site page can make the browser send the cookie, but cannot read the token to send with it.
    if (!isSafeMethod(request.method) && !isCsrfTokenValid(csrfKey, principal.sessionId!, headerValue(request.headers[CSRF_HEADER]))) {
      throw new AppError('CSRF_TOKEN_INVALID', `Send the csrfToken of your sign-in (also in the rapport_csrf cookie) as the "${CSRF_HEADER}" header.`);
    }
    return principal;
  };

  return {
    async authenticate(request) {
      await rateLimiter.consume(`api-ip:${request.ip}`, { limit: rateLimits.ipPerMinute, windowMs: MINUTE });
      const header = request.headers.authorization;
      let principal: Principal;
      if (header) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', { headers: challenge });
        principal = await authenticateToken(match[1]!, request);
      } else {
        principal = await fromCookie(request);
      }
      const subject = principal.keyId ? `api-key:${principal.keyId}` : `api-user:${principal.userId}`;
      await rateLimiter.consume(subject, { limit: rateLimits.apiPerMinute, windowMs: MINUTE });
      if (principal.twoFactorEnrolmentRequired && !ENROLMENT_ROUTES.has(request.routeOptions.url ?? '')) {
        throw new AppError('TWO_FACTOR_ENROLMENT_REQUIRED', 'This workspace requires two-factor authentication: enrol with POST /api/v1/auth/totp/enroll, then /auth/totp/verify.');
      }
      return principal;
    },
    authenticateToken,
    forget: () => cache.clear(),
  };
};

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
