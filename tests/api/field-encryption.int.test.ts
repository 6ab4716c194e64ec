import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataJobHandlers } from '../../packages/server/src/background.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { createFieldKeyring } from '../../packages/server/src/engine/crypto/field-keys.ts';
import { rotateMasterKey } from '../../packages/server/src/engine/crypto/master-key-rotation.ts';
import { startWorker } from '../../packages/server/src/engine/jobs/index.ts';
import { loadWorkspaceMeta } from '../../packages/server/src/engine/metadata/metadata-store.ts';
import { toApiRecord } from '../../packages/server/src/engine/records/record-shape.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const ENCRYPTED_FIELDS = [
  { name: 'taxId', type: 'text', label: 'Tax id', options: { encrypted: true } },
  { name: 'privateEmail', type: 'email', label: 'Private email', unique: true, options: { encrypted: true } },
  { name: 'privatePhone', type: 'phone', label: 'Private phone', options: { encrypted: true, defaultCountry: 'FR' } },
  { name: 'salary', type: 'number', label: 'Salary', options: { encrypted: true } },
  { name: 'birthDate', type: 'date', label: 'Birth date', options: { encrypted: true } },
];
// Values that appear nowhere else in the test database.
const SECRET = { taxId: 'FR-TAX-7781-QX', privateEmail: 'zelda.quimper@private.example', privatePhone: '+33 6 12 34 56 78', salary: 987654.25, birthDate: '1979-03-14' };
const PLAINTEXT = ['FR-TAX-7781-QX', 'zelda.quimper', '612345678', '987654.25', '1979-03-14'];

const filterQuery = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;

