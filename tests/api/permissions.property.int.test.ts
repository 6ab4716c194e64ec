import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';
import {
  filterArb,
  HIDEABLE,
  isVisible,
  isWritable,
  matches,
  rootFieldsOf,
  sortFieldArb,
  worldArb,
  type RefPerson,
  type World,
} from '../support/permission-reference.ts';

type Body = Record<string, any>;

const USERS = 6;
const SEED = 20261130;
const COUNTRIES = ['DE', 'FR', 'IT'];
const CITIES = ['Berlin', 'Paris', 'Rome', 'Lyon'];
const TITLES = ['Buyer', 'CTO', 'Intern'];

/**
 * For random roles (record access, field levels, hierarchy, read permission), teams, sharing rules,
 * territories, users, filters and sorts, nothing in a response is outside what the reference
 * evaluator (tests/support/permission-reference.ts, plain TypeScript over the same data) allows.
 */
describeEngines('permissions property: no response holds a record or field the caller may not see', (engine) => {
  let t: TestApp;
  let users: TestUser[];
  let roleIds: string[];
  let teamIds: string[];
  let territoryId: string;
  let ruleIds: string[] = [];
  const people: RefPerson[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    roleIds = [];
    for (let index = 0; index < USERS; index++) roleIds.push((await t.request('POST', '/api/v1/roles', { name: `Role ${index}` })).body.id);
    users = [];
    for (let index = 0; index < USERS; index++) users.push(await createTestUser(db, { workspaceId: t.workspace.id, role: roleIds[index]! }));
    teamIds = [(await t.request('POST', '/api/v1/teams', { name: 'Team A' })).body.id, (await t.request('POST', '/api/v1/teams', { name: 'Team B' })).body.id];
    territoryId = (await t.request('POST', '/api/v1/territories', { name: 'Territory' })).body.id;
    const random = fc.sample(fc.record({ owner: fc.integer({ min: -1, max: USERS - 1 }), country: fc.constantFrom(...COUNTRIES), city: fc.constantFrom(...CITIES), title: fc.constantFrom(...TITLES) }), { numRuns: 40, seed: SEED });
    const records = random.map((r, index) => ({
      firstName: 'P',
      lastName: `${'abcdefghij'[index % 10]}${['orvath', 'elmont', 'indqvist', 'ustafa'][index % 4]}${index}`,
      email: `p${index}@example.com`,
      jobTitle: r.title,
      address: { city: r.city, country: r.country },
      owner: r.owner < 0 ? null : users[r.owner]!.id,
    }));
    const created = (await t.request('POST', '/api/v1/records/person/batch', { records })).body.data as Body[];
    created.forEach((record, index) => {
      const source = records[index]!;
      people.push({ id: record.id, lastName: source.lastName, jobTitle: source.jobTitle, city: source.address.city, country: source.address.country, owner: source.owner });
    });
  });
  afterAll(async () => t?.destroy());

  const apply = async (world: World) => {
    for (let index = 0; index < USERS; index++) {
      const role = world.roles[index]!;
      const response = await t.request('PATCH', `/api/v1/roles/${roleIds[index]}`, {
        recordAccess: role.recordAccess,
        parentId: role.parent === null ? null : roleIds[role.parent],
        permissions: { person: role.canRead ? { read: true, update: true } : {} },
        fields: { person: role.fields },
      });
      expect(response.status).toBe(200);
    }
    for (const [index, members] of world.teams.entries()) {
      await t.request('PATCH', `/api/v1/teams/${teamIds[index]}`, { memberIds: members.map((user) => users[user]!.id) });
    }
    for (const id of ruleIds) await t.request('DELETE', `/api/v1/sharing-rules/${id}`);
    ruleIds = [];
    for (const rule of world.rules) {
      const target = rule.target.type === 'team' ? { teamId: teamIds[rule.target.index] } : { roleId: roleIds[rule.target.index] };
      const created = await t.request('POST', '/api/v1/sharing-rules', { object: 'person', filter: rule.filter, access: rule.access, ...target });
      expect(created.status).toBe(201);
      ruleIds.push(created.body.id);
    }
    await t.request('PATCH', `/api/v1/territories/${territoryId}`, { rules: { person: world.territory.filter }, memberIds: world.territory.members.map((user) => users[user]!.id) });
  };

  const userIds = () => users.map((user) => user.id);

  it('should list, count, get, search and write exactly within what each user may see', async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb({ users: USERS, teams: 2, countries: COUNTRIES, cities: CITIES }),
        fc.integer({ min: 0, max: USERS - 1 }),
        fc.option(filterArb({ countries: COUNTRIES, cities: CITIES, titles: TITLES, userCount: USERS }), { nil: undefined }),
        fc.option(sortFieldArb, { nil: undefined }),
        fc.integer({ min: 0, max: 39 }),
        async (world, userIndex, filterSpec, sortField, pick) => {
          await apply(world);
          const user = users[userIndex]!;
          const as = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${user.token}` });
          const role = world.roles[userIndex]!;
          const hidden = new Set<string>(HIDEABLE.filter((field) => role.fields[field] === 'hidden'));
          const filter = filterSpec?.(userIds());
          const context = { world, userIds: userIds(), userIndex };
          const list = await as('POST', '/api/v1/records/person/query', { ...(filter ? { filter } : {}), ...(sortField ? { sort: [sortField] } : {}), limit: 1000 });

          if (!role.canRead) {
            expect(list.status).toBe(403);
            return;
          }
          const usesHidden = [...rootFieldsOf(filter), ...(sortField ? [sortField] : [])].some((field) => hidden.has(field));
          if (usesHidden) {
            expect(list.status).toBe(400);
            expect(list.body.code).toBe('INVALID_QUERY');
            return;
          }
          const visible = people.filter((person) => isVisible(person, context));
          const expected = visible.filter((person) => !filter || matches(filter, person, userIds())).map((person) => person.id).sort();
          expect(list.status).toBe(200);
          expect((list.body.data as Body[]).map((record) => record.id).sort()).toEqual(expected);
          for (const record of list.body.data as Body[]) for (const field of hidden) expect(record).not.toHaveProperty(field);

          const count = await as('POST', '/api/v1/records/person/aggregate', { ...(filter ? { filter } : {}), metrics: [{ op: 'count' }] });
          expect(count.body.data).toEqual([{ count: expected.length }]);

          const target = people[pick % people.length]!;
          const got = await as('GET', `/api/v1/records/person/${target.id}`);
          expect(got.status).toBe(isVisible(target, context) ? 200 : 404);
          for (const field of hidden) expect(got.body).not.toHaveProperty(field);

          const search = await as('GET', `/api/v1/search?q=${target.lastName}&objects=person`);
          const visibleIds = new Set(visible.map((person) => person.id));
          for (const hit of search.body.data as Body[]) {
            expect(visibleIds.has(hit.id)).toBe(true);
            for (const field of hidden) expect(hit.record).not.toHaveProperty(field);
          }

          const patched = await as('PATCH', `/api/v1/records/person/${target.id}`, { firstName: `Q${pick}` });
          expect(patched.status).toBe(!isVisible(target, context) ? 404 : isWritable(target, context) ? 200 : 403);
        },
      ),
      { numRuns: 40, seed: SEED },
    );
    // Forty worlds of a dozen API calls each: longer than the default test timeout on a busy machine.
  }, 300_000);
});
