import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, personFactory } from '../support/factories.ts';
import { addPasswordUser, call, cookieHeaderFrom, signInOverHttp, type BrowserSession } from '../support/identity.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser } from '../support/users.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';

describeEngines('sandboxes API: create, compare, deploy, roll back', (engine) => {
  let t: TestApp;
  // The admin's browser session: each switch of workspace replaces it.
  let admin: BrowserSession;
  const db = () => t.testDatabase.database.db;
  // A browser session: cookie and CSRF token, as the web app calls.
  const as = (session: BrowserSession) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    call(t.app, method, url, body, { cookie: session.cookie, csrf: session.csrfToken });
  let companyIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine, 'Production Co');
    const user = await addPasswordUser(db(), { workspaceId: t.workspace.id, role: 'Admin', email: 'ada@sandbox.example' });
    admin = await signInOverHttp(t.app, { email: user.email, password: user.password });
    for (const company of companyFactory.buildList(3)) companyIds.push((await t.request('POST', '/api/v1/records/company', company)).body.id);
    for (const [index, person] of personFactory.buildList(5).entries()) {
      expect((await t.request('POST', '/api/v1/records/person', { ...person, company: companyIds[index % 3] })).status).toBe(201);
    }
    expect((await t.request('POST', '/api/v1/views', { object: 'person', name: 'Buyers', visibility: 'shared', filter: { field: 'jobTitle', op: 'eq', value: 'Buyer' } })).status).toBe(201);
  });
  afterAll(async () => t?.destroy());

  it('should deploy a sandbox\'s changes to production and roll them back, production\'s data untouched', async () => {
    // A sandbox with a sample of production's records.
    const created = await as(admin)('POST', '/api/v1/sandboxes', { name: 'Production Co sandbox', data: 'sample', sampleSize: 2 });
    expect(created.status).toBe(201);
    const sandbox = created.body;
    expect(sandbox).toMatchObject({ name: 'Production Co sandbox', sourceWorkspaceId: t.workspace.id, data: 'sample', sampleSize: 2, lastDeployedAt: null });
    expect((await as(admin)('GET', '/api/v1/sandboxes')).body.data.map((item: any) => item.id)).toEqual([sandbox.id]);
    expect((await as(admin)('GET', `/api/v1/sandboxes/${sandbox.id}/diff`)).body.changes).toEqual([]);

    // Work in the sandbox.
    const switched = await as(admin)('POST', '/api/v1/auth/switch-workspace', { workspace: sandbox.workspaceId });
    expect(switched.status).toBe(200);
    expect(switched.body.workspace).toEqual({ id: sandbox.workspaceId, name: 'Production Co sandbox' });
    const inSandbox: BrowserSession = { token: switched.body.token, csrfToken: switched.body.csrfToken, cookie: cookieHeaderFrom(switched), userId: admin.userId };
    // The old session ended with the switch.
    expect((await as(admin)('GET', '/api/v1/sandboxes/current')).status).toBe(401);
    const current = await as(inSandbox)('GET', '/api/v1/sandboxes/current');
    expect(current.body).toEqual({ sandbox: { ...sandbox }, production: { id: t.workspace.id, name: 'Production Co' } });
    const people = (await as(inSandbox)('GET', '/api/v1/records/person')).body.data;
    const companies = (await as(inSandbox)('GET', '/api/v1/records/company')).body.data;
    expect(people).toHaveLength(2);
    expect(companies).toHaveLength(2);
    // A relation to a company that was copied too is kept; to one that was not, emptied.
    const copiedCompanies = new Set(companies.map((company: any) => company.id));
    const inProduction = new Map<string, any>((await t.request('GET', '/api/v1/records/person?limit=100')).body.data.map((person: any) => [person.id, person]));
    for (const person of people) {
      const original = inProduction.get(person.id).company;
      expect(person.company).toEqual(original && copiedCompanies.has(original.id ?? original) ? original : null);
    }
    expect(people.some((person: any) => person.company !== null)).toBe(true);

    expect((await as(inSandbox)('POST', '/api/v1/metadata/objects/person/fields', { name: 'nickname', type: 'text', label: 'Nickname' })).status).toBe(201);
    expect((await as(inSandbox)('PATCH', '/api/v1/metadata/objects/person/fields/jobTitle', { label: 'Position' })).status).toBe(200);
    const [view] = (await as(inSandbox)('GET', '/api/v1/views?object=person')).body.data;
    expect((await as(inSandbox)('PATCH', `/api/v1/views/${view.id}`, { sort: ['-lastName'] })).status).toBe(200);

    // Back in production: the diff shows them.
    const back = await as(inSandbox)('POST', '/api/v1/auth/switch-workspace', { workspace: t.workspace.id });
    expect(back.status).toBe(200);
    const production: BrowserSession = { token: back.body.token, csrfToken: back.body.csrfToken, cookie: cookieHeaderFrom(back), userId: admin.userId };
    admin = production;
    expect((await as(production)('GET', '/api/v1/sandboxes/current')).body).toEqual({ sandbox: null, production: null });
    const diff = await as(production)('GET', `/api/v1/sandboxes/${sandbox.id}/diff`);
    expect(diff.status).toBe(200);
    expect(diff.body.changes.map((change: any) => [change.section, change.key, change.action, change.properties ?? null])).toEqual([
      ['fields', 'person.jobTitle', 'change', ['label']],
      ['fields', 'person.nickname', 'add', null],
      ['views', 'person.Buyers', 'change', ['sort']],
    ]);
    const peopleBefore = (await t.request('GET', '/api/v1/records/person?limit=100')).body.data;

    // Deploy.
    const deployed = await as(production)('POST', `/api/v1/sandboxes/${sandbox.id}/deploy`, { fingerprint: diff.body.fingerprint });
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ status: 'applied', source: { kind: 'sandbox', sandboxId: sandbox.id, name: 'Production Co sandbox' }, changes: diff.body.changes });
    expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/jobTitle')).body.label).toBe('Position');
    expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/nickname')).status).toBe(200);
    expect((await t.request('GET', '/api/v1/views?object=person')).body.data[0].sort).toEqual(['-lastName']);
    const peopleAfter = (await t.request('GET', '/api/v1/records/person?limit=100')).body.data;
    expect(peopleAfter).toHaveLength(5);
    expect(peopleAfter.map(({ nickname: _n, ...person }: any) => person)).toEqual(peopleBefore);
    expect((await as(production)('GET', `/api/v1/sandboxes/${sandbox.id}/diff`)).body.changes).toEqual([]);
    expect((await as(production)('GET', '/api/v1/sandboxes')).body.data[0].lastDeployedAt).toBe(deployed.body.createdAt);

    // Roll back: production as before.
    const rolledBack = await as(production)('POST', `/api/v1/configuration/deployments/${deployed.body.id}/rollback`);
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.status).toBe('rolledBack');
    expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/jobTitle')).body.label).toBe('Job title');
    expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/nickname')).status).toBe(404);
    expect((await t.request('GET', '/api/v1/views?object=person')).body.data[0].sort).toEqual([]);
    expect((await t.request('GET', '/api/v1/records/person?limit=100')).body.data).toEqual(peopleBefore);

    // Delete: the sandbox's workspace goes.
    expect((await as(production)('DELETE', `/api/v1/sandboxes/${sandbox.id}`)).status).toBe(204);
    expect((await as(production)('GET', '/api/v1/sandboxes')).body.data).toEqual([]);
    const { rows } = await sql`select 1 from rapport.workspace where id = ${sandbox.workspaceId}`.execute(db());
    expect(rows).toEqual([]);
    expect((await as(production)('GET', `/api/v1/sandboxes/${sandbox.id}/diff`)).body.code).toBe('SANDBOX_NOT_FOUND');
    const { rows: audit } = await sql<{ action: string }>`select action from rapport.audit_log where workspace_id = ${t.workspace.id} and (action like 'sandbox.%' or action like 'configuration.%') order by id`.execute(db());
    expect(audit.map((row) => row.action)).toEqual(['sandbox.created', 'configuration.deployed', 'configuration.rolled_back', 'sandbox.deleted']);
  });

  describe('failing cases', () => {
    it('should make a configuration-only sandbox without records, and refuse a taken name', async () => {
      const created = await as(admin)('POST', '/api/v1/sandboxes', { name: 'Empty sandbox', data: 'none' });
      const taken = await as(admin)('POST', '/api/v1/sandboxes', { name: 'Production Co', data: 'none' });

      expect(created.status).toBe(201);
      expect(created.body.sampleSize).toBe(0);
      const schema = (await sql<{ schema_name: string }>`select schema_name from rapport.workspace where id = ${created.body.workspaceId}`.execute(db())).rows[0]!.schema_name;
      expect((await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'person')}`.execute(db())).rows[0]!.n).toBe(0);
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('ALREADY_EXISTS');
      expect((await as(admin)('DELETE', `/api/v1/sandboxes/${created.body.id}`)).status).toBe(204);
    });

    it('should keep sandboxes to administrators, and switching workspace to its members', async () => {
      const rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
      const stranger = await addPasswordUser(db(), { workspaceId: t.workspace.id, role: 'Admin', email: 'bob@sandbox.example' });
      const other = await createWorkspace({ db: db(), name: 'Other Co', standardObjects });
      {
        expect((await t.request('GET', '/api/v1/sandboxes', undefined, { authorization: `Bearer ${rep.token}` })).status).toBe(403);
        expect((await t.request('GET', '/api/v1/sandboxes/current', undefined, { authorization: `Bearer ${rep.token}` })).status).toBe(200);
        const session = await signInOverHttp(t.app, { email: stranger.email, password: stranger.password });
        const foreign = await call(t.app, 'POST', '/api/v1/auth/switch-workspace', { workspace: other.id }, { cookie: session.cookie, csrf: session.csrfToken });
        expect(foreign.status).toBe(404);
        expect(foreign.body.code).toBe('WORKSPACE_NOT_FOUND');
        const byKey = await t.request('POST', '/api/v1/auth/switch-workspace', { workspace: t.workspace.id });
        expect(byKey.status).toBe(400);
      }
    });
  });
});
