import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../packages/server/src/app.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// A server that missed the "metadata changed" notification (its listening connection dropped) must still
// catch up: it checks its cached versions against the database.
describeEngines('cached metadata another server changed', (engine) => {
  let t: TestApp;
  let other: FastifyInstance & { services: EngineServices };
  beforeAll(async () => {
    t = await createTestApp(engine);
    other = await buildApp({ database: t.testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, metadataStaleCheckMs: 100 });
  });
  afterAll(async () => {
    await other?.close();
    await t?.destroy();
  });

  const labelSeenByOther = async () => {
    const response = await other.inject({ method: 'GET', url: '/api/v1/metadata/objects/company', headers: { authorization: `Bearer ${t.token}` } });
    expect(response.statusCode).toBe(200);
    return (response.json() as { labelPlural: string }).labelPlural;
  };
  // Changed behind every cache's back: no notification goes out.
  const relabelSilently = async (label: string) => {
    const db = t.testDatabase.database.db;
    await sql`update ${sql.id(t.workspace.schema, '_object')} set label_plural = ${label} where name = 'company'`.execute(db);
    await sql`update rapport.workspace set metadata_version = metadata_version + 1 where id = ${t.workspace.id}`.execute(db);
  };

  it('should drop a cached workspace whose version is behind the database, and keep a current one', async () => {
    expect(await labelSeenByOther()).toBe('Companies');
    await relabelSilently('Accounts');
    // Cached: the other server still answers what it read.
    expect(await labelSeenByOther()).toBe('Companies');
    await other.services.metadata.refreshStale();
    expect(await labelSeenByOther()).toBe('Accounts');
    // Nothing changed since: the entry stays (the same object, not a reload).
    const cached = other.services.metadata.get(t.workspace.id);
    await other.services.metadata.refreshStale();
    expect(other.services.metadata.get(t.workspace.id)).toBe(cached);
  });

  // A PGlite folder is opened by one server alone (it is locked): no other server's notification to miss.
  if (engine === 'postgres') {
    it('should catch up on its own on PostgreSQL, within the check interval', async () => {
      expect(await labelSeenByOther()).toBe('Accounts');
      await relabelSilently('Organisations');
      await expect.poll(labelSeenByOther, { timeout: 5_000, interval: 50 }).toBe('Organisations');
    });
  }
});
