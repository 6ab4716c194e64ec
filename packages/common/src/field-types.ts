/** Every field type a Rapport object can have. Adding one here makes every `never` switch fail until it is handled. */
export const FIELD_TYPES = [
  'text',
  'longText',
  'richText',
  'number',
  'currency',
  'percent',
  'boolean',
  'date',
  'datetime',
  'select',
  'multiSelect',
  'email',
  'phone',
  'url',
  'address',
  'rating',
  'relation',
  'owner',
  'formula',
  'json',
  'reference',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

export const isFieldType = (value: unknown): value is FieldType =>
  typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);

/** Parts of the composite `address` type; each filters and sorts as `address.city`. */
export const ADDRESS_PARTS = ['street', 'city', 'postalCode', 'region', 'country', 'lat', 'lng'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

/**
 * Parts of the `reference` type: a link to one record of any object (`{object, id}`), as an activity names the
 * record it is about. Each part filters and sorts as `related.object`, `related.id`.
 */
export const REFERENCE_PARTS = ['object', 'id'] as const;
export type ReferencePart = (typeof REFERENCE_PARTS)[number];

/** The value of a `reference` field. */
export interface RecordReference {
  object: string;
  id: string;
}

export type RelationKind = 'manyToOne' | 'oneToMany' | 'manyToMany';

/** The result type a formula field computes; decides its column and its filter operators. */
export const FORMULA_RESULT_TYPES = ['text', 'number', 'boolean', 'date', 'datetime'] as const;
export type FormulaResultType = (typeof FORMULA_RESULT_TYPES)[number];

export const assertNever = (value: never, what = 'value'): never => {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
};
