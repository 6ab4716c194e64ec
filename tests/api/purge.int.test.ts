import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { purgeExpired } from '../../packages/server/src/engine/metadata/purge.ts';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const DAY_MS = 86_400_000;

describeEngines('purge of the trash', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const contract = {
      name: 'contract',
      labelSingular: 'Contract',
      labelPlural: 'Contracts',
      fields: [
        { name: 'title', type: 'text', label: 'Title' },
        { name: 'client', type: 'relation', label: 'Client', options: { target: 'company', kind: 'manyToOne', inverseName: 'contracts', onDelete: 'restrict' } },
      ],
    };
    expect((await t.request('POST', '/api/v1/metadata/objects', contract)).status).toBe(201);
  });
  afterAll(async () => t?.destroy());

  const db = () => t.testDatabase.database.db;
  // The daily job, run as if 31 days had passed: everything in the trash now is past its retention.
  const purgeLater = () => purgeExpired(db(), new Date(Date.now() + 31 * DAY_MS));
  const tableExists = async (name: string) =>
    (await sql`select 1 from information_schema.tables where table_schema = ${t.workspace.schema} and table_name = ${name}`.execute(db())).rows.length > 0;
  const columnExists = async (table: string, column: string) =>
    (await sql`select 1 from information_schema.columns where table_schema = ${t.workspace.schema} and table_name = ${table} and column_name = ${column}`.execute(db())).rows.length > 0;
  const rowExists = async (table: string, id: string) => (await sql`select 1 from ${sql.id(t.workspace.schema, table)} where id = ${id}`.execute(db())).rows.length > 0;
  const create = async (object: string, values: Record<string, unknown>) => {
    const response = await t.request('POST', `/api/v1/records/${object}`, values);
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number };
  };
  const trash = async (object: string, id: string) => expect((await t.request('DELETE', `/api/v1/records/${object}/${id}`)).status).toBe(200);

  it('should keep trashed records within the retention period and purge them after it, restore then answering 404', async () => {
    const person = await create('person', personFactory.build());
    await trash('person', person.id);
    const early = await purgeExpired(db());
    expect(early.records).toBe(0);
    expect(await rowExists('person', person.id)).toBe(true);
    const later = await purgeLater();
    expect(later.records).toBeGreaterThanOrEqual(1);
    expect(later.skipped).toEqual([]);
    expect(await rowExists('person', person.id)).toBe(false);
    const restore = await t.request('POST', `/api/v1/records/person/${person.id}/restore`);
    expect(restore.status).toBe(404);
    expect(restore.body.code).toBe('RECORD_NOT_FOUND');
  });

  it('should drop the columns of deleted fields and the junction tables of deleted many-to-many fields', async () => {
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'shoeSize', type: 'number', label: 'Shoe size' })).status).toBe(201);
    const links = await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'partners', type: 'relation', label: 'Partners', options: { target: 'company', kind: 'manyToMany', inverseName: 'partnerPeople' } });
    expect(links.status).toBe(201);
    const [{ junction } = { junction: '' }] = (
      await sql<{ junction: string }>`select storage->'junction'->>'table' as junction from ${sql.id(t.workspace.schema, '_field')} where name = 'partners'`.execute(db())
    ).rows;
    expect(await tableExists(junction)).toBe(true);
    const company = await create('company', companyFactory.build());
    await create('person', { ...personFactory.build(), shoeSize: 42, partners: [company.id] });
    for (const field of ['shoeSize', 'partners']) expect((await t.request('DELETE', `/api/v1/metadata/objects/person/fields/${field}`)).status).toBe(204);
    expect(await columnExists('person', 'shoe_size')).toBe(true);
    const result = await purgeLater();
    // The many-to-many field takes its inverse (company.partnerPeople) with it.
    expect(result.fields).toBe(3);
    expect(await columnExists('person', 'shoe_size')).toBe(false);
    expect(await tableExists(junction)).toBe(false);
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields/shoeSize/restore')).status).toBe(404);
  });

  it('should drop the tables of deleted objects, their junction tables included', async () => {
    const gadget = {
      name: 'gadget',
      labelSingular: 'Gadget',
      labelPlural: 'Gadgets',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'users', type: 'relation', label: 'Users', options: { target: 'person', kind: 'manyToMany', inverseName: 'gadgets' } },
      ],
    };
    expect((await t.request('POST', '/api/v1/metadata/objects', gadget)).status).toBe(201);
    const person = await create('person', personFactory.build());
    await create('gadget', { name: 'Sprocket', users: [person.id] });
    const { rows } = await sql<{ junction: string }>`
      select f.storage->'junction'->>'table' as junction from ${sql.id(t.workspace.schema, '_field')} f
      join ${sql.id(t.workspace.schema, '_object')} o on o.id = f.object_id where o.name = 'gadget' and f.name = 'users'`.execute(db());
    const junction = rows[0]!.junction;
    expect((await t.request('DELETE', '/api/v1/metadata/objects/gadget')).status).toBe(204);
    const result = await purgeLater();
    expect(result.objects).toBe(1);
    expect(await tableExists('gadget')).toBe(false);
    expect(await tableExists(junction)).toBe(false);
    expect((await t.request('POST', '/api/v1/metadata/objects/gadget/restore')).status).toBe(404);
    expect((await t.request('GET', `/api/v1/records/person/${person.id}`)).status).toBe(200);
  });

  it('should refuse to trash a record a live record refers to through a restrict relation, naming the referring object only', async () => {
    const company = await create('company', companyFactory.build());
    const contract = await create('contract', { title: 'Support', client: company.id });
    const refused = await t.request('DELETE', `/api/v1/records/company/${company.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('RECORD_REFERENCED');
    expect(refused.body.detail).toContain('1 contract record (client)');
    expect(refused.body.detail).not.toContain(contract.id);
    expect((await t.request('GET', `/api/v1/records/company/${company.id}`)).status).toBe(200);
    // Once the contract is in the trash the company can follow it; both go with the purge.
    await trash('contract', contract.id);
    await trash('company', company.id);
    const result = await purgeLater();
    expect(result.skipped).toEqual([]);
    expect(await rowExists('company', company.id)).toBe(false);
    expect(await rowExists('contract', contract.id)).toBe(false);
  });

  it('should skip a trashed record still referenced through a restrict relation and purge everything else', async () => {
    const company = await create('company', companyFactory.build());
    const contract = await create('contract', { title: 'Maintenance', client: company.id });
    await trash('contract', contract.id);
    await trash('company', company.id);
    // Restoring the contract makes it refer, live, to a company in the trash.
    expect((await t.request('POST', `/api/v1/records/contract/${contract.id}/restore`)).status).toBe(200);
    const other = await create('person', personFactory.build());
    await trash('person', other.id);
    const result = await purgeLater();
    expect(result.skipped).toEqual([expect.objectContaining({ workspaceId: t.workspace.id, object: 'company', reason: expect.stringContaining('restricts deletion') })]);
    expect(await rowExists('company', company.id)).toBe(true);
    expect(await rowExists('person', other.id)).toBe(false);
    // Nothing is stuck: once the contract lets go, the next run purges the company.
    expect((await t.request('PATCH', `/api/v1/records/contract/${contract.id}`, { client: null })).status).toBe(200);
    const next = await purgeLater();
    expect(next.skipped).toEqual([]);
    expect(await rowExists('company', company.id)).toBe(false);
  });

  it('should empty setNull relations to purged records as a write: version, history and event', async () => {
    const company = await create('company', companyFactory.build());
    const person = await create('person', { ...personFactory.build(), company: company.id });
    await trash('company', company.id);
    const result = await purgeLater();
    expect(result.clearedReferences).toBe(1);
    const after = await t.request('GET', `/api/v1/records/person/${person.id}`);
    expect(after.body).toMatchObject({ company: null, version: person.version + 1 });
    const history = await t.request('GET', `/api/v1/records/person/${person.id}/history`);
    expect(history.body.data[0]).toMatchObject({ changeType: 'updated', field: 'company', oldValue: company.id, newValue: null });
    const { rows } = await sql<{ type: string; changed_fields: string[]; payload: { company: unknown; version: number } }>`
      select type, changed_fields, payload from rapport.event where record_id = ${person.id} order by id desc limit 1`.execute(db());
    expect(rows[0]).toMatchObject({ type: 'record.updated', changed_fields: ['company'], payload: { company: null, version: person.version + 1 } });
  });

  it('should empty references (any object) to purged records as a write, leaving references to other objects alone', async () => {
    const company = await create('company', companyFactory.build());
    const kept = await create('company', companyFactory.build());
    const about = await create('task', { title: 'About the purged company', related: { object: 'company', id: company.id } });
    const other = await create('task', { title: 'About another company', related: { object: 'company', id: kept.id } });
    await trash('company', company.id);

    const result = await purgeLater();

    // The task's typed link (company, setNull) and its reference (related) are both emptied.
    expect(result.clearedReferences).toBe(2);
    const after = (await t.request('GET', `/api/v1/records/task/${about.id}`)).body;
    expect(after).toMatchObject({ related: null, company: null, version: about.version + 2 });
    const history = (await t.request('GET', `/api/v1/records/task/${about.id}/history`)).body.data as Record<string, unknown>[];
    expect(history.find((entry) => entry.field === 'related')).toMatchObject({ changeType: 'updated', oldValue: { object: 'company', id: company.id }, newValue: null });
    expect((await t.request('GET', `/api/v1/records/task/${other.id}`)).body).toMatchObject({ related: { object: 'company', id: kept.id }, version: other.version });
  });
});
