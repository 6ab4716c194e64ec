import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../api/context.ts';
import { requestFeatures } from './licence-gate.ts';

// Routes declared as the API declares them; the report counts what the request's route says, not its URL.
const buildApp = async () => {
  const app = Fastify({ logger: false });
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        const via = request.headers['x-via'] === 'apiKey' ? 'apiKey' : 'session';
        request.rapport = { principal: { via, workspaceId: 'w', userId: 'u', sessionId: null, keyId: null, scopes: null } } as RequestContext;
      });
      const answer = async (request: Parameters<typeof requestFeatures>[0]) => ({ features: requestFeatures(request) });
      api.get('/users/me', { config: { licenceFeatures: [] } }, answer);
      api.get('/users', { config: { licenceFeatures: [] } }, answer);
      api.post('/users', { config: { licenceFeatures: ['admin'] } }, answer);
      api.get('/events', { config: { licenceFeatures: ['records.read'] } }, answer);
      api.post('/records/:object/query', { config: { licenceFeatures: ['records.read'] } }, answer);
      api.get('/audit/export', { config: { licenceFeatures: ['admin', 'export'] } }, answer);
      api.post('/apikeys', { config: { licenceFeatures: ['api'] } }, answer);
    },
    { prefix: '/api/v1' },
  );
  return app;
};

const featuresOf = async (method: 'GET' | 'POST', url: string, via = 'session') => {
  const app = await buildApp();
  const response = await app.inject({ method, url, headers: { 'x-via': via } });
  await app.close();
  return (response.json() as { features: string[] }).features;
};

describe('requestFeatures', () => {
  it('should count what the route declares, whatever its path looks like', async () => {
    expect(await featuresOf('GET', '/api/v1/users/me')).toEqual([]);
    expect(await featuresOf('GET', '/api/v1/users')).toEqual([]);
    expect(await featuresOf('POST', '/api/v1/users')).toEqual(['admin']);
    expect(await featuresOf('GET', '/api/v1/events')).toEqual(['records.read']);
    expect(await featuresOf('POST', '/api/v1/records/person/query')).toEqual(['records.read']);
    expect(await featuresOf('GET', '/api/v1/audit/export')).toEqual(['admin', 'export']);
  });

  it('should add api for a call made with a user key, once', async () => {
    expect(await featuresOf('GET', '/api/v1/users/me', 'apiKey')).toEqual(['api']);
    expect(await featuresOf('GET', '/api/v1/events', 'apiKey')).toEqual(['api', 'records.read']);
    expect(await featuresOf('POST', '/api/v1/apikeys', 'apiKey')).toEqual(['api']);
  });
});
