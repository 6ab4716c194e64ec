import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLazySchemaCompilers } from './lazy-schema-compilers.ts';

const buildTestApp = async () => {
  const app = Fastify({
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: true } },
    schemaController: { compilersFactory: createLazySchemaCompilers() },
  });
  app.get<{ Querystring: { limit: number } }>(
    '/items',
    {
      schema: {
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { limit: { type: 'integer' }, kind: { type: 'string' } } } },
      },
    },
    async (request) => ({ limit: request.query.limit, kind: typeof request.query.limit, secret: 'not in the schema' }),
  );
  // A schema Ajv cannot compile: it fails on the route's first request, not at start.
  app.get('/broken', { schema: { querystring: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({ ok: true }));
  await app.ready();
  return app;
};

describe('createLazySchemaCompilers', () => {
  it('should coerce and validate input and serialize output by the route schemas', async () => {
    const app = await buildTestApp();

    const ok = await app.inject({ url: '/items?limit=5' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ limit: 5, kind: 'number' });

    const bad = await app.inject({ url: '/items?limit=0&extra=1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('querystring');
    await app.close();
  });

  it('should start with a schema that cannot compile and fail only when its route is called', async () => {
    const app = await buildTestApp();

    expect((await app.inject({ url: '/items?limit=1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/broken' })).statusCode).toBe(500);
    await app.close();
  });
});
