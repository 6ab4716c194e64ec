import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateJobHandlers } from '../../packages/server/src/background.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { DUPLICATE_SCAN_JOB } from '../../packages/server/src/engine/duplicates/duplicates.job.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const PERMISSIONS = { person: ALL, company: ALL, opportunity: ALL, note: ALL, task: ALL };

describeEngines('duplicates: detection, merge and undo', (engine) => {
  let t: TestApp;
  let rep: TestUser; // own records only
  let other: TestUser; // own records only
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const create = async (object: string, body: Body, user?: TestUser) => {
    const response = user ? await as(user)('POST', `/api/v1/records/${object}`, body) : await t.request('POST', `/api/v1/records/${object}`, body);
    expect(response.status).toBe(201);
    return response.body as Body;
  };
  const check = async (object: string, body: Body, user?: TestUser) => {
    const response = user ? await as(user)('POST', `/api/v1/records/${object}/duplicates/check`, body) : await t.request('POST', `/api/v1/records/${object}/duplicates/check`, body);
    expect(response.status).toBe(200);
    return response.body.data as { record: Body; score: number; reasons: string[] }[];
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: PERMISSIONS, recordAccess: 'own' })).body;
    rep = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Rita Rep' });
    other = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Otto Other' });
  });
  afterAll(async () => t?.destroy());

  describe('check', () => {
    it('successful-check: should find a person with the same email, whatever its case', async () => {
      const ada = await create('person', personFactory.build({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@analytical.example' }));

      const found = await check('person', { firstName: 'Augusta', lastName: 'King', email: 'Ada.Lovelace@Analytical.example' });

      expect(found.map((candidate) => candidate.record.id)).toContain(ada.id);
      const match = found.find((candidate) => candidate.record.id === ada.id)!;
      expect(match.reasons).toEqual(['email']);
      expect(match.score).toBeGreaterThanOrEqual(0.9);
      expect(match.record.lastName).toBe('Lovelace');
    });

    it('successful-check: should find a person with the same phone written differently', async () => {
      const grace = await create('person', personFactory.build({ firstName: 'Grace', lastName: 'Hopper', phone: '+33 6 12 34 56 78' }));

      const found = await check('person', { firstName: 'G.', lastName: 'Unrelated', phone: '+33612345678' });

      expect(found.find((candidate) => candidate.record.id === grace.id)?.reasons).toEqual(['phone']);
    });

    it('successful-check: should find a person with a similar name, from the first and last names of the form', async () => {
      const jonathan = await create('person', personFactory.build({ firstName: 'Jonathan', lastName: 'Whitfield' }));

      const found = await check('person', { firstName: 'Jonathon', lastName: 'Whitfield' });
      const unrelated = await check('person', { firstName: 'Zed', lastName: 'Quigley' });

      const match = found.find((candidate) => candidate.record.id === jonathan.id);
      expect(match?.reasons).toEqual(['name']);
      expect(match!.score).toBeGreaterThan(0.4);
      expect(unrelated.some((candidate) => candidate.record.id === jonathan.id)).toBe(false);
    });

    it('successful-check: should find a company with the same domain and rank two reasons above one', async () => {
      const acme = await create('company', companyFactory.build({ name: 'Acme Rockets', domain: 'https://www.acme-rockets.example/about' }));
      const namesake = await create('company', companyFactory.build({ name: 'Acme Rocket', domain: 'elsewhere.example' }));

      const found = await check('company', { name: 'Acme Rockets Ltd', domain: 'acme-rockets.example' });

      expect(found[0]!.record.id).toBe(acme.id);
      expect(found[0]!.reasons).toEqual(['domain', 'name']);
      const other = found.find((candidate) => candidate.record.id === namesake.id);
      expect(other?.reasons).toEqual(['name']);
      expect(found[0]!.score).toBeGreaterThan(other!.score);
    });

    it('successful-check: should answer nothing for empty or invalid values, without an error', async () => {
      expect(await check('person', {})).toEqual([]);
      expect(await check('person', { email: 'not an email', firstName: 'A' })).toEqual([]);
    });

    it('failing-check: should not reveal records the caller may not read', async () => {
      const hidden = await create('person', personFactory.build({ firstName: 'Secret', lastName: 'Agent', email: 'secret.agent@example.com' }), other);

      const found = await check('person', { email: 'secret.agent@example.com', firstName: 'Secret', lastName: 'Agent' }, rep);
      const mine = await check('person', { email: 'secret.agent@example.com' }, other);

      expect(found).toEqual([]);
      expect(mine.map((candidate) => candidate.record.id)).toEqual([hidden.id]);
    });

    it('failing-check: should refuse an unknown object with a problem', async () => {
      const response = await t.request('POST', '/api/v1/records/nothing/duplicates/check', {});

      expect(response.status).toBe(404);
      expect(response.body.code).toBe('OBJECT_NOT_FOUND');
    });

    it('successful-record: should list the duplicates of an existing record, not itself', async () => {
      const first = await create('company', companyFactory.build({ name: 'Globex Corporation', domain: 'globex.example' }));
      const second = await create('company', companyFactory.build({ name: 'Globex Corp', domain: 'https://globex.example' }));

      const response = await t.request('GET', `/api/v1/records/company/${first.id}/duplicates`);

      expect(response.status).toBe(200);
      expect(response.body.data.map((candidate: Body) => candidate.record.id)).toEqual([second.id]);
      expect(response.body.data[0].reasons).toEqual(['domain', 'name']);
      expect((await as(rep)('GET', `/api/v1/records/company/${first.id}/duplicates`)).status).toBe(404);
    });
  });

  describe('merge', () => {
    let survivor: Body;
    let merged: Body;
    let note: Body;
    let deal: Body;
    let mergeId: string;

    beforeAll(async () => {
      const company = await create('company', companyFactory.build({ name: 'Initech' }));
      survivor = await create('person', { firstName: 'Peter', lastName: 'Gibbons', jobTitle: null, email: 'peter@initech.example' });
      merged = await create('person', { firstName: 'Pete', lastName: 'Gibbons', jobTitle: 'Engineer', phone: '+1 415 555 0100', email: 'pgibbons@initech.example', company: company.id });
      note = await create('note', { title: 'TPS reports', person: merged.id });
      deal = await create('opportunity', { name: 'Stapler', closeDate: '2026-12-31', contacts: [merged.id] });
    });

    it('successful-preview: should count the related records that will move', async () => {
      const response = await t.request('POST', '/api/v1/records/person/merge/preview', { survivorId: survivor.id, mergedIds: [merged.id] });

      expect(response.status).toBe(200);
      expect(response.body.relations).toEqual(expect.arrayContaining([{ object: 'note', field: 'person', count: 1 }, { object: 'opportunity', field: 'contacts', count: 1 }]));
    });

    it('successful-merge: should keep the chosen values, move relations, trash the merged record and write history', async () => {
      const response = await t.request('POST', '/api/v1/records/person/merge', {
        survivorId: survivor.id,
        mergedIds: [merged.id],
        survivorVersion: survivor.version,
        values: { jobTitle: 'Engineer', phone: '+1 415 555 0100', email: 'pgibbons@initech.example', company: merged.company },
      });

      expect(response.status).toBe(200);
      mergeId = response.body.merge.id;
      // The note (its person and its `related`, a reference: one record) and the deal's contacts.
      expect(response.body.merge).toMatchObject({ object: 'person', survivorId: survivor.id, mergedIds: [merged.id], undoneAt: null, movedRelations: 2 });
      expect(response.body.record).toMatchObject({ id: survivor.id, firstName: 'Peter', jobTitle: 'Engineer', phone: '+14155550100', email: 'pgibbons@initech.example', company: merged.company });
      expect((await t.request('GET', `/api/v1/records/note/${note.id}`)).body).toMatchObject({ person: survivor.id, related: { object: 'person', id: survivor.id } });
      expect((await t.request('GET', `/api/v1/records/opportunity/${deal.id}`)).body.contacts).toEqual([survivor.id]);
      expect((await t.request('GET', `/api/v1/records/person/${merged.id}`)).status).toBe(404);
      expect((await t.request('GET', `/api/v1/records/person/${merged.id}?deleted=true`)).body.deletedAt).not.toBeNull();
      const survivorHistory = (await t.request('GET', `/api/v1/records/person/${survivor.id}/history`)).body.data as Body[];
      const mergedHistory = (await t.request('GET', `/api/v1/records/person/${merged.id}/history`)).body.data as Body[];
      expect(survivorHistory[0]).toMatchObject({ changeType: 'merged', newValue: { mergeId, survivorId: survivor.id, mergedIds: [merged.id] } });
      expect(survivorHistory.some((entry) => entry.changeType === 'updated' && entry.field === 'jobTitle' && entry.newValue === 'Engineer')).toBe(true);
      expect(mergedHistory.map((entry) => entry.changeType).slice(0, 2)).toEqual(['merged', 'deleted']);
      const noteHistory = (await t.request('GET', `/api/v1/records/note/${note.id}/history`)).body.data as Body[];
      expect(noteHistory.find((entry) => entry.field === 'person')).toMatchObject({ changeType: 'updated', oldValue: merged.id, newValue: survivor.id });
      expect(noteHistory.find((entry) => entry.field === 'related')).toMatchObject({ changeType: 'updated', oldValue: { object: 'person', id: merged.id }, newValue: { object: 'person', id: survivor.id } });
      const audit = (await t.request('GET', '/api/v1/audit?action=record.merged')).body.data as Body[];
      expect(audit[0]).toMatchObject({ action: 'record.merged', recordId: survivor.id });
      expect((await t.request('GET', `/api/v1/merges/${mergeId}`)).body).toMatchObject({ id: mergeId, undoneAt: null });
    });

    it('successful-undo: should restore the merged record, its relations and the survivor\'s values', async () => {
      const response = await t.request('POST', `/api/v1/merges/${mergeId}/undo`);

      expect(response.status).toBe(200);
      expect(response.body.merge.undoneAt).not.toBeNull();
      expect(response.body.record).toMatchObject({ id: survivor.id, jobTitle: null, phone: null, email: 'peter@initech.example', company: null });
      const back = (await t.request('GET', `/api/v1/records/person/${merged.id}`)).body;
      expect(back).toMatchObject({ id: merged.id, email: 'pgibbons@initech.example' });
      expect((await t.request('GET', `/api/v1/records/note/${note.id}`)).body).toMatchObject({ person: merged.id, related: { object: 'person', id: merged.id } });
      expect((await t.request('GET', `/api/v1/records/opportunity/${deal.id}`)).body.contacts).toEqual([merged.id]);
      const history = (await t.request('GET', `/api/v1/records/person/${merged.id}/history`)).body.data as Body[];
      expect(history[0]!.changeType).toBe('unmerged');
    });

    it('failing-undo: should refuse a second undo', async () => {
      const response = await t.request('POST', `/api/v1/merges/${mergeId}/undo`);

      expect(response.status).toBe(409);
      expect(response.body.code).toBe('MERGE_ALREADY_UNDONE');
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('failing-undo: should refuse when the survivor changed after the merge, changing nothing', async () => {
      const merge = (await t.request('POST', '/api/v1/records/person/merge', { survivorId: survivor.id, mergedIds: [merged.id], values: { jobTitle: 'Lead' } })).body;
      await t.request('PATCH', `/api/v1/records/person/${survivor.id}`, { jobTitle: 'Changed later' });

      const response = await t.request('POST', `/api/v1/merges/${merge.merge.id}/undo`);

      expect(response.status).toBe(409);
      expect(response.body.code).toBe('MERGE_UNDO_CONFLICT');
      expect((await t.request('GET', `/api/v1/records/person/${merged.id}`)).status).toBe(404);
      expect((await t.request('GET', `/api/v1/records/person/${survivor.id}`)).body.jobTitle).toBe('Changed later');
    });

    it('failing-merge: should refuse a stale survivor version, a self-merge and unknown merged records', async () => {
      const a = await create('person', personFactory.build());
      const b = await create('person', personFactory.build());

      const stale = await t.request('POST', '/api/v1/records/person/merge', { survivorId: a.id, mergedIds: [b.id], survivorVersion: a.version + 5 });
      const self = await t.request('POST', '/api/v1/records/person/merge', { survivorId: a.id, mergedIds: [a.id] });
      const missing = await t.request('POST', '/api/v1/records/person/merge', { survivorId: a.id, mergedIds: ['00000000-0000-4000-8000-000000000000'] });
      const badBody = await t.request('POST', '/api/v1/records/person/merge', { survivorId: a.id });
      const badValue = await t.request('POST', '/api/v1/records/person/merge', { survivorId: a.id, mergedIds: [b.id], values: { email: 'nope' } });

      expect(stale.status).toBe(412);
      expect(self.status).toBe(422);
      expect(self.body.errors[0]).toMatchObject({ field: 'mergedIds', code: 'invalidChoice' });
      expect(missing.status).toBe(404);
      expect(badBody.status).toBe(400);
      expect(badValue.status).toBe(422);
      expect((await t.request('GET', `/api/v1/records/person/${b.id}`)).status).toBe(200);
    });

    it('failing-merge: should refuse records the caller may not write, and merge nothing', async () => {
      const mine = await create('person', personFactory.build({ lastName: 'Mine' }), rep);
      const theirs = await create('person', personFactory.build({ lastName: 'Theirs' }), other);

      const response = await as(rep)('POST', '/api/v1/records/person/merge', { survivorId: mine.id, mergedIds: [theirs.id] });
      const undo = await as(other)('POST', `/api/v1/merges/${mergeId}/undo`);

      expect(response.status).toBe(404);
      expect(response.body.code).toBe('RECORD_NOT_FOUND');
      expect((await as(other)('GET', `/api/v1/records/person/${theirs.id}`)).status).toBe(200);
      expect(undo.status).toBe(404);
    });
  });

  describe('scan', () => {
    it('successful-scan: should find pairs by the job, list them, and keep a dismissed pair dismissed', async () => {
      const a = await create('company', companyFactory.build({ name: 'Umbrella Holdings', domain: 'umbrella-holdings.example' }));
      const b = await create('company', companyFactory.build({ name: 'Umbrella Holding', domain: 'https://umbrella-holdings.example/contact' }));
      const services = (t.app as unknown as { services: EngineServices }).services;
      const db = t.testDatabase.database.db;
      const handler = duplicateJobHandlers(services)[DUPLICATE_SCAN_JOB]!;

      const result = (await handler({ db, job: {} as never, signal: new AbortController().signal, reportProgress: async () => undefined, extendLease: async () => undefined } as never)) as Body;
      const list = await t.request('GET', '/api/v1/duplicates?object=company');

      expect(result.scanned).toBeGreaterThan(0);
      expect(list.status).toBe(200);
      const pair = (list.body.data as Body[]).find((candidate) => [candidate.a.id, candidate.b.id].sort().join() === [a.id, b.id].sort().join());
      expect(pair).toMatchObject({ object: 'company', reasons: ['domain', 'name'] });

      const dismissed = await t.request('POST', `/api/v1/duplicates/${pair!.id}/dismiss`);
      await t.request('PATCH', `/api/v1/records/company/${b.id}`, { employees: 99 });
      const again = await t.request('POST', '/api/v1/duplicates/scan', { object: 'company' });
      const after = await t.request('GET', '/api/v1/duplicates?object=company');

      expect(dismissed.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body.data).toEqual([{ object: 'company', scanned: 1, pairs: 1 }]);
      expect((after.body.data as Body[]).some((candidate) => candidate.id === pair!.id)).toBe(false);
    });

    it('successful-scan: should page the pairs with a cursor and hide pairs with unreadable records', async () => {
      for (let n = 0; n < 3; n += 1) {
        await create('person', { firstName: 'Twin', lastName: `Number${n}`, email: `twin${n}@example.org` }, other);
        await create('person', { firstName: 'Twin', lastName: `Number${n}`, phone: `+4930123456${n}` }, other);
      }
      await t.request('POST', '/api/v1/duplicates/scan', { object: 'person' });

      const first = await as(other)('GET', '/api/v1/duplicates?object=person&limit=2');
      const second = await as(other)('GET', `/api/v1/duplicates?object=person&limit=2&cursor=${first.body.nextCursor}`);
      const reps = await as(rep)('GET', '/api/v1/duplicates?object=person&limit=200');
      const bad = await t.request('GET', '/api/v1/duplicates?object=person&cursor=nonsense');

      expect(first.body.data).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect(second.body.data.length).toBeGreaterThan(0);
      const ids = [...first.body.data, ...second.body.data].map((pair: Body) => pair.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect((reps.body.data as Body[]).some((pair) => pair.a.lastName?.startsWith('Number'))).toBe(false);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_CURSOR');
    });

    it('failing-scan: should hide a pair found only through a field the caller may not see', async () => {
      const role = (await t.request('POST', '/api/v1/roles', { name: 'No phones', permissions: PERMISSIONS, fields: { person: { phone: 'hidden' } }, recordAccess: 'all' })).body;
      const viewer = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: role.id, name: 'Vera Viewer' });
      const a = await create('person', { firstName: 'Quentin', lastName: 'Abernathy', phone: '+442079460123' });
      const b = await create('person', { firstName: 'Zelda', lastName: 'Oyelaran', phone: '+44 20 7946 0123' });
      await t.request('POST', '/api/v1/duplicates/scan', { object: 'person' });
      const isTheirs = (pair: Body) => [pair.a.id, pair.b.id].sort().join() === [a.id, b.id].sort().join();

      const admins = (await t.request('GET', '/api/v1/duplicates?object=person&limit=200')).body.data as Body[];
      const viewers = await as(viewer)('GET', '/api/v1/duplicates?object=person&limit=200');
      const dismiss = await as(viewer)('POST', `/api/v1/duplicates/${admins.find(isTheirs)!.id}/dismiss`);

      expect(admins.find(isTheirs)).toMatchObject({ reasons: ['phone'] });
      expect(viewers.status).toBe(200);
      expect((viewers.body.data as Body[]).some(isTheirs)).toBe(false);
      expect(dismiss.status).toBe(404);
    });

    it('failing-scan: should let only administrators run the scan, and hide others\' pairs from dismissal', async () => {
      const response = await as(rep)('POST', '/api/v1/duplicates/scan', {});
      const pairs = (await as(other)('GET', '/api/v1/duplicates?object=person&limit=1')).body.data as Body[];
      const dismiss = await as(rep)('POST', `/api/v1/duplicates/${pairs[0]!.id}/dismiss`);

      expect(response.status).toBe(403);
      expect(dismiss.status).toBe(404);
      expect(dismiss.body.code).toBe('DUPLICATE_PAIR_NOT_FOUND');
    });
  });

  describe('tenant isolation', () => {
    let second: (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<{ status: number; body: any }>;
    beforeAll(async () => {
      const db = t.testDatabase.database.db;
      const workspace = await createWorkspace({ db, name: 'Globex', standardObjects });
      const { token } = await createApiKey(db, { workspaceId: workspace.id, name: 'second' });
      second = (method, url, body) => t.request(method, url, body, { authorization: `Bearer ${token}` });
    });

    it('failing-isolation: should neither find, list, merge nor undo across workspaces of one database', async () => {
      const here = await create('person', personFactory.build({ firstName: 'Shared', lastName: 'Address', email: 'shared.address@example.com' }));
      const there = (await second('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Shared', lastName: 'Address', email: 'shared.address@example.com' }))).body;
      await t.request('POST', '/api/v1/duplicates/scan', {});
      await second('POST', '/api/v1/duplicates/scan', {});

      const found = (await second('POST', '/api/v1/records/person/duplicates/check', { email: 'shared.address@example.com' })).body.data as Body[];
      const pairs = (await second('GET', '/api/v1/duplicates?object=person&limit=200')).body.data as Body[];
      const merge = await second('POST', '/api/v1/records/person/merge', { survivorId: there.id, mergedIds: [here.id] });
      const merges = (await t.request('GET', '/api/v1/audit?action=record.merged')).body.data as Body[];
      const undo = await second('POST', `/api/v1/merges/${merges[0]!.details.mergeId}/undo`);
      const read = await second('GET', `/api/v1/merges/${merges[0]!.details.mergeId}`);

      expect(found.map((candidate) => candidate.record.id)).toEqual([there.id]);
      expect(pairs).toEqual([]);
      expect(merge.status).toBe(404);
      expect(undo.status).toBe(404);
      expect(undo.body.code).toBe('MERGE_NOT_FOUND');
      expect(read.status).toBe(404);
    });
  });
});
