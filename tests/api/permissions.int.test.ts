import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../packages/server/src/app.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, opportunityFactory, personFactory } from '../support/factories.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const REP_FIELDS = { person: { jobTitle: 'hidden', email: 'hidden', phone: 'readOnly' }, opportunity: { costPrice: 'hidden', amount: 'readOnly' } };

describeEngines('permissions: every path obeys roles, teams, sharing rules and scopes', (engine) => {
  let t: TestApp;
  let alice: TestUser; // rep, own records, team Berlin (which gets German people shared read-only)
  let bob: TestUser; // rep, own records, no team
  let carol: TestUser; // manager above the reps: team and subordinates
  let reader: TestUser; // Read only default role
  const people: Record<string, Body> = {};
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const ids = (response: ApiResponse) => (response.body.data as Body[]).map((record) => record.id).sort();

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const workspaceId = t.workspace.id;
    expect((await t.request('POST', '/api/v1/metadata/objects/opportunity/fields', { name: 'costPrice', type: 'number', label: 'Cost price' })).status).toBe(201);
    const manager = (await t.request('POST', '/api/v1/roles', { name: 'Manager', permissions: { '*': ALL }, recordAccess: 'teamAndSubordinates' })).body;
    const rep = (await t.request('POST', '/api/v1/roles', { name: 'Rep', parentId: manager.id, permissions: { '*': ALL }, fields: REP_FIELDS, recordAccess: 'own' })).body;
    alice = await createTestUser(db, { workspaceId, role: rep.id, name: 'Alice' });
    bob = await createTestUser(db, { workspaceId, role: rep.id, name: 'Bob' });
    carol = await createTestUser(db, { workspaceId, role: manager.id, name: 'Carol' });
    reader = await createTestUser(db, { workspaceId, role: 'Read only' });
    const berlin = (await t.request('POST', '/api/v1/teams', { name: 'Berlin', memberIds: [alice.id] })).body;
    const rule = await t.request('POST', '/api/v1/sharing-rules', { name: 'German people', object: 'person', filter: { field: 'address.country', op: 'eq', value: 'DE' }, teamId: berlin.id });
    expect(rule.status).toBe(201);
    const create = async (name: string, body: Body) => {
      const response = await t.request('POST', '/api/v1/records/person', personFactory.build(body));
      expect(response.status).toBe(201);
      people[name] = response.body;
    };
    await create('alices', { lastName: 'Aliceowned', owner: alice.id, jobTitle: 'Secret title', address: { city: 'Paris', country: 'FR' } });
    await create('bobs', { lastName: 'Bobowned', owner: bob.id, address: { city: 'Lyon', country: 'FR' } });
    await create('bobsGerman', { lastName: 'Bobgerman', owner: bob.id, address: { city: 'Berlin', country: 'DE' } });
    await create('carols', { lastName: 'Carolowned', owner: carol.id, address: { city: 'Rome', country: 'IT' } });
    await create('nobodys', { lastName: 'Nobodyowned', owner: null, address: { city: 'Oslo', country: 'NO' } });
  });
  afterAll(async () => t?.destroy());

  describe('reads', () => {
    it('should list only own records plus those shared with my team, and count them alike', async () => {
      const list = await as(alice)('GET', '/api/v1/records/person?count=true');

      expect(list.status).toBe(200);
      expect(ids(list)).toEqual([people.alices!.id, people.bobsGerman!.id].sort());
      expect(list.body.totalCount).toBe(2);
      expect(ids(await as(bob)('GET', '/api/v1/records/person'))).toEqual([people.bobs!.id, people.bobsGerman!.id].sort());
    });

    it('should let a manager see what the people under them own, and a read-only role everything', async () => {
      expect(ids(await as(carol)('GET', '/api/v1/records/person'))).toEqual([people.alices!.id, people.bobs!.id, people.bobsGerman!.id, people.carols!.id].sort());
      expect(ids(await as(reader)('GET', '/api/v1/records/person'))).toHaveLength(5);
    });

    it('should leave hidden fields out of every record', async () => {
      const list = await as(alice)('POST', '/api/v1/records/person/query', { filter: { field: 'lastName', op: 'eq', value: 'Aliceowned' } });
      const record = list.body.data[0];

      expect(record.lastName).toBe('Aliceowned');
      expect(record).not.toHaveProperty('jobTitle');
      expect(record).not.toHaveProperty('email');
      expect(record).toHaveProperty('phone');
      const got = await as(alice)('GET', `/api/v1/records/person/${people.alices!.id}`);
      expect(got.body).not.toHaveProperty('jobTitle');
      expect((await as(alice)('GET', `/api/v1/records/person/${people.alices!.id}?fields=lastName,jobTitle`)).status).toBe(400);
    });

    it('should answer 404 for a record I may not see, exactly as for a missing one', async () => {
      const hidden = await as(alice)('GET', `/api/v1/records/person/${people.bobs!.id}`);
      const missing = await as(alice)('GET', '/api/v1/records/person/0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11');

      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('RECORD_NOT_FOUND');
      expect(missing.status).toBe(404);
      expect((await as(alice)('GET', `/api/v1/records/person/${people.bobs!.id}/history`)).status).toBe(404);
    });

    it('should treat a hidden field as unknown in filters, sorts, groups and metrics (400 INVALID_QUERY)', async () => {
      const attempts = [
        await as(alice)('POST', '/api/v1/records/person/query', { filter: { field: 'jobTitle', op: 'eq', value: 'Secret title' } }),
        await as(alice)('GET', '/api/v1/records/person?sort=jobTitle'),
        await as(alice)('POST', '/api/v1/records/person/aggregate', { groupBy: ['jobTitle'] }),
        await as(alice)('POST', '/api/v1/records/opportunity/aggregate', { metrics: [{ op: 'sum', field: 'costPrice' }] }),
        await as(alice)('POST', '/api/v1/records/opportunity/query', { filter: { field: 'contacts', op: 'isNotEmpty' }, fields: ['costPrice'] }),
      ];

      for (const response of attempts) {
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('INVALID_QUERY');
        expect(response.body.errors[0].code).toBe('invalidQuery');
      }
      const known = attempts[0]!.body.detail.split('Known fields:')[1];
      expect(known).toContain('lastName');
      expect(known).not.toContain('jobTitle');
    });

    it('should aggregate only the records I may see', async () => {
      const response = await as(alice)('POST', '/api/v1/records/person/aggregate', { groupBy: ['address.country'], metrics: [{ op: 'count' }] });

      expect(response.status).toBe(200);
      expect(response.body.data).toEqual([{ 'address.country': 'DE', count: 1 }, { 'address.country': 'FR', count: 1 }]);
    });

    it('should find only visible records in search, never through a hidden field', async () => {
      const byName = await as(alice)('GET', '/api/v1/search?q=Aliceowned&objects=person');
      const hiddenOwner = await as(alice)('GET', '/api/v1/search?q=Bobowned');
      const byHiddenEmail = await as(alice)('GET', `/api/v1/search?q=${encodeURIComponent(people.alices!.email)}`);

      expect(byName.body.data.map((hit: Body) => hit.id)).toEqual([people.alices!.id]);
      expect(byName.body.data[0].record).not.toHaveProperty('jobTitle');
      expect(hiddenOwner.body.data).toEqual([]);
      expect(byHiddenEmail.body.data).toEqual([]);
      expect((await t.request('GET', `/api/v1/search?q=${encodeURIComponent(people.alices!.email)}`)).body.data[0].id).toBe(people.alices!.id);
    });

    it('should include only related records I may see, without their hidden fields', async () => {
      const mine = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Mine Inc', owner: alice.id }))).body;
      const theirs = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Theirs Inc', owner: bob.id }))).body;
      const deal = (i: number, company: string) => opportunityFactory.build({ name: `Included deal ${i}`, company, owner: alice.id, costPrice: 500, contacts: [people.alices!.id, people.bobs!.id] });
      await t.request('POST', '/api/v1/records/opportunity/batch', { records: [deal(1, mine.id), deal(2, theirs.id)] });

      const list = await as(alice)('POST', '/api/v1/records/opportunity/query', { filter: { field: 'name', op: 'startsWith', value: 'Included deal' }, sort: ['name'], include: ['company', 'contacts'] });
      const company = await as(alice)('GET', `/api/v1/records/company/${mine.id}?include=opportunities`);

      expect(list.status).toBe(200);
      expect(list.body.data.map((d: Body) => d.company?.name ?? null)).toEqual(['Mine Inc', null]);
      expect(list.body.data[0].contacts.map((c: Body) => c.id)).toEqual([people.alices!.id]);
      expect(list.body.data[0].contacts.every((c: Body) => !('jobTitle' in c))).toBe(true);
      expect(list.body.data.every((d: Body) => !('costPrice' in d))).toBe(true);
      expect(company.body.opportunities.map((d: Body) => d.name)).toEqual(['Included deal 1']);
      expect(company.body.opportunities.every((d: Body) => !('costPrice' in d))).toBe(true);
      expect((await as(bob)('GET', `/api/v1/records/company/${mine.id}`)).status).toBe(404);
    });

    it('should count a related record I may not see as missing in filters through the relation', async () => {
      const theirs = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Invisible Corp', owner: bob.id }))).body;
      await t.request('PATCH', `/api/v1/records/person/${people.alices!.id}`, { company: theirs.id });

      const through = await as(alice)('POST', '/api/v1/records/person/query', { filter: { field: 'company.name', op: 'eq', value: 'Invisible Corp' } });
      const admin = await t.request('POST', '/api/v1/records/person/query', { filter: { field: 'company.name', op: 'eq', value: 'Invisible Corp' } });

      expect(through.body.data).toEqual([]);
      expect(ids(admin)).toEqual([people.alices!.id]);
      await t.request('PATCH', `/api/v1/records/person/${people.alices!.id}`, { company: null });
    });

    it('should leave hidden fields out of history', async () => {
      await t.request('PATCH', `/api/v1/records/person/${people.alices!.id}`, { jobTitle: 'Even more secret', firstName: 'Alicia' });

      const history = await as(alice)('GET', `/api/v1/records/person/${people.alices!.id}/history`);
      const adminHistory = await t.request('GET', `/api/v1/records/person/${people.alices!.id}/history`);

      expect(history.status).toBe(200);
      expect(adminHistory.body.data.map((entry: Body) => entry.field)).toContain('jobTitle');
      expect(history.body.data.map((entry: Body) => entry.field)).not.toContain('jobTitle');
      expect(history.body.data.map((entry: Body) => entry.field)).toContain('firstName');
      const created = history.body.data.find((entry: Body) => entry.changeType === 'created');
      expect(created.newValue.lastName).toBe('Aliceowned');
      expect(created.newValue).not.toHaveProperty('jobTitle');
      expect(created.newValue).not.toHaveProperty('email');
    });

    it('should show each caller the metadata and OpenAPI document they may see', async () => {
      const person = (await as(alice)('GET', '/api/v1/metadata/objects/person')).body;
      const document = (await as(alice)('GET', '/api/v1/openapi.json')).body;

      expect(person.fields.map((f: Body) => f.name)).not.toContain('jobTitle');
      expect(person.fields.map((f: Body) => f.name)).toContain('lastName');
      expect(Object.keys(document.components.schemas.Person.properties)).not.toContain('jobTitle');
      expect(Object.keys(document.components.schemas.Opportunity.properties)).not.toContain('costPrice');
      expect(Object.keys((await t.request('GET', '/api/v1/openapi.json')).body.components.schemas.Opportunity.properties)).toContain('costPrice');
    });
  });

  describe('writes', () => {
    it('should answer 404 to update, delete and restore of a record I may not see, and change nothing', async () => {
      const patched = await as(alice)('PATCH', `/api/v1/records/person/${people.bobs!.id}`, { firstName: 'Hacked' });
      const deleted = await as(alice)('DELETE', `/api/v1/records/person/${people.bobs!.id}`);
      const trashed = (await t.request('POST', '/api/v1/records/person', personFactory.build({ owner: bob.id }))).body;
      await t.request('DELETE', `/api/v1/records/person/${trashed.id}`);
      const restored = await as(alice)('POST', `/api/v1/records/person/${trashed.id}/restore`);

      expect([patched.status, deleted.status, restored.status]).toEqual([404, 404, 404]);
      expect(patched.body.code).toBe('RECORD_NOT_FOUND');
      expect((await t.request('GET', `/api/v1/records/person/${people.bobs!.id}`)).body.firstName).toBe(people.bobs!.firstName);
    });

    it('should answer 403 to a change of a record shared with me read-only', async () => {
      const response = await as(alice)('PATCH', `/api/v1/records/person/${people.bobsGerman!.id}`, { firstName: 'Changed' });

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('should refuse read-only fields with 400 READ_ONLY_FIELD and hidden ones as unknown', async () => {
      const readOnly = await as(alice)('PATCH', `/api/v1/records/person/${people.alices!.id}`, { phone: '+33 1 23 45 67 89', firstName: 'Al' });
      const hidden = await as(alice)('PATCH', `/api/v1/records/person/${people.alices!.id}`, { jobTitle: 'Boss' });
      const deal = await as(alice)('POST', '/api/v1/records/opportunity', opportunityFactory.build({ amount: undefined, costPrice: 10 }));

      expect(readOnly.status).toBe(400);
      expect(readOnly.body.code).toBe('READ_ONLY_FIELD');
      expect(readOnly.body.errors).toEqual([expect.objectContaining({ field: 'phone', code: 'readOnly' })]);
      expect(hidden.status).toBe(422);
      expect(hidden.body.errors).toEqual([expect.objectContaining({ field: 'jobTitle', code: 'unknownField' })]);
      expect(deal.status).toBe(422);
      expect(deal.body.errors).toEqual([expect.objectContaining({ field: 'costPrice', code: 'unknownField' })]);
      expect((await t.request('GET', `/api/v1/records/person/${people.alices!.id}`)).body.jobTitle).toBe('Even more secret');
    });

    it('should own what I create, and answer without hidden fields', async () => {
      const created = await as(alice)('POST', '/api/v1/records/opportunity', opportunityFactory.build({ name: 'Alice made this', amount: undefined }));

      expect(created.status).toBe(201);
      expect(created.body.owner).toBe(alice.id);
      expect(created.body).not.toHaveProperty('costPrice');
      expect((await as(alice)('GET', `/api/v1/records/opportunity/${created.body.id}`)).status).toBe(200);
      expect((await as(bob)('GET', `/api/v1/records/opportunity/${created.body.id}`)).status).toBe(404);
    });

    it('should make a batch all-or-nothing when one item is a record I may not see', async () => {
      const response = await as(alice)('POST', '/api/v1/records/person/batch', {
        records: [{ id: people.alices!.id, firstName: 'Batched' }, { id: people.bobs!.id, firstName: 'Batched' }],
      });

      expect(response.status).toBe(404);
      expect((await t.request('GET', `/api/v1/records/person/${people.alices!.id}`)).body.firstName).not.toBe('Batched');
    });

    it('should refuse actions the role does not allow with 403', async () => {
      const created = await as(reader)('POST', '/api/v1/records/person', personFactory.build());
      const deleted = await as(reader)('DELETE', `/api/v1/records/person/${people.alices!.id}`);

      expect(created.status).toBe(403);
      expect(deleted.status).toBe(403);
      expect((await as(alice)('POST', '/api/v1/metadata/objects/person/fields', { name: 'mine', type: 'text', label: 'Mine' })).status).toBe(403);
      // The change feed answers everyone, filtered to what they may see (tests/api/events.int.test.ts).
      expect((await as(alice)('GET', '/api/v1/events')).status).toBe(200);
    });

    it('should let write sharing rules open a record to changes, at once after the rule is made', async () => {
      const team = (await t.request('POST', '/api/v1/teams', { name: 'Lyon desk', memberIds: [alice.id] })).body;
      expect((await as(alice)('PATCH', `/api/v1/records/person/${people.bobs!.id}`, { firstName: 'Shared' })).status).toBe(404);

      await t.request('POST', '/api/v1/sharing-rules', { object: 'person', filter: { field: 'address.city', op: 'eq', value: 'Lyon' }, teamId: team.id, access: 'write' });
      const patched = await as(alice)('PATCH', `/api/v1/records/person/${people.bobs!.id}`, { firstName: 'Shared' });

      expect(patched.status).toBe(200);
      expect(patched.body.firstName).toBe('Shared');
      await t.request('DELETE', `/api/v1/teams/${team.id}`);
      expect((await as(alice)('GET', `/api/v1/records/person/${people.bobs!.id}`)).status).toBe(404);
    });
  });

  describe('territories', () => {
    it('should show a territory role the records its territories match, and its own', async () => {
      const role = (await t.request('POST', '/api/v1/roles', { name: 'Territory rep', permissions: { '*': ALL }, recordAccess: 'territory' })).body;
      const dana = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: role.id });
      await t.request('POST', '/api/v1/territories', { name: 'Italy and Norway', rules: { person: { field: 'address.country', op: 'in', value: ['IT', 'NO'] } }, memberIds: [dana.id] });

      expect(ids(await as(dana)('GET', '/api/v1/records/person'))).toEqual([people.carols!.id, people.nobodys!.id].sort());
    });
  });

  describe('access profile cache', () => {
    it('should show another server a permission change within a few seconds', async () => {
      const second = await buildApp({ database: t.testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false });
      try {
        const viaSecond = async () => (await second.inject({ method: 'GET', url: `/api/v1/records/person/${people.carols!.id}`, headers: { authorization: `Bearer ${bob.token}` } })).statusCode;
        expect(await viaSecond()).toBe(404);
        const team = (await t.request('POST', '/api/v1/teams', { name: 'Rome desk', memberIds: [bob.id] })).body;
        await t.request('POST', '/api/v1/sharing-rules', { object: 'person', filter: { field: 'address.city', op: 'eq', value: 'Rome' }, teamId: team.id });

        const started = Date.now();
        let status = await viaSecond();
        while (status !== 200 && Date.now() - started < 8000) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          status = await viaSecond();
        }

        expect(status).toBe(200);
        expect(Date.now() - started).toBeLessThan(6000);
        await t.request('DELETE', `/api/v1/teams/${team.id}`);
      } finally {
        await second.close();
      }
    });
  });

  describe('API key scopes', () => {
    it('should let a key without a user and with read:* read everything and change nothing', async () => {
      const { token } = await createApiKey(t.testDatabase.database.db, { workspaceId: t.workspace.id, scopes: ['read:*'] });
      const key = as({ token });

      expect((await key('GET', '/api/v1/records/person')).body.data.length).toBeGreaterThanOrEqual(5);
      expect((await key('GET', `/api/v1/records/person/${people.alices!.id}`)).body.jobTitle).toBe('Even more secret');
      expect((await key('POST', '/api/v1/records/person', personFactory.build())).status).toBe(403);
      expect((await key('PATCH', `/api/v1/records/person/${people.alices!.id}`, { firstName: 'X' })).status).toBe(403);
      expect((await key('POST', '/api/v1/roles', { name: 'By a reader' })).status).toBe(403);
      expect((await key('GET', '/api/v1/events')).status).toBe(200);
    });

    it('should narrow a key to the objects of its scopes, and a user key to its user role as well', async () => {
      const { token } = await createApiKey(t.testDatabase.database.db, { workspaceId: t.workspace.id, scopes: ['read:person', 'write:task'] });
      const key = as({ token });
      const aliceReadOnly = as(await createApiKeyFor(alice.id, ['read:person']));

      expect((await key('GET', '/api/v1/records/person')).status).toBe(200);
      expect((await key('GET', '/api/v1/records/company')).status).toBe(403);
      expect((await key('POST', '/api/v1/records/task', { title: 'Call back' })).status).toBe(201);
      expect((await key('GET', '/api/v1/search?q=Aliceowned')).body.data.every((hit: Body) => hit.object === 'person' || hit.object === 'task')).toBe(true);
      expect(ids(await aliceReadOnly('GET', '/api/v1/records/person'))).toEqual([people.alices!.id, people.bobsGerman!.id].sort());
      expect((await aliceReadOnly('PATCH', `/api/v1/records/person/${people.alices!.id}`, { firstName: 'X' })).status).toBe(403);
    });
  });

  describe('background jobs', () => {
    it('should show jobs (whose payloads may hold record data) to administrators only', async () => {
      const rep = as(await createApiKeyFor(alice.id, ['read:*', 'write:*']));
      const reader = as(await createApiKey(t.testDatabase.database.db, { workspaceId: t.workspace.id, scopes: ['read:*'] }));

      expect((await t.request('GET', '/api/v1/jobs')).status).toBe(200);
      expect((await rep('GET', '/api/v1/jobs')).status).toBe(403);
      expect((await reader('GET', '/api/v1/jobs')).status).toBe(403);
    });
  });

  const createApiKeyFor = async (userId: string, scopes: string[]) => createApiKey(t.testDatabase.database.db, { workspaceId: t.workspace.id, userId, scopes });
});
