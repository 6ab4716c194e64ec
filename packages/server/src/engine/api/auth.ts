import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { authenticateApiKey, touchApiKey } from '../identity/api-key.service.ts';
import type { Principal } from '../identity/principal.ts';
import { authenticateSession, isSessionToken, touchSession } from '../identity/session.service.ts';

// A verified token is trusted for a few seconds: auth stays off the hot path of every request.
// Revocation (sign-out, deactivation, key revocation) takes effect within this time on every server,
// and at once on the server that revoked (it calls forget()).
const CACHE_MS = 5000;
const MAX_ENTRIES = 10_000;

export interface Authenticator {
  /** Resolves the request's credential (Authorization: Bearer <API key or session token>). */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** Resolves a token from any source (e.g. the session cookie); throws UNAUTHENTICATED. */
  authenticateToken(token: string, request: FastifyRequest): Promise<Principal>;
  forget(): void;
}

const challenge = { 'WWW-Authenticate': 'Bearer' };

export const createAuthenticator = (db: Db): Authenticator => {
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
  return {
    async authenticate(request) {
      const header = request.headers.authorization;
      if (!header) throw new AppError('UNAUTHENTICATED', 'Send an API key or session token as "Authorization: Bearer <token>".', { headers: challenge });
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', { headers: challenge });
      return authenticateToken(match[1]!, request);
    },
    authenticateToken,
    forget: () => cache.clear(),
  };
};
