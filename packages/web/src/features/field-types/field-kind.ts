import { assertNever, type FieldDefinition } from '@rapport/common';

/** How the web app shows and edits a value; several field types share one kind. */
export type ValueKind =
  | 'text' | 'longText' | 'richText' | 'number' | 'percent' | 'rating' | 'currency' | 'boolean' | 'date' | 'datetime'
  | 'select' | 'multiSelect' | 'email' | 'phone' | 'url' | 'address' | 'relation' | 'owner' | 'json'
  /** A link to one record of any object (`{object, id}`; `{object, id, record}` when included). */
  | 'reference';

/** The kind of a field; a formula takes the kind of its result. A new field type is a compile error here until handled. */
export const valueKindOf = (field: FieldDefinition): ValueKind => {
  const { type } = field;
  switch (type) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'number':
    case 'percent':
    case 'rating':
    case 'currency':
    case 'boolean':
    case 'date':
    case 'datetime':
    case 'select':
    case 'multiSelect':
    case 'email':
    case 'phone':
    case 'url':
    case 'address':
    case 'relation':
    case 'owner':
    case 'json':
    case 'reference':
      return type;
    case 'formula':
      return field.options?.resultType ?? 'text';
    default:
      return assertNever(type, 'field type');
  }
};

/** Numbers line up on the right in tables. */
export const isNumericKind = (kind: ValueKind) => kind === 'number' || kind === 'percent' || kind === 'currency' || kind === 'rating';
