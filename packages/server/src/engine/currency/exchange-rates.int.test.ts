import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import { exchangeRateIndexes, exchangeRateObject } from '../../modules/currency/exchange-rate.object.ts';
import { standardObjects } from '../../modules/index.ts';
import { loadWorkspaceMeta } from '../metadata/metadata-store.ts';
import { createFullAccess } from '../permissions/access.ts';
import { buildAggregateQuery } from '../query/aggregate.ts';
import { saveRecords } from '../records/save-records.ts';
import { createWorkspace } from '../workspaces/workspace.service.ts';
import { convertAmount } from './convert.ts';
import { findRateSource } from './exchange-rates.ts';

// The module's object as a standard object: its (currency, date) index, and lookups the planner can serve from it.
describeEngines('exchange rates as a standard object', (engine) => {
  let testDatabase: TestDatabase;
  const db = () => testDatabase.database.db;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    const objects = standardObjects.some((object) => object.definition.name === 'exchangeRate')
      ? standardObjects
      : [...standardObjects, { definition: exchangeRateObject, indexes: exchangeRateIndexes }];
    await createWorkspace({ db: db(), name: 'Rates Co', standardObjects: objects, defaultCurrency: 'USD' });
  });
  afterAll(async () => testDatabase?.destroy());

  it('should create the (currency, date) index and probe it for each converted amount', async () => {
    const { rows: [row] } = await sql<{ id: string }>`select id from rapport.workspace where name = 'Rates Co'`.execute(db());
    let workspace = await loadWorkspaceMeta(db(), row!.id);
    const rates = workspace.objects.get('exchangeRate')!;
    const { rows: indexes } = await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = ${workspace.schema} and tablename = ${rates.table}`.execute(db());
    expect(indexes.map((index) => index.indexdef)).toContainEqual(expect.stringMatching(/\(currency, date, id\) WHERE \(deleted_at IS NULL\)$/));

    const access = createFullAccess(workspace);
    await saveRecords({ db: db(), workspace, object: rates, access, actorId: null }, { records: [{ currency: 'EUR', rate: 0.9, date: '2026-01-01' }, { currency: 'EUR', rate: 0.8, date: '2026-06-01' }] });
    workspace = await loadWorkspaceMeta(db(), row!.id);
    expect(await convertAmount(db(), { workspace, rates: findRateSource(workspace), input: { amount: 90, from: 'EUR', date: '2026-03-01' } })).toMatchObject({ to: 'USD', result: 100 });

    const built = buildAggregateQuery({ workspace, object: workspace.objects.get('opportunity')!, query: { metrics: [{ op: 'sum', field: 'amount' }], currency: 'default' }, rows: createFullAccess(workspace).rows });
    await sql`set enable_seqscan = off`.execute(db());
    try {
      const { rows: plan } = await sql<{ 'QUERY PLAN': string }>`explain ${built.sql}`.execute(db());
      expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan( Backward)? using exchange_rate_currency_date_cidx/);
    } finally {
      await sql`reset enable_seqscan`.execute(db());
    }
  });
});
