import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { compileFilter } from './compile-filter.ts';
import { compileSql, crmWorkspaceFactory } from './test-factories.ts';

const NOW = new Date('2024-05-15T10:00:00Z');
const ID = '0b6f1f3e-6f5a-4c1e-9a43-1d2b3c4d5e6f';
const { workspace, person, company } = crmWorkspaceFactory();

const compile = (filter: unknown, object = person) => compileSql(compileFilter({ workspace, object, filter, now: NOW }));

const invalidQueryMessage = (filter: unknown): string => {
  try {
    compile(filter);
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_QUERY') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_QUERY');
};

describe('compileFilter', () => {
  describe('successful-operators', () => {
    it.each([
      ['eq on text (exact, case-sensitive)', { field: 'name', op: 'eq', value: "O'Neil" }, '"t0"."name" = $1', ["O'Neil"]],
      ['neq includes empty values', { field: 'name', op: 'neq', value: 'Ann' }, '"t0"."name" is distinct from $1', ['Ann']],
      ['lt', { field: 'name', op: 'lt', value: 'M' }, '"t0"."name" < $1', ['M']],
      ['lte on number', { field: 'age', op: 'lte', value: 30 }, '"t0"."age" <= $1::numeric', [30]],
      ['gt on a rating (smallint) with a fraction', { field: 'rating', op: 'gt', value: 2.5 }, '"t0"."rating" > $1::numeric', [2.5]],
      ['gte on date', { field: 'birthday', op: 'gte', value: '2000-02-29' }, '"t0"."birthday" >= $1', ['2000-02-29']],
      ['in', { field: 'stage', op: 'in', value: ['lead', 'customer'] }, '"t0"."stage" = any($1)', [['lead', 'customer']]],
      ['in on numbers', { field: 'age', op: 'in', value: [1, 2.5] }, '"t0"."age" = any($1::numeric[])', [[1, 2.5]]],
      ['nin includes empty values', { field: 'stage', op: 'nin', value: ['lead'] }, '("t0"."stage" is null or "t0"."stage" <> all($1))', [['lead']]],
      ['between (inclusive)', { field: 'age', op: 'between', value: [18, 65] }, '"t0"."age" between $1::numeric and $2::numeric', [18, 65]],
      ['between on text', { field: 'name', op: 'between', value: ['A', 'M'] }, '"t0"."name" between $1 and $2', ['A', 'M']],
      ['contains escapes LIKE wildcards', { field: 'name', op: 'contains', value: '50%_off\\' }, '"t0"."name" ilike $1', ['%50\\%\\_off\\\\%']],
      ['startsWith', { field: 'name', op: 'startsWith', value: 'Jo' }, '"t0"."name" ilike $1', ['Jo%']],
      ['endsWith', { field: 'name', op: 'endsWith', value: 'son' }, '"t0"."name" ilike $1', ['%son']],
      ['isEmpty on text: null or empty string', { field: 'name', op: 'isEmpty' }, '("t0"."name" is null or "t0"."name" = \'\')', []],
      ['isNotEmpty on text', { field: 'name', op: 'isNotEmpty' }, '("t0"."name" is not null and "t0"."name" <> \'\')', []],
      ['isEmpty on number', { field: 'age', op: 'isEmpty', value: null }, '"t0"."age" is null', []],
      ['isNotEmpty on json', { field: 'profile', op: 'isNotEmpty' }, '"t0"."profile" is not null', []],
      ['eq on boolean', { field: 'isActive', op: 'eq', value: false }, '"t0"."is_active" = $1', [false]],
      ['neq on boolean includes empty values', { field: 'isActive', op: 'neq', value: true }, '"t0"."is_active" is distinct from $1', [true]],
      ['eq on uuid lower-cases the id', { field: 'owner', op: 'eq', value: ID.toUpperCase() }, '"t0"."owner" = $1', [ID]],
      ['eq on a many-to-one relation compares its id', { field: 'company', op: 'eq', value: ID }, '"t0"."company_id" = $1', [ID]],
      ['company.id is the relation column', { field: 'company.id', op: 'isEmpty' }, '"t0"."company_id" is null', []],
      ['eq on system id (never null)', { field: 'id', op: 'neq', value: ID }, '"t0"."id" <> $1', [ID]],
      ['datetime keeps microseconds', { field: 'createdAt', op: 'lt', value: '2024-01-01T00:00:00.123456+02:00' }, '"t0"."created_at" < $1', ['2024-01-01T00:00:00.123456+02:00']],
      ['composite part', { field: 'address.city', op: 'eq', value: 'Paris' }, '"t0"."address_city" = $1', ['Paris']],
      ['currency amount', { field: 'salary', op: 'gt', value: 1000 }, '"t0"."salary_amount" > $1::numeric', [1000]],
      ['currency code', { field: 'salary.currency', op: 'eq', value: 'EUR' }, '"t0"."salary_currency" = $1', ['EUR']],
      ['multiSelect contains one', { field: 'tags', op: 'contains', value: 'vip' }, '"t0"."tags" @> $1::text[]', [['vip']]],
      ['multiSelect contains all of', { field: 'tags', op: 'contains', value: ['vip', 'press'] }, '"t0"."tags" @> $1::text[]', [['vip', 'press']]],
      ['multiSelect eq: holds the value', { field: 'tags', op: 'eq', value: 'vip' }, '"t0"."tags" @> $1::text[]', [['vip']]],
      ['multiSelect neq', { field: 'tags', op: 'neq', value: 'vip' }, '("t0"."tags" is null or not ("t0"."tags" @> $1::text[]))', [['vip']]],
      ['multiSelect in: overlaps', { field: 'tags', op: 'in', value: ['vip', 'press'] }, '"t0"."tags" && $1::text[]', [['vip', 'press']]],
      ['multiSelect nin', { field: 'tags', op: 'nin', value: ['vip'] }, '("t0"."tags" is null or not ("t0"."tags" && $1::text[]))', [['vip']]],
      ['multiSelect isEmpty', { field: 'tags', op: 'isEmpty' }, '("t0"."tags" is null or cardinality("t0"."tags") = 0)', []],
      ['multiSelect isNotEmpty', { field: 'tags', op: 'isNotEmpty' }, 'cardinality("t0"."tags") > 0', []],
      ['during on a date column binds days', { field: 'birthday', op: 'during', value: 'thisMonth' }, '("t0"."birthday" >= $1 and "t0"."birthday" < $2)', ['2024-05-01', '2024-06-01']],
      ['during on a datetime binds instants of the zone', { field: 'lastContactAt', op: 'during', value: 'today' }, '("t0"."last_contact_at" >= $1 and "t0"."last_contact_at" < $2)', ['2024-05-14T22:00:00.000Z', '2024-05-15T22:00:00.000Z']],
      ['inLastDays', { field: 'birthday', op: 'inLastDays', value: 7 }, '("t0"."birthday" >= $1 and "t0"."birthday" < $2)', ['2024-05-09', '2024-05-16']],
      ['inNextDays', { field: 'lastContactAt', op: 'inNextDays', value: 2 }, '("t0"."last_contact_at" >= $1 and "t0"."last_contact_at" < $2)', ['2024-05-14T22:00:00.000Z', '2024-05-16T22:00:00.000Z']],
    ])('should compile %s', (_name, filter, sql, parameters) => {
      expect(compile(filter)).toEqual({ sql, parameters });
    });
  });

  describe('successful-groups', () => {
    it('should treat an empty and as true and an empty or as false', () => {
      expect(compile({ and: [] }).sql).toBe('true');
      expect(compile({ or: [] }).sql).toBe('false');
      expect(compile({ not: { and: [] } }).sql).toBe('false');
      expect(compile({ not: { or: [] } }).sql).toBe('true');
    });

    it('should nest and/or with parentheses', () => {
      const filter = { or: [{ field: 'name', op: 'eq', value: 'a' }, { and: [{ field: 'age', op: 'gt', value: 1 }, { field: 'age', op: 'lt', value: 9 }] }] };
      expect(compile(filter)).toEqual({
        sql: '("t0"."name" = $1 or ("t0"."age" > $2::numeric and "t0"."age" < $3::numeric))',
        parameters: ['a', 1, 9],
      });
    });

    it('should push not down to exact complements (De Morgan) so empty values match not', () => {
      const filter = { not: { and: [{ field: 'name', op: 'eq', value: 'a' }, { field: 'age', op: 'lt', value: 5 }, { field: 'name', op: 'contains', value: 'x' }] } };
      expect(compile(filter)).toEqual({
        sql: '("t0"."name" is distinct from $1 or ("t0"."age" is null or "t0"."age" >= $2::numeric) or ("t0"."name" is null or "t0"."name" not ilike $3))',
        parameters: ['a', 5, '%x%'],
      });
    });

    it('should cancel a double not and flip neq / nin / isEmpty back', () => {
      expect(compile({ not: { not: { field: 'name', op: 'eq', value: 'a' } } }).sql).toBe('"t0"."name" = $1');
      expect(compile({ not: { field: 'name', op: 'neq', value: 'a' } }).sql).toBe('"t0"."name" = $1');
      expect(compile({ not: { field: 'stage', op: 'nin', value: ['lead'] } }).sql).toBe('"t0"."stage" = any($1)');
      expect(compile({ not: { field: 'name', op: 'isEmpty' } }).sql).toBe('("t0"."name" is not null and "t0"."name" <> \'\')');
    });

    it('should complement between and relative ranges including nulls', () => {
      expect(compile({ not: { field: 'age', op: 'between', value: [1, 2] } }).sql).toBe(
        '("t0"."age" is null or "t0"."age" < $1::numeric or "t0"."age" > $2::numeric)',
      );
      expect(compile({ not: { field: 'birthday', op: 'during', value: 'today' } })).toEqual({
        sql: '("t0"."birthday" is null or "t0"."birthday" < $1 or "t0"."birthday" >= $2)',
        parameters: ['2024-05-15', '2024-05-16'],
      });
    });
  });

  describe('successful-relations', () => {
    it('should follow a many-to-one path with exists on the live target', () => {
      expect(compile({ field: 'company.industry', op: 'eq', value: 'tech' })).toEqual({
        sql: 'exists (select 1 from "ws_test"."company" as "t1" where "t1"."id" = "t0"."company_id" and "t1"."deleted_at" is null and "t1"."industry" = $1)',
        parameters: ['tech'],
      });
    });

    it('should follow two hops with a join inside one exists', () => {
      expect(compile({ field: 'company.parentCompany.employees', op: 'gte', value: 100 })).toEqual({
        sql:
          'exists (select 1 from "ws_test"."company" as "t1" join "ws_test"."company" as "t2" on "t2"."id" = "t1"."parent_company_id" and "t2"."deleted_at" is null' +
          ' where "t1"."id" = "t0"."company_id" and "t1"."deleted_at" is null and "t2"."employees" >= $1::numeric)',
        parameters: [100],
      });
    });

    it('should compile negative operators through relations as not exists of the positive test', () => {
      const positive = 'exists (select 1 from "ws_test"."company" as "t1" where "t1"."id" = "t0"."company_id" and "t1"."deleted_at" is null and ("t1"."name" is not null and "t1"."name" <> \'\'))';
      expect(compile({ field: 'company.name', op: 'isNotEmpty' }).sql).toBe(positive);
      // No company, a deleted company and a company without a name are all "company name is empty".
      expect(compile({ field: 'company.name', op: 'isEmpty' }).sql).toBe(`not ${positive}`);
      expect(compile({ not: { field: 'company.industry', op: 'neq', value: 'tech' } }).sql).toBe(
        'exists (select 1 from "ws_test"."company" as "t1" where "t1"."id" = "t0"."company_id" and "t1"."deleted_at" is null and "t1"."industry" = $1)',
      );
      expect(compile({ field: 'company.industry', op: 'nin', value: ['tech'] }).sql).toBe(
        'not exists (select 1 from "ws_test"."company" as "t1" where "t1"."id" = "t0"."company_id" and "t1"."deleted_at" is null and "t1"."industry" = any($1))',
      );
    });

    it('should give every subquery its own alias', () => {
      const { sql } = compile({ and: [{ field: 'company.name', op: 'eq', value: 'a' }, { field: 'company.parentCompany.name', op: 'eq', value: 'b' }] });
      expect(sql).toContain('as "t1" where "t1"."id" = "t0"."company_id"');
      expect(sql).toContain('from "ws_test"."company" as "t2" join "ws_test"."company" as "t3" on "t3"."id" = "t2"."parent_company_id"');
    });

    it('should filter a many-to-many relation through its junction table and live targets', () => {
      expect(compile({ field: 'projects', op: 'in', value: [ID] })).toEqual({
        sql:
          'exists (select 1 from "ws_test"."person_projects" as "t1" join "ws_test"."project" as "t2" on "t2"."id" = "t1"."target_id" and "t2"."deleted_at" is null' +
          ' where "t1"."source_id" = "t0"."id" and "t1"."target_id" = any($1))',
        parameters: [[ID]],
      });
      expect(compile({ field: 'projects', op: 'isEmpty' }).sql).toBe(
        'not exists (select 1 from "ws_test"."person_projects" as "t1" join "ws_test"."project" as "t2" on "t2"."id" = "t1"."target_id" and "t2"."deleted_at" is null where "t1"."source_id" = "t0"."id")',
      );
    });

    it('should filter a one-to-many relation through the inverse column of the target', () => {
      expect(compile({ field: 'people', op: 'eq', value: ID }, company)).toEqual({
        sql: 'exists (select 1 from "ws_test"."person" as "t1" where "t1"."company_id" = "t0"."id" and "t1"."deleted_at" is null and "t1"."id" = any($1))',
        parameters: [[ID]],
      });
      expect(compile({ field: 'subsidiaries', op: 'isNotEmpty' }, company).sql).toBe(
        'exists (select 1 from "ws_test"."company" as "t1" where "t1"."parent_company_id" = "t0"."id" and "t1"."deleted_at" is null)',
      );
    });

    it('should reach a one-to-many relation at the end of a many-to-one path', () => {
      expect(compile({ field: 'company.subsidiaries', op: 'isNotEmpty' }).sql).toBe(
        'exists (select 1 from "ws_test"."company" as "t1" where "t1"."id" = "t0"."company_id" and "t1"."deleted_at" is null' +
          ' and exists (select 1 from "ws_test"."company" as "t2" where "t2"."parent_company_id" = "t1"."id" and "t2"."deleted_at" is null))',
      );
    });

    it('should correlate with a custom alias and never reuse it inside', () => {
      const { sql } = compileSql(compileFilter({ workspace, object: person, filter: { field: 'company.name', op: 'eq', value: 'a' }, alias: 't1', now: NOW }));
      expect(sql).toBe('exists (select 1 from "ws_test"."company" as "t2" where "t2"."id" = "t1"."company_id" and "t2"."deleted_at" is null and "t2"."name" = $1)');
    });
  });

  describe('failing-fields-and-operators', () => {
    it.each([
      [{ field: 'foo', op: 'eq', value: 1 }, 'Unknown field "foo" on person. Known fields: id, version, createdAt, updatedAt, deletedAt, createdBy, updatedBy, name, age,'],
      [{ field: 'company.foo', op: 'eq', value: 1 }, 'Unknown field "foo" on company. Known fields:'],
      [{ field: 'age', op: 'contains', value: 1 }, 'Operator contains is not supported for number fields ("age"). Supported: eq, neq, lt, lte, gt, gte, in, nin, between, isEmpty, isNotEmpty.'],
      [{ field: 'stage', op: 'gt', value: 'lead' }, 'Operator gt is not supported for select fields ("stage")'],
      [{ field: 'isActive', op: 'in', value: [true] }, 'Operator in is not supported for boolean fields'],
      [{ field: 'profile', op: 'eq', value: {} }, 'Operator eq is not supported for json fields'],
      [{ field: 'name', op: 'during', value: 'today' }, 'Operator during is not supported for text fields'],
      [{ field: 'projects', op: 'contains', value: ID }, 'Operator contains is not supported for relation fields'],
      [{ field: 'address', op: 'eq', value: 'x' }, 'Field "address" on person is a address field; use one of its parts: address.street, address.city,'],
      [{ field: 'address.zip', op: 'eq', value: 'x' }, 'Unknown part "zip" of field "address" on person. Known parts: address.street,'],
      [{ field: 'name.first', op: 'eq', value: 'x' }, 'Field "name" on person is a text field and has no part "first".'],
      [{ field: 'createdAt.year', op: 'eq', value: 1 }, 'System field "createdAt" on person has no parts'],
      [{ field: 'company.parentCompany.parentCompany.parentCompany.name', op: 'eq', value: 'x' }, 'follows more than 3 relations'],
      [{ field: 'projects.name', op: 'eq', value: 'x' }, '"projects" on person links many records'],
      [{ field: 'company..name', op: 'eq', value: 'x' }, 'Invalid field path "company..name".'],
    ])('should reject %j', (filter, message) => {
      expect(invalidQueryMessage(filter)).toContain(message);
    });
  });

  describe('failing-values', () => {
    it.each([
      [{ field: 'age', op: 'eq', value: '30' }, '"age" eq expects a number; got "30".'],
      [{ field: 'age', op: 'eq', value: Number.NaN }, '"age" eq expects a number'],
      [{ field: 'name', op: 'eq', value: 3 }, '"name" eq expects a string; got 3.'],
      [{ field: 'name', op: 'eq', value: null }, '"name" eq needs a value; to match empty values use isEmpty or isNotEmpty.'],
      [{ field: 'name', op: 'eq' }, '"name" eq needs a value'],
      [{ field: 'name', op: 'isEmpty', value: 'x' }, 'isEmpty takes no value ("name").'],
      [{ field: 'birthday', op: 'eq', value: '2023-02-29' }, '"birthday" eq expects a date as YYYY-MM-DD; got "2023-02-29".'],
      [{ field: 'birthday', op: 'eq', value: '2023-01-01T00:00:00Z' }, 'expects a date as YYYY-MM-DD'],
      [{ field: 'createdAt', op: 'gt', value: '2024-01-01' }, '"createdAt" gt expects an ISO 8601 date-time with a time zone'],
      [{ field: 'createdAt', op: 'gt', value: '2024-01-01T25:00:00Z' }, 'expects an ISO 8601 date-time'],
      [{ field: 'owner', op: 'eq', value: 'not-a-uuid' }, '"owner" eq expects a record id (UUID)'],
      [{ field: 'isActive', op: 'eq', value: 'true' }, '"isActive" eq expects true or false'],
      [{ field: 'stage', op: 'eq', value: 'won' }, '"stage" has no choice "won". Choices: "lead", "customer", "churned".'],
      [{ field: 'tags', op: 'in', value: ['vip', 'gold'] }, '"tags" has no choice "gold"'],
      [{ field: 'stage', op: 'in', value: [] }, '"stage" in expects a non-empty list of at most 1000 values; got [].'],
      [{ field: 'stage', op: 'in', value: 'lead' }, 'expects a non-empty list'],
      [{ field: 'age', op: 'in', value: Array.from({ length: 1001 }, (_, i) => i) }, 'at most 1000 values'],
      [{ field: 'age', op: 'between', value: [1] }, '"age" between expects a list of two values [low, high]'],
      [{ field: 'age', op: 'between', value: [5, 1] }, 'expects [low, high] with low <= high'],
      [{ field: 'birthday', op: 'during', value: 'someday' }, '"birthday" during expects one of today, yesterday, tomorrow,'],
      [{ field: 'birthday', op: 'inLastDays', value: 0 }, 'expects a whole number of days from 1 to 3650'],
      [{ field: 'birthday', op: 'inNextDays', value: 1.5 }, 'expects a whole number of days'],
      [{ field: 'birthday', op: 'inNextDays', value: 3651 }, 'expects a whole number of days'],
      [{ field: 'projects', op: 'in', value: ['x'] }, '"projects" in expects record ids (UUIDs)'],
      // PostgreSQL rejects NUL in text; the driver would rewrite an unpaired surrogate.
      [{ field: 'name', op: 'contains', value: 'a\u0000b' }, '"name" contains expects text without NUL characters or unpaired surrogates; got "a\\u0000b".'],
      [{ field: 'tags', op: 'in', value: ['vip', '\ud83d'] }, '"tags" in expects text without NUL characters or unpaired surrogates'],
    ])('should reject %j', (filter, message) => {
      expect(invalidQueryMessage(filter)).toContain(message);
    });
  });

  describe('failing-shape', () => {
    const nested = (depth: number): unknown => (depth === 0 ? { field: 'name', op: 'isEmpty' } : { not: nested(depth - 1) });

    it.each([
      [null, 'Invalid filter at filter: expected an object'],
      [[], 'Invalid filter at filter: expected an object'],
      [{ field: 'name', op: 'eq', value: 'a', extra: 1 }, 'Invalid filter at filter: unknown key "extra"; a condition has field, op and value.'],
      [{ and: [{ field: 'name', value: 'a' }] }, 'Invalid filter at filter.and[0]: missing "op" for field "name".'],
      [{ or: [{ field: 'name', op: 'like', value: 'a' }] }, 'Invalid filter at filter.or[0]: unknown operator "like"'],
      [{ and: [{ op: 'eq', value: 'a' }] }, 'Invalid filter at filter.and[0]: "field" must be a non-empty string.'],
      [{ and: {} }, 'Invalid filter at filter: "and" must be a list of filters.'],
      [{ and: [], or: [] }, 'unexpected key "or" beside "and"'],
      [{ not: [{ field: 'name', op: 'isEmpty' }] }, 'Invalid filter at filter.not: expected an object'],
      [{ and: [{ or: [5] }] }, 'Invalid filter at filter.and[0].or[0]: expected an object'],
    ])('should reject %j', (filter, message) => {
      expect(invalidQueryMessage(filter)).toContain(message);
    });

    it('should accept 10 nested groups and reject 11', () => {
      expect(compile(nested(10)).sql).toBe('("t0"."name" is null or "t0"."name" = \'\')');
      expect(invalidQueryMessage(nested(11))).toBe('The filter nests groups more than 10 deep.');
    });

    it('should accept 200 conditions and reject 201', () => {
      const conditions = (count: number) => ({ and: Array.from({ length: count }, () => ({ field: 'age', op: 'isEmpty' })) });
      expect(compile(conditions(200)).parameters).toEqual([]);
      expect(invalidQueryMessage(conditions(201))).toBe('The filter has more than 200 conditions.');
    });

    it('should report the failing path in the error details', () => {
      try {
        compile({ field: 'age', op: 'contains', value: 1 });
      } catch (error) {
        expect(isAppError(error) && error.errors).toEqual([{ field: 'age', code: 'invalidQuery', message: expect.stringContaining('Operator contains') }]);
      }
    });
  });
});
