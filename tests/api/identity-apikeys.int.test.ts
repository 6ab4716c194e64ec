import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { addPasswordUser, call, PASSWORD, signInOverHttp, type BrowserSession } from '../support/identity.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('identity: API keys', (engine) => {
  let t: TestApp;
  let admin: BrowserSession;
  let rep: BrowserSession;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Keys Co');
    const db = t.testDatabase.database.db;
    const adminUser = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Admin' });
    const repUser = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    admin = await signInOverHttp(t.app, { email: adminUser.email, password: PASSWORD });
    rep = await signInOverHttp(t.app, { email: repUser.email, password: PASSWORD });
  });
  afterAll(async () => t?.destroy());

  it('successful-create: should show the token once, store the key for its user and list it without the token', async () => {
    const created = await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Zapier', scopes: ['read:person', 'write:person'], expiresAt: '2099-01-01T00:00:00.000Z' }, { token: rep.token });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Zapier', scopes: ['read:person', 'write:person'], userId: rep.userId, createdBy: rep.userId, lastUsedAt: null, revokedAt: null });
    expect(created.body.token).toMatch(/^rap_/);
    expect(new Date(created.body.expiresAt).toISOString()).toBe('2099-01-01T00:00:00.000Z');
    const used = await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: created.body.token });
    expect(used.status).toBe(200);

    await expect.poll(async () => (await call(t.app, 'GET', '/api/v1/apikeys', undefined, { token: rep.token })).body.data[0]?.lastUsedAt).not.toBeNull();
    const listed = await call(t.app, 'GET', '/api/v1/apikeys', undefined, { token: rep.token });
    expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id, name: 'Zapier' })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect(listed.body.data[0].token).toBeUndefined();
  });

  it('successful-list: should show administrators every key of the workspace and others their own', async () => {
    await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Admin report', scopes: ['read:*'] }, { token: admin.token });

    const asAdmin = await call(t.app, 'GET', '/api/v1/apikeys', undefined, { token: admin.token });
    const asRep = await call(t.app, 'GET', '/api/v1/apikeys', undefined, { token: rep.token });

    expect(asAdmin.body.data.map((key: { name: string }) => key.name)).toEqual(expect.arrayContaining(['Admin report', 'Zapier', 'tests']));
    expect(asRep.body.data.map((key: { name: string }) => key.name)).toEqual(['Zapier']);
  });

  it('failing-create: should refuse unknown scopes and objects, past expiry, and admin keys for non-administrators', async () => {
    const invalid = await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Bad', scopes: ['read:person', 'delete:person', 'write:invoice'], expiresAt: '2001-01-01T00:00:00Z' }, { token: rep.token });
    const adminKey = await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Root', scopes: ['admin'] }, { token: rep.token });
    const empty = await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Empty', scopes: [] }, { token: rep.token });

    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((error: { field: string; code: string }) => `${error.field}:${error.code}`)).toEqual(['scopes[1]:invalidScope', 'scopes[2]:invalidScope', 'expiresAt:tooSmall']);
    expect(adminKey.status).toBe(403);
    expect(empty.status).toBe(400);
    const made = await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Root', scopes: ['admin'] }, { token: admin.token });
    expect(made.status).toBe(201);
  });

  it('failing-create: should not let a narrow key mint keys', async () => {
    const narrow = (await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Narrow', scopes: ['read:*'] }, { token: rep.token })).body.token as string;

    const response = await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Child', scopes: ['read:*'] }, { token: narrow });

    expect(response.status).toBe(403);
  });

  it('successful-revoke: should stop a key at once; others cannot see or revoke it', async () => {
    const key = (await call(t.app, 'POST', '/api/v1/apikeys', { name: 'Temp', scopes: ['read:*'] }, { token: admin.token })).body;
    expect((await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: key.token })).status).toBe(200);

    const byRep = await call(t.app, 'DELETE', `/api/v1/apikeys/${key.id}`, undefined, { token: rep.token });
    const byAdmin = await call(t.app, 'DELETE', `/api/v1/apikeys/${key.id}`, undefined, { token: admin.token });

    expect(byRep.status).toBe(404);
    expect(byAdmin.status).toBe(204);
    const after = await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: key.token });
    expect(after.status).toBe(401);
    expect(after.body.detail).toContain('revoked');
    const listed = await call(t.app, 'GET', '/api/v1/apikeys?includeRevoked=true', undefined, { token: admin.token });
    expect(listed.body.data.find((item: { id: string }) => item.id === key.id).revokedAt).not.toBeNull();
    expect((await call(t.app, 'GET', '/api/v1/apikeys', undefined, { token: admin.token })).body.data.map((item: { id: string }) => item.id)).not.toContain(key.id);
    const { rows: audited } = await sql<{ action: string; actor_id: string; details: Record<string, unknown> }>`
      select action, actor_id, details from rapport.audit_log where object_name = 'apikey' and record_id = ${key.id} order by id`.execute(t.testDatabase.database.db);
    expect(audited).toEqual([
      { action: 'apikey.created', actor_id: admin.userId, details: { name: 'Temp', scopes: ['read:*'] } },
      { action: 'apikey.revoked', actor_id: admin.userId, details: { name: 'Temp' } },
    ]);
    expect(JSON.stringify(audited)).not.toContain(key.token);
  });

  it('failing-revoke: should answer 404 for an unknown key', async () => {
    const response = await call(t.app, 'DELETE', '/api/v1/apikeys/00000000-0000-4000-8000-000000000000', undefined, { token: admin.token });

    expect(response.status).toBe(404);
  });
});
