import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { addPasswordUser, call, cookieHeaderFrom, PASSWORD, signInOverHttp, type PasswordUser } from '../support/identity.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('identity: sign-up', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Made By Cli');
  });
  afterAll(async () => t?.destroy());

  it('failing-sign-up: should refuse a weak password with per-field errors and create nothing', async () => {
    const response = await call(t.app, 'POST', '/api/v1/auth/sign-up', { workspaceName: 'First Co', email: 'first@signup.example', name: 'First Admin', password: 'Password2024!' });

    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ field: 'password', code: 'commonPassword', message: expect.any(String) }]);
    const { rows } = await sql`select 1 from rapport.user`.execute(t.testDatabase.database.db);
    expect(rows).toHaveLength(0);
  });

  it('successful-sign-up: should create the workspace and its Admin, sign them in, then close sign-up', async () => {
    const response = await call(t.app, 'POST', '/api/v1/auth/sign-up', { workspaceName: 'First Co', email: 'first@signup.example', name: 'First Admin', password: PASSWORD });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ token: expect.stringMatching(/^rps_/), user: { email: 'first@signup.example', role: 'Admin', isAdmin: true, status: 'active' }, workspace: { name: 'First Co' } });
    expect(String(response.headers['set-cookie'])).toMatch(/rapport_session=rps_.*HttpOnly.*SameSite=Lax/);
    const me = await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: response.body.token });
    expect(me.body).toMatchObject({ email: 'first@signup.example', workspace: { name: 'First Co' }, via: 'session' });
    const people = await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: response.body.token });
    expect(people.status).toBe(200);

    const again = await call(t.app, 'POST', '/api/v1/auth/sign-up', { workspaceName: 'Second Co', email: 'second@signup.example', name: 'Second', password: PASSWORD });
    expect(again.status).toBe(403);
    expect(again.body.code).toBe('SIGN_UP_CLOSED');
  });
});

describeEngines('identity: sign-up into a workspace made with the CLI', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Cli Made Co');
  });
  afterAll(async () => t?.destroy());

  it('successful-sign-up: should make the first person the Admin of an existing workspace without members', async () => {
    const response = await call(t.app, 'POST', '/api/v1/auth/sign-up', { workspaceName: 'cli made co', email: 'owner@cli-made.example', name: 'Owner', password: PASSWORD });

    expect(response.status).toBe(201);
    expect(response.body.workspace).toEqual({ id: t.workspace.id, name: 'Cli Made Co' });
    expect(response.body.user).toMatchObject({ role: 'Admin', status: 'active' });
  });
});

