import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { parseCsv } from '../support/csv.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

describeEngines('segments API', (engine) => {
  let t: TestApp;
  let otherToken: string;
  let rep: TestUser;
  let colleague: TestUser;
  const people: Record<string, string> = {};
  const db = () => t.testDatabase.database.db;
  const as = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });
  const lastNames = (body: { data: { lastName: string }[] }) => body.data.map((record) => record.lastName).sort();

  beforeAll(async () => {
    t = await createTestApp(engine, 'Segments Co');
    const otherWorkspace = await createWorkspace({ db: db(), name: 'Other Co', standardObjects });
    otherToken = (await createApiKey(db(), { workspaceId: otherWorkspace.id })).token;
    rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
    colleague = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
    const rows = [
      { firstName: 'Ada', lastName: 'Paris One', address: { city: 'Paris', country: 'FR' } },
      { firstName: 'Bea', lastName: 'Paris Two', address: { city: 'Paris', country: 'FR' }, jobTitle: 'CEO' },
      { firstName: 'Cid', lastName: 'Lyon One', address: { city: 'Lyon', country: 'FR' } },
      { firstName: 'Dan', lastName: 'Berlin One', address: { city: 'Berlin', country: 'DE' } },
    ];
    for (const row of rows) {
      const created = await t.request('POST', '/api/v1/records/person', row);
      expect(created.status).toBe(201);
      people[row.lastName] = created.body.id;
    }
    // The rep owns one person of their own (Sales reps read only their own records).
    const mine = await t.request('POST', '/api/v1/records/person', { firstName: 'Rae', lastName: 'Rep Paris', address: { city: 'Paris' } }, as(rep));
    expect(mine.status).toBe(201);
    people['Rep Paris'] = mine.body.id;
  });
  afterAll(async () => t?.destroy());

  it('should list the records of a dynamic segment, ANDed with the caller\'s own filter, in lists, queries and exports', async () => {
    const created = await t.request('POST', '/api/v1/segments', { object: 'person', name: 'Paris', kind: 'dynamic', visibility: 'shared', filter: { field: 'address.city', op: 'eq', value: 'Paris' } });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/segments/${created.body.id}`);
    expect(created.body).toMatchObject({ object: 'person', name: 'Paris', kind: 'dynamic', visibility: 'shared', memberCount: null, description: '' });
    const id = created.body.id as string;

    const listed = await t.request('GET', `/api/v1/records/person?segment=${id}&count=true`);
    expect(listed.status).toBe(200);
    expect(lastNames(listed.body)).toEqual(['Paris One', 'Paris Two', 'Rep Paris']);
    expect(listed.body.totalCount).toBe(3);

    const narrowed = await t.request('POST', '/api/v1/records/person/query', { segment: id, filter: { field: 'jobTitle', op: 'eq', value: 'CEO' } });
    expect(lastNames(narrowed.body)).toEqual(['Paris Two']);

    const exported = await t.app.inject({ method: 'GET', url: `/api/v1/exports/person?format=csv&fields=lastName&sort=lastName&segment=${id}`, headers: { authorization: `Bearer ${t.token}` } });
    expect(exported.statusCode).toBe(200);
    expect(parseCsv(exported.body.slice(1))).toEqual([['Last name'], ['Paris One'], ['Paris Two'], ['Rep Paris']]);

    // A record that stops matching leaves the segment at once.
    await t.request('PATCH', `/api/v1/records/person/${people['Paris One']}`, { address: { city: 'Nice', country: 'FR' } });
    expect(lastNames((await t.request('GET', `/api/v1/records/person?segment=${id}`)).body)).toEqual(['Paris Two', 'Rep Paris']);
    await t.request('PATCH', `/api/v1/records/person/${people['Paris One']}`, { address: { city: 'Paris', country: 'FR' } });
  });

  it('should show a shared segment\'s records only as far as the reader may read them', async () => {
    const { body: segments } = await t.request('GET', '/api/v1/segments?object=person', undefined, as(rep));
    const paris = segments.data.find((segment: { name: string }) => segment.name === 'Paris');
    expect(paris).toBeDefined();
    const listed = await t.request('GET', `/api/v1/records/person?segment=${paris.id}`, undefined, as(rep));
    expect(lastNames(listed.body)).toEqual(['Rep Paris']);
  });

  it('should keep members of a static segment: add by ids and by filter, remove, list, and refuse unreadable or unknown ids', async () => {
    const created = await t.request('POST', '/api/v1/segments', { object: 'person', name: 'VIP list', kind: 'static', description: 'Invited to the gala' }, as(rep));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'static', visibility: 'private', ownerId: rep.id, filter: null, memberCount: 0 });
    const id = created.body.id as string;

    // The rep cannot add a person they may not read: nothing is added, the id is named.
    const refused = await t.request('POST', `/api/v1/segments/${id}/members`, { ids: [people['Rep Paris'], people['Berlin One']] }, as(rep));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'ids[1]', code: 'notFound' }] });
    expect((await t.request('GET', `/api/v1/segments/${id}`, undefined, as(rep))).body.memberCount).toBe(0);

    const added = await t.request('POST', `/api/v1/segments/${id}/members`, { ids: [people['Rep Paris']] }, as(rep));
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ changed: 1, memberCount: 1 });
    const again = await t.request('POST', `/api/v1/segments/${id}/members`, { ids: [people['Rep Paris']] }, as(rep));
    expect(again.body).toEqual({ changed: 0, memberCount: 1 });

    const shared = await t.request('POST', '/api/v1/segments', { object: 'person', name: 'Germany', kind: 'static', visibility: 'shared' });
    const byFilter = await t.request('POST', `/api/v1/segments/${shared.body.id}/members`, { filter: { field: 'address.country', op: 'in', value: ['DE', 'FR'] } });
    expect(byFilter.body).toEqual({ changed: 4, memberCount: 4 });
    expect(lastNames((await t.request('GET', `/api/v1/records/person?segment=${shared.body.id}&sort=lastName`)).body)).toEqual(['Berlin One', 'Lyon One', 'Paris One', 'Paris Two']);
    const counted = await t.request('POST', '/api/v1/records/person/aggregate', { segment: shared.body.id, groupBy: ['address.country'], metrics: [{ op: 'count' }] });
    expect(counted.status).toBe(200);
    expect(Object.fromEntries(counted.body.data.map((group: Record<string, unknown>) => [group['address.country'], group.count]))).toEqual({ DE: 1, FR: 3 });
    const removed = await t.request('POST', `/api/v1/segments/${shared.body.id}/members/remove`, { ids: [people['Lyon One'], people['Paris One']] });
    expect(removed.body).toEqual({ changed: 2, memberCount: 2 });
    // A trashed member is not listed; restored, it is back.
    await t.request('DELETE', `/api/v1/records/person/${people['Berlin One']}`);
    expect(lastNames((await t.request('GET', `/api/v1/records/person?segment=${shared.body.id}`)).body)).toEqual(['Paris Two']);
    await t.request('POST', `/api/v1/records/person/${people['Berlin One']}/restore`);
    expect(lastNames((await t.request('GET', `/api/v1/records/person?segment=${shared.body.id}`)).body)).toEqual(['Berlin One', 'Paris Two']);

    // A dynamic segment has no members to change.
    const dynamic = (await t.request('GET', '/api/v1/segments?object=person')).body.data.find((segment: { name: string }) => segment.name === 'Paris');
    const conflict = await t.request('POST', `/api/v1/segments/${dynamic.id}/members`, { ids: [people['Lyon One']] });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('CONFLICT');
  });

  it('should keep a private segment to its owner and a shared one changeable only by its owner or an administrator', async () => {
    const { body: mine } = await t.request('GET', '/api/v1/segments?object=person', undefined, as(rep));
    const vip = mine.data.find((segment: { name: string }) => segment.name === 'VIP list');
    expect((await t.request('GET', `/api/v1/segments/${vip.id}`, undefined, as(colleague))).status).toBe(404);
    expect((await t.request('GET', `/api/v1/records/person?segment=${vip.id}`, undefined, as(colleague))).body).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'segment', code: 'notFound' }] });
    const colleagueSees = (await t.request('GET', '/api/v1/segments', undefined, as(colleague))).body.data.map((segment: { name: string }) => segment.name).sort();
    expect(colleagueSees).toEqual(['Germany', 'Paris']);

    const paris = mine.data.find((segment: { name: string }) => segment.name === 'Paris');
    expect((await t.request('PATCH', `/api/v1/segments/${paris.id}`, { name: 'Mine now' }, as(rep))).status).toBe(403);
    const renamed = await t.request('PATCH', `/api/v1/segments/${paris.id}`, { name: 'Paris and Lyon', filter: { field: 'address.city', op: 'in', value: ['Paris', 'Lyon'] } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Paris and Lyon');
    expect(lastNames((await t.request('GET', `/api/v1/records/person?segment=${paris.id}`)).body)).toEqual(['Lyon One', 'Paris One', 'Paris Two', 'Rep Paris']);
  });

  it('should refuse bad segments with per-field problems', async () => {
    const badFilter = await t.request('POST', '/api/v1/segments', { object: 'person', name: 'Bad', kind: 'dynamic', filter: { field: 'shoeSize', op: 'eq', value: 42 } });
    expect(badFilter.status).toBe(422);
    expect(badFilter.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'filter', code: 'invalidQuery' }] });
    const noFilter = await t.request('POST', '/api/v1/segments', { object: 'person', name: 'Bad', kind: 'dynamic' });
    expect(noFilter.body).toMatchObject({ errors: [{ field: 'filter', code: 'required' }] });
    const staticWithFilter = await t.request('POST', '/api/v1/segments', { object: 'person', name: 'Bad', kind: 'static', filter: { field: 'lastName', op: 'eq', value: 'x' } });
    expect(staticWithFilter.body).toMatchObject({ errors: [{ field: 'filter', code: 'invalidChoice' }] });
    const unknownObject = await t.request('POST', '/api/v1/segments', { object: 'spaceship', name: 'Bad', kind: 'static' });
    expect(unknownObject.body).toMatchObject({ errors: [{ field: 'object', code: 'invalidChoice' }] });
    const dynamic = (await t.request('GET', '/api/v1/segments?object=person')).body.data.find((segment: { kind: string }) => segment.kind === 'dynamic');
    const kindChange = await t.request('PATCH', `/api/v1/segments/${dynamic.id}`, { kind: 'static' });
    expect(kindChange.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'kind', code: 'readOnly' }] });

    // A segment of another object is not a list of this one.
    const companies = await t.request('POST', '/api/v1/segments', { object: 'company', name: 'All companies', kind: 'static', visibility: 'shared' });
    const wrongObject = await t.request('GET', `/api/v1/records/person?segment=${companies.body.id}`);
    expect(wrongObject.status).toBe(400);
    expect(wrongObject.body).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'segment', code: 'invalidChoice' }] });
  });

  it('should keep each workspace\'s segments to itself', async () => {
    const { body } = await t.request('GET', '/api/v1/segments?object=person');
    const id = body.data[0].id as string;
    const asOther = { authorization: `Bearer ${otherToken}` };
    expect((await t.request('GET', `/api/v1/segments/${id}`, undefined, asOther)).status).toBe(404);
    expect((await t.request('GET', '/api/v1/segments', undefined, asOther)).body.data).toEqual([]);
    expect((await t.request('GET', `/api/v1/records/person?segment=${id}`, undefined, asOther)).status).toBe(400);
    expect((await t.request('POST', `/api/v1/segments/${id}/members`, { ids: [people['Lyon One']] }, asOther)).status).toBe(404);
  });

  it('should delete a segment and leave its records', async () => {
    const { body } = await t.request('GET', '/api/v1/segments?object=person');
    const germany = body.data.find((segment: { name: string }) => segment.name === 'Germany');
    expect((await t.request('DELETE', `/api/v1/segments/${germany.id}`)).status).toBe(204);
    expect((await t.request('GET', `/api/v1/segments/${germany.id}`)).status).toBe(404);
    expect((await t.request('GET', `/api/v1/records/person/${people['Berlin One']}`)).status).toBe(200);
  });
});
