import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { authenticateApiKey, touchApiKey, type ApiKeyPrincipal } from '../workspaces/api-key.service.ts';

// A verified token is trusted for a few seconds: auth stays off the hot path of every request.
// Revocation takes effect within this time on every server.
const CACHE_MS = 5000;
const MAX_ENTRIES = 10_000;

export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<ApiKeyPrincipal>;
  forget(): void;
}

export const createAuthenticator = (db: Db): Authenticator => {
  const cache = new Map<string, { principal: ApiKeyPrincipal; until: number }>();
  return {
    async authenticate(request) {
      const header = request.headers.authorization;
      if (!header) throw new AppError('UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <token>".', { headers: { 'WWW-Authenticate': 'Bearer' } });
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', { headers: { 'WWW-Authenticate': 'Bearer' } });
      const token = match[1]!;
      const now = Date.now();
      const cached = cache.get(token);
      if (cached && cached.until > now) return cached.principal;
      const principal = await authenticateApiKey(db, token).catch((error: unknown) => {
        if (error instanceof AppError) throw new AppError(error.code, error.message, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
        throw error;
      });
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(token, { principal, until: now + CACHE_MS });
      touchApiKey(db, principal.keyId).catch((error: unknown) => request.log.warn({ err: error }, 'could not record API key use'));
      return principal;
    },
    forget: () => cache.clear(),
  };
};
