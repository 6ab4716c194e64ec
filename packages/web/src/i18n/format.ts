import { intlLocaleOf, toLanguageCode } from './languages.ts';

// Intl formatters are costly to build and a table formats thousands of cells: keep them per locale and options.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.DisplayNames>();
const cached = <T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.DisplayNames>(key: string, make: () => T): T => {
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
};

const countryNames = new Map<string, string>();

export interface Formatters {
  locale: string;
  number(value: number, precision?: number): string;
  /** 12.5 → "12.5 %" in the locale's way. */
  percent(value: number, precision?: number): string;
  currency(amount: number, currency: string, precision?: number): string;
  /** `YYYY-MM-DD`, shown as that calendar day whatever the time zone. */
  date(value: string): string;
  dateTime(value: string): string;
  country(code: string): string;
}

export const createFormatters = (language: string): Formatters => {
  const locale = intlLocaleOf(toLanguageCode(language));
  const numberFormat = (precision?: number) =>
    cached(`n:${locale}:${precision ?? ''}`, () => new Intl.NumberFormat(locale, precision === undefined ? { maximumFractionDigits: 6 } : { minimumFractionDigits: precision, maximumFractionDigits: precision }));
  return {
    locale,
    number: (value, precision) => numberFormat(precision).format(value),
    percent: (value, precision) =>
      cached(`p:${locale}:${precision ?? ''}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: precision ?? 2, ...(precision !== undefined ? { minimumFractionDigits: precision } : {}) })).format(value / 100),
    currency: (amount, currency, precision) => {
      try {
        return cached(`c:${locale}:${currency}:${precision ?? ''}`, () =>
          new Intl.NumberFormat(locale, { style: 'currency', currency, ...(precision !== undefined ? { minimumFractionDigits: precision, maximumFractionDigits: precision } : {}) }),
        ).format(amount);
      } catch {
        return `${numberFormat(precision).format(amount)} ${currency}`;
      }
    },
    date: (value) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!match) return value;
      const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
      return cached(`d:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(day);
    },
    dateTime: (value) => {
      const instant = new Date(value);
      if (Number.isNaN(instant.getTime())) return value;
      return cached(`dt:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(instant);
    },
    country: (code) => {
      // A table repeats the same few countries: each name is looked up once per locale.
      const key = `${locale}:${code}`;
      let name = countryNames.get(key);
      if (name === undefined) {
        try {
          name = cached(`r:${locale}`, () => new Intl.DisplayNames([locale], { type: 'region' })).of(code) ?? code;
        } catch {
          name = code;
        }
        countryNames.set(key, name);
      }
      return name;
    },
  };
};
