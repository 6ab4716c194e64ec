import type { FieldMeta } from '../../metadata/types.ts';
import { fail, nullable, single, type FieldTypeHandler } from '../field-type.ts';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);

const MAX_LINKS = 1000;

export const relationKind = (field: FieldMeta) => field.options?.kind ?? 'manyToOne';

/** manyToOne stores the target id in a column; oneToMany and manyToMany are read through the other side or a junction table. */
export const relationField: FieldTypeHandler = {
  type: 'relation',
  columns: (field) => (relationKind(field) === 'manyToOne' ? [{ column: field.column, sqlType: 'uuid', index: 'btree' }] : []),
  toDb(value, field) {
    const kind = relationKind(field);
    if (kind === 'oneToMany') return fail('readOnly', `Set this from the other side: ${field.options?.target}.${field.options?.inverseName}.`);
    if (kind === 'manyToMany') {
      const ids = value === null ? [] : value;
      if (!Array.isArray(ids) || !ids.every(isUuid)) return fail('invalidType', 'Expected a list of record ids.');
      if (ids.length > MAX_LINKS) return fail('tooLong', `At most ${MAX_LINKS} links per write.`);
      return { ok: true, values: {}, links: [...new Set(ids.map((id) => id.toLowerCase()))] };
    }
    if (value === null) return single(field, null);
    if (!isUuid(value)) return fail('invalidType', 'Expected the related record id (a UUID).');
    return single(field, value.toLowerCase());
  },
  fromDb: (row, field) => (relationKind(field) === 'manyToOne' ? (row[field.column] ?? null) : undefined),
  operand: (field, part) =>
    relationKind(field) === 'manyToOne' && (part === undefined || part === 'id') ? { column: field.column, kind: 'uuid' } : undefined,
  jsonSchema: (field) =>
    relationKind(field) === 'manyToOne'
      ? nullable({ type: 'string', format: 'uuid', description: `Id of a ${field.options?.target} record.` })
      : { type: 'array', items: { type: 'string', format: 'uuid' }, description: `Ids of ${field.options?.target} records.` },
};

export const ownerField: FieldTypeHandler = {
  type: 'owner',
  columns: (field) => [{ column: field.column, sqlType: 'uuid', index: 'btree' }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    if (!isUuid(value)) return fail('invalidType', 'Expected a user id (a UUID).');
    return single(field, value.toLowerCase());
  },
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'uuid' }),
  jsonSchema: () => nullable({ type: 'string', format: 'uuid', description: 'Id of a user of the workspace.' }),
};
