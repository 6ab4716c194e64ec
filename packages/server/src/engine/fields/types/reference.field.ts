import { REFERENCE_PARTS, type RecordReference, type ReferencePart } from '@rapport/common';
import type { FieldMeta } from '../../metadata/types.ts';
import { fail, nullable, type FieldTypeHandler } from '../field-type.ts';
import { isUuid } from './relation.field.ts';

const isPart = (part: string): part is ReferencePart => (REFERENCE_PARTS as readonly string[]).includes(part);

/** The two columns of a reference: `<column>_object` (the object's name) and `<column>_id`. */
export const referenceColumns = (field: Pick<FieldMeta, 'column'>): Record<ReferencePart, string> => ({
  object: `${field.column}_object`,
  id: `${field.column}_id`,
});

const OBJECT_NAME = /^[a-z][a-zA-Z0-9]{0,62}$/;

/** `{object, id}` when `value` is one (id lower-cased), else undefined. */
export const asReference = (value: unknown): RecordReference | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { object, id, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof object !== 'string' || !OBJECT_NAME.test(object) || !isUuid(id)) return undefined;
  return { object, id: id.toLowerCase() };
};

/**
 * A link to one record of any object (or of `options.targets`): `{object, id}`. Both parts are columns, so a
 * reference filters (`related.id eq …`, `related.object in [...]`) and is indexed like a relation. The write path
 * checks that the record exists, is live and is readable by the writer; a read leaves out (null) a record the
 * reader may not see.
 */
export const referenceField: FieldTypeHandler = {
  type: 'reference',
  columns: (field) => {
    const columns = referenceColumns(field);
    return [
      { column: columns.object, sqlType: 'text' },
      { column: columns.id, sqlType: 'uuid', index: 'btree' },
    ];
  },
  toDb(value, field) {
    const columns = referenceColumns(field);
    if (value === null) return { ok: true, values: { [columns.object]: null, [columns.id]: null } };
    const reference = asReference(value);
    if (!reference) return fail('invalidType', 'Expected {"object": "<object name>", "id": "<record id>"}.');
    const targets = field.options?.targets;
    if (targets && !targets.includes(reference.object)) return fail('invalidTarget', `Expected a record of ${targets.join(', ')}.`);
    return { ok: true, values: { [columns.object]: reference.object, [columns.id]: reference.id } };
  },
  fromDb(row, field) {
    const columns = referenceColumns(field);
    const object = row[columns.object];
    const id = row[columns.id];
    return typeof object === 'string' && typeof id === 'string' ? { object, id } : null;
  },
  operand(field, part) {
    const columns = referenceColumns(field);
    // The whole field compares by id (record ids are unique across objects), as a relation does.
    if (part === undefined || part === 'id') return { column: columns.id, kind: 'uuid' };
    return isPart(part) ? { column: columns.object, kind: 'text' } : undefined;
  },
  jsonSchema: (field) =>
    nullable({
      type: 'object',
      required: ['object', 'id'],
      additionalProperties: false,
      properties: {
        object: field.options?.targets ? { type: 'string', enum: field.options.targets } : { type: 'string', description: 'An object name, e.g. person.' },
        id: { type: 'string', format: 'uuid' },
      },
      description: 'A record of any object.',
    }),
};
