import type { Filter, RecordQuery } from '@rapport/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import type { Db } from '../db/database.ts';
import { isAppError } from '../errors.ts';
import { runListQuery } from './list-query.ts';
import { COMPANIES, company, LABELS, LIVE, NOW, OWNER, PEOPLE, person, PROJECTS, seedCrm, workspace, type Person } from './test-crm-fixture.ts';
import { ALL_ROWS } from './row-scope.ts';

describeEngines('query compiler', (engine) => {
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

  const list = (query: RecordQuery, object = person) => runListQuery(db, { workspace, object, query, rows: ALL_ROWS, now: NOW });
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
});
