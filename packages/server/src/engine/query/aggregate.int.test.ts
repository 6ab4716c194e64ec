import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import type { Db } from '../db/database.ts';
import { runAggregate } from './aggregate.ts';
import { NOW, person, seedCrm, workspace } from './test-crm-fixture.ts';
import { ALL_ROWS } from './row-scope.ts';

describeEngines('aggregates', (engine) => {
  let testDatabase: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    db = testDatabase.database.db;
    await seedCrm(db);
  });

  afterAll(async () => {
    await testDatabase?.destroy();
  });

  describe('successful-aggregates', () => {
    const aggregate = (query: Parameters<typeof runAggregate>[1]['query']) => runAggregate(db, { workspace, object: person, query, rows: ALL_ROWS, now: NOW });

    it('should count by a select, empty values last', async () => {
      expect((await aggregate({ groupBy: ['stage'] })).data).toEqual([
        { stage: 'churned', count: 1 },
        { stage: 'customer', count: 2 },
        { stage: 'lead', count: 2 },
        { stage: null, count: 2 },
      ]);
    });

    it('should bucket datetimes by day and month in the workspace time zone', async () => {
      expect((await aggregate({ groupBy: [{ field: 'lastContactAt', bucket: 'day' }] })).data).toEqual([
        { 'lastContactAt:day': '2024-05-14', count: 1 },
        { 'lastContactAt:day': '2024-05-15', count: 2 },
        { 'lastContactAt:day': '2024-06-01', count: 1 },
        { 'lastContactAt:day': null, count: 3 },
      ]);
      expect((await aggregate({ groupBy: [{ field: 'lastContactAt', bucket: 'month', alias: 'month' }], filter: { field: 'lastContactAt', op: 'isNotEmpty' } })).data).toEqual([
        { month: '2024-05-01', count: 3 },
        { month: '2024-06-01', count: 1 },
      ]);
    });

    it('should bucket dates by year and week', async () => {
      expect((await aggregate({ groupBy: [{ field: 'birthday', bucket: 'year' }] })).data).toEqual([
        { 'birthday:year': '1985-01-01', count: 1 },
        { 'birthday:year': '1990-01-01', count: 2 },
        { 'birthday:year': '2000-01-01', count: 1 },
        { 'birthday:year': '2024-01-01', count: 1 },
        { 'birthday:year': null, count: 2 },
      ]);
      // 2024-05-20 is a Monday; 2000-02-29 a Tuesday.
      expect((await aggregate({ groupBy: [{ field: 'birthday', bucket: 'week', alias: 'week' }], filter: { field: 'birthday', op: 'gte', value: '2000-01-01' } })).data).toEqual([
        { week: '2000-02-28', count: 1 },
        { week: '2024-05-20', count: 1 },
      ]);
    });

    it('should group through a relation and sort by a metric', async () => {
      expect((await aggregate({ groupBy: ['company.industry'], metrics: [{ op: 'count' }, { op: 'sum', field: 'salary' }], sort: ['-sum_salary'] })).data).toEqual([
        { 'company.industry': 'finance', count: 1, sum_salary: 99999999.9999 },
        { 'company.industry': null, count: 4, sum_salary: 2500.5 },
        { 'company.industry': 'tech', count: 2, sum_salary: 1000 },
      ]);
    });

    it('should compute every metric as JS values', async () => {
      expect((await aggregate({
        metrics: [
          { op: 'count' },
          { op: 'avg', field: 'age' },
          { op: 'sum', field: 'rating' },
          { op: 'min', field: 'birthday' },
          { op: 'max', field: 'lastContactAt' },
          { op: 'max', field: 'name' },
          { op: 'countDistinct', field: 'stage' },
          { op: 'count', field: 'company.name', alias: 'withCompany' },
        ],
      })).data).toEqual([
        {
          count: 7,
          avg_age: 24.25,
          sum_rating: 11,
          min_birthday: '1985-12-31',
          max_lastContactAt: '2024-06-01T00:00:00.000Z',
          max_name: 'Émile',
          countDistinct_stage: 3,
          withCompany: 4,
        },
      ]);
    });

    it('should apply the filter and the limit', async () => {
      expect((await aggregate({ groupBy: ['stage'], filter: { field: 'isActive', op: 'eq', value: true }, sort: ['-count'], limit: 1 })).data).toEqual([
        { stage: 'churned', count: 1 },
      ]);
    });
  });
});
