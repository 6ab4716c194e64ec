import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('record table indexes', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.destroy());

  const indexesOf = async (table: string) => {
    const { rows } = await sql<{ name: string; method: string }>`
      select i.relname as name, a.amname as method from pg_index x
      join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid
      join pg_namespace n on n.oid = c.relnamespace join pg_am a on a.oid = i.relam
      where n.nspname = ${t.workspace.schema} and c.relname = ${table}`.execute(t.testDatabase.database.db);
    return new Map(rows.map((row) => [row.name, row.method]));
  };

  it('should give the standard objects no index that another one already covers', async () => {
    const person = await indexesOf('person');
    expect(person.get('person_email_uniq')).toBe('btree');
    expect(person.has('person_email_idx')).toBe(false);
    expect(person.has('person_address_country_last_name_cidx')).toBe(true);
    expect(person.has('person_last_name_idx')).toBe(true);
    expect(person.has('person_last_name_cidx')).toBe(false);
    const company = await indexesOf('company');
    expect(company.has('company_name_idx')).toBe(true);
    expect(company.has('company_name_cidx')).toBe(false);
  });

  it('should search every record table through a GIN index of its tokens', async () => {
    for (const table of ['company', 'person', 'opportunity', 'task', 'note']) expect((await indexesOf(table)).get(`${table}_search_idx`)).toBe('gin');
  });

  it('should swap a field plain index for a unique one when the field becomes unique, and back', async () => {
    const created = await t.request('POST', '/api/v1/metadata/objects/company/fields', { name: 'vatNumber', type: 'text', label: 'VAT number' });
    expect(created.status).toBe(201);
    expect((await indexesOf('company')).has('company_vat_number_idx')).toBe(true);

    expect((await t.request('PATCH', '/api/v1/metadata/objects/company/fields/vatNumber', { unique: true })).status).toBe(200);
    let indexes = await indexesOf('company');
    expect(indexes.has('company_vat_number_uniq')).toBe(true);
    expect(indexes.has('company_vat_number_idx')).toBe(false);

    expect((await t.request('PATCH', '/api/v1/metadata/objects/company/fields/vatNumber', { unique: false })).status).toBe(200);
    indexes = await indexesOf('company');
    expect(indexes.has('company_vat_number_uniq')).toBe(false);
    expect(indexes.has('company_vat_number_idx')).toBe(true);
  });
});
