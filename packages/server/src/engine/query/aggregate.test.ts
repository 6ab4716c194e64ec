import type { AggregateQuery } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { buildAggregateQuery } from './aggregate.ts';
import { compileSql, crmWorkspaceFactory } from './test-factories.ts';
import { ALL_ROWS } from './row-scope.ts';

const { workspace, person } = crmWorkspaceFactory();
const build = (query: AggregateQuery) => buildAggregateQuery({ workspace, object: person, query, rows: ALL_ROWS, now: new Date('2024-05-15T10:00:00Z') });

const invalidQueryMessage = (query: unknown): string => {
  try {
    build(query as AggregateQuery);
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_QUERY') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_QUERY');
};

describe('buildAggregateQuery', () => {
  describe('successful-aggregate', () => {
    it('should count live records without groups', () => {
      const built = build({});
      expect(compileSql(built.sql)).toEqual({
        sql: 'select count(*) as "m0" from "ws_test"."person" as "t0" where "t0"."deleted_at" is null limit $1',
        parameters: [1000],
      });
      expect([...built.names]).toEqual([['m0', 'count']]);
    });

    it('should group by fields, parts and buckets, by position', () => {
      const built = build({
        groupBy: ['stage', 'address.country', { field: 'lastContactAt', bucket: 'month' }],
        metrics: [{ op: 'count' }, { op: 'sum', field: 'salary' }, { op: 'avg', field: 'salary.amount', alias: 'average' }],
        filter: { field: 'isActive', op: 'eq', value: true },
      });
      expect(compileSql(built.sql)).toEqual({
        sql:
          'select "t0"."stage" as "g0", "t0"."address_country" as "g1", date_trunc($1, "t0"."last_contact_at" at time zone $2)::date as "g2",' +
          ' count(*) as "m0", sum("t0"."salary_amount") as "m1", avg("t0"."salary_amount") as "m2"' +
          ' from "ws_test"."person" as "t0" where "t0"."deleted_at" is null and ("t0"."is_active" = $3)' +
          ' group by 1, 2, 3 order by "g0" asc nulls last, "g1" asc nulls last, "g2" asc nulls last limit $4',
        parameters: ['month', 'Europe/Paris', true, 1000],
      });
      expect([...built.names.values()]).toEqual(['stage', 'address.country', 'lastContactAt:month', 'count', 'sum_salary', 'average']);
    });

    it('should truncate date columns without a time zone', () => {
      expect(compileSql(build({ groupBy: [{ field: 'birthday', bucket: 'week', alias: 'week' }] }).sql).sql).toContain(
        'date_trunc($1, "t0"."birthday"::timestamp)::date as "g0"',
      );
    });

    it('should left join relations once per path and sort by metrics first', () => {
      const built = build({
        groupBy: ['company.industry', 'company.parentCompany.name'],
        metrics: [{ op: 'countDistinct', field: 'company' }, { op: 'max', field: 'company.employees' }],
        sort: ['-max_company_employees'],
        limit: 5,
      });
      expect(compileSql(built.sql)).toEqual({
        sql:
          'select "j1"."industry" as "g0", "j2"."name" as "g1", count(distinct "t0"."company_id") as "m0", max("j1"."employees") as "m1"' +
          ' from "ws_test"."person" as "t0"' +
          ' left join "ws_test"."company" as "j1" on "j1"."id" = "t0"."company_id" and "j1"."deleted_at" is null' +
          ' left join "ws_test"."company" as "j2" on "j2"."id" = "j1"."parent_company_id" and "j2"."deleted_at" is null' +
          ' where "t0"."deleted_at" is null group by 1, 2 order by "m1" desc nulls last, "g0" asc nulls last, "g1" asc nulls last limit $1',
        parameters: [5],
      });
      expect([...built.names.values()]).toEqual(['company.industry', 'company.parentCompany.name', 'countDistinct_company', 'max_company_employees']);
    });

    it('should sort by a group key once', () => {
      expect(compileSql(build({ groupBy: ['stage', 'isActive'], sort: ['-isActive'] }).sql).sql).toContain(
        'order by "g1" desc nulls last, "g0" asc nulls last limit',
      );
    });
  });

  describe('failing-aggregate', () => {
    it.each([
      [{ groupBy: ['a', 'b', 'c', 'd'] }, 'At most 3 groupBy; got 4.'],
      [{ metrics: Array.from({ length: 11 }, () => ({ op: 'count' })) }, 'At most 10 metrics; got 11.'],
      [{ groupBy: ['nope'] }, 'Unknown field "nope" on person.'],
      [{ groupBy: ['tags'] }, 'Cannot group by "tags": textArray values cannot be grouped.'],
      [{ groupBy: ['projects'] }, 'Cannot aggregate "projects": it links many records.'],
      [{ groupBy: [{ field: 'name', bucket: 'month' }] }, 'Cannot bucket "name": buckets apply to dates and datetimes.'],
      [{ groupBy: [{ field: 'birthday', bucket: 'hour' }] }, 'groupBy[0]: bucket must be one of day, week, month, quarter, year.'],
      [{ groupBy: [{ field: 'birthday', size: 2 }] }, 'Unknown key "size" in groupBy[0]; expected field, bucket, alias.'],
      [{ metrics: [{ op: 'sum', field: 'name' }] }, 'Cannot compute sum of "name": it is a text field.'],
      [{ metrics: [{ op: 'avg' }] }, 'metrics[0]: avg needs a field.'],
      [{ metrics: [{ op: 'median', field: 'age' }] }, 'metrics[0]: op must be one of count, sum, avg, min, max, countDistinct.'],
      [{ metrics: [{ op: 'count' }, { op: 'count' }] }, '"count" names two columns of the result; give one an alias.'],
      [{ groupBy: ['stage'], metrics: [{ op: 'count', alias: 'stage' }] }, '"stage" names two columns'],
      [{ groupBy: ['stage'], sort: ['-amount'] }, 'Cannot sort by "amount": sort by a group key or a metric (stage, count).'],
      [{ limit: 10_001 }, 'limit must be a whole number from 1 to 10000.'],
      [{ metrics: [{ op: 'count', alias: '-x' }] }, 'alias must be a non-empty string'],
    ])('should reject %j', (query, message) => {
      expect(invalidQueryMessage(query)).toContain(message);
    });
  });
});
