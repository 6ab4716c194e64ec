import { EXCHANGE_RATE_OBJECT } from '@rapport/common';
import { sql, type RawBuilder } from 'kysely';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { columnOf, tableOf } from '../query/sql-parts.ts';

/**
 * Where a workspace keeps its dated rates: the object named `exchangeRate` (a convention, like `owner`) with a
 * text `currency`, a number `rate` (units of that currency per one unit of the default currency) and a date
 * `date`. Absent, or missing one of them: no rates, so only amounts in the default currency convert.
 */
export interface RateSource {
  table: RawBuilder<unknown>;
  currency: string;
  rate: string;
  date: string;
}

const columnOfType = (object: ObjectMeta, name: string, type: FieldMeta['type']): string | undefined => {
  const field = object.fieldsByName.get(name);
  return field?.type === type && !field.options?.encrypted ? field.column : undefined;
};

/** The rates of a workspace: give it the whole workspace, not a caller's view (rates are reference data). */
export const findRateSource = (workspace: WorkspaceMeta): RateSource | undefined => {
  const object = workspace.objects.get(EXCHANGE_RATE_OBJECT);
  if (!object) return undefined;
  const currency = columnOfType(object, 'currency', 'text');
  const rate = columnOfType(object, 'rate', 'number');
  const date = columnOfType(object, 'date', 'date');
  if (!currency || !rate || !date) return undefined;
  return { table: tableOf(workspace, object), currency, rate, date };
};

/**
 * The rate of `currency` on `day` as a scalar SQL expression: the latest rate dated on or before the day, else
 * the earliest one after it; null when the currency has none. Each branch is one probe of the
 * `(currency, date, id) where deleted_at is null` index (`order by date … limit 1`).
 */
export const rateOn = (source: RateSource, currency: RawBuilder<unknown>, day: RawBuilder<unknown>, alias = 'xr'): RawBuilder<unknown> => {
  const live = sql`${columnOf(alias, 'deleted_at')} is null and ${columnOf(alias, source.currency)} = ${currency} and ${columnOf(alias, source.rate)} > 0`;
  const rate = sql`${columnOf(alias, source.rate)}::numeric`;
  const date = columnOf(alias, source.date);
  return sql`coalesce(
    (select ${rate} from ${source.table} as ${sql.id(alias)} where ${live} and ${date} <= ${day} order by ${date} desc limit 1),
    (select ${rate} from ${source.table} as ${sql.id(alias)} where ${live} and ${date} > ${day} order by ${date} asc limit 1))`;
};

/**
 * Units of `currency` per one unit of the default currency on `day`: 1 for the default currency itself, the
 * rate otherwise (null without any). `currency` is a text expression (a `char(3)` column cast to text).
 */
export const conversionRate = (options: { source: RateSource | undefined; defaultCurrency: string; currency: RawBuilder<unknown>; day: RawBuilder<unknown> }): RawBuilder<unknown> => {
  const { source, defaultCurrency, currency, day } = options;
  // No currency (no amount): no lookup. The default currency: 1, without one either.
  return sql`case when ${currency} is null then null when ${currency} = ${defaultCurrency} then 1::numeric${source ? sql` else ${rateOn(source, currency, day)}` : sql``} end`;
};
