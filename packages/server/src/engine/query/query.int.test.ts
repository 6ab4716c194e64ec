import type { Filter, RecordQuery } from '@rapport/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import type { Db } from '../db/database.ts';
import { isAppError } from '../errors.ts';
import { runAggregate } from './aggregate.ts';
import { runListQuery } from './list-query.ts';
import { createTestTables, insertRows } from './test-database.ts';
import { crmWorkspaceFactory } from './test-factories.ts';

// Wednesday 15 May 2024, 12:00 in Paris.
const NOW = new Date('2024-05-15T10:00:00Z');
const { workspace, person, company } = crmWorkspaceFactory({ schema: 'ws_query', timezone: 'Europe/Paris' });

const uuid = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const COMPANIES = { acme: uuid('c', 1), globex: uuid('c', 2), initech: uuid('c', 3), ghost: uuid('c', 4), umbrella: uuid('c', 5) };
const PROJECTS = { apollo: uuid('b', 1), zephyr: uuid('b', 2) };
const OWNER = uuid('a', 9);
const PEOPLE = { ann: uuid('d', 1), nulls: uuid('d', 2), oneil: uuid('d', 3), emile: uuid('d', 4), zoe: uuid('d', 5), dead: uuid('d', 6), annLower: uuid('d', 7), blank: uuid('d', 8) };
type Person = keyof typeof PEOPLE;
const LABELS = new Map(Object.entries(PEOPLE).map(([label, id]) => [id, label as Person]));
const LIVE: Person[] = ['ann', 'nulls', 'oneil', 'emile', 'zoe', 'annLower', 'blank'];
// Three records created in the same transaction share an instant, microseconds included.
const SAME_INSTANT = '2024-01-01 00:00:00.123456+00';

const seed = async (db: Db) => {
  await createTestTables(db, workspace);
  await insertRows(db, {
    workspace,
    table: company.table,
    rows: [
      { id: COMPANIES.globex, name: 'Globex', industry: 'finance', employees: 10000 },
      { id: COMPANIES.acme, name: 'Acme', industry: 'tech', employees: 500, parent_company_id: COMPANIES.globex },
      { id: COMPANIES.initech, name: 'Initech', parent_company_id: COMPANIES.acme },
      { id: COMPANIES.ghost, name: 'Ghost', industry: 'tech', deleted_at: '2024-02-01T00:00:00Z' },
      { id: COMPANIES.umbrella, name: 'Umbrella', industry: 'retail' },
    ],
  });
  await insertRows(db, {
    workspace,
    table: 'project',
    rows: [{ id: PROJECTS.apollo, name: 'Apollo' }, { id: PROJECTS.zephyr, name: 'Zephyr', deleted_at: '2024-02-01T00:00:00Z' }],
  });
  await insertRows(db, {
    workspace,
    table: person.table,
    rows: [
      {
        id: PEOPLE.ann, name: 'Ann', age: 30, rating: 4, birthday: '1990-05-15', last_contact_at: '2024-05-15T08:00:00Z', is_active: true,
        stage: 'lead', tags: ['vip'], address_city: 'Paris', address_country: 'FR', salary_amount: 1000, salary_currency: 'EUR',
        profile: '{"a":1}', owner: OWNER, company_id: COMPANIES.acme, created_at: '2024-01-02T00:00:00Z',
      },
      { id: PEOPLE.nulls, created_at: SAME_INSTANT },
      {
        id: PEOPLE.oneil, name: "O'Neil 50%_off\\", age: 45.5, rating: 2, birthday: '2000-02-29', last_contact_at: '2024-05-14T21:59:59Z',
        is_active: false, stage: 'customer', tags: ['vip', 'press'], address_city: 'paris', address_country: 'DE', salary_amount: 2500.5,
        salary_currency: 'USD', company_id: COMPANIES.initech, created_at: SAME_INSTANT,
      },
      {
        id: PEOPLE.emile, name: 'Émile', age: 30, rating: 5, birthday: '1985-12-31', last_contact_at: '2024-05-14T22:00:00Z', is_active: true,
        stage: 'churned', tags: [], address_city: '', salary_amount: 0, salary_currency: 'EUR', company_id: COMPANIES.ghost, created_at: SAME_INSTANT,
      },
      {
        id: PEOPLE.zoe, name: 'Zoe', age: -1, rating: 0, birthday: '2024-05-20', last_contact_at: '2024-06-01T00:00:00Z', is_active: false,
        stage: 'lead', tags: ['partner'], address_city: 'Lyon', address_country: 'FR', salary_amount: 99999999.9999, salary_currency: 'EUR',
        company_id: COMPANIES.globex, created_at: '2024-01-03T00:00:00Z',
      },
      { id: PEOPLE.dead, name: 'Dead', age: 30, stage: 'lead', company_id: COMPANIES.acme, deleted_at: '2024-03-01T00:00:00Z', created_at: '2024-01-04T00:00:00Z' },
      { id: PEOPLE.annLower, name: 'ann', age: 31, birthday: '1990-05-16', is_active: true, stage: 'customer', company_id: COMPANIES.acme, created_at: '2024-01-05T00:00:00Z' },
      { id: PEOPLE.blank, name: '', age: 10, created_at: '2024-01-06T00:00:00Z' },
    ],
  });
  await insertRows(db, {
    workspace,
    table: 'person_projects',
    rows: [
      { source_id: PEOPLE.ann, target_id: PROJECTS.apollo },
      { source_id: PEOPLE.emile, target_id: PROJECTS.apollo },
      { source_id: PEOPLE.oneil, target_id: PROJECTS.zephyr },
      { source_id: PEOPLE.dead, target_id: PROJECTS.apollo },
    ],
  });
};

