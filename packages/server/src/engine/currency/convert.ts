import type { AppliedRate, CurrencyConversionResult, FieldError } from '@rapport/common';
import { normalizeCurrencyCode, normalizeDate } from '@rapport/common/values/index';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { getZonedToday } from '../query/relative-dates.ts';
import { columnOf } from '../query/sql-parts.ts';
import type { RateSource } from './exchange-rates.ts';

export interface ConvertInput {
  amount: number;
  from: string;
  /** Defaults to the workspace's default currency. */
  to?: string | undefined;
  /** `YYYY-MM-DD`; defaults to today in the workspace's time zone. */
  date?: string | undefined;
}

/** The largest amount a currency field stores (numeric(20,4)). */
const MAX_AMOUNT = 1e16;

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** The rate record of `currency` for `day`: the latest on or before it, else the earliest after it. */
export const findRate = async (db: Db, source: RateSource, currency: string, day: string): Promise<AppliedRate | undefined> => {
  const alias = 'xr';
  const live = sql`${columnOf(alias, 'deleted_at')} is null and ${columnOf(alias, source.currency)} = ${currency} and ${columnOf(alias, source.rate)} > 0`;
  const date = columnOf(alias, source.date);
  const rate = columnOf(alias, source.rate);
  const { rows } = await sql<{ rate: number; date: string }>`
    select rate, date from (
      (select ${rate} as rate, ${date} as date, 0 as pass from ${source.table} as ${sql.id(alias)} where ${live} and ${date} <= ${day}::date order by ${date} desc limit 1)
      union all
      (select ${rate} as rate, ${date} as date, 1 as pass from ${source.table} as ${sql.id(alias)} where ${live} and ${date} > ${day}::date order by ${date} asc limit 1)
    ) as found order by pass limit 1`.execute(db);
  const row = rows[0];
  return row ? { currency, rate: Number(row.rate), date: String(row.date) } : undefined;
};

/** Checks the input; every problem at once, as VALIDATION_FAILED field errors. */
const checkInput = (workspace: WorkspaceMeta, input: ConvertInput) => {
  const errors: FieldError[] = [];
  if (!Number.isFinite(input.amount)) errors.push({ field: 'amount', code: 'invalidType', message: 'The amount must be a number.' });
  else if (Math.abs(input.amount) >= MAX_AMOUNT) errors.push({ field: 'amount', code: 'tooLarge', message: 'The amount is too large.' });
  const code = (field: 'from' | 'to', value: string) => {
    const checked = normalizeCurrencyCode(value);
    if (checked.ok) return checked.value;
    errors.push({ field, code: checked.code, message: checked.message });
    return value;
  };
  const from = code('from', input.from);
  const to = code('to', input.to ?? workspace.defaultCurrency);
  let date = input.date ?? getZonedToday(workspace.timezone, new Date());
  if (input.date !== undefined) {
    const checked = /^\d{4}-\d{2}-\d{2}$/.test(input.date.trim()) ? normalizeDate(input.date) : { ok: false as const, code: 'invalidDate', message: `"${input.date}" is not a date; use YYYY-MM-DD.` };
    if (checked.ok) date = checked.value;
    else errors.push({ field: 'date', code: checked.code, message: checked.message });
  }
  if (errors.length > 0) throw validationFailed(errors, 'The conversion cannot be made; see errors.');
  return { from, to, date };
};

/**
 * Converts an amount between two currencies on a day through the workspace's default currency:
 * `amount / rate(from) * rate(to)`, each rate being units per one default unit (1 for the default itself)
 * found as aggregates find them. A currency without any rate is EXCHANGE_RATE_MISSING.
 */
export const convertAmount = async (db: Db, options: { workspace: WorkspaceMeta; rates: RateSource | undefined; input: ConvertInput }): Promise<CurrencyConversionResult> => {
  const { workspace, rates, input } = options;
  const { from, to, date } = checkInput(workspace, input);
  const rateOf = async (field: 'from' | 'to', currency: string): Promise<AppliedRate | null> => {
    if (currency === workspace.defaultCurrency) return null;
    const found = rates ? await findRate(db, rates, currency, date) : undefined;
    if (!found) {
      throw new AppError('EXCHANGE_RATE_MISSING', `There is no exchange rate for ${currency}: add an exchangeRate record (units of ${currency} per 1 ${workspace.defaultCurrency}).`, {
        errors: [{ field, code: 'noExchangeRate', message: `No rate of ${currency} is recorded.` }],
      });
    }
    return found;
  };
  const fromRate = await rateOf('from', from);
  const toRate = await rateOf('to', to);
  const rate = (toRate?.rate ?? 1) / (fromRate?.rate ?? 1);
  return {
    amount: input.amount,
    from,
    to,
    date,
    result: round(input.amount * rate, 4),
    rate: round(rate, 10),
    rates: { from: fromRate, to: toRate },
    defaultCurrency: workspace.defaultCurrency,
  };
};
