import type { ObjectPermissions } from './permissions.ts';
import type { FieldType, FormulaResultType, RelationKind } from './field-types.ts';

export interface SelectChoice {
  value: string;
  label: string;
  /** A CSS colour name or hex value shown as the chip colour. */
  color?: string;
}

export interface ValidationRule {
  /** A CEL expression over `record` (the new values) and `previous` (null on create); true means valid. */
  expression: string;
  message: string;
  /** The field the message is shown next to; omitted for record-level rules. */
  field?: string;
}

/** Options per field type; unknown keys are rejected by the metadata validator. */
export interface FieldOptions {
  /** select, multiSelect */
  choices?: SelectChoice[];
  /** email, phone, url: store a list instead of a single value. */
  multiple?: boolean;
  /** number, currency, percent: decimals shown. */
  precision?: number;
  /** number, percent, rating */
  min?: number;
  max?: number;
  /** text, longText */
  maxLength?: number;
  /** currency: the code used when a bare amount is written. */
  defaultCurrency?: string;
  /**
   * currency: the date or datetime field of the same object whose day converts the amount to the workspace's default
   * currency (e.g. an opportunity's `closeDate`); when absent or empty, the day the record was created.
   */
  conversionDateField?: string;
  /** phone: the country used to read national numbers (ISO 3166 alpha-2). */
  defaultCountry?: string;
  /** relation */
  target?: string;
  kind?: RelationKind;
  /** relation (manyToOne, manyToMany): the field created on the target object. */
  inverseName?: string;
  inverseLabel?: string;
  /** relation (manyToOne): what happens to this record when the target is purged. */
  onDelete?: 'setNull' | 'cascade' | 'restrict';
  /** reference: the objects it may point to; any object of the workspace when absent. */
  targets?: string[];
  /**
   * text, longText, email, phone, number, date, datetime: the value is stored encrypted (AES-256-GCM under
   * the workspace's data key). Set at creation only. Such a field cannot be sorted, grouped, aggregated,
   * searched or compared except for equality on single email and phone fields (a blind index).
   */
  encrypted?: boolean;
  /** formula */
  expression?: string;
  resultType?: FormulaResultType;
}

export interface FieldDefinition {
  name: string;
  type: FieldType;
  label: string;
  description?: string;
  helpText?: string;
  required?: boolean;
  unique?: boolean;
  /** A constant value in the field's API shape, or `{ "expression": "<CEL>" }`. */
  defaultValue?: unknown;
  /** Per-field validation rules (CEL over `value` and `record`). */
  validation?: ValidationRule[];
  options?: FieldOptions;
  /** Searchable by global search (names, emails, phones, domains by default). */
  isSearchable?: boolean;
  /** System fields (id, createdAt...) cannot be changed or deleted. */
  isSystem?: boolean;
  /** Standard fields ship with Rapport; they can be relabelled but not deleted. */
  isStandard?: boolean;
  /** Read-only fields are computed (formula, inverse relations, system). */
  isReadOnly?: boolean;
  position?: number;
}

export interface ObjectDefinition {
  name: string;
  labelSingular: string;
  labelPlural: string;
  description?: string;
  icon?: string;
  /** The field shown as the record's title (defaults to `name` when present). */
  labelField?: string;
  isStandard?: boolean;
  /** Record-level validation rules. */
  validationRules?: ValidationRule[];
  fields: FieldDefinition[];
  /**
   * What the caller may do with the object's records (their role narrowed by their key's scopes), as
   * `GET /metadata/objects` answers it: screens hide what would be refused. The API still decides.
   */
  permissions?: ObjectPermissions;
}

/** Fields every object has; they are never stored in the field metadata. */
export const SYSTEM_FIELDS = ['id', 'version', 'createdAt', 'updatedAt', 'deletedAt', 'createdBy', 'updatedBy'] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

/** lowerCamelCase, starts with a letter, 1–63 characters. */
export const API_NAME_PATTERN = /^[a-z][a-zA-Z0-9]{0,62}$/;

export const RESERVED_NAMES: readonly string[] = [
  ...SYSTEM_FIELDS,
  'in', 'null', 'true', 'false', 'search', 'query', 'batch', 'aggregate', 'restore', 'history', 'metadata', 'records', 'constructor', '__proto__', 'prototype',
];
