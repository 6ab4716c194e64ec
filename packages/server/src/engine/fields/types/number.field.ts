import { fail, nullable, single, type FieldTypeHandler } from '../field-type.ts';

const createNumberHandler = (type: 'number' | 'percent' | 'rating'): FieldTypeHandler => ({
  type,
  columns: (field) => [{ column: field.column, sqlType: type === 'rating' ? 'smallint' : 'double precision', index: 'btree' }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail('invalidType', 'Expected a number.');
    const min = field.options?.min ?? (type === 'rating' ? 0 : undefined);
    const max = field.options?.max ?? (type === 'rating' ? 5 : undefined);
    if (type === 'rating' && !Number.isInteger(value)) return fail('invalidType', 'A rating is a whole number.');
    if (min !== undefined && value < min) return fail('tooSmall', `Must be at least ${min}.`);
    if (max !== undefined && value > max) return fail('tooLarge', `Must be at most ${max}.`);
    return single(field, value);
  },
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'number' }),
  jsonSchema: (field) =>
    nullable({
      type: type === 'rating' ? 'integer' : 'number',
      ...(field.options?.min !== undefined ? { minimum: field.options.min } : {}),
      ...(field.options?.max !== undefined ? { maximum: field.options.max } : {}),
      ...(type === 'percent' ? { description: 'A percentage: 12.5 means 12.5 %.' } : {}),
    }),
});

export const numberField = createNumberHandler('number');
export const percentField = createNumberHandler('percent');
export const ratingField = createNumberHandler('rating');
