import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, opportunityFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

const nestedFilter = {
  and: [
    { field: 'closeDate', op: 'during', value: 'thisQuarter' },
    { or: [{ field: 'forecastCategory', op: 'eq', value: 'bestCase' }, { field: 'amount', op: 'gte', value: 5000 }] },
  ],
};

describeEngines('saved views and favourites API', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let colleague: TestUser;
  let peopleOnly: TestUser;
  const db = () => t.testDatabase.database.db;
  const as = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Admin' });
    rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
    colleague = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
    const role = await t.request('POST', '/api/v1/roles', {
      name: 'People desk',
      permissions: { person: { create: true, read: true, update: true, delete: false, export: false, import: false } },
      recordAccess: 'all',
    });
    expect(role.status).toBe(201);
    peopleOnly = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.body.id });
  });
  afterAll(async () => t?.destroy());

  const createView = (user: TestUser, body: Record<string, unknown>) => t.request('POST', '/api/v1/views', body, as(user));

  describe('views', () => {
    it('successful-create: should save a private table view with a nested filter, relative dates, sort and columns', async () => {
      const response = await createView(rep, {
        object: 'opportunity',
        name: 'My big deals',
        filter: nestedFilter,
        sort: ['-amount'],
        columns: [{ field: 'name', width: 240 }, { field: 'amount' }, { field: 'stage', hidden: true }],
        groupBy: 'stage',
      });

      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`/api/v1/views/${response.body.id}`);
      expect(response.body).toMatchObject({
        object: 'opportunity',
        name: 'My big deals',
        type: 'table',
        visibility: 'private',
        ownerId: rep.id,
        filter: nestedFilter,
        sort: ['-amount'],
        columns: [{ field: 'name', width: 240 }, { field: 'amount' }, { field: 'stage', hidden: true }],
        groupBy: 'stage',
        kanbanField: null,
        cardFields: null,
        calendar: null,
      });
      const read = await t.request('GET', `/api/v1/views/${response.body.id}`, undefined, as(rep));
      expect(read.body).toEqual(response.body);
    });

    it('successful-read: should show private views to their owner only and shared views to every reader of the object', async () => {
      const mine = (await createView(rep, { object: 'opportunity', name: 'Rep private' })).body;
      const shared = (await createView(rep, { object: 'opportunity', name: 'Team pipeline', visibility: 'shared', type: 'kanban', kanbanField: 'stage' })).body;
      const people = (await createView(rep, { object: 'person', name: 'All people', visibility: 'shared' })).body;

      const names = async (user: TestUser, query = '') => (await t.request('GET', `/api/v1/views${query}`, undefined, as(user))).body.data.map((view: { name: string }) => view.name);
      expect(await names(rep, '?object=opportunity')).toEqual(expect.arrayContaining(['Rep private', 'Team pipeline']));
      expect(await names(rep, '?object=opportunity')).not.toContain('All people');
      expect(await names(colleague)).toEqual(expect.arrayContaining(['Team pipeline', 'All people']));
      expect(await names(colleague)).not.toContain('Rep private');
      // Admins do not read other people's private views either.
      expect(await names(admin)).not.toContain('Rep private');
      // Someone who cannot read opportunities does not see its shared views.
      expect(await names(peopleOnly)).toEqual(['All people']);
      expect((await t.request('GET', `/api/v1/views/${mine.id}`, undefined, as(colleague))).body.code).toBe('RECORD_NOT_FOUND');
      expect((await t.request('GET', `/api/v1/views/${shared.id}`, undefined, as(peopleOnly))).status).toBe(404);
      expect((await t.request('GET', `/api/v1/views/${people.id}`, undefined, as(peopleOnly))).status).toBe(200);
      // Positions follow creation within an object.
      const positions = (await t.request('GET', '/api/v1/views?object=opportunity', undefined, as(rep))).body.data.map((view: { position: number }) => view.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });

    it('failing-create: should name every part that does not match the object\'s fields', async () => {
      const response = await createView(rep, {
        object: 'opportunity',
        name: 'Broken',
        type: 'kanban',
        filter: { or: [{ field: 'forecastCategory', op: 'eq', value: 'closed' }, { field: 'colour', op: 'eq', value: 'red' }] },
        sort: ['-nope'],
        columns: [{ field: 'name' }, { field: 'ghost' }, { field: 'name' }],
        groupBy: 'amount',
        cardFields: ['amount', 'ghost', 'amount'],
      });

      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe('VALIDATION_FAILED');
      const byField = Object.fromEntries(response.body.errors.map((error: { field: string; code: string }) => [error.field, error.code]));
      expect(byField).toEqual({
        filter: 'invalidQuery',
        sort: 'invalidQuery',
        'columns[1].field': 'unknownField',
        'columns[2].field': 'invalidFormat',
        groupBy: 'invalidType',
        kanbanField: 'required',
        'cardFields[1]': 'unknownField',
        'cardFields[2]': 'invalidFormat',
      });
      expect(response.body.errors.find((error: { field: string }) => error.field === 'filter').message).toContain('colour');
    });

    it('failing-create: should refuse an unknown or unreadable object, a bad shape and a field hidden from the caller', async () => {
      const unknown = await createView(rep, { object: 'starship', name: 'x' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'object', code: 'invalidChoice' })]);
      const unreadable = await createView(peopleOnly, { object: 'opportunity', name: 'x' });
      expect(unreadable.status).toBe(422);
      const badShape = await createView(rep, { object: 'person', name: 'x', type: 'gantt' });
      expect(badShape.status).toBe(400);
      expect(badShape.body.code).toBe('INVALID_REQUEST');
      const empty = await createView(rep, { object: 'person', name: '' });
      expect(empty.status).toBe(400);
    });

    it('successful-update: should let the owner change a view, and an admin a shared one, and refuse others', async () => {
      const shared = (await createView(rep, { object: 'company', name: 'Software', visibility: 'shared', filter: { field: 'industry', op: 'eq', value: 'software' } })).body;

      const renamed = await t.request('PATCH', `/api/v1/views/${shared.id}`, { name: 'Software firms', sort: ['name'] }, as(rep));
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Software firms', sort: ['name'], filter: shared.filter, visibility: 'shared' });

      const refused = await t.request('PATCH', `/api/v1/views/${shared.id}`, { name: 'Mine now' }, as(colleague));
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      expect((await t.request('DELETE', `/api/v1/views/${shared.id}`, undefined, as(colleague))).status).toBe(403);

      const byAdmin = await t.request('PATCH', `/api/v1/views/${shared.id}`, { filter: null, columns: [{ field: 'name', width: 300 }] }, as(admin));
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({ filter: null, columns: [{ field: 'name', width: 300 }], ownerId: rep.id });
      const privately = await t.request('PATCH', `/api/v1/views/${shared.id}`, { visibility: 'private' }, as(admin));
      expect(privately.status).toBe(422);

      const badPatch = await t.request('PATCH', `/api/v1/views/${shared.id}`, { groupBy: 'nothing' }, as(rep));
      expect(badPatch.status).toBe(422);
      expect(badPatch.body.errors).toEqual([expect.objectContaining({ field: 'groupBy', code: 'unknownField' })]);
      const moved = await t.request('PATCH', `/api/v1/views/${shared.id}`, { object: 'person' }, as(rep));
      expect(moved.status).toBe(422);

      const hidden = await t.request('PATCH', `/api/v1/views/${shared.id}`, { visibility: 'private' }, as(rep));
      expect(hidden.body.visibility).toBe('private');
      expect((await t.request('GET', `/api/v1/views/${shared.id}`, undefined, as(colleague))).status).toBe(404);
    });

    it('successful-update: should keep the fields a board\'s cards show, in order, and go back to the default with null', async () => {
      const board = (await createView(rep, { object: 'opportunity', name: 'Closing soon', type: 'kanban', kanbanField: 'stage', cardFields: ['closeDate', 'amount'] })).body;
      expect(board.cardFields).toEqual(['closeDate', 'amount']);

      const reordered = await t.request('PATCH', `/api/v1/views/${board.id}`, { cardFields: ['company', 'closeDate', 'owner'], name: 'Closing' }, as(rep));
      expect(reordered.status).toBe(200);
      expect(reordered.body).toMatchObject({ name: 'Closing', kanbanField: 'stage', cardFields: ['company', 'closeDate', 'owner'] });
      // A patch without them keeps them.
      expect((await t.request('PATCH', `/api/v1/views/${board.id}`, { sort: ['-amount'] }, as(rep))).body.cardFields).toEqual(['company', 'closeDate', 'owner']);
      expect((await t.request('PATCH', `/api/v1/views/${board.id}`, { cardFields: null }, as(rep))).body.cardFields).toBeNull();
      const tooMany = await t.request('PATCH', `/api/v1/views/${board.id}`, { cardFields: Array.from({ length: 21 }, (_, index) => `f${index}`) }, as(rep));
      expect(tooMany.status).toBe(400);
    });

    it('successful-create: should save a calendar view with its start, end, colour field and mode, and keep them on a patch', async () => {
      const calendar = { startField: 'closeDate', endField: null, colorField: 'forecastCategory', mode: 'month' };
      const created = await createView(rep, { object: 'opportunity', name: 'Closing calendar', type: 'calendar', calendar });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ type: 'calendar', calendar, kanbanField: null });
      const renamed = await t.request('PATCH', `/api/v1/views/${created.body.id}`, { name: 'Closings' }, as(rep));
      expect(renamed.body).toMatchObject({ name: 'Closings', calendar });
      const agenda = await t.request('PATCH', `/api/v1/views/${created.body.id}`, { calendar: { ...calendar, mode: 'agenda' } }, as(rep));
      expect(agenda.body.calendar.mode).toBe('agenda');
    });

    it('failing-create: should refuse a calendar without settings, placed by a field that is not a date or coloured by one that is not a select', async () => {
      const missing = await createView(rep, { object: 'opportunity', name: 'No dates', type: 'calendar' });
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'calendar', code: 'required' })]);
      const wrong = await createView(rep, { object: 'opportunity', name: 'Wrong fields', type: 'calendar', calendar: { startField: 'amount', endField: 'ghost', durationField: 'name', colorField: 'closeDate', mode: 'week' } });
      expect(wrong.status).toBe(422);
      expect(Object.fromEntries(wrong.body.errors.map((error: { field: string; code: string }) => [error.field, error.code]))).toEqual({
        'calendar.startField': 'invalidType',
        'calendar.endField': 'unknownField',
        'calendar.durationField': 'invalidType',
        'calendar.colorField': 'invalidType',
      });
      const badMode = await createView(rep, { object: 'opportunity', name: 'Bad mode', type: 'calendar', calendar: { startField: 'closeDate', mode: 'year' } });
      expect(badMode.status).toBe(400);
    });

    it('successful-delete: should delete a view and its favourites; a missing one is 404', async () => {
      const view = (await createView(colleague, { object: 'person', name: 'Temporary' })).body;
      const pinned = await t.request('POST', '/api/v1/favourites', { viewId: view.id }, as(colleague));
      expect(pinned.status).toBe(201);

      expect((await t.request('DELETE', `/api/v1/views/${view.id}`, undefined, as(colleague))).status).toBe(204);
      expect((await t.request('GET', `/api/v1/views/${view.id}`, undefined, as(colleague))).status).toBe(404);
      expect((await t.request('DELETE', `/api/v1/views/${view.id}`, undefined, as(colleague))).status).toBe(404);
      expect((await t.request('DELETE', '/api/v1/views/not-a-uuid', undefined, as(colleague))).status).toBe(404);
      const favourites = (await t.request('GET', '/api/v1/favourites', undefined, as(colleague))).body.data;
      expect(favourites.map((favourite: { id: string }) => favourite.id)).not.toContain(pinned.body.id);
    });

    it('successful-create: should let a key without a user save shared views only', async () => {
      expect((await t.request('POST', '/api/v1/views', { object: 'person', name: 'Key view', visibility: 'shared' })).status).toBe(201);
      const privateView = await t.request('POST', '/api/v1/views', { object: 'person', name: 'Key private' });
      expect(privateView.status).toBe(422);
      expect(privateView.body.errors[0]).toMatchObject({ field: 'visibility' });
    });
  });

  describe('favourites', () => {
    it('successful-create: should pin records and views in order, with record labels', async () => {
      const company = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Globex' }), as(admin))).body;
      const deal = (await t.request('POST', '/api/v1/records/opportunity', opportunityFactory.build({ name: 'Globex renewal' }), as(admin))).body;
      const view = (await createView(admin, { object: 'opportunity', name: 'Renewals', visibility: 'shared' })).body;

      const first = await t.request('POST', '/api/v1/favourites', { object: 'company', recordId: company.id }, as(admin));
      const second = await t.request('POST', '/api/v1/favourites', { viewId: view.id }, as(admin));
      const third = await t.request('POST', '/api/v1/favourites', { object: 'opportunity', recordId: deal.id }, as(admin));
      expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
      expect(first.headers.location).toBe(`/api/v1/favourites/${first.body.id}`);

      const list = (await t.request('GET', '/api/v1/favourites', undefined, as(admin))).body.data;
      expect(list).toEqual([
        { id: first.body.id, kind: 'record', position: 0, record: { object: 'company', id: company.id, label: 'Globex' } },
        { id: second.body.id, kind: 'view', position: 1, view: { id: view.id, object: 'opportunity', name: 'Renewals', type: 'table' } },
        { id: third.body.id, kind: 'record', position: 2, record: { object: 'opportunity', id: deal.id, label: 'Globex renewal' } },
      ]);
      // Favourites are per person.
      expect((await t.request('GET', '/api/v1/favourites', undefined, as(rep))).body.data).toEqual([]);

      const again = await t.request('POST', '/api/v1/favourites', { object: 'company', recordId: company.id }, as(admin));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_EXISTS');

      // A trashed record drops out of the list; its favourite comes back with it.
      await t.request('DELETE', `/api/v1/records/company/${company.id}`, undefined, as(admin));
      expect((await t.request('GET', '/api/v1/favourites', undefined, as(admin))).body.data).toHaveLength(2);
      await t.request('POST', `/api/v1/records/company/${company.id}/restore`, undefined, as(admin));
      expect((await t.request('GET', '/api/v1/favourites', undefined, as(admin))).body.data).toHaveLength(3);
    });

    it('failing-create: should refuse records and views the caller cannot see, and callers without a user', async () => {
      const deal = (await t.request('POST', '/api/v1/records/opportunity', opportunityFactory.build(), as(admin))).body;
      const privateView = (await createView(rep, { object: 'person', name: 'Rep only' })).body;

      const unseenView = await t.request('POST', '/api/v1/favourites', { viewId: privateView.id }, as(colleague));
      expect(unseenView.status).toBe(422);
      expect(unseenView.body.errors).toEqual([expect.objectContaining({ field: 'viewId', code: 'relationNotFound' })]);
      const unreadable = await t.request('POST', '/api/v1/favourites', { object: 'opportunity', recordId: deal.id }, as(peopleOnly));
      expect(unreadable.status).toBe(422);
      expect(unreadable.body.errors).toEqual([expect.objectContaining({ field: 'object' })]);
      // A sales rep sees only their own deals: someone else's is as good as missing.
      const notOwned = await t.request('POST', '/api/v1/favourites', { object: 'opportunity', recordId: deal.id }, as(rep));
      expect(notOwned.status).toBe(422);
      expect(notOwned.body.errors).toEqual([expect.objectContaining({ field: 'recordId', code: 'relationNotFound' })]);
      const garbage = await t.request('POST', '/api/v1/favourites', { object: 'opportunity', recordId: 'nope' }, as(admin));
      expect(garbage.status).toBe(422);
      const bothShapes = await t.request('POST', '/api/v1/favourites', { viewId: privateView.id, object: 'person', recordId: deal.id }, as(rep));
      expect(bothShapes.status).toBe(400);

      const keyWithoutUser = await t.request('GET', '/api/v1/favourites');
      expect(keyWithoutUser.status).toBe(403);
      expect(keyWithoutUser.body.code).toBe('FORBIDDEN');
    });

    it('successful-delete: should unpin one\'s own favourite only', async () => {
      const view = (await createView(rep, { object: 'person', name: 'Pinned' })).body;
      const favourite = (await t.request('POST', '/api/v1/favourites', { viewId: view.id }, as(rep))).body;

      expect((await t.request('DELETE', `/api/v1/favourites/${favourite.id}`, undefined, as(colleague))).status).toBe(404);
      expect((await t.request('DELETE', `/api/v1/favourites/${favourite.id}`, undefined, as(rep))).status).toBe(204);
      expect((await t.request('GET', '/api/v1/favourites', undefined, as(rep))).body.data).toEqual([]);
    });
  });

  it('should describe the views and favourites routes in the OpenAPI document', async () => {
    const document = (await t.request('GET', '/api/v1/openapi.json')).body;
    expect(document.paths['/api/v1/views'].post.operationId).toBe('createView');
    expect(document.paths['/api/v1/views/{id}'].patch.operationId).toBe('updateView');
    expect(document.paths['/api/v1/favourites'].get.operationId).toBe('listFavourites');
    expect(document.paths['/api/v1/favourites/{id}'].delete.operationId).toBe('deleteFavourite');
  });
});
