import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { call, PASSWORD } from '../support/identity.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// GET /api/v1/auth/status: what the sign-in screen offers before anyone signs in.
describeEngines('auth status (first run and single sign-on buttons)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Status Co');
  });
  afterAll(async () => t?.destroy());

  it('successful-status: should say sign-up is open on a new instance, without a credential', async () => {
    const response = await call(t.app, 'GET', '/api/v1/auth/status');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ signUpOpen: true, sso: [] });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('successful-status: should close sign-up after the first person signs up, and list enabled SSO providers only', async () => {
    const signedUp = await call(t.app, 'POST', '/api/v1/auth/sign-up', { workspaceName: 'Status Co', email: 'first@status.example', name: 'First Admin', password: PASSWORD });
    expect(signedUp.status).toBe(201);
    const created = await t.request('POST', '/api/v1/sso/providers', { name: 'okta', issuer: 'https://idp.status.example', clientId: 'rapport' });
    expect(created.status).toBe(201);
    const disabled = await t.request('POST', '/api/v1/sso/providers', { name: 'old-idp', issuer: 'https://old.status.example', clientId: 'rapport', enabled: false });
    expect(disabled.status).toBe(201);

    const response = await call(t.app, 'GET', '/api/v1/auth/status');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ signUpOpen: false, sso: [{ workspace: 'Status Co', provider: 'okta', startUrl: '/api/v1/auth/sso/Status%20Co/okta/start' }] });
  });

  it('failing-status: should answer a POST to the read-only status with a 4xx problem document', async () => {
    const response = await call(t.app, 'POST', '/api/v1/auth/status', {});

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
