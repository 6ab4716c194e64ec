import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRateLimiter } from '../../packages/server/src/engine/identity/rate-limit.ts';
import { describeEngines } from '../setup/engines.ts';
import { addPasswordUser, call, PASSWORD } from '../support/identity.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { signIn } from '../support/workspace-members.ts';

// Windows are fixed and aligned to the clock: a burst that straddles a minute boundary would start
// counting again halfway. Each burst starts early enough in a minute to end inside it.
const withinOneWindow = async (neededMs = 20_000) => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
};

describeEngines('identity: rate limits', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Limits Co', { config: { rateLimits: { apiPerMinute: 5, ipPerMinute: 8, authPerMinute: 4 } } });
  });
  afterAll(async () => t?.destroy());

  it('failing-api: should answer 429 problem+json with Retry-After past the per-key limit, for that key only', async () => {
    await withinOneWindow();
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) statuses.push((await call(t.app, 'GET', '/api/v1/users?limit=1', undefined, { token: t.token, ip: `10.1.0.${n}` })).status);
    const limited = await call(t.app, 'GET', '/api/v1/users?limit=1', undefined, { token: t.token, ip: '10.1.0.99' });

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('failing-user: should count every session of one user together, and no one else', async () => {
    const db = t.testDatabase.database.db;
    const user = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const other = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const [laptop, phone, otherSession] = await Promise.all([
      signIn(db, { workspaceId: t.workspace.id, userId: user.id }),
      signIn(db, { workspaceId: t.workspace.id, userId: user.id }),
      signIn(db, { workspaceId: t.workspace.id, userId: other.id }),
    ]);
    await withinOneWindow();
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) statuses.push((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: n % 2 ? phone : laptop, ip: `10.4.0.${n}` })).status);
    const others = await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: otherSession, ip: '10.4.0.99' });

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(others.status).toBe(200);
  });

  it('failing-ip: should limit one client IP across credentials', async () => {
    await withinOneWindow();
    const statuses: number[] = [];
    for (let n = 0; n < 9; n++) statuses.push((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: `rap_${'0'.repeat(32)}_${'x'.repeat(43)}`, ip: '10.2.0.1' })).status);

    expect(statuses.slice(0, 8).every((status) => status === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
  });

  it('failing-auth: should limit sign-in attempts per IP', async () => {
    const user = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    await withinOneWindow();
    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) statuses.push((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: PASSWORD }, { ip: '10.3.0.1' })).status);
    const otherIp = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: PASSWORD }, { ip: '10.3.0.2' });

    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(otherIp.status).toBe(200);
  });

  it('should share small limits between servers through the database', async () => {
    // Two limiters over one database stand for two app servers.
    const db = t.testDatabase.database.db;
    const serverA = createRateLimiter(db);
    const serverB = createRateLimiter(db);
    const rule = { limit: 3, windowMs: 60_000 };
    const key = `shared-test-${engine}`;
    await withinOneWindow();

    await serverA.consume(key, rule);
    await serverB.consume(key, rule);
    await serverA.consume(key, rule);

    await expect(serverB.consume(key, rule)).rejects.toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': expect.stringMatching(/^\d+$/) } });
  });
});
