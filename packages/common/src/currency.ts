/**
 * Multi-currency: amounts keep their own currency and are converted to the workspace's default currency
 * for totals at the rate of their date (docs/reference/currency.md).
 */

/** The object whose records are the dated exchange rates: found by this name, like `owner` for owners. */
export const EXCHANGE_RATE_OBJECT = 'exchangeRate';

/** What aggregate metrics of currency fields are expressed in: `default` converts to the workspace's default currency. */
export const CURRENCY_CONVERSIONS = ['default', 'none'] as const;
export type CurrencyConversion = (typeof CURRENCY_CONVERSIONS)[number];

/** Amounts a converted aggregate left out: their currency has no rate at all. */
export interface UnconvertedAmounts {
  /** The currency field (path) of the metric. */
  field: string;
  currency: string;
  /** How many amounts (of the records the query reads) were left out. */
  count: number;
}

/** `GET /api/v1/currency/convert`. */
export interface CurrencyConversionResult {
  amount: number;
  from: string;
  to: string;
  /** The day the rates were read for (`YYYY-MM-DD`). */
  date: string;
  /** amount in `to`, rounded to 4 decimals. */
  result: number;
  /** Units of `to` per one unit of `from`. */
  rate: number;
  /** The rate record used for each side (units per one default unit, and its date); null for the default currency. */
  rates: { from: AppliedRate | null; to: AppliedRate | null };
  defaultCurrency: string;
}

export interface AppliedRate {
  currency: string;
  rate: number;
  date: string;
}
