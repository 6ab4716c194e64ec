import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueJob } from '../../packages/server/src/engine/jobs/index.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('workspaces, jobs and the change feed', (engine) => {
  let t: TestApp;
  let otherToken: string;
  let otherWorkspaceId: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const other = await createWorkspace({ db, name: 'Globex', standardObjects });
    otherWorkspaceId = other.id;
    otherToken = (await createApiKey(db, { workspaceId: other.id })).token;
  });
  afterAll(async () => t?.destroy());

  const asOther = (method: 'GET' | 'POST', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${otherToken}` });

  it('should keep each workspace to its own records, search, metadata and events', async () => {
    const mine = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Isolated' }))).body;
    expect((await asOther('GET', `/api/v1/records/person/${mine.id}`)).status).toBe(404);
    expect((await asOther('GET', '/api/v1/search?q=isolated')).body.data).toEqual([]);
    expect((await asOther('POST', '/api/v1/records/person/query', { filter: { field: 'lastName', op: 'eq', value: 'Isolated' } })).body.data).toEqual([]);
    await asOther('POST', '/api/v1/metadata/objects/person/fields', { name: 'globexOnly', type: 'text', label: 'Globex only' });
    const myPerson = (await t.request('GET', '/api/v1/metadata/objects/person')).body;
    expect(myPerson.fields.map((f: { name: string }) => f.name)).not.toContain('globexOnly');
    const theirEvents = (await asOther('GET', '/api/v1/events')).body.data;
    expect(theirEvents.map((e: { recordId: string }) => e.recordId)).not.toContain(mine.id);
  });

  it('should never let a key of one workspace read or change another workspace through any route', async () => {
    const db = t.testDatabase.database.db;
    const MARK = 'Globexsecret';
    const asB = (method: 'GET' | 'POST', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${otherToken}` });
    // Workspace B: a record of every standard object, and its own roles, team, territory, sharing rule and job.
    const bRecords: Record<string, string> = {};
    bRecords.company = (await asB('POST', '/api/v1/records/company', { name: `${MARK} Corp` })).body.id;
    bRecords.person = (await asB('POST', '/api/v1/records/person', personFactory.build({ lastName: MARK, company: bRecords.company }))).body.id;
    bRecords.opportunity = (await asB('POST', '/api/v1/records/opportunity', { name: `${MARK} deal`, company: bRecords.company })).body.id;
    bRecords.task = (await asB('POST', '/api/v1/records/task', { title: `${MARK} task` })).body.id;
    bRecords.note = (await asB('POST', '/api/v1/records/note', { title: `${MARK} note`, body: MARK })).body.id;
    const bRole = (await asB('POST', '/api/v1/roles', { name: `${MARK} role` })).body.id;
    const bTeam = (await asB('POST', '/api/v1/teams', { name: `${MARK} team` })).body.id;
    const bTerritory = (await asB('POST', '/api/v1/territories', { name: `${MARK} territory` })).body.id;
    const bRule = (await asB('POST', '/api/v1/sharing-rules', { object: 'person', filter: { field: 'lastName', op: 'eq', value: MARK }, teamId: bTeam })).body.id;
    const bJob = (await enqueueJob(db, { type: 'test.later', workspaceId: otherWorkspaceId, delayMs: 3_600_000, payload: { mark: MARK } })).id;
    // B's people and credentials: a user, an API key and a single sign-on provider.
    const bRepRole = ((await asB('GET', '/api/v1/roles')).body.data as { id: string; name: string }[]).find((role) => role.name === 'Sales rep')!.id;
    const bUser = (await asB('POST', '/api/v1/users', { email: `${MARK.toLowerCase()}.user@globex.example`, name: `${MARK} user`, roleId: bRepRole })).body.id;
    const bKey = (await asB('POST', '/api/v1/apikeys', { name: `${MARK} key`, scopes: ['read:*'] })).body.id;
    const bSso = (await asB('POST', '/api/v1/sso/providers', { name: 'globex-idp', issuer: 'https://idp.globex.example', clientId: `${MARK}client`, clientSecret: `${MARK}clientsecret`, scopes: 'openid email profile' })).body.id;
    for (const id of [...Object.values(bRecords), bRole, bTeam, bTerritory, bRule, bUser, bKey, bSso]) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const secrets = [MARK.toLowerCase(), ...Object.values(bRecords), bRole, bTeam, bTerritory, bRule, bJob, bUser, bKey, bSso];
    const snapshotB = async () => {
      const urls = ['/api/v1/records/person', '/api/v1/records/company', '/api/v1/records/opportunity', '/api/v1/records/task', '/api/v1/records/note', '/api/v1/roles', '/api/v1/teams', '/api/v1/territories', '/api/v1/sharing-rules', '/api/v1/metadata/objects', `/api/v1/jobs/${bJob}`, '/api/v1/users', '/api/v1/sso/providers'];
      const bodies = await Promise.all(urls.map(async (url) => (await asB('GET', url)).body));
      // The key B reads with records when it was last used: compare what an intruder could change.
      const keys = ((await asB('GET', '/api/v1/apikeys')).body.data as { id: string; name: string; scopes: unknown; revokedAt?: unknown; expiresAt?: unknown }[]).map(({ id, name, scopes, revokedAt, expiresAt }) => ({ id, name, scopes, revokedAt, expiresAt }));
      return [...bodies, keys];
    };
    const before = await snapshotB();

    // Every route of workspace A's API (its OpenAPI document, plus the routes it does not describe), pointed at B's ids.
    const document = (await t.request('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[]; responses?: Record<string, { content?: Record<string, unknown> }> }>> };
    // A stream (text/event-stream) never ends, so inject() cannot read it: tests/api/events.int.test.ts checks it over HTTP.
    const isStream = (operation: { responses?: Record<string, { content?: Record<string, unknown> }> }) => Boolean(operation.responses?.['200']?.content?.['text/event-stream']);
    const routes: [string, string][] = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).filter(([method, operation]) => method !== 'parameters' && !isStream(operation) && !(Array.isArray(operation.security) && operation.security.length === 0)).map(([method]) => [method.toUpperCase(), path] as [string, string]),
    );
    routes.push(['GET', '/api/v1/jobs'], ['GET', '/api/v1/jobs/{id}'], ['POST', '/api/v1/jobs/{id}/cancel'], ['GET', '/api/v1/events']);
    const idFor = (path: string) => {
      const record = /^\/api\/v1\/records\/([^/]+)\/\{id\}/.exec(path);
      if (record) return bRecords[record[1]!] ?? bRecords.person;
      const byBase: Record<string, string> = { roles: bRole, teams: bTeam, territories: bTerritory, 'sharing-rules': bRule, jobs: bJob, users: bUser, apikeys: bKey, sso: bSso };
      return byBase[path.split('/')[3] ?? ''] ?? bRecords.person;
    };
    const body = { name: 'Intruder', title: 'Intruder', lastName: MARK, firstName: 'Intruder', records: [{ id: bRecords.person, firstName: 'Intruder' }], filter: { field: 'id', op: 'eq', value: bRecords.person } };
    expect(routes.length).toBeGreaterThan(40);
    // Writes go twice: an empty body (valid for most updates: it reaches the id lookup) and a busy one.
    const attempts = routes.flatMap(([method, template]) => (method === 'GET' || method === 'DELETE' ? [[method, template, undefined]] : [[method, template, {}], [method, template, body]]) as [string, string, unknown][]);
    for (const [method, template, payload] of attempts) {
      const url = template.replace('{id}', idFor(template)!).replace('{object}', 'person').replace('{field}', 'lastName').replace('{name}', 'Professional');
      const response = await t.app.inject({
        method: method as 'GET',
        url: method === 'GET' && url.endsWith('/search') ? `${url}?q=${MARK}` : url,
        headers: { authorization: `Bearer ${t.token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });
      expect(response.statusCode, `${method} ${url}`).toBeLessThan(500);
      if (response.statusCode < 300) {
        const text = response.body.toLowerCase();
        for (const secret of secrets) expect(text.includes(secret.toLowerCase()), `${method} ${url} answered with workspace B's ${secret}`).toBe(false);
      }
    }

    expect(await snapshotB()).toEqual(before);
  });

  it('should page through the change feed in commit order', async () => {
    const start = (await t.request('GET', '/api/v1/events?limit=1000')).body.pageInfo.nextAfter as number;
    const created = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;
    await t.request('PATCH', `/api/v1/records/person/${created.id}`, { jobTitle: 'Changed' });
    await t.request('DELETE', `/api/v1/records/person/${created.id}`);
    const first = await t.request('GET', `/api/v1/events?after=${start}&limit=2`);
    expect(first.body.data.map((e: { type: string }) => e.type)).toEqual(['record.created', 'record.updated']);
    expect(first.body.data[1]).toMatchObject({ object: 'person', recordId: created.id, changedFields: ['jobTitle'], payload: { jobTitle: 'Changed' } });
    const second = await t.request('GET', `/api/v1/events?after=${first.body.pageInfo.nextAfter}&limit=2`);
    expect(second.body.data.map((e: { type: string }) => e.type)).toEqual(['record.deleted']);
  });

  it('should show and cancel the workspace jobs, and hide other workspaces jobs', async () => {
    const db = t.testDatabase.database.db;
    const job = await enqueueJob(db, { type: 'test.later', workspaceId: t.workspace.id, delayMs: 3_600_000, payload: { n: 1 } });
    const foreign = await enqueueJob(db, { type: 'test.later', workspaceId: otherWorkspaceId, delayMs: 3_600_000 });
    const list = await t.request('GET', '/api/v1/jobs');
    expect(list.body.data.map((j: { id: string }) => j.id)).toContain(job.id);
    expect(list.body.data.map((j: { id: string }) => j.id)).not.toContain(foreign.id);
    expect((await t.request('GET', `/api/v1/jobs/${job.id}`)).body).toMatchObject({ status: 'queued', type: 'test.later', payload: { n: 1 } });
    expect((await t.request('GET', `/api/v1/jobs/${foreign.id}`)).status).toBe(404);
    const cancelled = await t.request('POST', `/api/v1/jobs/${job.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
  });
});
