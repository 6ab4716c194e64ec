import type { ObjectDefinition } from '@rapport/common';
import { EXCHANGE_RATE_OBJECT } from '@rapport/common';

/**
 * Dated exchange rates (FEATURES X7): one record per currency and day the rate starts to apply. The engine
 * finds them by the object's name (`exchangeRate`, like `owner` for record owners; engine/currency/) and
 * converts amounts to the workspace's default currency at the rate of the latest date on or before the
 * amount's date. Being an ordinary object, rates are entered in the generic table, imported from CSV or
 * written through the records API. docs/reference/currency.md.
 */
export const exchangeRateObject: ObjectDefinition = {
  name: EXCHANGE_RATE_OBJECT,
  labelSingular: 'Exchange rate',
  labelPlural: 'Exchange rates',
  icon: 'coins',
  labelField: 'currency',
  description: 'Units of a currency per one unit of the workspace\'s default currency, from a date on.',
  fields: [
    {
      name: 'currency',
      type: 'text',
      label: 'Currency',
      required: true,
      helpText: 'ISO 4217 code in capitals, e.g. USD.',
      options: { maxLength: 3 },
      validation: [{ expression: 'value.matches("^[A-Z]{3}$")', message: 'Use a three-letter ISO 4217 code in capitals, such as USD.' }],
    },
    {
      name: 'rate',
      type: 'number',
      label: 'Units per 1 default currency',
      required: true,
      helpText: 'How many units of this currency one unit of the workspace\'s default currency buys: with EUR as default, USD 1.08 means 1 EUR = 1.08 USD.',
      options: { precision: 6 },
      validation: [{ expression: 'value > 0.0', message: 'A rate is greater than zero.' }],
    },
    { name: 'date', type: 'date', label: 'Valid from', required: true, helpText: 'The rate applies to amounts dated on this day and after, until the next rate of the currency.' },
    { name: 'source', type: 'text', label: 'Source', helpText: 'Where the rate comes from: a central bank, a provider, entered by hand.' },
  ],
};

/** Rates are looked up by currency and latest date on or before a day: `(currency, date)` serves it. */
export const exchangeRateIndexes = [{ fields: ['currency', 'date'] }];
