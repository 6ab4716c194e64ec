import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import type { Db } from '../db/database.ts';
import { isAppError } from '../errors.ts';
import { runListQuery } from './list-query.ts';
import { buildDataset, filterArb, fuzzFilterArb, sortArb, type Dataset } from './test-arbitraries.ts';
import { createTestTables, insertRows } from './test-database.ts';
import { crmWorkspaceFactory } from './test-factories.ts';
import { collectStrings, datasetStrings, loadTextRules, matchesFilter, sortPeople } from './test-reference.ts';
import { ALL_ROWS } from './row-scope.ts';

const NOW = new Date('2024-05-15T10:00:00Z');
const TIME_ZONE = 'Europe/Paris';
const SEED = 20240515;
const { workspace, person } = crmWorkspaceFactory({ schema: 'ws_property', timezone: TIME_ZONE });

const seed = async (db: Db, dataset: Dataset) => {
  await createTestTables(db, workspace);
  await insertRows(db, {
    workspace,
    table: 'company',
    rows: dataset.companies.map((company) => ({
      id: company.id, name: company.name, industry: company.industry, employees: company.employees,
      parent_company_id: company.parentId, deleted_at: company.isDeleted ? '2024-01-01T00:00:00Z' : null,
    })),
  });
  await insertRows(db, {
    workspace,
    table: 'project',
    rows: dataset.projects.map((project) => ({ id: project.id, deleted_at: project.isDeleted ? '2024-01-01T00:00:00Z' : null })),
  });
  await insertRows(db, {
    workspace,
    table: person.table,
    rows: dataset.people.map((p) => ({
      id: p.id, name: p.name, age: p.age, rating: p.rating, birthday: p.birthday, last_contact_at: p.lastContactAt, created_at: p.createdAt,
      is_active: p.isActive, stage: p.stage, tags: p.tags, address_city: p.city, address_country: p.country,
      salary_amount: p.salary, salary_currency: p.salary === null ? null : 'EUR', company_id: p.companyId,
      deleted_at: p.isDeleted ? '2024-01-01T00:00:00Z' : null,
    })),
  });
  await insertRows(db, {
    workspace,
    table: 'person_projects',
    rows: dataset.people.flatMap((p) => p.projectIds.map((projectId) => ({ source_id: p.id, target_id: projectId }))),
  });
};

describeEngines('query compiler properties', (engine) => {
  const dataset = buildDataset(SEED);
  const live = dataset.people.filter((p) => !p.isDeleted);
  let testDatabase: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    db = testDatabase.database.db;
    await seed(db, dataset);
  });

  afterAll(async () => {
    await testDatabase?.destroy();
  });

  it('should return exactly the live rows the reference evaluator matches, for random filters', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb(dataset), async (filter) => {
        const { rows } = await runListQuery(db, { workspace, object: person, query: { filter, sort: ['id'], limit: 1000 }, rows: ALL_ROWS, now: NOW });
        const text = await loadTextRules(db, [...datasetStrings(dataset), ...collectStrings(filter)]);
        const context = { dataset, text, timeZone: TIME_ZONE, now: NOW };
        const expected = live.filter((p) => matchesFilter(filter, p, context)).map((p) => p.id.toLowerCase());
        expect(rows.map((row) => row.id)).toEqual(expected.sort());
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('should reject malformed or hostile filters with INVALID_QUERY and never fail in SQL', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzFilterArb, async (filter) => {
        const outcome = await runListQuery(db, { workspace, object: person, query: { filter: filter as never, limit: 5 }, rows: ALL_ROWS, now: NOW }).then(
          () => 'rows',
          (error: unknown) => (isAppError(error) && error.code === 'INVALID_QUERY' ? 'invalid' : error),
        );
        expect(['rows', 'invalid']).toContain(outcome);
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('should walk pages of random sorts and filters returning every row once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(sortArb, fc.integer({ min: 1, max: 9 }), fc.option(filterArb(dataset), { nil: undefined }), async (sort, limit, filter) => {
        const text = await loadTextRules(db, [...datasetStrings(dataset), ...(filter ? collectStrings(filter) : [])]);
        const context = { dataset, text, timeZone: TIME_ZONE, now: NOW };
        const matching = filter ? live.filter((p) => matchesFilter(filter, p, context)) : live;
        const expected = sortPeople(matching, sort, context).map((p) => p.id.toLowerCase());
        const seen: unknown[] = [];
        let cursor: string | undefined;
        for (let page = 0; page <= live.length; page++) {
          const query = { sort, limit, ...(filter ? { filter } : {}), ...(cursor ? { cursor } : {}) };
          const result = await runListQuery(db, { workspace, object: person, query, rows: ALL_ROWS, now: NOW });
          seen.push(...result.rows.map((row) => row.id));
          if (!result.hasNextPage) break;
          cursor = result.nextCursor ?? undefined;
        }
        expect(seen).toEqual(expected);
      }),
      { numRuns: 60, seed: SEED },
    );
  });
});
