import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

// Column widths and order of a view, the order of each person's favourites, and the workspace's
// navigation order of objects.
describeEngines('view columns, favourites order and navigation order API', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let peopleOnly: TestUser;
  const db = () => t.testDatabase.database.db;
  const as = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Admin' });
    rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
    const role = await t.request('POST', '/api/v1/roles', {
      name: 'People only',
      permissions: { person: { create: true, read: true, update: true, delete: false, export: false, import: false } },
      recordAccess: 'all',
    });
    expect(role.status).toBe(201);
    peopleOnly = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.body.id });
  });
  afterAll(async () => t?.destroy());

  describe('view columns', () => {
    it('successful-update: should keep the order and widths of a view\'s columns as saved', async () => {
      const view = (await t.request('POST', '/api/v1/views', { object: 'person', name: 'Wide names', columns: [{ field: 'firstName' }, { field: 'email' }] }, as(rep))).body;
      const columns = [{ field: 'email', width: 320 }, { field: 'lastName', width: 90 }, { field: 'firstName', hidden: true }];

      const updated = await t.request('PATCH', `/api/v1/views/${view.id}`, { columns }, as(rep));

      expect(updated.status).toBe(200);
      expect(updated.body.columns).toEqual(columns);
      expect((await t.request('GET', `/api/v1/views/${view.id}`, undefined, as(rep))).body.columns).toEqual(columns);
    });

    it('failing-update: should refuse widths out of range and unknown or repeated columns', async () => {
      const view = (await t.request('POST', '/api/v1/views', { object: 'person', name: 'Narrow' }, as(rep))).body;

      const tooNarrow = await t.request('PATCH', `/api/v1/views/${view.id}`, { columns: [{ field: 'email', width: 10 }] }, as(rep));
      expect(tooNarrow.status).toBe(400);
      expect(tooNarrow.headers['content-type']).toContain('application/problem+json');

      const bad = await t.request('PATCH', `/api/v1/views/${view.id}`, { columns: [{ field: 'email', width: 200 }, { field: 'shoeSize', width: 100 }, { field: 'email' }] }, as(rep));
      expect(bad.status).toBe(422);
      expect(bad.body.errors).toEqual(expect.arrayContaining([
        expect.objectContaining({ field: 'columns[1].field', code: 'unknownField' }),
        expect.objectContaining({ field: 'columns[2].field', code: 'invalidFormat' }),
      ]));
      expect((await t.request('GET', `/api/v1/views/${view.id}`, undefined, as(rep))).body.columns).toEqual([]);
    });
  });

  describe('favourites order', () => {
    const pinCompanies = async (user: TestUser, names: string[]) => {
      const ids: string[] = [];
      for (const name of names) {
        const company = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ name }), as(user))).body;
        const favourite = await t.request('POST', '/api/v1/favourites', { object: 'company', recordId: company.id }, as(user));
        expect(favourite.status).toBe(201);
        ids.push(favourite.body.id);
      }
      return ids;
    };
    const labels = async (user: TestUser) => (await t.request('GET', '/api/v1/favourites', undefined, as(user))).body.data.map((favourite: { record: { label: string } }) => favourite.record.label);

    it('successful-reorder: should put the named favourites first, in order, and keep the others after them', async () => {
      const [alpha, beta, gamma, delta] = await pinCompanies(admin, ['Alpha', 'Beta', 'Gamma', 'Delta']);

      const response = await t.request('PUT', '/api/v1/favourites/order', { ids: [gamma, alpha] }, as(admin));

      expect(response.status).toBe(200);
      expect(response.body.data.map((favourite: { id: string }) => favourite.id)).toEqual([gamma, alpha, beta, delta]);
      expect(response.body.data.map((favourite: { position: number }) => favourite.position)).toEqual([0, 1, 2, 3]);
      expect(await labels(admin)).toEqual(['Gamma', 'Alpha', 'Beta', 'Delta']);
    });

    it('failing-reorder: should refuse someone else\'s favourite, an unknown or repeated id, and change nothing', async () => {
      const [mine] = await pinCompanies(rep, ['Rep first']);
      const [theirs] = await pinCompanies(admin, ['Admin extra']);
      const before = await labels(rep);

      const response = await t.request('PUT', '/api/v1/favourites/order', { ids: [mine, theirs, mine, '00000000-0000-4000-8000-000000000000'] }, as(rep));

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: 'ids[1]', code: 'relationNotFound' }),
        expect.objectContaining({ field: 'ids[2]', code: 'invalidFormat' }),
        expect.objectContaining({ field: 'ids[3]', code: 'relationNotFound' }),
      ]);
      expect(await labels(rep)).toEqual(before);

      const notUuid = await t.request('PUT', '/api/v1/favourites/order', { ids: ['nope'] }, as(rep));
      expect(notUuid.status).toBe(400);
      const keyWithoutUser = await t.request('PUT', '/api/v1/favourites/order', { ids: [] });
      expect(keyWithoutUser.status).toBe(403);
    });
  });

  describe('navigation order', () => {
    const orderOf = async (user: TestUser) => {
      const response = await t.request('GET', '/api/v1/navigation', undefined, as(user));
      expect(response.status).toBe(200);
      return response.body.objects as string[];
    };

    it('successful-update: should let an administrator set the order everyone sees, unplaced objects after', async () => {
      const before = await orderOf(rep);
      expect(before).toEqual(expect.arrayContaining(['person', 'company', 'opportunity']));

      const response = await t.request('PUT', '/api/v1/navigation', { objects: ['opportunity', 'person'] }, as(admin));

      expect(response.status).toBe(200);
      expect(response.body.objects.slice(0, 2)).toEqual(['opportunity', 'person']);
      expect([...response.body.objects].sort()).toEqual([...before].sort());
      const seenByRep = await orderOf(rep);
      expect(seenByRep.slice(0, 2)).toEqual(['opportunity', 'person']);
      // The rest keep their metadata order.
      expect(seenByRep.slice(2)).toEqual(before.filter((name) => name !== 'opportunity' && name !== 'person'));
      // Someone who reads only people sees only people.
      expect(await orderOf(peopleOnly)).toEqual(['person']);
      const audit = await t.request('GET', '/api/v1/audit?action=navigation.', undefined, as(admin));
      expect(audit.body.data[0]).toMatchObject({ action: 'navigation.updated', actorId: admin.id, details: { objects: response.body.objects } });
    });

    it('successful-update: should put a new object last until an administrator places it', async () => {
      await t.request('PUT', '/api/v1/navigation', { objects: ['company', 'person'] }, as(admin));
      const created = await t.request('POST', '/api/v1/metadata/objects', { name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', fields: [] }, as(admin));
      expect(created.status).toBe(201);

      const order = await orderOf(admin);
      expect(order.slice(0, 2)).toEqual(['company', 'person']);
      expect(order.at(-1)).toBe('vehicle');

      await t.request('PUT', '/api/v1/navigation', { objects: ['vehicle'] }, as(admin));
      expect((await orderOf(admin)).slice(0, 3)).toEqual(['vehicle', 'company', 'person']);
    });

    it('failing-update: should refuse non-administrators and unknown or repeated objects', async () => {
      const before = await orderOf(admin);

      const forbidden = await t.request('PUT', '/api/v1/navigation', { objects: ['person'] }, as(rep));
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');

      const bad = await t.request('PUT', '/api/v1/navigation', { objects: ['person', 'spaceship', 'person'] }, as(admin));
      expect(bad.status).toBe(422);
      expect(bad.body.errors).toEqual([
        expect.objectContaining({ field: 'objects[1]', code: 'invalidChoice' }),
        expect.objectContaining({ field: 'objects[2]', code: 'invalidFormat' }),
      ]);

      const shape = await t.request('PUT', '/api/v1/navigation', { objects: 'person' }, as(admin));
      expect(shape.status).toBe(400);
      expect(await orderOf(admin)).toEqual(before);
    });
  });
});
