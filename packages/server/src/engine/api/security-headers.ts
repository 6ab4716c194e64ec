import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for these options (static directives only: no nonces, no functions). */
export const computeSecurityHeaders = (options: Readonly<HelmetOptions>): Record<string, string> => {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
};

/**
 * Helmet's security headers on every response, computed once at start: @fastify/helmet builds
 * helmet's middleware again for each request (its CSP parsing alone cost ~80 µs a request). A route
 * that needs another policy sets its own header in its handler, which wins (see web-app.ts).
 */
export const registerSecurityHeaders = (app: FastifyInstance, options: Readonly<HelmetOptions>): void => {
  const headers = computeSecurityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
};
