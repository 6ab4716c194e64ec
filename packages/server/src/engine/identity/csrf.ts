import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF protection for cookie sessions: the token is an HMAC of the session id, given at sign-in (in the
 * body and in a cookie scripts of the same site can read) and sent back in `x-csrf-token` on every
 * unsafe request. A cross-site page can make the browser send the cookie but cannot read the token.
 */
export const CSRF_HEADER = 'x-csrf-token';

export const csrfTokenFor = (csrfKey: Buffer, sessionId: string) => createHmac('sha256', csrfKey).update(`csrf:${sessionId}`).digest('base64url');

export const isCsrfTokenValid = (csrfKey: Buffer, sessionId: string, given: string | undefined): boolean => {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(csrfKey, sessionId));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

export const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
