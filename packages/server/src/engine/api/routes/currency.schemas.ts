import { jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const CURRENCY_TAG = 'Currency';
export const CURRENCY_OPERATION_IDS = ['convertCurrency'] as const;

const code = { type: 'string', minLength: 3, maxLength: 3, description: 'ISO 4217 code, e.g. `USD`.' } as const;
const day = { type: 'string', maxLength: 10, description: '`YYYY-MM-DD`.' } as const;

export const convertQuerystring = {
  type: 'object',
  properties: {
    amount: { type: 'number', description: 'The amount in `from`.' },
    from: code,
    to: { ...code, description: 'ISO 4217 code; the workspace\'s default currency when omitted.' },
    date: { ...day, description: 'The day whose rates apply (`YYYY-MM-DD`); today in the workspace\'s time zone when omitted.' },
  },
  required: ['amount', 'from'],
  additionalProperties: false,
} as const;

const appliedRate = {
  type: ['object', 'null'],
  description: 'The exchange rate record used (units per one unit of the default currency, and the day it applies from); null for the default currency.',
  properties: { currency: code, rate: { type: 'number' }, date: day },
  required: ['currency', 'rate', 'date'],
} as const;

export const conversionSchema = {
  type: 'object',
  properties: {
    amount: { type: 'number' },
    from: code,
    to: code,
    date: day,
    result: { type: 'number', description: 'The amount in `to`, rounded to 4 decimals.' },
    rate: { type: 'number', description: 'Units of `to` per one unit of `from` on that day.' },
    rates: { type: 'object', properties: { from: appliedRate, to: appliedRate }, required: ['from', 'to'] },
    defaultCurrency: code,
  },
  required: ['amount', 'from', 'to', 'date', 'result', 'rate', 'rates', 'defaultCurrency'],
} as const;

export const CURRENCY_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/currency/convert': {
    get: {
      operationId: 'convertCurrency',
      summary: 'Convert an amount between currencies',
      description:
        'Through the workspace\'s default currency, with the rates of the `exchangeRate` object: for each currency the latest rate dated on or before `date`, else the earliest after it; the default currency is 1. The same method as converted aggregates (`"currency": "default"`). Needs read access to exchange rates; a currency without any rate is 422 `EXCHANGE_RATE_MISSING`.',
      tags: [CURRENCY_TAG],
      parameters: Object.entries(convertQuerystring.properties).map(([name, schema]) => ({
        name,
        in: 'query' as const,
        required: (convertQuerystring.required as readonly string[]).includes(name),
        description: schema.description,
        schema,
      })),
      responses: { 200: jsonResponse('The converted amount and the rates used.', conversionSchema), ...problemResponses([400, 401, 403, 404, 422]) },
    },
  },
};