describeEngines('encrypted fields', (engine) => {
  let t: TestApp;
  const masterKey = randomBytes(32);
  let rep: TestUser; // a role that cannot see `salary`
  let zelda: Body;
  const db = () => t.testDatabase.database.db;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const dump = async (query: ReturnType<typeof sql<{ text: string }>>) => (await query.execute(db())).rows.map((row) => row.text).join('\n');
  const expectNoPlaintext = (text: string) => {
    for (const value of PLAINTEXT) expect(text).not.toContain(value);
  };

  beforeAll(async () => {
    t = await createTestApp(engine, 'Acme', { masterKey });
    for (const field of ENCRYPTED_FIELDS) expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', field)).status).toBe(201);
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: { '*': ALL }, fields: { person: { salary: 'hidden' } }, recordAccess: 'all' })).body;
    rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.id, name: 'Rep' });
    const created = await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Zelda', lastName: 'Quimper', ...SECRET }));
    expect(created.status).toBe(201);
    zelda = created.body;
  });
  afterAll(async () => t?.destroy());

  describe('metadata', () => {
    it('should show options.encrypted in the field metadata', async () => {
      const field = await t.request('GET', '/api/v1/metadata/objects/person/fields/privateEmail');
      expect(field.status).toBe(200);
      expect(field.body).toMatchObject({ name: 'privateEmail', type: 'email', unique: true, options: { encrypted: true } });
      const object = await t.request('GET', '/api/v1/metadata/objects/person');
      expect(object.body.fields.find((f: Body) => f.name === 'salary').options).toEqual({ encrypted: true });
    });

    it('failing-create: should refuse encryption where it cannot keep its promise', async () => {
      const cases: Array<[Body, string, string]> = [
        [{ name: 'tier', type: 'select', label: 'Tier', options: { encrypted: true, choices: [{ value: 'a', label: 'A' }] } }, 'options.encrypted', 'unknownField'],
        [{ name: 'nickname2', type: 'text', label: 'Nickname', isSearchable: true, options: { encrypted: true } }, 'isSearchable', 'invalidChoice'],
        [{ name: 'passport', type: 'text', label: 'Passport', unique: true, options: { encrypted: true } }, 'unique', 'invalidChoice'],
        [{ name: 'bonus', type: 'number', label: 'Bonus', defaultValue: 5, options: { encrypted: true } }, 'defaultValue', 'invalidChoice'],
        [{ name: 'secretFlag', type: 'text', label: 'Flag', options: { encrypted: 'yes' } }, 'options.encrypted', 'invalidType'],
      ];
      for (const [definition, field, code] of cases) {
        const response = await t.request('POST', '/api/v1/metadata/objects/person/fields', definition);
        expect(response.status).toBe(422);
        expect(response.body.code).toBe('INVALID_METADATA');
        expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
      }
    });

    it('failing-create: should refuse a formula that reads an encrypted field, as its result is stored in plain text', async () => {
      const formula = await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'taxCountry', type: 'formula', label: 'Tax country', options: { expression: 'record.?taxId.orValue("").substring(0, 2)', resultType: 'text' } });
      expect(formula.status).toBe(422);
      expect(formula.body.errors[0]).toMatchObject({ field: 'options.expression' });
      expect(formula.body.detail).toContain('taxId');
    });

    it('failing-update: should refuse turning encryption on or off for an existing field', async () => {
      const on = await t.request('PATCH', '/api/v1/metadata/objects/person/fields/jobTitle', { options: { encrypted: true } });
      expect(on.status).toBe(422);
      expect(on.body.errors).toContainEqual(expect.objectContaining({ field: 'options.encrypted', code: 'readOnly' }));
      const off = await t.request('PATCH', '/api/v1/metadata/objects/person/fields/taxId', { options: { encrypted: false } });
      expect(off.status).toBe(422);
      const relabel = await t.request('PATCH', '/api/v1/metadata/objects/person/fields/taxId', { label: 'Tax number' });
      expect(relabel.status).toBe(200);
      expect(relabel.body).toMatchObject({ label: 'Tax number', options: { encrypted: true } });
    });
  });

  describe('storage', () => {
    it('should store only ciphertext and blind indexes in the record table', async () => {
      const row = await dump(sql<{ text: string }>`select t::text as text from ${sql.id(t.workspace.schema, 'person')} t where id = ${zelda.id}`);
      expect(row).toContain('Zelda');
      expectNoPlaintext(row);
      const { rows } = await sql<Record<string, string>>`select tax_id, salary, private_email, private_email__bidx from ${sql.id(t.workspace.schema, 'person')} where id = ${zelda.id}`.execute(db());
      expect(rows[0]!.tax_id).toMatch(/^rf1:1:[A-Za-z0-9_-]+$/);
      expect(rows[0]!.salary).toMatch(/^rf1:1:/);
      expect(rows[0]!.private_email__bidx).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('should seal equal values differently each time (random IV)', async () => {
      const other = await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Twin', taxId: SECRET.taxId }));
      expect(other.status).toBe(201);
      const { rows } = await sql<{ tax_id: string }>`select tax_id from ${sql.id(t.workspace.schema, 'person')} where id in (${zelda.id}, ${other.body.id})`.execute(db());
      expect(rows).toHaveLength(2);
      expect(rows[0]!.tax_id).not.toBe(rows[1]!.tax_id);
    });

    it('should keep the workspace data key sealed under the master key', async () => {
      const { rows } = await sql<{ version: number; sealed_key: string }>`select version, sealed_key from rapport.workspace_key where workspace_id = ${t.workspace.id}`.execute(db());
      expect(rows).toHaveLength(1);
      expect(rows[0]!.version).toBe(1);
      expect(rows[0]!.sealed_key).toMatch(/^v1\./);
    });

    it('should keep history and outbox events free of plaintext', async () => {
      const updated = await t.request('PATCH', `/api/v1/records/person/${zelda.id}`, { salary: 1_234_567.5, taxId: 'FR-TAX-0000-ZZ' });
      expect(updated.status).toBe(200);
      const history = await dump(sql<{ text: string }>`select h::text as text from ${sql.id(t.workspace.schema, '_history')} h where record_id = ${zelda.id}`);
      const events = await dump(sql<{ text: string }>`select e::text as text from rapport.event e where record_id = ${zelda.id}`);
      for (const text of [history, events]) {
        expect(text).toContain('rf1:1:');
        expectNoPlaintext(text);
        expect(text).not.toContain('1234567.5');
        expect(text).not.toContain('FR-TAX-0000-ZZ');
      }
      expect(events).toContain('Quimper');

      // Through the change feed, a caller who may see the fields reads them in the clear.
      const feed = await t.request('GET', '/api/v1/events?limit=100');
      expect(feed.status).toBe(200);
      const update = feed.body.data.filter((event: { recordId: string; type: string }) => event.recordId === zelda.id && event.type === 'record.updated').at(-1);
      expect(update.payload).toMatchObject({ salary: 1_234_567.5, taxId: 'FR-TAX-0000-ZZ' });
    });
  });

  describe('reads', () => {
    it('successful-read: should return the values decrypted on get, list and write', async () => {
      const expected = { taxId: SECRET.taxId, privateEmail: SECRET.privateEmail, privatePhone: '+33612345678', salary: SECRET.salary, birthDate: SECRET.birthDate };
      expect(zelda).toMatchObject(expected);
      const get = await t.request('GET', `/api/v1/records/person/${zelda.id}`);
      expect(get.status).toBe(200);
      expect(get.body).toMatchObject({ ...expected, taxId: 'FR-TAX-0000-ZZ', salary: 1_234_567.5 });
      const list = await t.request('GET', `/api/v1/records/person?${filterQuery({ field: 'lastName', op: 'eq', value: 'Quimper' })}`);
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({ privateEmail: SECRET.privateEmail, birthDate: SECRET.birthDate });
    });

    it('should show the history of encrypted fields opened to those who may read them', async () => {
      const history = await t.request('GET', `/api/v1/records/person/${zelda.id}/history`);
      expect(history.status).toBe(200);
      const salary = history.body.data.find((item: Body) => item.field === 'salary');
      expect(salary).toMatchObject({ oldValue: SECRET.salary, newValue: 1_234_567.5 });
      const created = history.body.data.find((item: Body) => item.changeType === 'created');
      expect(created.newValue).toMatchObject({ taxId: SECRET.taxId, privateEmail: SECRET.privateEmail });
    });

    it('should hide an encrypted field from a role that may not see it, in records and history', async () => {
      const get = await as(rep)('GET', `/api/v1/records/person/${zelda.id}`);
      expect(get.status).toBe(200);
      expect(get.body.taxId).toBe('FR-TAX-0000-ZZ');
      expect(get.body).not.toHaveProperty('salary');
      const history = await as(rep)('GET', `/api/v1/records/person/${zelda.id}/history`);
      expect(JSON.stringify(history.body)).not.toContain('1234567.5');
      expect(history.body.data.some((item: Body) => item.field === 'salary')).toBe(false);
      const filter = await as(rep)('GET', `/api/v1/records/person?${filterQuery({ field: 'salary', op: 'isEmpty' })}`);
      expect(filter.status).toBe(400);
      expect(filter.body.code).toBe('INVALID_QUERY');
    });
  });

  describe('queries', () => {
    it('should find a record by an encrypted email or phone through the blind index, normalised like stored values', async () => {
      const byEmail = await t.request('GET', `/api/v1/records/person?${filterQuery({ field: 'privateEmail', op: 'eq', value: ' zelda.quimper@PRIVATE.Example' })}`);
      expect(byEmail.status).toBe(200);
      expect(byEmail.body.data.map((r: Body) => r.id)).toEqual([zelda.id]);
      const byPhone = await t.request('POST', '/api/v1/records/person/query', { filter: { field: 'privatePhone', op: 'in', value: ['06 12 34 56 78', '+33 1 00 00 00 00'] } });
      expect(byPhone.body.data.map((r: Body) => r.id)).toEqual([zelda.id]);
      const none = await t.request('POST', '/api/v1/records/person/query', { filter: { field: 'privateEmail', op: 'eq', value: 'nobody@private.example' } });
      expect(none.body.data).toEqual([]);
      const others = await t.request('POST', '/api/v1/records/person/query', { filter: { and: [{ field: 'privateEmail', op: 'neq', value: SECRET.privateEmail }, { field: 'privateEmail', op: 'isNotEmpty' }] } });
      expect(others.body.data).toEqual([]);
    });

    it('should filter any encrypted field by emptiness', async () => {
      const filled = await t.request('POST', '/api/v1/records/person/query', { filter: { field: 'birthDate', op: 'isNotEmpty' }, count: true });
      expect(filled.body.totalCount).toBe(1);
      expect(filled.body.data[0].id).toBe(zelda.id);
    });

    it('failing-query: should answer ENCRYPTED_FIELD_UNSUPPORTED for sorts, comparisons, groups and metrics', async () => {
      const attempts = [
        t.request('GET', '/api/v1/records/person?sort=taxId'),
        t.request('POST', '/api/v1/records/person/query', { sort: ['-birthDate'] }),
        t.request('POST', '/api/v1/records/person/query', { filter: { field: 'taxId', op: 'eq', value: SECRET.taxId } }),
        t.request('POST', '/api/v1/records/person/query', { filter: { field: 'taxId', op: 'contains', value: 'TAX' } }),
        t.request('POST', '/api/v1/records/person/query', { filter: { field: 'salary', op: 'gt', value: 10 } }),
        t.request('POST', '/api/v1/records/person/query', { filter: { field: 'birthDate', op: 'during', value: 'thisYear' } }),
        t.request('POST', '/api/v1/records/person/query', { filter: { field: 'privateEmail', op: 'startsWith', value: 'zelda' } }),
        t.request('POST', '/api/v1/records/person/aggregate', { metrics: [{ op: 'sum', field: 'salary' }] }),
        t.request('POST', '/api/v1/records/person/aggregate', { groupBy: ['privateEmail'] }),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('ENCRYPTED_FIELD_UNSUPPORTED');
        expect(response.body.errors[0]).toMatchObject({ code: 'encrypted', field: expect.stringMatching(/^(taxId|birthDate|salary|privateEmail)$/) });
      }
    });

    it('should never find a record by an encrypted value in global search', async () => {
      for (const q of ['FR-TAX-0000-ZZ', 'zelda.quimper@private.example', '+33612345678']) {
        const search = await t.request('GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
        expect(search.status).toBe(200);
        expect(search.body.data.some((hit: Body) => hit.id === zelda.id || hit.recordId === zelda.id)).toBe(false);
      }
      const byName = await t.request('GET', '/api/v1/search?q=Quimper');
      expect(JSON.stringify(byName.body)).toContain(zelda.id);
      const { rows } = await sql<{ search_text: string }>`select search_text from ${sql.id(t.workspace.schema, 'person')} where id = ${zelda.id}`.execute(db());
      expectNoPlaintext(rows[0]!.search_text);
    });
  });

  describe('unique and upsert through the blind index', () => {
    it('failing-create: should refuse a second record with the same encrypted email without echoing a hash', async () => {
      const duplicate = await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Copycat', privateEmail: 'zelda.quimper@Private.EXAMPLE' }));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('UNIQUE_VIOLATION');
      expect(duplicate.body.errors[0]).toMatchObject({ field: 'privateEmail', code: 'unique', message: 'Already used by another record.' });
    });

    it('successful-upsert: should update the record holding the encrypted email', async () => {
      const upsert = await t.request('POST', '/api/v1/records/person/batch', { upsertOn: 'privateEmail', records: [{ privateEmail: SECRET.privateEmail, jobTitle: 'Keeper' }] });
      expect(upsert.status).toBe(200);
      expect(upsert.body.meta).toEqual({ created: 0, updated: 1 });
      expect(upsert.body.data[0]).toMatchObject({ id: zelda.id, jobTitle: 'Keeper', privateEmail: SECRET.privateEmail });
    });
  });
  describe('encrypting an existing field (job)', () => {
    let ada: Body;

    beforeAll(async () => {
      const created = await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Ada', lastName: 'Vexford', email: 'ada.vexford@plain.example' }));
      expect(created.status).toBe(201);
      ada = created.body;
      expect((await t.request('PATCH', `/api/v1/records/person/${ada.id}`, { email: 'ada.vexford@later.example' })).status).toBe(200);
      expect((await t.request('DELETE', `/api/v1/records/person/${ada.id}`)).status).toBe(200);
      expect((await t.request('POST', `/api/v1/records/person/${ada.id}/restore`)).status).toBe(200);
    });

    it('failing-encrypt: should refuse fields that cannot be encrypted, before queueing anything', async () => {
      const select = await t.request('POST', '/api/v1/metadata/objects/person/fields/address/encrypt');
      expect(select.status).toBe(422);
      expect(select.body.errors[0]).toMatchObject({ field: 'type', code: 'invalidChoice' });
      const again = await t.request('POST', '/api/v1/metadata/objects/person/fields/taxId/encrypt');
      expect(again.status).toBe(422);
      expect(again.body.errors[0].field).toBe('options.encrypted');
      const readByFormula = await t.request('POST', '/api/v1/metadata/objects/person/fields/lastName/encrypt');
      expect(readByFormula.status).toBe(422);
      expect(readByFormula.body.detail).toContain('fullName');
      const missing = await t.request('POST', '/api/v1/metadata/objects/person/fields/shoeSize/encrypt');
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('FIELD_NOT_FOUND');
      const asRep = await as(rep)('POST', '/api/v1/metadata/objects/person/fields/email/encrypt');
      expect(asRep.status).toBe(403);
    });

    it('successful-encrypt: should encrypt the stored values, their history and events, and keep lookups by the blind index', async () => {
      expect((await t.request('GET', `/api/v1/search?q=${encodeURIComponent('ada.vexford@later.example')}`)).body.data.some((hit: Body) => JSON.stringify(hit).includes(ada.id))).toBe(true);
      const queued = await t.request('POST', '/api/v1/metadata/objects/person/fields/email/encrypt');
      expect(queued.status).toBe(202);
      expect(queued.body.job).toMatchObject({ type: 'metadata.encryptField', status: 'queued' });
      const services = (t.app as unknown as { services: EngineServices }).services;
      const worker = startWorker({ db: db(), handlers: metadataJobHandlers(services), pollIntervalMs: 50, engine });
      let job: Body = queued.body.job;
      try {
        for (let attempt = 0; attempt < 200 && !['completed', 'failed', 'cancelled'].includes(job.status); attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          job = (await t.request('GET', `/api/v1/jobs/${queued.body.job.id}`)).body;
        }
      } finally {
        await worker.stop();
      }
      expect(job.status).toBe('completed');
      expect(job.result.rows).toBeGreaterThanOrEqual(3);

      const field = await t.request('GET', '/api/v1/metadata/objects/person/fields/email');
      expect(field.body).toMatchObject({ unique: true, isSearchable: false, options: { encrypted: true } });
      const table = await dump(sql<{ text: string }>`select t::text as text from ${sql.id(t.workspace.schema, 'person')} t`);
      const history = await dump(sql<{ text: string }>`select h::text as text from ${sql.id(t.workspace.schema, '_history')} h where record_id = ${ada.id}`);
      const events = await dump(sql<{ text: string }>`select e::text as text from rapport.event e where record_id = ${ada.id}`);
      for (const text of [table, history, events]) {
        expect(text).not.toContain('ada.vexford');
        expect(text).toContain('Vexford');
      }
      expect(table).not.toContain('person1.');

      const get = await t.request('GET', `/api/v1/records/person/${ada.id}`);
      expect(get.body.email).toBe('ada.vexford@later.example');
      const changes = await t.request('GET', `/api/v1/records/person/${ada.id}/history`);
      expect(changes.body.data.find((item: Body) => item.field === 'email')).toMatchObject({ oldValue: 'ada.vexford@plain.example', newValue: 'ada.vexford@later.example' });
      const found = await t.request('POST', '/api/v1/records/person/query', { filter: { field: 'email', op: 'eq', value: 'ada.vexford@LATER.example' } });
      expect(found.body.data.map((r: Body) => r.id)).toEqual([ada.id]);
      const search = await t.request('GET', `/api/v1/search?q=${encodeURIComponent('ada.vexford@later.example')}`);
      expect(search.body.data.some((hit: Body) => JSON.stringify(hit).includes(ada.id))).toBe(false);
      const duplicate = await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Again', email: 'ada.vexford@later.example' }));
      expect(duplicate.status).toBe(409);
      const sorted = await t.request('GET', '/api/v1/records/person?sort=email');
      expect(sorted.body.code).toBe('ENCRYPTED_FIELD_UNSUPPORTED');
      const written = await t.request('PATCH', `/api/v1/records/person/${ada.id}`, { email: 'ada@third.example' });
      expect(written.status).toBe(200);
      expect(written.body.email).toBe('ada@third.example');
    });
  });
  describe('key rotation', () => {
    const services = () => (t.app as unknown as { services: EngineServices }).services;

    it('should seal new values with a rotated data key and still open the old ones and their blind index', async () => {
      const version = await services().metadata.fieldKeys!.rotateDataKey(db(), t.workspace.id);
      expect(version).toBe(2);
      services().onMetadataChanged(t.workspace.id);
      const created = await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Rotated', taxId: 'ROT-1' }));
      expect(created.body.taxId).toBe('ROT-1');
      const { rows } = await sql<{ tax_id: string }>`select tax_id from ${sql.id(t.workspace.schema, 'person')} where id = ${created.body.id}`.execute(db());
      expect(rows[0]!.tax_id).toMatch(/^rf1:2:/);
      expect((await t.request('GET', `/api/v1/records/person/${zelda.id}`)).body.taxId).toBe('FR-TAX-0000-ZZ');
      const found = await t.request('POST', '/api/v1/records/person/query', { filter: { field: 'privateEmail', op: 'eq', value: SECRET.privateEmail } });
      expect(found.body.data.map((r: Body) => r.id)).toEqual([zelda.id]);
    });

    it('should re-seal the data keys under a new master key, after which only the new one opens them', async () => {
      const nextMaster = randomBytes(32);
      expect((await rotateMasterKey(db(), { currentKey: masterKey, nextKey: nextMaster })).resealed['workspace data keys']).toBe(2);
      const workspace = await createFieldKeyring(nextMaster).attach(db(), await loadWorkspaceMeta(db(), t.workspace.id));
      const person = workspace.objects.get('person')!;
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.id(t.workspace.schema, 'person')} where id = ${zelda.id}`.execute(db());
      expect(toApiRecord(person, rows[0]!)).toMatchObject({ taxId: 'FR-TAX-0000-ZZ', privateEmail: SECRET.privateEmail, salary: 1_234_567.5 });
      await expect(services().metadata.fieldKeys!.attach(db(), await loadWorkspaceMeta(db(), t.workspace.id))).rejects.toThrow(/RAPPORT_SECRET/);
    });
  });
});
