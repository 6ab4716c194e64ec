import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config/config.ts';
import { createTestDatabase, describeEngines, type TestDatabase } from '../setup/engines.ts';

/** A self-signed certificate for localhost, made by the openssl command line as an operator would. */
const makeCertificate = (dir: string) => {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
};

const get = (url: string, ca: string) =>
  new Promise<{ status: number; body: string; protocol: string }>((resolve, reject) => {
    const req = request(url, { ca }, (response) => {
      const protocol = (response.socket as { getProtocol?: () => string | null }).getProtocol?.() ?? '';
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, protocol }));
    });
    req.on('error', reject);
    req.end();
  });

describeEngines('TLS: HTTPS served directly', (engine) => {
  let dir: string;
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-tls-'));
    testDatabase = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await testDatabase?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve the API over TLS 1.2+ with the configured certificate', async () => {
    const files = makeCertificate(dir);
    const config = loadConfig({ RAPPORT_TLS_CERT_FILE: files.cert, RAPPORT_TLS_KEY_FILE: files.key, LOG_LEVEL: 'silent' });
    const app = await buildApp({ database: testDatabase.database, config, logger: false });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };

      const response = await get(`https://localhost:${port}/healthz`, readFileSync(files.cert, 'utf8'));

      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
      expect(response.protocol).toMatch(/^TLSv1\.[23]$/);
    } finally {
      await app.close();
    }
  });

  it('should refuse to start with only one of the two files, or an unreadable one', () => {
    expect(() => loadConfig({ RAPPORT_TLS_CERT_FILE: join(dir, 'cert.pem') })).toThrow(/Set both RAPPORT_TLS_CERT_FILE and RAPPORT_TLS_KEY_FILE/);
    expect(() => loadConfig({ RAPPORT_TLS_CERT_FILE: join(dir, 'missing.pem'), RAPPORT_TLS_KEY_FILE: join(dir, 'key.pem') })).toThrow(/RAPPORT_TLS_CERT_FILE: cannot read/);
  });
});
