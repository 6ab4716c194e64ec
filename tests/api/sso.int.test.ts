import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addMember, signIn } from '../support/workspace-members.ts';

// The app's default public URL in tests (RAPPORT_PUBLIC_URL): the provider must know this redirect URI.
const REDIRECT_URI = 'http://localhost:3000/api/v1/auth/sso/callback';
const WORKSPACE = 'SSO Co';

interface Browser {
  cookies: Map<string, string>;
}

const cookieValue = (setCookies: string[], name: string) => {
  for (const header of setCookies) {
    const [pair] = header.split(';');
    if (pair!.startsWith(`${name}=`)) return pair!.slice(name.length + 1);
  }
  return undefined;
};

const setCookiesOf = (headers: Record<string, unknown>) => {
  const value = headers['set-cookie'];
  return Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
};

describeEngines('single sign-on with OpenID Connect', (engine) => {
  let t: TestApp;
  let idp: TestOidcProvider;
  let roles: Record<string, string>;
  let providerId: string;
  const db = () => t.testDatabase.database.db;

  /** GET .../start in a browser: remembers the flow cookie, returns the provider's authorization URL. */
  const start = async (browser: Browser, provider = 'test-idp', query = '') => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/auth/sso/${encodeURIComponent(WORKSPACE)}/${provider}/start${query}` });
    const flow = cookieValue(setCookiesOf(response.headers), 'rapport_sso');
    if (flow) browser.cookies.set('rapport_sso', flow);
    return response;
  };
  const callback = (browser: Browser, callbackUrl: URL) =>
    t.app.inject({
      method: 'GET',
      url: `${callbackUrl.pathname}${callbackUrl.search}`,
      headers: { cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '), 'user-agent': 'SSO browser' },
      remoteAddress: '192.0.2.44',
    });
  /** The whole browser journey: start, sign in at the provider as `subject`, come back. */
  const signInAs = async (subject: string, query = '') => {
    const browser: Browser = { cookies: new Map() };
    const started = await start(browser, 'test-idp', query);
    expect(started.statusCode).toBe(302);
    const back = await idp.signIn(started.headers.location as string, subject);
    return { browser, response: await callback(browser, back) };
  };
  const memberOf = async (email: string) => {
    const { rows } = await sql<{ id: string; name: string; role_id: string; licence: string; status: string }>`
      select u.id, u.name, m.role_id, m.licence, m.status from rapport.user u
      join rapport.workspace_member m on m.user_id = u.id and m.workspace_id = ${t.workspace.id}
      where u.email = ${email}`.execute(db());
    return rows[0];
  };
  const auditOf = async (action: string) => (await t.request('GET', `/api/v1/audit?action=${action}`)).body.data as { actorId: string | null; ip: string; userAgent: string; details: Record<string, unknown> }[];

  beforeAll(async () => {
    idp = await startOidcProvider({
      redirectUris: [REDIRECT_URI],
      extraScopes: { groups: ['groups'] },
      accounts: {
        'sub-ada': { email: 'ada@sso.example', email_verified: true, name: 'Ada Lovelace', groups: ['staff', 'crm-managers'] },
        'sub-bob': { email: 'bob@sso.example', email_verified: true, name: 'Bob', groups: ['visitors'] },
        'sub-eve': { email: 'eve@sso.example', email_verified: false, name: 'Eve' },
        'sub-carl': { email: 'carl@sso.example', email_verified: true, name: 'Carl' },
      },
    });
    t = await createTestApp(engine, WORKSPACE);
    const { rows } = await sql<{ id: string; name: string }>`select id, name from rapport.role where workspace_id = ${t.workspace.id}`.execute(db());
    roles = Object.fromEntries(rows.map((row) => [row.name, row.id]));
  });
  afterAll(async () => {
    await t?.destroy();
    await idp?.close();
  });

  describe('provider administration', () => {
    it('successful-create: should add a provider, keep its client secret encrypted and never show it', async () => {
      const response = await t.request('POST', '/api/v1/sso/providers', {
        name: 'test-idp',
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        scopes: 'openid email profile groups',
        roleClaim: 'groups',
        roleMapping: { 'crm-managers': roles['Sales manager'] },
        defaultRoleId: roles['Sales rep'],
      });

      expect(response.status).toBe(201);
      providerId = response.body.id;
      expect(response.headers.location).toBe(`/api/v1/sso/providers/${providerId}`);
      expect(response.body).toMatchObject({
        name: 'test-idp',
        issuer: idp.issuer,
        hasClientSecret: true,
        createUsers: true,
        enabled: true,
        redirectUri: REDIRECT_URI,
        startUrl: 'http://localhost:3000/api/v1/auth/sso/SSO%20Co/test-idp/start',
      });
      expect(JSON.stringify(response.body)).not.toContain(idp.clientSecret);
      const { rows } = await sql<{ client_secret: string }>`select client_secret from rapport.oidc_provider where id = ${providerId}`.execute(db());
      expect(rows[0]!.client_secret).toMatch(/^v1\./);
      expect(rows[0]!.client_secret).not.toContain(idp.clientSecret);
      const listed = await t.request('GET', '/api/v1/sso/providers');
      expect(listed.body.data.map((provider: { id: string }) => provider.id)).toEqual([providerId]);
      expect((await auditOf('sso.provider.created'))[0]!.details).toMatchObject({ name: 'test-idp', changed: expect.arrayContaining(['clientSecret']) });
      expect(JSON.stringify(await auditOf('sso.provider.'))).not.toContain(idp.clientSecret);
    });

    it('failing-create: should refuse plain http issuers, unknown roles and licences, bad names and taken names', async () => {
      const bad = await t.request('POST', '/api/v1/sso/providers', {
        name: 'Bad Name',
        issuer: 'http://login.example.com',
        clientId: 'x',
        scopes: 'email profile',
        roleMapping: { admins: '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11' },
        defaultLicence: 'Platinum',
      });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['defaultLicence', 'issuer', 'name', 'roleMapping.admins', 'scopes']);
      const taken = await t.request('POST', '/api/v1/sso/providers', { name: 'test-idp', issuer: 'https://login.example.com', clientId: 'x' });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('ALREADY_EXISTS');
      expect((await t.request('POST', '/api/v1/sso/providers', { name: 'x', issuer: 'https://a.example', clientId: 'x', extra: 1 })).status).toBe(400);
    });

    it('successful-update: should change, hide and remove a provider, for administrators only', async () => {
      const created = await t.request('POST', '/api/v1/sso/providers', { name: 'spare', issuer: 'https://login.example.com', clientId: 'spare', clientSecret: 's3cret-value' });
      const patched = await t.request('PATCH', `/api/v1/sso/providers/${created.body.id}`, { clientSecret: null, enabled: false });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ hasClientSecret: false, enabled: false, clientId: 'spare' });
      const rep = await addMember(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
      const repToken = await signIn(db(), { workspaceId: t.workspace.id, userId: rep.id });
      const forbidden = await t.request('GET', '/api/v1/sso/providers', undefined, { authorization: `Bearer ${repToken}` });
      expect(forbidden.status).toBe(403);
      expect((await t.request('DELETE', `/api/v1/sso/providers/${created.body.id}`)).status).toBe(204);
      expect((await t.request('GET', `/api/v1/sso/providers/${created.body.id}`)).status).toBe(404);
      expect((await auditOf('sso.provider.')).map((entry) => (entry as unknown as { action: string }).action)).toEqual([
        'sso.provider.deleted',
        'sso.provider.updated',
        'sso.provider.created',
        'sso.provider.created',
      ]);
    });
  });

  describe('sign-in', () => {
    it('successful-sign-in: should create the user just in time with the mapped role, set the session cookies and redirect to /', async () => {
      const { response } = await signInAs('sub-ada');

      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/');
      const cookies = setCookiesOf(response.headers);
      const token = cookieValue(cookies, 'rapport_session');
      expect(token).toMatch(/^rps_/);
      expect(cookies.find((cookie) => cookie.startsWith('rapport_session='))).toMatch(/HttpOnly/i);
      expect(cookieValue(cookies, 'rapport_csrf')).toBeTruthy();
      expect(cookies.find((cookie) => cookie.startsWith('rapport_sso='))).toMatch(/Expires=Thu, 01 Jan 1970/);

      const ada = await memberOf('ada@sso.example');
      expect(ada).toMatchObject({ name: 'Ada Lovelace', role_id: roles['Sales manager'], status: 'active', licence: 'Enterprise' });
      const { rows: sessions } = await sql<{ via: string; ip: string }>`select via, ip from rapport.session where user_id = ${ada!.id}`.execute(db());
      expect(sessions).toEqual([{ via: 'oidc', ip: '192.0.2.44' }]);
      const people = await t.request('GET', '/api/v1/records/person', undefined, { authorization: `Bearer ${token}` });
      expect(people.status).toBe(200);

      const [succeeded] = await auditOf('auth.sign_in.succeeded');
      expect(succeeded).toMatchObject({ actorId: ada!.id, ip: '192.0.2.44', userAgent: 'SSO browser', details: { via: 'oidc', provider: 'test-idp', email: 'ada@sso.example', subject: 'sub-ada' } });
      expect((await auditOf('user.created'))[0]).toMatchObject({ actorId: ada!.id, details: { method: 'oidc' } });
    });

    it('successful-sign-in: should find the same user again by subject, follow a changed role claim and land on returnTo', async () => {
      const before = await memberOf('ada@sso.example');
      idp.accounts.set('sub-ada', { email: 'ada.new@sso.example', email_verified: true, name: 'Ada', groups: ['staff'] });
      await sql`update rapport.oidc_provider set role_mapping = ${JSON.stringify({ 'crm-managers': roles['Sales manager'], staff: roles['Read only'] })}::jsonb where id = ${providerId}`.execute(db());

      const { response } = await signInAs('sub-ada', '?returnTo=%2Frecords%2Fperson');

      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/records/person');
      const after = await memberOf('ada@sso.example');
      expect(after!.id).toBe(before!.id);
      expect(after!.role_id).toBe(roles['Read only']);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from rapport.user where email like '%@sso.example'`.execute(db());
      expect(rows[0]!.n).toBe(1);
    });

    it('successful-sign-in: should give the default role when the claim maps to none, and never redirect off-site', async () => {
      const { response } = await signInAs('sub-bob', '?returnTo=%2F%2Fevil.example%2F');
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/');
      expect((await memberOf('bob@sso.example'))!.role_id).toBe(roles['Sales rep']);
    });

    it('failing-sign-in: should refuse a callback without the flow cookie of the browser that started it', async () => {
      const browser: Browser = { cookies: new Map() };
      const started = await start(browser);
      const back = await idp.signIn(started.headers.location as string, 'sub-bob');
      const stranger: Browser = { cookies: new Map() };

      const response = await callback(stranger, back);

      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'SSO_FAILED' });
      expect(response.json().detail).toContain('did not start a single sign-on');
    });

    it('failing-sign-in: should refuse a forged state and a provider error, and audit both', async () => {
      const browser: Browser = { cookies: new Map() };
      const started = await start(browser);
      const back = await idp.signIn(started.headers.location as string, 'sub-bob');
      back.searchParams.set('state', 'forged');
      const forged = await callback(browser, back);
      expect(forged.statusCode).toBe(401);
      expect(forged.json().code).toBe('SSO_FAILED');

      const again: Browser = { cookies: new Map() };
      const state = new URL((await start(again)).headers.location as string).searchParams.get('state')!;
      const denied = await callback(again, new URL(`${REDIRECT_URI}?error=access_denied&error_description=User+cancelled&state=${state}&iss=${encodeURIComponent(idp.issuer)}`));
      expect(denied.statusCode).toBe(401);
      expect(denied.json().detail).toBe('The identity provider refused the sign-in: access_denied (User cancelled).');

      const failures = await auditOf('auth.sign_in.failed');
      expect(failures.slice(0, 2).map((entry) => entry.details)).toEqual([
        { method: 'oidc', provider: 'test-idp', reason: 'The identity provider refused the sign-in: access_denied (User cancelled).' },
        { method: 'oidc', provider: 'test-idp', reason: expect.stringContaining('state') },
      ]);
      expect(failures[0]).toMatchObject({ actorId: null, ip: '192.0.2.44' });
    });

    it('failing-sign-in: should refuse an unverified email, and unknown people when the provider creates no users', async () => {
      const unverified = (await signInAs('sub-eve')).response;
      expect(unverified.statusCode).toBe(401);
      expect(unverified.json().detail).toBe('The identity provider has not verified eve@sso.example.');
      expect(await memberOf('eve@sso.example')).toBeUndefined();

      await t.request('PATCH', `/api/v1/sso/providers/${providerId}`, { createUsers: false });
      const unknown = (await signInAs('sub-carl')).response;
      await t.request('PATCH', `/api/v1/sso/providers/${providerId}`, { createUsers: true });
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json().detail).toBe('carl@sso.example has no account here, and this provider does not create accounts.');
      expect((await auditOf('auth.sign_in.failed'))[0]!.details).toMatchObject({ method: 'oidc', email: 'carl@sso.example', reason: 'noAccount' });
    });

    it('failing-sign-in: should refuse a deactivated member', async () => {
      const bob = await memberOf('bob@sso.example');
      await sql`update rapport.workspace_member set status = 'deactivated' where user_id = ${bob!.id}`.execute(db());
      const { response } = await signInAs('sub-bob');
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('ACCOUNT_DEACTIVATED');
    });

    it('failing-sign-in: should refuse the sign-in when all concurrent seats of the licence are in use', async () => {
      expect((await t.request('PUT', '/api/v1/licences/Kiosk', { seats: 1, concurrent: true, features: ['records.read'] })).status).toBe(201);
      await t.request('PATCH', `/api/v1/sso/providers/${providerId}`, { defaultLicence: 'Kiosk' });
      const holder = await addMember(db(), { workspaceId: t.workspace.id, role: 'Sales rep', licence: 'Kiosk', email: 'holder@kiosk.example' });
      await signIn(db(), { workspaceId: t.workspace.id, userId: holder.id });

      const { response } = await signInAs('sub-carl');

      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('SEAT_LIMIT_REACHED');
      expect(response.json().detail).toContain('All 1 concurrent seat of the Kiosk licence are in use, by Member');
      expect(response.json().detail).toContain('holder@kiosk.example');
      expect((await memberOf('carl@sso.example'))!.licence).toBe('Kiosk');
      expect((await auditOf('auth.sign_in.failed'))[0]!.details).toMatchObject({ reason: 'seatLimit', email: 'carl@sso.example' });
    });

    it('failing-start: should answer 404 for an unknown or disabled provider', async () => {
      const browser: Browser = { cookies: new Map() };
      const unknown = await start(browser, 'nope');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('SSO_PROVIDER_NOT_FOUND');
      await t.request('PATCH', `/api/v1/sso/providers/${providerId}`, { enabled: false });
      expect((await start(browser)).statusCode).toBe(404);
      await t.request('PATCH', `/api/v1/sso/providers/${providerId}`, { enabled: true });
    });
  });
});
