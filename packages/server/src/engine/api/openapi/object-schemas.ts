import { getFieldTypeHandler } from '../../fields/registry.ts';
import { relationKind } from '../../fields/types/relation.field.ts';
import type { FieldMeta, ObjectMeta } from '../../metadata/types.ts';
import { MAX_INCLUDED_CHILDREN } from '../../records/read-records.ts';
import { SYSTEM_PROPERTIES, SYSTEM_REQUIRED } from './common-schemas.ts';
import { schemaRef, type JsonSchema } from './openapi-types.ts';

/** The component names of one object's schemas. */
export interface ObjectSchemaNames {
  record: string;
  input: string;
  page: string;
  batchRequest: string;
  batchResult: string;
}

export interface ObjectSchemaOptions {
  object: ObjectMeta;
  names: ObjectSchemaNames;
  /** The record schema name of each object, to reference relation targets. */
  recordNameOf: (objectName: string) => string | undefined;
}

export const isReadOnlyField = (field: FieldMeta): boolean =>
  Boolean(field.isReadOnly) || field.type === 'formula' || (field.type === 'relation' && relationKind(field) === 'oneToMany');

/** Fields a body may set: none of the computed ones. */
export const getWritableFields = (object: ObjectMeta): FieldMeta[] => object.fields.filter((field) => !isReadOnlyField(field));

/** Fields a create must carry: required ones without a default the server fills in. */
export const getRequiredOnCreate = (object: ObjectMeta): string[] =>
  getWritableFields(object)
    // Defaults are filled for stored fields only, not for many-to-many links.
    .filter((field) => field.required && (field.defaultValue === undefined || (field.type === 'relation' && relationKind(field) === 'manyToMany')))
    .map((field) => field.name);

const documentField = (field: FieldMeta, schema: JsonSchema): JsonSchema => {
  const notes = [field.description, field.helpText, schema.description].filter((note): note is string => typeof note === 'string' && note !== '');
  const { description: _description, ...rest } = schema;
  return { ...rest, title: field.label, ...(notes.length > 0 ? { description: notes.join('\n\n') } : {}) };
};

const recordProperty = (field: FieldMeta, targetName: string | undefined): JsonSchema | undefined => {
  const base = getFieldTypeHandler(field.type).jsonSchema(field);
  if (field.type !== 'relation') return documentField(field, isReadOnlyField(field) ? { ...base, readOnly: true } : base);
  const kind = relationKind(field);
  if (kind === 'oneToMany') {
    // Not in the default shape: only present when asked for with include.
    if (!targetName) return undefined;
    return documentField(field, {
      type: 'array',
      items: schemaRef(targetName),
      readOnly: true,
      description: `Only with include=${field.name}: up to ${MAX_INCLUDED_CHILDREN} ${field.options?.target} records, newest first.`,
    });
  }
  if (!targetName) return documentField(field, base);
  const target = field.options?.target;
  const included = kind === 'manyToOne' ? schemaRef(targetName) : { type: 'array', items: schemaRef(targetName) };
  const description =
    kind === 'manyToOne'
      ? `The id of a ${target} record; with include=${field.name}, the record itself (null when it is in the trash).`
      : `The ids of the linked ${target} records; with include=${field.name}, the records themselves.`;
  // One flat anyOf (id, null, record) reads better in generated clients than nested ones.
  const alternatives = Array.isArray(base.anyOf) ? (base.anyOf as JsonSchema[]) : [base];
  return documentField(field, { anyOf: [...alternatives.map(({ description: _d, ...rest }) => rest), included], description });
};

const isExpressionDefault = (value: unknown) => typeof value === 'object' && value !== null && 'expression' in value;

const inputProperty = (field: FieldMeta): JsonSchema => {
  const { readOnly: _readOnly, ...base } = getFieldTypeHandler(field.type).jsonSchema(field);
  const withDefault = field.defaultValue !== undefined && !isExpressionDefault(field.defaultValue) ? { ...base, default: field.defaultValue } : base;
  return documentField(field, withDefault);
};

/** The schemas of one object: its record, its write body, its page and its batch request and result. */
export const buildObjectSchemas = ({ object, names, recordNameOf }: ObjectSchemaOptions): Record<string, JsonSchema> => {
  const fieldProperties: [string, JsonSchema][] = [];
  for (const field of object.fields) {
    const property = recordProperty(field, field.type === 'relation' ? recordNameOf(field.options?.target ?? '') : undefined);
    if (property) fieldProperties.push([field.name, property]);
  }
  const writable = getWritableFields(object);
  const required = getRequiredOnCreate(object);
  const uniqueFields = writable.filter((field) => field.unique).map((field) => field.name);
  return {
    [names.record]: {
      type: 'object',
      title: object.labelSingular,
      ...(object.description ? { description: object.description } : {}),
      properties: { ...Object.fromEntries(fieldProperties), ...SYSTEM_PROPERTIES },
      required: SYSTEM_REQUIRED,
    },
    [names.input]: {
      type: 'object',
      description: `${object.labelSingular}: the values to write. ${required.length > 0 ? `Required on create: ${required.join(', ')}. ` : ''}On update only the fields sent change; null clears a value.`,
      properties: {
        id: { type: 'string', format: 'uuid', description: 'On create: an id chosen by the client (409 when taken). In a batch: the record to update.' },
        version: { type: 'integer', minimum: 1, description: 'On update: apply only if the record is still at this version (like If-Match), else 412.' },
        ...Object.fromEntries(writable.map((field) => [field.name, inputProperty(field)])),
      },
      additionalProperties: false,
    },
    [names.page]: {
      type: 'object',
      properties: {
        data: { type: 'array', items: schemaRef(names.record) },
        pageInfo: schemaRef('PageInfo'),
        totalCount: { type: 'integer', minimum: 0, description: 'Only with count=true or count=estimate.' },
        totalCountIsEstimate: { type: 'boolean', const: true, description: 'totalCount is the planner estimate (count=estimate on a whole table of 10,000 records or more).' },
      },
      required: ['data', 'pageInfo'],
    },
    [names.batchRequest]: {
      type: 'object',
      description: 'Creates and updates in one transaction: any invalid record writes nothing. An item with an id (or a matching upsertOn value) updates that record.',
      properties: {
        records: { type: 'array', items: schemaRef(names.input), minItems: 1, maxItems: 1000 },
        ...(uniqueFields.length > 0 ? { upsertOn: { type: 'string', enum: uniqueFields, description: 'A unique field: an item whose value matches a live record updates it.' } } : {}),
      },
      required: ['records'],
      additionalProperties: false,
    },
    [names.batchResult]: {
      type: 'object',
      properties: {
        data: { type: 'array', items: schemaRef(names.record), description: 'The records written, in the order sent (items creating the same new upsertOn value are merged into one).' },
        meta: {
          type: 'object',
          properties: { created: { type: 'integer', minimum: 0 }, updated: { type: 'integer', minimum: 0 } },
          required: ['created', 'updated'],
        },
      },
      required: ['data', 'meta'],
    },
  };
};