describeEngines('query compiler', (engine) => {
  let testDatabase: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    db = testDatabase.database.db;
    await seed(db);
  });

  afterAll(async () => {
    await testDatabase?.destroy();
  });

  const list = (query: RecordQuery, object = person) => runListQuery(db, { workspace, object, query, now: NOW });
  const matching = async (filter: Filter): Promise<string[]> => {
    const { rows } = await list({ filter, limit: 1000 });
    return rows.map((row) => LABELS.get(row.id as string) ?? String(row.id)).sort();
  };
  const except = (...excluded: Person[]) => LIVE.filter((label) => !excluded.includes(label)).sort();
  const only = (...included: Person[]) => [...included].sort();

  describe('successful-filters', () => {
    it.each<[string, Filter, string[]]>([
      ['text eq is exact and case-sensitive', { field: 'name', op: 'eq', value: 'Ann' }, only('ann')],
      ['text neq includes empty values', { field: 'name', op: 'neq', value: 'Ann' }, except('ann')],
      ['text contains ignores case', { field: 'name', op: 'contains', value: 'ANN' }, only('ann', 'annLower')],
      ['contains takes % and _ literally', { field: 'name', op: 'contains', value: '%_' }, only('oneil')],
      ['contains takes a backslash literally', { field: 'name', op: 'contains', value: '\\' }, only('oneil')],
      ['startsWith with a quote', { field: 'name', op: 'startsWith', value: "o'" }, only('oneil')],
      ['endsWith', { field: 'name', op: 'endsWith', value: 'E' }, only('emile', 'zoe')],
      // Case folding beyond ASCII follows the database's LC_CTYPE: the PostgreSQL test cluster has none (C).
      ['contains an accented letter', { field: 'name', op: 'contains', value: 'Émi' }, only('emile')],
      ['text isEmpty: null or empty string', { field: 'name', op: 'isEmpty' }, only('nulls', 'blank')],
      ['text isNotEmpty', { field: 'name', op: 'isNotEmpty' }, except('nulls', 'blank')],
      ['text in', { field: 'name', op: 'in', value: ['Ann', 'ann', 'nobody'] }, only('ann', 'annLower')],
      ['text nin includes empty values', { field: 'name', op: 'nin', value: ['Ann'] }, except('ann')],
      ['text lt (C collation in the test clusters)', { field: 'name', op: 'lt', value: 'B' }, only('ann', 'blank')],
      ['number eq', { field: 'age', op: 'eq', value: 30 }, only('ann', 'emile')],
      ['number neq includes empty values', { field: 'age', op: 'neq', value: 30 }, except('ann', 'emile')],
      ['number gt', { field: 'age', op: 'gt', value: 30 }, only('oneil', 'annLower')],
      ['number lte', { field: 'age', op: 'lte', value: 10 }, only('zoe', 'blank')],
      ['number between is inclusive', { field: 'age', op: 'between', value: [0, 31] }, only('ann', 'emile', 'annLower', 'blank')],
      ['number in with a fraction', { field: 'age', op: 'in', value: [30, 45.5] }, only('ann', 'oneil', 'emile')],
      ['number isEmpty', { field: 'age', op: 'isEmpty' }, only('nulls')],
      ['rating (smallint) gt a fraction', { field: 'rating', op: 'gt', value: 2.5 }, only('ann', 'emile')],
      ['not gt includes empty values', { not: { field: 'age', op: 'gt', value: 30 } }, except('oneil', 'annLower')],
      ['date during thisMonth', { field: 'birthday', op: 'during', value: 'thisMonth' }, only('zoe')],
      ['date inNextDays', { field: 'birthday', op: 'inNextDays', value: 7 }, only('zoe')],
      ['date between a leap day', { field: 'birthday', op: 'between', value: ['1990-01-01', '2000-02-29'] }, only('ann', 'oneil', 'annLower')],
      ['date lt', { field: 'birthday', op: 'lt', value: '1990-05-16' }, only('ann', 'emile')],
      ['datetime during today in Paris, start included', { field: 'lastContactAt', op: 'during', value: 'today' }, only('ann', 'emile')],
      ['datetime during yesterday in Paris', { field: 'lastContactAt', op: 'during', value: 'yesterday' }, only('oneil')],
      ['datetime inLastDays', { field: 'lastContactAt', op: 'inLastDays', value: 2 }, only('ann', 'oneil', 'emile')],
      ['datetime during nextMonth', { field: 'lastContactAt', op: 'during', value: 'nextMonth' }, only('zoe')],
      ['datetime gte an instant with an offset', { field: 'lastContactAt', op: 'gte', value: '2024-05-15T00:00:00+02:00' }, only('ann', 'emile', 'zoe')],
      ['boolean eq true', { field: 'isActive', op: 'eq', value: true }, only('ann', 'emile', 'annLower')],
      ['boolean neq true includes empty values', { field: 'isActive', op: 'neq', value: true }, only('nulls', 'oneil', 'zoe', 'blank')],
      ['boolean isEmpty', { field: 'isActive', op: 'isEmpty' }, only('nulls', 'blank')],
      ['select in', { field: 'stage', op: 'in', value: ['lead', 'customer'] }, only('ann', 'oneil', 'zoe', 'annLower')],
      ['select nin includes empty values', { field: 'stage', op: 'nin', value: ['lead'] }, except('ann', 'zoe')],
      ['multiSelect contains', { field: 'tags', op: 'contains', value: 'vip' }, only('ann', 'oneil')],
      ['multiSelect contains all of', { field: 'tags', op: 'contains', value: ['vip', 'press'] }, only('oneil')],
      ['multiSelect eq holds', { field: 'tags', op: 'eq', value: 'vip' }, only('ann', 'oneil')],
      ['multiSelect neq', { field: 'tags', op: 'neq', value: 'vip' }, except('ann', 'oneil')],
      ['multiSelect in overlaps', { field: 'tags', op: 'in', value: ['press', 'partner'] }, only('oneil', 'zoe')],
      ['multiSelect nin', { field: 'tags', op: 'nin', value: ['vip'] }, except('ann', 'oneil')],
      ['multiSelect isEmpty: null or no item', { field: 'tags', op: 'isEmpty' }, only('nulls', 'emile', 'annLower', 'blank')],
      ['multiSelect isNotEmpty', { field: 'tags', op: 'isNotEmpty' }, only('ann', 'oneil', 'zoe')],
      ['address part eq', { field: 'address.city', op: 'eq', value: 'Paris' }, only('ann')],
      ['address part contains', { field: 'address.city', op: 'contains', value: 'paris' }, only('ann', 'oneil')],
      ['address part isEmpty', { field: 'address.city', op: 'isEmpty' }, only('nulls', 'emile', 'annLower', 'blank')],
      ['address part neq', { field: 'address.country', op: 'neq', value: 'FR' }, except('ann', 'zoe')],
      ['currency amount gt', { field: 'salary', op: 'gt', value: 1000 }, only('oneil', 'zoe')],
      ['currency amount eq 0', { field: 'salary.amount', op: 'eq', value: 0 }, only('emile')],
      ['currency code', { field: 'salary.currency', op: 'eq', value: 'USD' }, only('oneil')],
      ['json isNotEmpty', { field: 'profile', op: 'isNotEmpty' }, only('ann')],
      ['owner eq', { field: 'owner', op: 'eq', value: OWNER.toUpperCase() }, only('ann')],
      ['system id eq', { field: 'id', op: 'eq', value: PEOPLE.zoe }, only('zoe')],
      ['system createdAt lt', { field: 'createdAt', op: 'lt', value: '2024-01-02T00:00:00Z' }, only('nulls', 'oneil', 'emile')],
      ['relation column eq', { field: 'company', op: 'eq', value: COMPANIES.acme }, only('ann', 'annLower')],
      ['relation column isEmpty (a deleted company still fills it)', { field: 'company', op: 'isEmpty' }, only('nulls', 'blank')],
      ['path eq skips deleted companies', { field: 'company.industry', op: 'eq', value: 'tech' }, only('ann', 'annLower')],
      ['path neq includes missing and deleted companies', { field: 'company.industry', op: 'neq', value: 'tech' }, except('ann', 'annLower')],
      ['not of a path', { not: { field: 'company.industry', op: 'eq', value: 'tech' } }, except('ann', 'annLower')],
      ['path isEmpty', { field: 'company.industry', op: 'isEmpty' }, only('nulls', 'oneil', 'emile', 'blank')],
      ['path isEmpty on a name', { field: 'company.name', op: 'isEmpty' }, only('nulls', 'emile', 'blank')],
      ['path number gt', { field: 'company.employees', op: 'gt', value: 1000 }, only('zoe')],
      ['two hops', { field: 'company.parentCompany.name', op: 'eq', value: 'Globex' }, only('ann', 'annLower')],
      ['two hops industry', { field: 'company.parentCompany.industry', op: 'eq', value: 'tech' }, only('oneil')],
      ['three hops', { field: 'company.parentCompany.parentCompany.name', op: 'eq', value: 'Globex' }, only('oneil')],
      ['many-to-many in', { field: 'projects', op: 'in', value: [PROJECTS.apollo] }, only('ann', 'emile')],
      ['many-to-many eq a deleted project', { field: 'projects', op: 'eq', value: PROJECTS.zephyr }, []],
      ['many-to-many isEmpty ignores deleted projects', { field: 'projects', op: 'isEmpty' }, except('ann', 'emile')],
      ['many-to-many nin', { field: 'projects', op: 'nin', value: [PROJECTS.apollo] }, except('ann', 'emile')],
      ['or', { or: [{ field: 'age', op: 'gt', value: 40 }, { field: 'name', op: 'eq', value: 'Ann' }] }, only('ann', 'oneil')],
      ['not of an or', { not: { or: [{ field: 'age', op: 'gt', value: 40 }, { field: 'name', op: 'eq', value: 'Ann' }] } }, except('ann', 'oneil')],
      ['and of or', { and: [{ or: [{ field: 'stage', op: 'eq', value: 'lead' }, { field: 'stage', op: 'isEmpty' }] }, { field: 'age', op: 'isNotEmpty' }] }, only('ann', 'zoe', 'blank')],
      ['empty and', { and: [] }, LIVE.slice().sort()],
      ['empty or', { or: [] }, []],
    ])('should match %s', async (_name, filter, expected) => {
      expect(await matching(filter)).toEqual(expected);
    });

    it('should filter one-to-many relations from the other side', async () => {
      const companies = async (filter: Filter) =>
        (await list({ filter, sort: ['name'] }, company)).rows.map((row) => row.name);
      expect(await companies({ field: 'people', op: 'eq', value: PEOPLE.ann })).toEqual(['Acme']);
      expect(await companies({ field: 'people', op: 'isEmpty' })).toEqual(['Umbrella']);
      expect(await companies({ field: 'people', op: 'in', value: [PEOPLE.dead] })).toEqual([]);
      expect(await companies({ field: 'subsidiaries', op: 'isNotEmpty' })).toEqual(['Acme', 'Globex']);
      expect(await companies({ field: 'parentCompany.subsidiaries', op: 'in', value: [COMPANIES.initech] })).toEqual(['Initech']);
    });
  });

  describe('successful-lists', () => {
    it('should count every matching record and read the trash apart', async () => {
      const page = await list({ limit: 2, count: true, filter: { field: 'age', op: 'isNotEmpty' } });
      expect(page.rows).toHaveLength(2);
      expect(page.totalCount).toBe(6);
      expect(page.hasNextPage).toBe(true);
      expect(page.rows[0]).not.toHaveProperty('__cursor_0');
      const trash = await list({ deleted: true, count: true });
      expect(trash.rows.map((row) => row.id)).toEqual([PEOPLE.dead]);
      expect(trash).toMatchObject({ totalCount: 1, hasNextPage: false, nextCursor: null });
    });

    const compareText = (a: string, b: string) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const sortRows = (rows: Record<string, unknown>[], sort: string[]) => {
      const keys = [...sort.map((spec) => ({ column: spec.replace('-', ''), isDescending: spec.startsWith('-') }))];
      const lastDescending = keys.at(-1)?.isDescending ?? false;
      keys.push({ column: 'id', isDescending: lastDescending });
      return [...rows].sort((a, b) => {
        for (const { column, isDescending } of keys) {
          const [x, y] = [a[column], b[column]];
          if (x === y || (x === null && y === null)) continue;
          // Nulls sort as the largest value: last ascending, first descending.
          const order = x === null ? 1 : y === null ? -1 : typeof x === 'string' ? compareText(x, y as string) : (x as number) < (y as number) ? -1 : 1;
          if (order !== 0) return isDescending ? -order : order;
        }
        return 0;
      });
    };

    it.each([
      [['name'], ['name']],
      [['-name'], ['name']],
      [['age', '-name'], ['age', 'name']],
      [['-age'], ['age']],
      [['birthday', 'name'], ['birthday', 'name']],
      [[], ['created_at']],
      [['createdAt'], ['created_at']],
      [['isActive', '-salary'], ['is_active', 'salary_amount']],
      [['address.city', '-lastContactAt'], ['address_city', 'last_contact_at']],
      [['-stage', 'rating'], ['stage', 'rating']],
    ])('should walk every page of sort %j once, in order', async (sort, columns) => {
      const expected = sortRows(
        (await list({ sort: ['id'], limit: 1000 })).rows.map((row) => ({ ...row, created_at: String(row.created_at) })),
        sort.length > 0 ? sort.map((spec, index) => `${spec.startsWith('-') ? '-' : ''}${columns[index]}`) : ['-created_at'],
      ).map((row) => row.id);
      for (const limit of [1, 2, 3, 7]) {
        const seen: unknown[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await list({ sort, limit, ...(cursor ? { cursor } : {}) });
          seen.push(...page.rows.map((row) => row.id));
          expect(page.rows.length).toBeLessThanOrEqual(limit);
          if (!page.hasNextPage) {
            expect(page.nextCursor).toBeNull();
            break;
          }
          cursor = page.nextCursor ?? undefined;
        }
        expect(seen).toEqual(expected);
      }
    });

    it('should reject a cursor from another sort', async () => {
      const { nextCursor } = await list({ sort: ['name'], limit: 1 });
      const error = await list({ sort: ['-name'], limit: 1, cursor: nextCursor ?? '' }).catch((caught: unknown) => caught);
      expect(isAppError(error) && error.code).toBe('INVALID_CURSOR');
    });
  });

  describe('successful-aggregates', () => {
    const aggregate = (query: Parameters<typeof runAggregate>[1]['query']) => runAggregate(db, { workspace, object: person, query, now: NOW });

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
