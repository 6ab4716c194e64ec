import { reject, succeed, type ValueResult } from './result.ts';

// The ISO 4217 codes the JavaScript engine knows; built once, on first use.
let currencyCodes: ReadonlySet<string> | undefined;

const getCurrencyCodes = (): ReadonlySet<string> => (currencyCodes ??= new Set(Intl.supportedValuesOf('currency')));

/** True for an ISO 4217 code written as three uppercase letters (`EUR`, not `eur`). */
export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code) && getCurrencyCodes().has(code);

/** Trims and uppercases a currency code, then checks it against ISO 4217. */
export const normalizeCurrencyCode = (input: string): ValueResult<string> => {
  const code = input.trim().toUpperCase();
  if (code === '') return reject('invalidCurrency', 'Enter a currency code such as EUR or USD.');
  if (!/^[A-Z]{3}$/.test(code)) return reject('invalidCurrency', `"${input.trim()}" is not a currency code; use three letters such as EUR or USD.`);
  if (!getCurrencyCodes().has(code)) return reject('invalidCurrency', `"${code}" is not an ISO 4217 currency code.`);
  return succeed(code);
};

/**
 * An amount rounded to the cent, halves away from zero; a relative epsilon absorbs binary noise (1.005 is 1.01, as
 * written) at any magnitude. Sales figures and line totals use it.
 */
export const roundMoney = (value: number): number => {
  const cents = Math.abs(value) * 100;
  const rounded = Math.round(cents * (1 + 2 * Number.EPSILON)) / 100;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
};
