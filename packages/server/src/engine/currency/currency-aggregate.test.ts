import type { AggregateQuery } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { buildAggregateQuery } from '../query/aggregate.ts';
import { ALL_ROWS } from '../query/row-scope.ts';
import { compileSql, objectFactory, workspaceFactory } from '../query/test-factories.ts';
import { findRateSource } from './exchange-rates.ts';

const deal = objectFactory({
  name: 'deal',
  fields: [
    { name: 'name', type: 'text' },
    { name: 'amount', type: 'currency', options: { conversionDateField: 'closeDate' } },
    { name: 'fee', type: 'currency' },
    { name: 'closeDate', type: 'date' },
    { name: 'stage', type: 'select', options: { choices: [{ value: 'won', label: 'Won' }] } },
  ],
});
const exchangeRate = objectFactory({
  name: 'exchangeRate',
  table: 'exchange_rate',
  fields: [{ name: 'currency', type: 'text' }, { name: 'rate', type: 'number' }, { name: 'date', type: 'date' }],
});
const workspace = workspaceFactory({ objects: [deal, exchangeRate] });
const build = (query: AggregateQuery, on = workspace) => buildAggregateQuery({ workspace: on, object: deal, query, rows: ALL_ROWS });

const invalidQuery = (query: unknown) => {
  try {
    build(query as AggregateQuery);
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_QUERY') return error.errors?.[0]?.field;
    throw error;
  }
  throw new Error('expected INVALID_QUERY');
};

describe('converted aggregates', () => {
  it('should find the rates as the workspace object named exchangeRate with currency, rate and date fields', () => {
    expect(findRateSource(workspace)).toMatchObject({ currency: 'currency', rate: 'rate', date: 'date' });
    expect(findRateSource(workspaceFactory({ objects: [deal] }))).toBeUndefined();
    const wrongTypes = objectFactory({ name: 'exchangeRate', fields: [{ name: 'currency', type: 'text' }, { name: 'rate', type: 'text' }, { name: 'date', type: 'date' }] });
    expect(findRateSource(workspaceFactory({ objects: [deal, wrongTypes] }))).toBeUndefined();
  });

  it('should leave queries without conversion as they were', () => {
    const built = build({ metrics: [{ op: 'sum', field: 'amount' }] });
    expect(compileSql(built.sql).sql).toBe('select sum("t0"."amount_amount") as "m0" from "ws_test"."deal" as "t0" where "t0"."deleted_at" is null limit $1');
    expect(built.unconverted).toBeUndefined();
  });

  it('should divide each amount by the rate of its day, found by two index probes in a lateral join', () => {
    const built = build({ groupBy: ['stage'], metrics: [{ op: 'sum', field: 'amount' }, { op: 'avg', field: 'amount' }, { op: 'count' }], currency: 'default' });
    const { sql, parameters } = compileSql(built.sql);
    expect(sql).toContain('round(sum("t0"."amount_amount" / "c1"."rate"), 4) as "m0"');
    expect(sql).toContain('round(avg("t0"."amount_amount" / "c1"."rate"), 4) as "m1"');
    // One lateral join for both metrics of the field.
    expect(sql.match(/left join lateral/g)).toHaveLength(1);
    expect(sql).toContain('case when "t0"."amount_currency"::text is null then null when "t0"."amount_currency"::text = $');
    expect(sql).toContain('then 1::numeric else coalesce(');
    expect(sql).toMatch(/"xr"\."currency" = "t0"\."amount_currency"::text and "xr"\."rate" > 0 and "xr"\."date" <= coalesce\("t0"\."close_date", \("t0"\."created_at" at time zone \$\d+\)::date\) order by "xr"\."date" desc limit 1/);
    expect(sql).toMatch(/"xr"\."date" > coalesce\("t0"\."close_date", \("t0"\."created_at" at time zone \$\d+\)::date\) order by "xr"\."date" asc limit 1/);
    expect(parameters).toContain('EUR');
    expect(parameters).toContain('Europe/Paris');
    expect(built.unconverted).toBeDefined();
    const missing = compileSql(built.unconverted!).sql;
    expect(missing).toContain('"t0"."amount_amount" is not null and "c1"."rate" is null');
    expect(missing).toContain('group by field, currency');
  });

  it('should convert at the creation day when the field names no conversion date, and only the metrics that ask', () => {
    const built = build({ metrics: [{ op: 'sum', field: 'fee', currency: 'default' }, { op: 'sum', field: 'amount' }, { op: 'max', field: 'fee.currency' }] });
    const { sql } = compileSql(built.sql);
    expect(sql).toContain('round(sum("t0"."fee_amount" / "c1"."rate"), 4) as "m0"');
    expect(sql).toContain('sum("t0"."amount_amount") as "m1"');
    expect(sql).toContain('max("t0"."fee_currency") as "m2"');
    expect(sql).toMatch(/"xr"\."date" <= \("t0"\."created_at" at time zone \$\d+\)::date order by/);
    // A metric's `none` wins over the query's `default`.
    expect(compileSql(build({ metrics: [{ op: 'sum', field: 'fee', currency: 'none' }], currency: 'default' }).sql).sql).not.toContain('lateral');
  });

  it('should convert only the default currency when the workspace has no rates', () => {
    const { sql } = compileSql(build({ metrics: [{ op: 'sum', field: 'amount' }], currency: 'default' }, workspaceFactory({ objects: [deal] })).sql);
    expect(sql).toContain('when "t0"."amount_currency"::text = $1 then 1::numeric end');
  });

  it('should refuse conversions that mean nothing, naming the metric', () => {
    expect(invalidQuery({ metrics: [{ op: 'sum', field: 'amount' }], currency: 'USD' })).toBe('currency');
    expect(invalidQuery({ metrics: [{ op: 'count', field: 'amount', currency: 'default' }] })).toBe('metrics[0].currency');
    expect(invalidQuery({ metrics: [{ op: 'max', field: 'amount.currency', currency: 'default' }] })).toBe('metrics[0].currency');
    expect(invalidQuery({ metrics: [{ op: 'count', currency: 'default' }] })).toBe('metrics[0].currency');
    expect(invalidQuery({ metrics: [{ op: 'sum', field: 'amount', currency: 'eur' }] })).toBe('metrics[0].currency');
  });
});
