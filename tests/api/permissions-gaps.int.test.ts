import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };

describeEngines('permissions: what a caller must not learn (unique values, formulas) and sharing up the hierarchy', (engine) => {
  let t: TestApp;
  let rep: TestUser; // own records; costPrice hidden
  let otherRep: TestUser;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const ids = (response: ApiResponse) => (response.body.data as Body[]).map((record) => record.id).sort();
  const createPerson = async (body: Body): Promise<Body> => {
    const response = await t.request('POST', '/api/v1/records/person', personFactory.build(body));
    expect(response.status).toBe(201);
    return response.body;
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const fields = [
      { name: 'costPrice', type: 'number', label: 'Cost price' },
      { name: 'listPrice', type: 'number', label: 'List price' },
      { name: 'margin', type: 'formula', label: 'Margin', options: { expression: 'record.listPrice - record.costPrice', resultType: 'number' } },
      { name: 'doubleMargin', type: 'formula', label: 'Double margin', options: { expression: 'record.margin * 2.0', resultType: 'number' } },
      { name: 'listPlusOne', type: 'formula', label: 'List plus one', options: { expression: 'record.listPrice + 1.0', resultType: 'number' } },
      { name: 'costNote', type: 'formula', label: 'Cost note', isSearchable: true, options: { expression: '"costed" + string(int(record.costPrice))', resultType: 'text' } },
    ];
    for (const field of fields) expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', field)).status).toBe(201);
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: { '*': ALL }, fields: { person: { costPrice: 'hidden' } }, recordAccess: 'own' })).body;
    rep = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Rep' });
    otherRep = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Other rep' });
  });
  afterAll(async () => t?.destroy());

  describe("the caller's permissions in the metadata, for screens to hide what would be refused", () => {
    it("should give each object the role's actions, narrowed by the key's scopes", async () => {
      const repObjects = (await as(rep)('GET', '/api/v1/metadata/objects')).body.data as { name: string; permissions: Record<string, boolean> }[];
      expect(repObjects.find((object) => object.name === 'person')?.permissions).toEqual(ALL);
      expect((await as(rep)('GET', '/api/v1/metadata/objects/company')).body.permissions).toEqual(ALL);
      const admin = (await t.request('GET', '/api/v1/metadata/objects/person')).body.permissions;
      expect(admin).toEqual({ create: true, read: true, update: true, delete: true, export: true, import: true });
      // A key that may only read people: its scopes narrow the role.
      const reader = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Admin', scopes: ['read:person'] });
      const readerObjects = (await as(reader)('GET', '/api/v1/metadata/objects')).body.data as { name: string; permissions: Record<string, boolean> }[];
      expect(readerObjects.find((object) => object.name === 'person')?.permissions).toEqual({ create: false, read: true, update: false, delete: false, export: true, import: false });
    });
  });

  describe('unique values held by records I cannot see', () => {
    // Everything but the value written: the same problem whoever holds the value.
    const shapeOf = (response: ApiResponse, value: string) => JSON.parse(JSON.stringify(response.body).replaceAll(value, '<value>')) as Body;
    const volatile = ({ instance, requestId, ...rest }: Body) => rest;

    it('should answer the same 409 for a hidden and a visible holder, naming neither record', async () => {
      const hidden = await createPerson({ lastName: 'Hiddenholder', firstName: 'Secretfirst', email: 'taken.hidden@example.com', owner: otherRep.id });
      const visible = await createPerson({ lastName: 'Visibleholder', email: 'taken.visible@example.com', owner: rep.id });

      const againstHidden = await as(rep)('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Newcomer', email: 'taken.hidden@example.com' }));
      const againstVisible = await as(rep)('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Newcomer', email: 'taken.visible@example.com' }));

      expect(againstHidden.status).toBe(409);
      expect(againstHidden.body.code).toBe('UNIQUE_VIOLATION');
      expect(againstHidden.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'unique' })]);
      expect(volatile(shapeOf(againstHidden, 'taken.hidden@example.com'))).toEqual(volatile(shapeOf(againstVisible, 'taken.visible@example.com')));
      const text = JSON.stringify(againstHidden.body);
      for (const secret of [hidden.id, 'Hiddenholder', 'Secretfirst', otherRep.id]) expect(text).not.toContain(secret);
      expect(JSON.stringify(againstVisible.body)).not.toContain(visible.id);
    });

    it('should answer the same way on update and upsert, and leave the hidden record untouched', async () => {
      const hidden = await createPerson({ lastName: 'Hiddenagain', email: 'upsert.hidden@example.com', owner: otherRep.id });
      const mine = await createPerson({ lastName: 'Minetochange', owner: rep.id });

      const update = await as(rep)('PATCH', `/api/v1/records/person/${mine.id}`, { email: 'upsert.hidden@example.com' });
      const upsert = await as(rep)('POST', '/api/v1/records/person/batch', { upsertOn: 'email', records: [{ lastName: 'Takeover', email: 'upsert.hidden@example.com' }] });

      for (const response of [update, upsert]) {
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('UNIQUE_VIOLATION');
        expect(JSON.stringify(response.body)).not.toContain(hidden.id);
        expect(JSON.stringify(response.body)).not.toContain('Hiddenagain');
      }
      expect((await t.request('GET', `/api/v1/records/person/${hidden.id}`)).body.lastName).toBe('Hiddenagain');
    });

    it('should not name a unique field hidden from me nor its value', async () => {
      expect((await t.request('POST', '/api/v1/metadata/objects/company/fields', { name: 'registry', type: 'text', label: 'Registry number', unique: true })).status).toBe(201);
      const role = (await t.request('POST', '/api/v1/roles', { name: 'Registry blind', permissions: { '*': ALL }, fields: { company: { registry: 'hidden' } }, recordAccess: 'all' })).body;
      const blind = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: role.id });
      const held = await t.request('POST', '/api/v1/records/company', { name: 'Holder Ltd', registry: 'HRB-777' });
      const mine = await t.request('POST', '/api/v1/records/company', { name: 'Mine Ltd', registry: 'HRB-778' });
      expect(held.status).toBe(201);
      expect(mine.status).toBe(201);
      // Restoring a record whose hidden unique value was taken while it was in the trash.
      expect((await t.request('DELETE', `/api/v1/records/company/${mine.body.id}`)).status).toBe(200);
      expect((await t.request('PATCH', `/api/v1/records/company/${held.body.id}`, { registry: 'HRB-778' })).status).toBe(200);

      const restore = await as(blind)('POST', `/api/v1/records/company/${mine.body.id}/restore`);

      expect(restore.status).toBe(409);
      expect(restore.body.code).toBe('UNIQUE_VIOLATION');
      expect(restore.body.errors).toEqual([expect.objectContaining({ field: 'record', code: 'unique' })]);
      expect(JSON.stringify(restore.body)).not.toMatch(/HRB|registry|Registry/);
    });
  });

  describe('formulas over hidden fields', () => {
    let priced: Body;
    beforeAll(async () => {
      priced = await createPerson({ lastName: 'Priced', costPrice: 60, listPrice: 100, owner: rep.id });
      expect(priced).toMatchObject({ margin: 40, doubleMargin: 80, listPlusOne: 101, costNote: 'costed60' });
    });

    it('should leave out a formula that reads a hidden field, directly or through another formula', async () => {
      const got = await as(rep)('GET', `/api/v1/records/person/${priced.id}`);
      const listed = await as(rep)('POST', '/api/v1/records/person/query', { filter: { field: 'lastName', op: 'eq', value: 'Priced' } });

      for (const record of [got.body, listed.body.data[0]]) {
        expect(record).toMatchObject({ lastName: 'Priced', listPrice: 100, listPlusOne: 101 });
        for (const name of ['costPrice', 'margin', 'doubleMargin', 'costNote']) expect(record).not.toHaveProperty(name);
      }
      const written = await as(rep)('PATCH', `/api/v1/records/person/${priced.id}`, { listPrice: 110 });
      expect(written.status).toBe(200);
      expect(written.body).toMatchObject({ listPlusOne: 111 });
      expect(written.body).not.toHaveProperty('margin');
      expect((await t.request('GET', `/api/v1/records/person/${priced.id}`)).body.margin).toBe(50);
    });

    it('should refuse such a formula in filters, sorts, groups and field lists as unknown', async () => {
      const attempts = [
        await as(rep)('POST', '/api/v1/records/person/query', { filter: { field: 'margin', op: 'gt', value: 10 } }),
        await as(rep)('POST', '/api/v1/records/person/query', { filter: { field: 'doubleMargin', op: 'gt', value: 10 } }),
        await as(rep)('GET', '/api/v1/records/person?sort=margin'),
        await as(rep)('POST', '/api/v1/records/person/aggregate', { metrics: [{ op: 'sum', field: 'margin' }] }),
        await as(rep)('GET', `/api/v1/records/person/${priced.id}?fields=lastName,costNote`),
      ];

      for (const response of attempts) {
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('INVALID_QUERY');
      }
      const allowed = await as(rep)('POST', '/api/v1/records/person/query', { filter: { field: 'listPlusOne', op: 'gt', value: 100 } });
      expect(allowed.status).toBe(200);
      expect(ids(allowed)).toEqual([priced.id]);
    });

    it('should not find a record by the text of such a formula, while its admin does', async () => {
      const byAdmin = await t.request('GET', '/api/v1/search?q=costed60&objects=person');
      const byRep = await as(rep)('GET', '/api/v1/search?q=costed60&objects=person');

      expect(byAdmin.body.data.map((hit: Body) => hit.id)).toContain(priced.id);
      expect(byRep.status).toBe(200);
      expect(byRep.body.data).toEqual([]);
    });

    it('should leave the formula out of the OpenAPI document of the caller', async () => {
      const document = await as(rep)('GET', '/api/v1/openapi.json');

      expect(document.status).toBe(200);
      const text = JSON.stringify(document.body);
      expect(text).toContain('listPlusOne');
      expect(text).not.toContain('doubleMargin');
      expect(text).not.toContain('costNote');
    });
  });

  describe('sharing with a role', () => {
    it('should reach the users of that role and of every role above it, not those beside or below', async () => {
      const db = t.testDatabase.database.db;
      const role = async (name: string, parentId?: string) =>
        (await t.request('POST', '/api/v1/roles', { name, ...(parentId ? { parentId } : {}), permissions: { '*': ALL }, recordAccess: 'own' })).body as Body;
      const director = await role('Director');
      const manager = await role('Area manager', director.id);
      const seller = await role('Seller', manager.id);
      const sideline = await role('Sideline', director.id);
      const trainee = await role('Trainee', seller.id);
      const user = (roleId: string) => createTestUser(db, { workspaceId: t.workspace.id, role: roleId });
      const [directorUser, managerUser, sellerUser, sidelineUser, traineeUser] = await Promise.all([director, manager, seller, sideline, trainee].map((r) => user(r.id)));
      const spanish = await createPerson({ lastName: 'Spanishshared', address: { city: 'Madrid', country: 'ES' }, owner: null });
      const greek = await createPerson({ lastName: 'Greekshared', address: { city: 'Athens', country: 'GR' }, owner: null });
      const shareWith = async (roleId: string, country: string) =>
        expect((await t.request('POST', '/api/v1/sharing-rules', { name: `${country} people`, object: 'person', filter: { field: 'address.country', op: 'eq', value: country }, roleId, access: 'read' })).status).toBe(201);
      await shareWith(seller.id, 'ES');
      await shareWith(manager.id, 'GR');

      const visibleTo = async (member: TestUser) => {
        const list = await as(member)('POST', '/api/v1/records/person/query', { filter: { field: 'lastName', op: 'in', value: ['Spanishshared', 'Greekshared'] } });
        expect(list.status).toBe(200);
        return ids(list);
      };

      expect(await visibleTo(sellerUser!)).toEqual([spanish.id]);
      expect(await visibleTo(managerUser!)).toEqual([spanish.id, greek.id].sort());
      expect(await visibleTo(directorUser!)).toEqual([spanish.id, greek.id].sort());
      expect(await visibleTo(sidelineUser!)).toEqual([]);
      expect(await visibleTo(traineeUser!)).toEqual([]);
      expect((await as(directorUser!)('GET', `/api/v1/records/person/${spanish.id}`)).status).toBe(200);
      // Shared read-only: the director above may read it, not change it.
      expect((await as(directorUser!)('PATCH', `/api/v1/records/person/${spanish.id}`, { jobTitle: 'Changed' })).status).toBe(403);
    });
  });
});
