import { normalizeCurrencyCode } from '@rapport/common/values/index';
import { fail, nullable, type FieldTypeHandler } from '../field-type.ts';

const amountColumn = (column: string) => `${column}_amount`;
const currencyColumn = (column: string) => `${column}_currency`;

export const currencyField: FieldTypeHandler = {
  type: 'currency',
  columns: (field) => [
    { column: amountColumn(field.column), sqlType: 'numeric(20,4)', index: 'btree' },
    { column: currencyColumn(field.column), sqlType: 'char(3)' },
  ],
  toDb(value, field, { workspace }) {
    const amountCol = amountColumn(field.column);
    const currencyCol = currencyColumn(field.column);
    if (value === null) return { ok: true, values: { [amountCol]: null, [currencyCol]: null } };
    // A bare number uses the field's (or the workspace's) default currency.
    const input = typeof value === 'number' ? { amount: value } : value;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return fail('invalidType', 'Expected {"amount": number, "currency": "EUR"}.');
    }
    const { amount, currency, ...rest } = input as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return fail('invalidType', `Unknown currency part: ${Object.keys(rest).join(', ')}.`);
    if (amount === null || amount === undefined) return { ok: true, values: { [amountCol]: null, [currencyCol]: null } };
    if (typeof amount !== 'number' || !Number.isFinite(amount)) return fail('invalidType', 'The amount must be a number.');
    if (Math.abs(amount) >= 1e16) return fail('tooLarge', 'The amount is too large.');
    const code = normalizeCurrencyCode(
      typeof currency === 'string' ? currency : (field.options?.defaultCurrency ?? workspace.defaultCurrency),
    );
    if (!code.ok) return fail('invalidCurrency', code.message);
    return { ok: true, values: { [amountCol]: amount, [currencyCol]: code.value } };
  },
  fromDb(row, field) {
    const amount = row[amountColumn(field.column)];
    if (amount === null || amount === undefined) return null;
    return { amount, currency: row[currencyColumn(field.column)] };
  },
  operand(field, part) {
    // `amount` filters and sorts on the amount; `amount.currency` on the code.
    if (part === undefined || part === 'amount') return { column: amountColumn(field.column), kind: 'number' };
    if (part === 'currency') return { column: currencyColumn(field.column), kind: 'text' };
    return undefined;
  },
  jsonSchema: () =>
    nullable({
      type: 'object',
      properties: { amount: { type: 'number' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
      required: ['amount'],
      additionalProperties: false,
    }),
};
