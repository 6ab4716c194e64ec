import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../web/scripts/build.mjs';
import { registerHomePage } from './home-page.ts';

const buildServer = async (webAppDir: string): Promise<FastifyInstance> => {
  const app = Fastify({ logger: false });
  app.setNotFoundHandler((_request, reply) => reply.status(404).type('application/problem+json').send({ status: 404, code: 'ROUTE_NOT_FOUND' }));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/api/v1/things', async () => ({ data: [] }));
  registerHomePage(app, { webAppDir });
  await app.ready();
  return app;
};

const bigScript = Array.from({ length: 400 }, (_, index) => `export const value${index} = ${index};`).join('\n');

describe('web app serving', () => {
  const root = mkdtempSync(join(tmpdir(), 'rapport-web-'));
  const built = join(root, 'dist');
  let app: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>Rapport app</title><meta name="rapport:signed-in-preload" content="/api/v1/navigation /api/v1/users?limit=1000" /><div id="root"></div>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    writeFileSync(join(built, 'manifest.webmanifest'), '{"name":"Rapport CRM"}');
    writeFileSync(join(built, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    writeFileSync(join(root, 'secret.txt'), 'outside the build');
    writeFileSync(join(built, 'assets', 'vendor-def456.js'), bigScript);
    precompress(built);
    app = await buildServer(built);
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('should serve index.html at the root with a content security policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Rapport app');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('should preload the requests index.html names for a browser with a session, and only then', async () => {
    const signedIn = await app.inject({ method: 'GET', url: '/objects/person', headers: { cookie: 'theme=dark; rapport_session=abc' } });
    expect(signedIn.headers.link).toBe('</api/v1/navigation>; rel=preload; as=fetch; crossorigin=anonymous; fetchpriority=low, </api/v1/users?limit=1000>; rel=preload; as=fetch; crossorigin=anonymous; fetchpriority=low');
    expect(signedIn.body).toContain('Rapport app');
    for (const headers of [{}, { cookie: 'theme=dark' }]) expect((await app.inject({ method: 'GET', url: '/', headers })).headers.link).toBeUndefined();
  });

  it('should serve the PWA manifest and service worker with their content types, always revalidated', async () => {
    const manifest = await app.inject({ method: 'GET', url: '/manifest.webmanifest' });
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect(JSON.parse(manifest.body)).toEqual({ name: 'Rapport CRM' });
    const worker = await app.inject({ method: 'GET', url: '/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['content-type']).toMatch(/javascript/);
    // A new service worker must reach browsers at their next visit, and may fetch the app's own files.
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.headers['content-security-policy']).toContain("connect-src 'self'");
  });

  it('should answer client routes with index.html when the path is a screen of the app', async () => {
    for (const url of ['/sign-in', '/objects/person', '/accept-invitation?token=abc.def', '/reset-password?token=abc%2Bdef', '/settings/users', '/objects/person/3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10/edit?x=1']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toContain('Rapport app');
    }
  });

  it('should serve hashed assets as immutable and other files revalidated', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("app")');
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('should send the precompressed copy the browser accepts, and the plain file to one that accepts none', async () => {
    const brotli = await app.inject({ method: 'GET', url: '/assets/vendor-def456.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/javascript/);
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(brotli.rawPayload).toString('utf8')).toBe(bigScript);
    expect(brotli.rawPayload.length).toBeLessThan(bigScript.length / 3);
    const gzip = await app.inject({ method: 'GET', url: '/assets/vendor-def456.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(bigScript);
    const plain = await app.inject({ method: 'GET', url: '/assets/vendor-def456.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(bigScript);
    // Files too small to gain are not compressed, and still served.
    const small = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'br' } });
    expect(small.statusCode).toBe(200);
    expect(small.body).toBe('console.log("app")');
  });

  it('should answer 404 for a missing file and never serve files outside the build', async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/index-gone.js' })).statusCode).toBe(404);
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('outside the build');
    }
    // A malformed escape is the client's mistake, never a server error.
    expect((await app.inject({ method: 'GET', url: '/objects/%E0%A4%A' })).statusCode).toBeLessThan(500);
  });

  it('should leave API and health paths to the API when they do not exist', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    expect((await app.inject({ method: 'GET', url: '/api' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/things' })).json()).toEqual({ data: [] });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('should show how to build the app when the build is missing', async () => {
    const bare = await buildServer(join(root, 'not-built'));
    try {
      for (const url of ['/', '/objects/person']) {
        const response = await bare.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(200);
        expect(response.body).toContain('npm run build:web');
      }
      expect((await bare.inject({ method: 'GET', url: '/api/v1/nothing-here' })).json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    } finally {
      await bare.close();
    }
  });
});