describeEngines('identity: sign-in, sessions and sign-out', (engine) => {
  let t: TestApp;
  let admin: PasswordUser;
  let rep: PasswordUser;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Signin Co');
    const db = t.testDatabase.database.db;
    admin = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Admin' });
    rep = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
  });
  afterAll(async () => t?.destroy());

  const auditOf = async (action: string) => {
    const { rows } = await sql<{ action: string; ip: string; user_agent: string; details: Record<string, unknown>; actor_id: string | null }>`
      select action, ip, user_agent, details, actor_id from rapport.audit_log where action = ${action} order by id`.execute(t.testDatabase.database.db);
    return rows;
  };

  it('successful-sign-in: should answer a session token that works as Bearer, plus httpOnly session and CSRF cookies', async () => {
    const response = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: rep.email.toUpperCase(), password: PASSWORD }, { ip: '198.51.100.1', headers: { 'user-agent': 'Firefox test' } });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token: expect.stringMatching(/^rps_/), csrfToken: expect.any(String), user: { id: rep.id, role: 'Sales rep', isAdmin: false } });
    const cookies = response.headers['set-cookie'] as string[];
    expect(cookies.find((cookie) => cookie.startsWith('rapport_session='))).toMatch(/HttpOnly; SameSite=Lax/);
    expect(cookies.find((cookie) => cookie.startsWith('rapport_csrf='))).not.toMatch(/HttpOnly/);
    const me = await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: response.body.token });
    expect(me.body).toMatchObject({ id: rep.id, lastSignInAt: expect.any(String), twoFactorEnabled: false });
    const [entry] = (await auditOf('auth.sign_in.succeeded')).filter((row) => row.actor_id === rep.id);
    expect(entry).toMatchObject({ ip: '198.51.100.1', user_agent: 'Firefox test' });
  });

  it('failing-sign-in: should answer the same 401 for a wrong password and an unknown email, and audit both with IP, agent and email', async () => {
    const wrong = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: rep.email, password: 'not-the-password-at-all' }, { ip: '198.51.100.2', headers: { 'user-agent': 'curl/8' } });
    const unknown = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: 'nobody@identity.example', password: PASSWORD }, { ip: '198.51.100.2', headers: { 'user-agent': 'curl/8' } });

    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'Wrong email or password.' });
    }
    const failed = await auditOf('auth.sign_in.failed');
    expect(failed.map((row) => row.details)).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: rep.email, reason: 'wrongPassword' }), expect.objectContaining({ email: 'nobody@identity.example', reason: 'unknownEmail' })]),
    );
    expect(failed.every((row) => row.ip === '198.51.100.2' && row.user_agent === 'curl/8')).toBe(true);
  });

  it('failing-sign-in: should answer 400 problem+json when a field is missing', async () => {
    const response = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: rep.email });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'password', code: 'required' })]);
  });

  it('successful-cookie: should accept the session cookie for reads, and for changes only with the CSRF token', async () => {
    const session = await signInOverHttp(t.app, { email: admin.email, password: PASSWORD });

    const read = await call(t.app, 'GET', '/api/v1/users/me', undefined, { cookie: session.cookie });
    const withoutCsrf = await call(t.app, 'POST', '/api/v1/records/person', personFactory.build(), { cookie: session.cookie });
    const wrongCsrf = await call(t.app, 'POST', '/api/v1/records/person', personFactory.build(), { cookie: session.cookie, csrf: 'x'.repeat(43) });
    const withCsrf = await call(t.app, 'POST', '/api/v1/records/person', personFactory.build(), { cookie: session.cookie, csrf: session.csrfToken });
    const bearerWithoutCsrf = await call(t.app, 'POST', '/api/v1/records/person', personFactory.build(), { token: session.token });

    expect(read.status).toBe(200);
    expect(read.body.id).toBe(admin.id);
    expect(withoutCsrf.status).toBe(403);
    expect(withoutCsrf.body.code).toBe('CSRF_TOKEN_INVALID');
    expect(wrongCsrf.body.code).toBe('CSRF_TOKEN_INVALID');
    expect(withCsrf.status).toBe(201);
    expect(withCsrf.body.createdBy).toBe(admin.id);
    expect(bearerWithoutCsrf.status).toBe(201);
  });

  it('failing-cookie: should refuse an API key or garbage in the session cookie', async () => {
    const response = await call(t.app, 'GET', '/api/v1/users/me', undefined, { cookie: `rapport_session=${t.token}` });

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('successful-sign-out: should end the session and clear the cookies', async () => {
    const session = await signInOverHttp(t.app, { email: rep.email, password: PASSWORD });

    const out = await call(t.app, 'POST', '/api/v1/auth/sign-out', undefined, { cookie: session.cookie, csrf: session.csrfToken });

    expect(out.status).toBe(204);
    expect(cookieHeaderFrom(out)).toBe('rapport_session=; rapport_csrf=');
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: session.token })).status).toBe(401);
    expect((await auditOf('auth.sign_out')).some((row) => row.actor_id === rep.id && row.details.everywhere === false)).toBe(true);
  });

  it('successful-sign-out-everywhere: should end every session of the user, not only the one signing out', async () => {
    const phone = await signInOverHttp(t.app, { email: admin.email, password: PASSWORD });
    const laptop = await signInOverHttp(t.app, { email: admin.email, password: PASSWORD });
    const other = await signInOverHttp(t.app, { email: rep.email, password: PASSWORD });

    const viaBody = await call(t.app, 'POST', '/api/v1/auth/sign-out', { everywhere: true }, { token: phone.token });

    expect(viaBody.status).toBe(204);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: laptop.token })).status).toBe(401);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: other.token })).status).toBe(200);
    const again = await signInOverHttp(t.app, { email: admin.email, password: PASSWORD });
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-out-everywhere', undefined, { token: again.token })).status).toBe(204);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: again.token })).status).toBe(401);
  });

  it('failing-sign-out: should answer 400 for an API key, which is revoked instead', async () => {
    const response = await call(t.app, 'POST', '/api/v1/auth/sign-out', undefined, { token: t.token });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_REQUEST');
  });

  it('successful-password-change: should need the current password, end the other sessions and keep this one', async () => {
    const user = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const here = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });
    const elsewhere = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });

    const wrong = await call(t.app, 'POST', '/api/v1/auth/password', { currentPassword: 'not-my-password-x', newPassword: 'saffron-glacier-tuba' }, { token: here.token });
    const weak = await call(t.app, 'POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }, { token: here.token });
    const changed = await call(t.app, 'POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'saffron-glacier-tuba' }, { token: here.token });

    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword', code: 'wrongPassword' })]);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'newPassword', code: 'tooShort' })]);
    expect(changed.status).toBe(204);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: here.token })).status).toBe(200);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: elsewhere.token })).status).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: 'saffron-glacier-tuba' })).status).toBe(200);
  });

  it('failing-sign-in: should lock an email out progressively after 5 failures, with 429 and Retry-After, even for the right password', async () => {
    const victim = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: victim.email, password: `wrong-password-${attempt}` }, { ip: `192.0.2.${attempt + 10}` })).status);
    }

    const locked = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: victim.email, password: PASSWORD }, { ip: '192.0.2.99' });

    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(55);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Others are not locked out by it.
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: rep.email, password: PASSWORD }, { ip: '192.0.2.99' })).status).toBe(200);
  });

  it('failing-sign-in: should refuse a member whose account is deactivated in the workspace', async () => {
    const leaver = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    await sql`update rapport.workspace_member set status = 'deactivated' where user_id = ${leaver.id}`.execute(t.testDatabase.database.db);

    const response = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: leaver.email, password: PASSWORD }, { ip: '192.0.2.50' });

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('ACCOUNT_DEACTIVATED');
  });

  it('successful-headers: should send security headers and a strict content security policy with API answers', async () => {
    const response = await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: t.token });

    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('successful-openapi: should describe the identity routes in a valid OpenAPI document', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const document = (await call(t.app, 'GET', '/api/v1/openapi.json', undefined, { token: t.token })).body;

    expect(document.paths['/api/v1/auth/sign-in'].post).toMatchObject({ operationId: 'signIn', security: [] });
    expect(document.paths['/api/v1/users/{id}/deactivate'].post.operationId).toBe('deactivateUser');
    expect(document.paths['/api/v1/apikeys'].post.operationId).toBe('createApiKey');
    expect((await new Validator().validate(document)).valid).toBe(true);
  });
});

describeEngines('identity: CORS', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Cors Co', { config: { corsOrigins: ['https://app.example.com'] } });
  });
  afterAll(async () => t?.destroy());

  it('should allow credentialed requests from configured origins only', async () => {
    const allowed = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/users/me', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf-token' } });
    const refused = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/users/me', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });

    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});
