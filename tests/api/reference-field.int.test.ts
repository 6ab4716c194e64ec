import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobHandlers } from '../../packages/server/src/background.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { startWorker, type Worker } from '../../packages/server/src/engine/jobs/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';
import { postMultipart, waitForImport } from '../support/imports.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const NONE = { create: false, read: false, update: false, delete: false, export: false, import: false };

const query = (filter: unknown, extra = '') => `filter=${encodeURIComponent(JSON.stringify(filter))}&sort=name${extra}`;

describeEngines('reference fields: a link to a record of any object', (engine) => {
  let t: TestApp;
  let rep: TestUser; // own records only, no companies
  let ada: Body;
  let grace: Body;
  let acme: Body;
  let worker: Worker | undefined;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const created = await t.request('POST', '/api/v1/metadata/objects', {
      name: 'visit',
      labelSingular: 'Visit',
      labelPlural: 'Visits',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'owner', type: 'owner', label: 'Owner' },
        { name: 'about', type: 'reference', label: 'About' },
        { name: 'host', type: 'reference', label: 'Host', options: { targets: ['person', 'company'] } },
        { name: 'tags', type: 'json', label: 'Tags' },
      ],
    });
    expect(created.status).toBe(201);
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Visitor', permissions: { person: ALL, visit: ALL, company: NONE }, recordAccess: 'own' })).body;
    rep = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: role.id, name: 'Vera Visitor' });
    ada = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Ada', lastName: 'Byron' }))).body;
    grace = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Grace', lastName: 'Hopper' }))).body;
    acme = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Acme' }))).body;
    const visits = [
      { name: 'A: Ada', about: { object: 'person', id: ada.id }, tags: ['vip', 'north'] },
      { name: 'B: Grace', about: { object: 'person', id: grace.id.toUpperCase() }, tags: ['north'] },
      { name: 'C: Acme', about: { object: 'company', id: acme.id }, host: { object: 'company', id: acme.id }, tags: [{ region: 'south' }] },
      { name: 'D: nothing', tags: [] },
    ];
    const batch = await t.request('POST', '/api/v1/records/visit/batch', { records: visits });
    expect(batch.status).toBe(200);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.destroy();
  });

  describe('write', () => {
    it('successful-create: should store {object, id} (id lower-cased) and describe the type in the OpenAPI document', async () => {
      const list = (await t.request('GET', `/api/v1/records/visit?sort=name`)).body.data as Body[];
      const openapi = (await t.request('GET', '/api/v1/openapi.json')).body;

      expect(list.map((visit) => visit.about)).toEqual([{ object: 'person', id: ada.id }, { object: 'person', id: grace.id }, { object: 'company', id: acme.id }, null]);
      const schema = JSON.stringify(openapi.components.schemas);
      expect(schema).toContain('"enum":["person","company"]');
    });

    it('validation-error: should refuse a value that is not {object, id}, an object it may not point to, an unknown object or a missing record', async () => {
      const values = [
        { about: 'person' },
        { about: { object: 'person' } },
        { about: { object: 'person', id: ada.id, label: 'extra' } },
        { host: { object: 'visit', id: ada.id } },
        { about: { object: 'nothing', id: ada.id } },
        { about: { object: 'company', id: ada.id } },
      ];

      const responses = await Promise.all(values.map((value) => t.request('POST', '/api/v1/records/visit', { name: 'Bad', ...value })));

      expect(responses.map((response) => response.status)).toEqual([422, 422, 422, 422, 422, 422]);
      expect(responses.map((response) => [response.body.errors[0].field, response.body.errors[0].code])).toEqual([
        ['about', 'invalidType'],
        ['about', 'invalidType'],
        ['about', 'invalidType'],
        ['host', 'invalidTarget'],
        ['about', 'relationNotFound'],
        ['about', 'relationNotFound'],
      ]);
      expect(responses[0]!.headers['content-type']).toContain('application/problem+json');
    });

    it('permission-denied: should not let a writer point at a record or an object hidden from them, nor learn that it exists', async () => {
      const others = await as(rep)('POST', '/api/v1/records/visit', { name: 'Snoop', about: { object: 'person', id: ada.id } });
      const company = await as(rep)('POST', '/api/v1/records/visit', { name: 'Snoop', about: { object: 'company', id: acme.id } });
      const mine = (await as(rep)('POST', '/api/v1/records/person', personFactory.build())).body;
      const allowed = await as(rep)('POST', '/api/v1/records/visit', { name: 'E: mine', about: { object: 'person', id: mine.id } });

      expect([others.status, company.status, allowed.status]).toEqual([422, 422, 201]);
      expect(others.body.errors[0]).toMatchObject({ field: 'about', code: 'relationNotFound', message: `No person record with id ${ada.id}.` });
      expect(company.body.errors[0]).toMatchObject({ field: 'about', code: 'relationNotFound', message: 'There is no object "company".' });
    });
  });

  describe('read', () => {
    it('successful-filter: should filter by the record (id), by its object, and by emptiness', async () => {
      const names = async (filter: unknown) => ((await t.request('GET', `/api/v1/records/visit?${query(filter)}`)).body.data as Body[]).map((visit) => visit.name);

      expect(await names({ field: 'about', op: 'eq', value: ada.id })).toEqual(['A: Ada']);
      expect(await names({ field: 'about.id', op: 'in', value: [grace.id, acme.id] })).toEqual(['B: Grace', 'C: Acme']);
      expect(await names({ field: 'about.object', op: 'eq', value: 'person' })).toEqual(['A: Ada', 'B: Grace', 'E: mine']);
      expect(await names({ and: [{ field: 'about.object', op: 'neq', value: 'person' }, { field: 'about', op: 'isNotEmpty' }] })).toEqual(['C: Acme']);
      expect(await names({ field: 'about', op: 'isEmpty' })).toEqual(['D: nothing']);
      expect(await names({ field: 'host.object', op: 'eq', value: 'company' })).toEqual(['C: Acme']);
    });

    it('validation-error: should refuse a part a reference does not have, and a value that is not a record id', async () => {
      const part = await t.request('GET', `/api/v1/records/visit?${query({ field: 'about.name', op: 'eq', value: 'x' })}`);
      const value = await t.request('GET', `/api/v1/records/visit?${query({ field: 'about', op: 'eq', value: 'person' })}`);

      expect([part.status, value.status]).toEqual([400, 400]);
      expect(value.body.detail).toContain('a record id (UUID)');
    });

    it('successful-include: should include each record as the reader may see it, one object or another', async () => {
      const list = (await t.request('GET', `/api/v1/records/visit?sort=name&include=about`)).body.data as Body[];

      expect(list[0]!.about).toMatchObject({ object: 'person', id: ada.id, record: { id: ada.id, firstName: 'Ada' } });
      expect(list[2]!.about).toMatchObject({ object: 'company', id: acme.id, record: { id: acme.id, name: 'Acme' } });
      expect(list[3]!.about).toBeNull();
    });

    it('permission-denied: should read a reference to an unreadable object as empty, and include a hidden record as null', async () => {
      const byName = async (name: string) => (await t.request('GET', `/api/v1/records/visit?${query({ field: 'name', op: 'eq', value: name })}`)).body.data[0] as Body;
      const aboutAcme = await byName('C: Acme');
      const aboutAda = await byName('A: Ada');
      // Handed to the rep: the visits are theirs, Acme (a company) and Ada (someone else's person) are not.
      for (const visit of [aboutAcme, aboutAda]) expect((await t.request('PATCH', `/api/v1/records/visit/${visit.id}`, { owner: rep.id })).status).toBe(200);

      const company = (await as(rep)('GET', `/api/v1/records/visit/${aboutAcme.id}?include=about`)).body;
      const person = (await as(rep)('GET', `/api/v1/records/visit/${aboutAda.id}?include=about`)).body;
      const own = (await as(rep)('GET', `/api/v1/records/visit?${query({ field: 'name', op: 'eq', value: 'E: mine' }, '&include=about')}`)).body.data[0];

      expect(company.about).toBeNull();
      expect(company.host).toBeNull();
      expect(person.about).toEqual({ object: 'person', id: ada.id, record: null });
      expect(own.about).toMatchObject({ object: 'person', record: { id: own.about.id } });
    });
  });

  describe('aggregate', () => {
    it('successful-aggregate: should group by the record referenced and by its object', async () => {
      const byRecord = await t.request('POST', '/api/v1/records/visit/aggregate', { groupBy: ['about'], metrics: [{ op: 'count' }], filter: { field: 'about', op: 'in', value: [ada.id, acme.id] } });
      const byObject = await t.request('POST', '/api/v1/records/visit/aggregate', { groupBy: ['about.object'], metrics: [{ op: 'count' }] });

      expect(byRecord.status).toBe(200);
      expect(byRecord.body.data).toEqual(expect.arrayContaining([{ about: ada.id, count: 1 }, { about: acme.id, count: 1 }]));
      expect(byRecord.body.data).toHaveLength(2);
      expect(byObject.body.data).toEqual(expect.arrayContaining([{ 'about.object': 'person', count: 3 }, { 'about.object': 'company', count: 1 }, { 'about.object': null, count: 1 }]));
    });
  });

  describe('json contains', () => {
    it('successful-filter: should find JSON lists holding a value, every value of a list, or an object', async () => {
      const names = async (filter: unknown) => ((await t.request('GET', `/api/v1/records/visit?${query(filter)}`)).body.data as Body[]).map((visit) => visit.name);

      expect(await names({ field: 'tags', op: 'contains', value: 'north' })).toEqual(['A: Ada', 'B: Grace']);
      expect(await names({ field: 'tags', op: 'contains', value: ['north', 'vip'] })).toEqual(['A: Ada']);
      expect(await names({ field: 'tags', op: 'contains', value: { region: 'south' } })).toEqual(['C: Acme']);
      expect(await names({ not: { field: 'tags', op: 'contains', value: 'north' } })).toEqual(['C: Acme', 'D: nothing', 'E: mine']);
    });

    it('validation-error: should refuse an empty list or null', async () => {
      const empty = await t.request('GET', `/api/v1/records/visit?${query({ field: 'tags', op: 'contains', value: [] })}`);
      const nothing = await t.request('GET', `/api/v1/records/visit?${query({ field: 'tags', op: 'contains', value: null })}`);

      expect([empty.status, nothing.status]).toEqual([400, 400]);
    });
  });

  describe('export and import', () => {
    it('successful-export: should write the record\'s title and object:id, which an import reads back', async () => {
      const filter = encodeURIComponent(JSON.stringify({ field: 'name', op: 'in', value: ['A: Ada', 'C: Acme', 'D: nothing'] }));
      const exported = await t.request('GET', `/api/v1/exports/visit?format=csv&fields=name,about&sort=name&filter=${filter}`);

      expect(exported.status).toBe(200);
      const lines = String(exported.body).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      expect(lines).toEqual(['Name,About,About (record)', `A: Ada,Ada Byron,person:${ada.id}`, `C: Acme,Acme,company:${acme.id}`, 'D: nothing,,']);

      const csv = lines.map((line) => line.replace(/^(\w): /, 'Copy $1: ')).join('\n');
      worker = startWorker({ db: t.testDatabase.database.db, handlers: importJobHandlers((t.app as unknown as { services: EngineServices }).services), pollIntervalMs: 20, engine });
      const started = await postMultipart(t, '/api/v1/imports', { object: 'visit' }, { name: 'visits.csv', content: csv });
      expect(started.status).toBe(202);
      const done = await waitForImport(t, started.body.id);
      expect(done).toMatchObject({ status: 'completed', created: 3, failed: 0 });
      const copies = (await t.request('GET', `/api/v1/records/visit?${query({ field: 'name', op: 'startsWith', value: 'Copy' })}`)).body.data as Body[];
      expect(copies.map((visit) => [visit.name, visit.about])).toEqual([
        ['Copy A: Ada', { object: 'person', id: ada.id }],
        ['Copy C: Acme', { object: 'company', id: acme.id }],
        ['Copy D: nothing', null],
      ]);
    });
  });

  describe('metadata', () => {
    it('successful-update: should change the objects a reference may point to, and take null back to any object', async () => {
      const limited = await t.request('PATCH', '/api/v1/metadata/objects/visit/fields/host', { options: { targets: ['person'] } });
      const refused = await t.request('POST', '/api/v1/records/visit', { name: 'Refused', host: { object: 'company', id: acme.id } });
      const any = await t.request('PATCH', '/api/v1/metadata/objects/visit/fields/host', { options: { targets: null } });
      const bad = await t.request('PATCH', '/api/v1/metadata/objects/visit/fields/host', { options: { targets: ['Not a name'] } });

      expect([limited.status, refused.status, any.status, bad.status]).toEqual([200, 422, 200, 422]);
      expect(refused.body.errors[0]).toMatchObject({ field: 'host', code: 'invalidTarget' });
      const fields = (await t.request('GET', '/api/v1/metadata/objects/visit')).body.fields as Body[];
      expect(fields.find((field) => field.name === 'host')!.options ?? {}).not.toHaveProperty('targets');
    });
  });

  describe('merge', () => {
    it('successful-merge: should point references at the survivor and back on undo, with history', async () => {
      const survivor = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Sam', lastName: 'Survivor' }))).body;
      const merged = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Sam', lastName: 'Merged' }))).body;
      const visit = (await t.request('POST', '/api/v1/records/visit', { name: 'G: merged', about: { object: 'person', id: merged.id } })).body;

      const preview = await t.request('POST', '/api/v1/records/person/merge/preview', { survivorId: survivor.id, mergedIds: [merged.id] });
      const merge = await t.request('POST', '/api/v1/records/person/merge', { survivorId: survivor.id, mergedIds: [merged.id] });

      expect(preview.body.relations).toEqual(expect.arrayContaining([{ object: 'visit', field: 'about', count: 1 }]));
      expect(merge.status).toBe(200);
      expect((await t.request('GET', `/api/v1/records/visit/${visit.id}`)).body.about).toEqual({ object: 'person', id: survivor.id });
      const history = (await t.request('GET', `/api/v1/records/visit/${visit.id}/history`)).body.data as Body[];
      expect(history[0]).toMatchObject({ field: 'about', oldValue: { object: 'person', id: merged.id }, newValue: { object: 'person', id: survivor.id } });

      const undo = await t.request('POST', `/api/v1/merges/${merge.body.merge.id}/undo`);
      expect(undo.status).toBe(200);
      expect((await t.request('GET', `/api/v1/records/visit/${visit.id}`)).body.about).toEqual({ object: 'person', id: merged.id });
    });
  });
});
