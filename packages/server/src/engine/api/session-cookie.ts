import { parse, serialize } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSecure } from '../identity/identity-settings.ts';

/** The session token, httpOnly: scripts never see it. */
export const SESSION_COOKIE = 'rapport_session';
/** The CSRF token, readable by the web app's scripts, sent back as `x-csrf-token`. */
export const CSRF_COOKIE = 'rapport_csrf';

export const readSessionCookie = (request: FastifyRequest): string | undefined => {
  const header = request.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
};

const isSecure = (request: FastifyRequest, mode: CookieSecure) => mode === 'always' || (mode === 'auto' && request.protocol === 'https');

export const setSessionCookies = (
  request: FastifyRequest,
  reply: FastifyReply,
  options: { token: string; csrfToken: string; expiresAt: string; secure: CookieSecure },
) => {
  const common = { path: '/', sameSite: 'lax', secure: isSecure(request, options.secure), expires: new Date(options.expiresAt) } as const;
  reply.header('set-cookie', [
    serialize(SESSION_COOKIE, options.token, { ...common, httpOnly: true }),
    serialize(CSRF_COOKIE, options.csrfToken, common),
  ]);
};

export const clearSessionCookies = (request: FastifyRequest, reply: FastifyReply, secure: CookieSecure) => {
  const common = { path: '/', sameSite: 'lax', secure: isSecure(request, secure), expires: new Date(0) } as const;
  reply.header('set-cookie', [serialize(SESSION_COOKIE, '', { ...common, httpOnly: true }), serialize(CSRF_COOKIE, '', common)]);
};
