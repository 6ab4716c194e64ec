import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const ROWS = 12_000;

describeEngines('count=estimate', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    // A large table the quick way (the API would take a minute), then the planner's statistics.
    await sql`insert into ${sql.id(t.workspace.schema, 'company')} (id, name, industry) select gen_random_uuid(), 'Company ' || g, case when g % 4 = 0 then 'software' else 'retail' end from generate_series(1, ${ROWS}) as g`.execute(db);
    await sql`analyze ${sql.id(t.workspace.schema, 'company')}`.execute(db);
    await t.request('POST', '/api/v1/records/person', { firstName: 'Ada', lastName: 'Lovelace' });
  });
  afterAll(async () => t?.destroy());

  it('should answer the planner estimate for a whole large table, marked as an estimate', async () => {
    const body = await t.request('POST', '/api/v1/records/company/query', { limit: 1, count: 'estimate', fields: [] });
    expect(body.status).toBe(200);
    expect(body.body.totalCountIsEstimate).toBe(true);
    expect(body.body.totalCount).toBeGreaterThan(ROWS * 0.9);
    expect(body.body.totalCount).toBeLessThan(ROWS * 1.1);
    const query = await t.request('GET', '/api/v1/records/company?limit=1&count=estimate');
    expect(query.status).toBe(200);
    expect(query.body.totalCountIsEstimate).toBe(true);
  });

  it('should leave trashed records out of the estimate', async () => {
    const before = (await t.request('POST', '/api/v1/records/company/query', { limit: 1, count: 'estimate', fields: [] })).body.totalCount as number;
    const db = t.testDatabase.database.db;
    await sql`update ${sql.id(t.workspace.schema, 'company')} set deleted_at = now() where id in (select id from ${sql.id(t.workspace.schema, 'company')} where deleted_at is null order by id limit 1000)`.execute(db);
    const after = await t.request('POST', '/api/v1/records/company/query', { limit: 1, count: 'estimate', fields: [] });
    expect(after.body.totalCountIsEstimate).toBe(true);
    expect(after.body.totalCount).toBe(before - 1000);
    await sql`update ${sql.id(t.workspace.schema, 'company')} set deleted_at = null where deleted_at is not null`.execute(db);
  });

  it('should count exactly with a filter, on a small table, or when asked for true', async () => {
    const filtered = await t.request('POST', '/api/v1/records/company/query', { limit: 1, count: 'estimate', filter: { field: 'industry', op: 'eq', value: 'software' } });
    expect(filtered.body).toMatchObject({ totalCount: ROWS / 4 });
    expect(filtered.body.totalCountIsEstimate).toBeUndefined();
    const small = await t.request('POST', '/api/v1/records/person/query', { limit: 1, count: 'estimate' });
    expect(small.body).toMatchObject({ totalCount: 1 });
    expect(small.body.totalCountIsEstimate).toBeUndefined();
    const exact = await t.request('GET', '/api/v1/records/company?limit=1&count=true');
    expect(exact.body).toMatchObject({ totalCount: ROWS });
    expect(exact.body.totalCountIsEstimate).toBeUndefined();
  });

  it('should refuse any other count value with a per-field error', async () => {
    const response = await t.request('POST', '/api/v1/records/company/query', { count: 'roughly' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBeDefined();
    const query = await t.request('GET', '/api/v1/records/company?count=roughly');
    expect(query.status).toBe(400);
  });
});
