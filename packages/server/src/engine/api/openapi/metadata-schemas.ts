import { API_NAME_PATTERN, FIELD_TYPES, FORMULA_RESULT_TYPES, OBJECT_ACTIONS } from '@rapport/common';
import { schemaRef, type JsonSchema } from './openapi-types.ts';

const apiName = { type: 'string', pattern: API_NAME_PATTERN.source, description: 'lowerCamelCase; the name used in URLs, filters and bodies.' };
const label = { type: 'string', minLength: 1, maxLength: 100 };
const rules = { type: 'array', items: schemaRef('ValidationRule'), maxItems: 50 };

const fieldProperties: Record<string, JsonSchema> = {
  name: apiName,
  type: { type: 'string', enum: [...FIELD_TYPES], description: 'Cannot change after creation.' },
  label,
  description: { type: 'string' },
  helpText: { type: 'string' },
  required: { type: 'boolean' },
  unique: { type: 'boolean', description: 'text, number, email, phone, url, date, datetime, select and rating fields can be unique.' },
  defaultValue: { description: 'A constant in the field\'s API shape, or `{"expression": "<CEL>"}`.' },
  validation: rules,
  options: schemaRef('FieldOptions'),
  isSearchable: { type: 'boolean', description: 'Fed to global search.' },
  position: { type: 'integer', minimum: 0 },
};

// The type of a field never changes.
const { type: _type, ...patchableFieldProperties } = fieldProperties;

const objectProperties: Record<string, JsonSchema> = {
  name: apiName,
  labelSingular: label,
  labelPlural: label,
  description: { type: 'string' },
  icon: { type: 'string' },
  labelField: { type: 'string', description: 'The field shown as the record\'s title.' },
  validationRules: rules,
};

/** Object and field definitions as the metadata endpoints read and write them. */
export const METADATA_SCHEMAS: Record<string, JsonSchema> = {
  SelectChoice: {
    type: 'object',
    properties: { value: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' }, label, color: { type: 'string' } },
    required: ['value', 'label'],
    additionalProperties: false,
  },
  ValidationRule: {
    type: 'object',
    description: 'A CEL expression over `record` (and `previous` on update) that must be true.',
    properties: { expression: { type: 'string' }, message: { type: 'string', minLength: 1 }, field: { type: 'string' } },
    required: ['expression', 'message'],
    additionalProperties: false,
  },
  FieldOptions: {
    type: 'object',
    description: 'Options of the field\'s type; an option another type uses is rejected.',
    properties: {
      choices: { type: 'array', items: schemaRef('SelectChoice'), minItems: 1, maxItems: 500, description: 'select, multiSelect (required).' },
      multiple: { type: 'boolean', description: 'email, phone, url: a list of values.' },
      precision: { type: 'number', description: 'number, percent, currency: decimals shown.' },
      min: { type: 'number', description: 'number, percent, rating.' },
      max: { type: 'number', description: 'number, percent, rating.' },
      maxLength: { type: 'number', description: 'text, longText, richText.' },
      defaultCurrency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'currency: used when a bare amount is written.' },
      conversionDateField: { ...apiName, description: 'currency: the date or datetime field of the same object whose day converts the amount to the default currency (e.g. `closeDate`); the creation day when absent or empty.' },
      defaultCountry: { type: 'string', description: 'phone: ISO 3166-1 alpha-2 country for national numbers.' },
      encrypted: {
        type: 'boolean',
        description: 'text, longText, email, phone, number, date, datetime: values encrypted at rest; set at creation only. Not sortable, groupable or searchable; filters: isEmpty, isNotEmpty, and eq, neq, in, nin on single email and phone fields.',
      },
      target: { type: 'string', description: 'relation (required): the target object.' },
      kind: { type: 'string', enum: ['manyToOne', 'oneToMany', 'manyToMany'], description: 'relation: manyToOne by default; oneToMany only exists as an inverse.' },
      inverseName: { ...apiName, description: 'relation: the field created on the target object.' },
      inverseLabel: label,
      onDelete: { type: 'string', enum: ['setNull', 'cascade', 'restrict'], description: 'relation (manyToOne): when the target is purged.' },
      expression: { type: 'string', description: 'formula (required): a CEL expression over `record`.' },
      resultType: { type: 'string', enum: [...FORMULA_RESULT_TYPES], description: 'formula: text by default.' },
    },
    additionalProperties: false,
  },
  FieldDefinition: {
    type: 'object',
    properties: {
      ...fieldProperties,
      isStandard: { type: 'boolean', readOnly: true, description: 'Shipped with Rapport: can be relabelled, not renamed or deleted.' },
      isReadOnly: { type: 'boolean', readOnly: true, description: 'Computed: formulas and one-to-many inverses.' },
      isSystem: { type: 'boolean', readOnly: true },
    },
    required: ['name', 'type', 'label'],
    additionalProperties: false,
  },
  FieldPatch: {
    type: 'object',
    description: 'The properties to change. `type` and a relation\'s target, kind and inverseName cannot change; options are merged.',
    properties: patchableFieldProperties,
    additionalProperties: false,
  },
  ObjectDefinition: {
    type: 'object',
    properties: {
      ...objectProperties,
      isStandard: { type: 'boolean', readOnly: true },
      fields: { type: 'array', items: schemaRef('FieldDefinition'), maxItems: 500 },
      permissions: {
        type: 'object',
        readOnly: true,
        description: "What the caller may do with the object's records (their role narrowed by their key's scopes): screens hide what would be refused; the API still decides.",
        properties: Object.fromEntries(OBJECT_ACTIONS.map((action) => [action, { type: 'boolean' }])),
        required: [...OBJECT_ACTIONS],
        additionalProperties: false,
      },
    },
    required: ['name', 'labelSingular', 'labelPlural'],
    additionalProperties: false,
  },
  ObjectPatch: {
    type: 'object',
    description: 'The properties to change. Renaming changes the URL of the object\'s records; standard objects keep their name. Change fields through /fields.',
    properties: objectProperties,
    additionalProperties: false,
  },
  ObjectDefinitionList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('ObjectDefinition') } }, required: ['data'] },
};
