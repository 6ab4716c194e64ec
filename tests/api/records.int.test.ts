import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, opportunityFactory, personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { sql } from 'kysely';
import type { WorkspaceMeta } from '../../packages/server/src/engine/metadata/types.ts';
import { createFullAccess } from '../../packages/server/src/engine/permissions/access.ts';
import { getRecord } from '../../packages/server/src/engine/records/read-records.ts';

const PROBLEM = /application\/problem\+json/;

describeEngines('records API', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.destroy());

  const countPeople = async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(t.workspace.schema, 'person')}`.execute(t.testDatabase.database.db);
    return rows[0]!.n;
  };
  const countEvents = async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from rapport.event`.execute(t.testDatabase.database.db);
    return rows[0]!.n;
  };

  it('should answer healthz without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('failing-auth: should return 401 problem+json when the token is missing or wrong', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/records/person' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toMatch(PROBLEM);
    expect(missing.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    const wrong = await t.request('GET', '/api/v1/records/person', undefined, { authorization: 'Bearer rap_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(wrong.status).toBe(401);
  });

  it('successful-create: should create a person with normalised values, a version and a computed full name', async () => {
    const response = await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Zoé', lastName: 'Faure', email: 'Zoe.Faure@Example.FR', phone: '+33 1 42 68 53 00' }));
    expect(response.status).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(`/api/v1/records/person/${response.body.id}`);
    expect(response.body).toMatchObject({ version: 1, firstName: 'Zoé', lastName: 'Faure', fullName: 'Zoé Faure', phone: '+33142685300' });
    expect(response.body.email).toBe('Zoe.Faure@example.fr');
    expect(response.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('failing-create: should reject unknown fields, bad values and read-only fields with per-field errors and write nothing', async () => {
    const before = [await countPeople(), await countEvents()];
    const response = await t.request('POST', '/api/v1/records/person', { firstName: 'A', nickname: 'x', email: 'not-an-email', phone: '12', fullName: 'x', createdAt: '2020-01-01' });
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const codes = Object.fromEntries(response.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(codes).toMatchObject({ nickname: 'unknownField', email: 'invalidEmail', phone: 'invalidPhone', fullName: 'readOnly', createdAt: 'readOnly' });
    expect([await countPeople(), await countEvents()]).toEqual(before);
  });

  it('failing-create: should require required fields and check select choices', async () => {
    const response = await t.request('POST', '/api/v1/records/company', { industry: 'spaceships' });
    expect(response.status).toBe(422);
    const codes = Object.fromEntries(response.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(codes).toEqual({ name: 'required', industry: 'invalidChoice' });
  });

  it('failing-request: should answer malformed JSON, wrong content and unknown objects with clear 4xx problems', async () => {
    const malformed = await t.request('POST', '/api/v1/records/person', '{"firstName": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    const array = await t.request('POST', '/api/v1/records/person', [1, 2]);
    expect(array.status).toBe(422);
    const unknown = await t.request('GET', '/api/v1/records/spaceship');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('OBJECT_NOT_FOUND');
    const badId = await t.request('GET', '/api/v1/records/person/not-a-uuid');
    expect(badId.status).toBe(404);
    const route = await t.request('GET', '/api/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.code).toBe('ROUTE_NOT_FOUND');
    const tooLarge = await t.request('POST', '/api/v1/records/person', { firstName: 'x'.repeat(2 * 1024 * 1024) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('successful-update: should honour If-Match and refuse a stale version with 412 without changing anything', async () => {
    const created = (await t.request('POST', '/api/v1/records/person', personFactory.build({ jobTitle: 'Buyer' }))).body;
    const stale = await t.request('PATCH', `/api/v1/records/person/${created.id}`, { jobTitle: 'CEO' }, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('VERSION_MISMATCH');
    expect(stale.headers.etag).toBe('"1"');
    expect((await t.request('GET', `/api/v1/records/person/${created.id}`)).body.jobTitle).toBe('Buyer');
    const updated = await t.request('PATCH', `/api/v1/records/person/${created.id}`, { jobTitle: 'CEO' }, { 'if-match': '"1"' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ jobTitle: 'CEO', version: 2 });
    expect(updated.headers.etag).toBe('"2"');
    const unchanged = await t.request('PATCH', `/api/v1/records/person/${created.id}`, { jobTitle: 'CEO' });
    expect(unchanged.body.version).toBe(2);
  });

  it('should record field-level history and one event per committed write', async () => {
    const created = (await t.request('POST', '/api/v1/records/person', personFactory.build({ jobTitle: 'Buyer', lastName: 'Old' }))).body;
    await t.request('PATCH', `/api/v1/records/person/${created.id}`, { jobTitle: 'Head of purchasing', lastName: 'New' });
    const history = await t.request('GET', `/api/v1/records/person/${created.id}/history`);
    expect(history.status).toBe(200);
    const changes = history.body.data.filter((h: { changeType: string }) => h.changeType === 'updated');
    expect(changes.map((h: { field: string; oldValue: unknown; newValue: unknown }) => [h.field, h.oldValue, h.newValue]).sort()).toEqual(
      [
        ['fullName', `${created.firstName} Old`, `${created.firstName} New`],
        ['jobTitle', 'Buyer', 'Head of purchasing'],
        ['lastName', 'Old', 'New'],
      ].sort(),
    );
    expect(history.body.data.at(-1).changeType).toBe('created');
    const { rows } = await sql<{ type: string; changed_fields: string[] }>`select type, changed_fields from rapport.event where record_id = ${created.id} order by id`.execute(t.testDatabase.database.db);
    expect(rows.map((r) => r.type)).toEqual(['record.created', 'record.updated']);
    expect(rows[1]!.changed_fields.sort()).toEqual(['fullName', 'jobTitle', 'lastName']);
  });

  it('failing-delete: should refuse a DELETE with a stale If-Match with 412 and delete nothing', async () => {
    const created = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;
    const events = await countEvents();
    const stale = await t.request('DELETE', `/api/v1/records/person/${created.id}`, undefined, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('VERSION_MISMATCH');
    expect(stale.headers.etag).toBe('"1"');
    expect(await countEvents()).toBe(events);
    const kept = await t.request('GET', `/api/v1/records/person/${created.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.version).toBe(1);
    const deleted = await t.request('DELETE', `/api/v1/records/person/${created.id}`, undefined, { 'if-match': '"1"' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).toBeTruthy();
  });

  it('should move a deleted record to the trash and restore it', async () => {
    const created = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;
    const deleted = await t.request('DELETE', `/api/v1/records/person/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).toBeTruthy();
    expect((await t.request('GET', `/api/v1/records/person/${created.id}`)).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/records/person/${created.id}`, { jobTitle: 'x' })).status).toBe(404);
    const trash = await t.request('GET', `/api/v1/records/person?deleted=true&filter=${encodeURIComponent(JSON.stringify({ field: 'id', op: 'eq', value: created.id }))}`);
    expect(trash.body.data.map((r: { id: string }) => r.id)).toEqual([created.id]);
    const restored = await t.request('POST', `/api/v1/records/person/${created.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeUndefined();
    expect((await t.request('GET', `/api/v1/records/person/${created.id}`)).status).toBe(200);
    expect((await t.request('POST', `/api/v1/records/person/${created.id}/restore`)).status).toBe(409);
  });

  it('should answer gets by id sent together each with its own record (they share one statement)', async () => {
    const people = [];
    for (let index = 0; index < 8; index++) people.push((await t.request('POST', '/api/v1/records/person', personFactory.build())).body);
    const company = (await t.request('POST', '/api/v1/records/company', companyFactory.build())).body;
    const trashed = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;
    expect((await t.request('DELETE', `/api/v1/records/person/${trashed.id}`)).status).toBe(200);
    const missing = '00000000-0000-7000-8000-000000000000';
    const responses = await Promise.all([
      ...people.map((person, index) => t.request('GET', `/api/v1/records/person/${index === 0 ? person.id.toUpperCase() : person.id}`)),
      t.request('GET', `/api/v1/records/company/${company.id}`),
      t.request('GET', `/api/v1/records/person/${trashed.id}`),
      t.request('GET', `/api/v1/records/person/${trashed.id}?deleted=true`),
      t.request('GET', `/api/v1/records/person/${missing}`),
      t.request('GET', `/api/v1/records/person/${company.id}`),
    ]);
    people.forEach((person, index) => {
      expect(responses[index]!.status).toBe(200);
      expect(responses[index]!.body).toMatchObject({ id: person.id, email: person.email, version: 1 });
      expect(responses[index]!.headers.etag).toBe('"1"');
    });
    const [ofCompany, ofTrashed, ofTrashedWithDeleted, ofMissing, ofWrongObject] = responses.slice(people.length);
    expect(ofCompany!.body).toMatchObject({ id: company.id, name: company.name });
    expect(ofTrashed!.status).toBe(404);
    expect(ofTrashed!.body.code).toBe('RECORD_NOT_FOUND');
    expect(ofTrashedWithDeleted!.status).toBe(200);
    expect(ofTrashedWithDeleted!.body).toMatchObject({ id: trashed.id, deletedAt: expect.any(String) });
    expect(ofMissing!.status).toBe(404);
    expect(ofWrongObject!.status).toBe(404);

    // Through the records layer: lookups started together run as one statement.
    const statements: string[] = [];
    const db = t.testDatabase.database.db.withPlugin({
      transformQuery: ({ node }) => {
        statements.push(node.kind);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const workspace = await (t.app as unknown as { services: { metadata: { get(id: string): Promise<WorkspaceMeta> } } }).services.metadata.get(t.workspace.id);
    const context = { db, workspace, object: workspace.objects.get('person')!, access: createFullAccess(workspace) };
    const records = await Promise.all([...people.map((person) => getRecord(context, { id: person.id })), getRecord(context, { id: missing }).catch((error: { code?: string }) => error.code)]);
    expect(records.slice(0, people.length).map((record) => (record as { id: string }).id)).toEqual(people.map((person) => person.id));
    expect(records.at(-1)).toBe('RECORD_NOT_FOUND');
    expect(statements).toHaveLength(1);
  });

  it('failing-create: should refuse a duplicate unique value with 409 naming the field', async () => {
    const person = personFactory.build();
    expect((await t.request('POST', '/api/v1/records/person', person)).status).toBe(201);
    const duplicate = await t.request('POST', '/api/v1/records/person', { ...person, firstName: 'Other' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('UNIQUE_VIOLATION');
    expect(duplicate.body.errors[0]).toMatchObject({ field: 'email', code: 'unique' });
  });

  it('successful-batch: should create in one call, and write nothing when one record is invalid', async () => {
    const before = await countPeople();
    const bad = await t.request('POST', '/api/v1/records/person/batch', { records: [personFactory.build(), personFactory.build({ email: 'broken' }), personFactory.build()] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'records[1].email', code: 'invalidEmail' })]);
    expect(await countPeople()).toBe(before);
    const good = await t.request('POST', '/api/v1/records/person/batch', { records: personFactory.buildList(3) });
    expect(good.status).toBe(200);
    expect(good.body.meta).toEqual({ created: 3, updated: 0 });
    expect(await countPeople()).toBe(before + 3);
  });

  it('successful-batch: should update the records given by id in one call', async () => {
    const [a, b] = await Promise.all(personFactory.buildList(2).map(async (person) => (await t.request('POST', '/api/v1/records/person', person)).body));
    const before = await countPeople();
    const response = await t.request('POST', '/api/v1/records/person/batch', { records: [{ id: a.id, jobTitle: 'Head of sales' }, { id: b.id, jobTitle: 'Seller' }] });
    expect(response.status).toBe(200);
    expect(response.body.meta).toEqual({ created: 0, updated: 2 });
    expect(response.body.data).toEqual([expect.objectContaining({ id: a.id, jobTitle: 'Head of sales', version: 2 }), expect.objectContaining({ id: b.id, jobTitle: 'Seller', version: 2 })]);
    expect(await countPeople()).toBe(before);
    expect((await t.request('GET', `/api/v1/records/person/${b.id}`)).body).toMatchObject({ jobTitle: 'Seller', lastName: b.lastName });
  });

  it('successful-upsert: should update the record holding the upsert value and create the others', async () => {
    const existing = (await t.request('POST', '/api/v1/records/person', personFactory.build({ jobTitle: 'Intern' }))).body;
    const fresh = personFactory.build();
    const response = await t.request('POST', '/api/v1/records/person/batch', {
      upsertOn: 'email',
      records: [{ email: existing.email, jobTitle: 'Manager' }, fresh, { ...fresh, jobTitle: 'Twice in one batch' }],
    });
    expect(response.status).toBe(200);
    expect(response.body.meta).toEqual({ created: 1, updated: 1 });
    expect(response.body.data[0]).toMatchObject({ id: existing.id, jobTitle: 'Manager', version: 2 });
    expect(response.body.data[1]).toMatchObject({ email: fresh.email, jobTitle: 'Twice in one batch' });
    const notUnique = await t.request('POST', '/api/v1/records/person/batch', { upsertOn: 'lastName', records: [fresh] });
    expect(notUnique.status).toBe(422);
  });

  it('should link relations, include related records and refuse links to missing records', async () => {
    const parent = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Parent Group' }))).body;
    const company = (await t.request('POST', '/api/v1/records/company', companyFactory.build({ parentCompany: parent.id }))).body;
    const person = (await t.request('POST', '/api/v1/records/person', personFactory.build({ company: company.id }))).body;
    expect(person.company).toBe(company.id);
    const withCompany = await t.request('GET', `/api/v1/records/person/${person.id}?include=company&fields=firstName,company`);
    expect(withCompany.body.company).toMatchObject({ id: company.id, name: company.name });
    expect(withCompany.body.email).toBeUndefined();
    const opportunity = (await t.request('POST', '/api/v1/records/opportunity', opportunityFactory.build({ company: company.id, contacts: [person.id] }))).body;
    expect(opportunity.contacts).toEqual([person.id]);
    const companyPage = await t.request('GET', `/api/v1/records/company/${company.id}?include=people,opportunities,parentCompany,childCompanies`);
    expect(companyPage.body.people.map((p: { id: string }) => p.id)).toEqual([person.id]);
    expect(companyPage.body.opportunities.map((o: { id: string }) => o.id)).toEqual([opportunity.id]);
    expect(companyPage.body.parentCompany.name).toBe('Parent Group');
    const parentPage = await t.request('GET', `/api/v1/records/company/${parent.id}?include=childCompanies`);
    expect(parentPage.body.childCompanies.map((c: { id: string }) => c.id)).toEqual([company.id]);
    const personPage = await t.request('GET', `/api/v1/records/person/${person.id}?include=opportunities`);
    expect(personPage.body.opportunities.map((o: { id: string }) => o.id)).toEqual([opportunity.id]);
    const missing = await t.request('POST', '/api/v1/records/person', personFactory.build({ company: '00000000-0000-4000-8000-000000000000' }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ field: 'company', code: 'relationNotFound' });
    const badInclude = await t.request('GET', `/api/v1/records/person/${person.id}?include=email`);
    expect(badInclude.status).toBe(400);
  });

  it('should apply object validation rules written in CEL', async () => {
    const response = await t.request('POST', '/api/v1/records/opportunity', opportunityFactory.build({ amount: { amount: -5, currency: 'EUR' } }));
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ field: 'amount', code: 'rule', message: 'The amount cannot be negative.' }]);
    const defaulted = await t.request('POST', '/api/v1/records/opportunity', { name: 'No stage given', amount: 100 });
    expect(defaulted.status).toBe(201);
    // The stage field's default comes from the pipeline module: the first stage of the default pipeline.
    expect(defaulted.body).toMatchObject({ stage: expect.stringMatching(/^[0-9a-f-]{36}$/), probability: 10, amount: { amount: 100, currency: 'EUR' } });
  });

  it('should list, filter, sort, count and page with cursors through GET and POST query', async () => {
    await t.request('POST', '/api/v1/records/person/batch', {
      records: ['Ada', 'Bea', 'Cid', 'Dan', 'Eve'].map((firstName) => personFactory.build({ firstName, lastName: 'Listed', address: { city: 'Lyon', country: 'FR' } })),
    });
    const filter = { and: [{ field: 'lastName', op: 'eq', value: 'Listed' }, { field: 'address.country', op: 'eq', value: 'FR' }] };
    const first = await t.request('GET', `/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=-firstName&limit=2&count=true&fields=firstName`);
    expect(first.status).toBe(200);
    expect(first.body.totalCount).toBe(5);
    expect(first.body.data.map((p: { firstName: string }) => p.firstName)).toEqual(['Eve', 'Dan']);
    expect(first.body.pageInfo.hasNextPage).toBe(true);
    const seen = [...first.body.data];
    let cursor = first.body.pageInfo.nextCursor;
    while (cursor) {
      const page = await t.request('POST', '/api/v1/records/person/query', { filter, sort: ['-firstName'], limit: 2, cursor, fields: ['firstName'] });
      seen.push(...page.body.data);
      cursor = page.body.pageInfo.nextCursor;
    }
    expect(seen.map((p) => p.firstName)).toEqual(['Eve', 'Dan', 'Cid', 'Bea', 'Ada']);
    const badFilter = await t.request('GET', `/api/v1/records/person?filter=${encodeURIComponent('{"field":"shoeSize","op":"eq","value":1}')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.code).toBe('INVALID_QUERY');
    const related = await t.request('POST', '/api/v1/records/person/query', { filter: { field: 'company.industry', op: 'eq', value: 'software' }, count: true });
    expect(related.status).toBe(200);
  });

  it('should aggregate grouped sums', async () => {
    await t.request('POST', '/api/v1/records/opportunity/batch', {
      records: [
        opportunityFactory.build({ forecastCategory: 'commit', amount: { amount: 100, currency: 'EUR' } }),
        opportunityFactory.build({ forecastCategory: 'commit', amount: { amount: 250, currency: 'EUR' } }),
        opportunityFactory.build({ forecastCategory: 'bestCase', amount: { amount: 40, currency: 'EUR' } }),
      ],
    });
    const response = await t.request('POST', '/api/v1/records/opportunity/aggregate', {
      filter: { field: 'forecastCategory', op: 'in', value: ['commit', 'bestCase'] },
      groupBy: ['forecastCategory'],
      metrics: [{ op: 'sum', field: 'amount' }, { op: 'count' }],
    });
    expect(response.status).toBe(200);
    const byCategory = Object.fromEntries(response.body.data.map((row: { forecastCategory: string; sum_amount: number; count: number }) => [row.forecastCategory, [row.sum_amount, row.count]]));
    expect(byCategory).toEqual({ commit: [350, 2], bestCase: [40, 1] });
  });

  it('should find records by prefix and with a typo in global search', async () => {
    await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Bartholomew', lastName: 'Quintero', email: 'bq@quintero.example' }));
    await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Quintessence Labs' }));
    const prefix = await t.request('GET', '/api/v1/search?q=quint&limit=5');
    expect(prefix.status).toBe(200);
    const labels = prefix.body.data.map((hit: { label: string }) => hit.label);
    expect(labels).toContain('Bartholomew Quintero');
    expect(labels).toContain('Quintessence Labs');
    const typo = await t.request('GET', '/api/v1/search?q=bartholomwe&objects=person');
    expect(typo.body.data[0]).toMatchObject({ object: 'person', label: 'Bartholomew Quintero' });
    const none = await t.request('GET', '/api/v1/search?q=zzzzqqqq');
    expect(none.body.data).toEqual([]);
    const bad = await t.request('GET', '/api/v1/search');
    expect(bad.status).toBe(400);
  });
});
