import {
  API_NAME_PATTERN,
  FORMULA_RESULT_TYPES,
  RESERVED_NAMES,
  isFieldType,
  type FieldDefinition,
  type FieldError,
  type FieldType,
  type ObjectDefinition,
} from '@rapport/common';
import { AppError } from '../errors.ts';
import { ENCRYPTABLE_TYPES, hasBlindIndex } from '../fields/encrypted-field.ts';

const OPTION_KEYS: Record<FieldType, readonly string[]> = {
  text: ['maxLength', 'encrypted'],
  longText: ['maxLength', 'encrypted'],
  richText: ['maxLength'],
  number: ['min', 'max', 'precision', 'encrypted'],
  percent: ['min', 'max', 'precision'],
  rating: ['min', 'max'],
  currency: ['precision', 'defaultCurrency', 'conversionDateField'],
  boolean: [],
  date: ['encrypted'],
  datetime: ['encrypted'],
  select: ['choices'],
  multiSelect: ['choices'],
  email: ['multiple', 'encrypted'],
  phone: ['multiple', 'defaultCountry', 'encrypted'],
  url: ['multiple'],
  address: [],
  relation: ['target', 'kind', 'inverseName', 'inverseLabel', 'onDelete'],
  owner: [],
  formula: ['expression', 'resultType'],
  json: [],
  reference: ['targets'],
};

const FIELD_KEYS = ['name', 'type', 'label', 'description', 'helpText', 'required', 'unique', 'defaultValue', 'validation', 'options', 'isSearchable', 'position'];
const OBJECT_KEYS = ['name', 'labelSingular', 'labelPlural', 'description', 'icon', 'labelField', 'validationRules', 'fields'];
const UNIQUE_TYPES: readonly FieldType[] = ['text', 'number', 'email', 'phone', 'url', 'date', 'datetime', 'select', 'rating'];
const MAX_FIELDS = 500;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLabel = (value: unknown) => typeof value === 'string' && value.trim().length > 0 && value.length <= 100;

export const checkApiName = (name: unknown, what: 'object' | 'field'): string | undefined => {
  if (typeof name !== 'string' || !API_NAME_PATTERN.test(name)) {
    return `The ${what} name must be lowerCamelCase: a letter first, then letters and digits (at most 63), e.g. "${what === 'object' ? 'vehicle' : 'licensePlate'}".`;
  }
  if (RESERVED_NAMES.includes(name)) return `"${name}" is reserved.`;
  return undefined;
};

const checkRules = (rules: unknown, path: string, errors: FieldError[]) => {
  if (rules === undefined) return;
  if (!Array.isArray(rules) || rules.length > 50) {
    errors.push({ field: path, code: 'invalidType', message: 'Expected a list of at most 50 rules.' });
    return;
  }
  rules.forEach((rule, i) => {
    if (!isObject(rule) || typeof rule.expression !== 'string' || typeof rule.message !== 'string' || rule.message.trim() === '') {
      errors.push({ field: `${path}[${i}]`, code: 'invalidType', message: 'A rule is {"expression": "<CEL>", "message": "shown to the user"}.' });
    }
  });
};

/** Checks a field definition from the API; returns every problem, with paths relative to `path`. */
export const checkFieldDefinition = (input: unknown, path = ''): FieldError[] => {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const errors: FieldError[] = [];
  if (!isObject(input)) return [{ field: path || 'field', code: 'invalidType', message: 'Expected a field object.' }];
  for (const key of Object.keys(input)) {
    if (!FIELD_KEYS.includes(key)) errors.push({ field: at(key), code: 'unknownField', message: `Unknown property "${key}".` });
  }
  const nameProblem = checkApiName(input.name, 'field');
  if (nameProblem) errors.push({ field: at('name'), code: 'invalidFormat', message: nameProblem });
  if (!isFieldType(input.type)) {
    errors.push({ field: at('type'), code: 'invalidChoice', message: `Unknown field type ${JSON.stringify(input.type)}.` });
    return errors;
  }
  const type = input.type;
  if (!isLabel(input.label)) errors.push({ field: at('label'), code: 'required', message: 'A label of 1 to 100 characters is required.' });
  for (const flag of ['required', 'unique', 'isSearchable'] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') errors.push({ field: at(flag), code: 'invalidType', message: 'Expected true or false.' });
  }
  if (input.unique === true && !UNIQUE_TYPES.includes(type)) {
    errors.push({ field: at('unique'), code: 'invalidChoice', message: `A ${type} field cannot be unique.` });
  }
  checkRules(input.validation, at('validation'), errors);
  const options = input.options ?? {};
  if (!isObject(options)) {
    errors.push({ field: at('options'), code: 'invalidType', message: 'Expected an object.' });
    return errors;
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS[type].includes(key)) {
      errors.push({ field: at(`options.${key}`), code: 'unknownField', message: `A ${type} field has no option "${key}". Options: ${OPTION_KEYS[type].join(', ') || 'none'}.` });
    }
  }
  errors.push(...checkTypeOptions(type, options, at('options')));
  errors.push(...checkEncryption({ ...input, type, options }, at));
  return errors;
};

// What an encrypted field gives up: anything that would keep or compare its value in plain text.
const checkEncryption = (field: Record<string, unknown> & { type: FieldType; options: Record<string, unknown> }, at: (key: string) => string): FieldError[] => {
  const { encrypted } = field.options;
  if (encrypted === undefined || encrypted === false) return [];
  if (encrypted !== true) return [{ field: at('options.encrypted'), code: 'invalidType', message: 'Expected true or false.' }];
  if (!ENCRYPTABLE_TYPES.includes(field.type)) return [];
  const errors: FieldError[] = [];
  if (field.unique === true && !hasBlindIndex(field)) {
    errors.push({ field: at('unique'), code: 'invalidChoice', message: 'Only single email and phone fields can be unique when encrypted (through their blind index).' });
  }
  if (field.defaultValue !== undefined && field.defaultValue !== null) {
    errors.push({ field: at('defaultValue'), code: 'invalidChoice', message: 'An encrypted field has no default: the metadata holding it is not encrypted.' });
  }
  if (field.isSearchable === true) {
    errors.push({ field: at('isSearchable'), code: 'invalidChoice', message: 'An encrypted field is never in global search: its tokens would be plain text.' });
  }
  return errors;
};

const checkTypeOptions = (type: FieldType, options: Record<string, unknown>, path: string): FieldError[] => {
  const errors: FieldError[] = [];
  const problem = (key: string, message: string, code = 'invalidType') => errors.push({ field: `${path}.${key}`, code, message });
  for (const key of ['min', 'max', 'maxLength', 'precision'] as const) {
    if (options[key] !== undefined && (typeof options[key] !== 'number' || !Number.isFinite(options[key]))) problem(key, 'Expected a number.');
  }
  if (options.multiple !== undefined && typeof options.multiple !== 'boolean') problem('multiple', 'Expected true or false.');
  if (options.conversionDateField !== undefined && checkApiName(options.conversionDateField, 'field') !== undefined) {
    problem('conversionDateField', 'conversionDateField names a date or datetime field of the same object, e.g. "closeDate".', 'invalidFormat');
  }
  if (type === 'select' || type === 'multiSelect') {
    const choices = options.choices;
    if (!Array.isArray(choices) || choices.length === 0 || choices.length > 500) {
      problem('choices', 'A select needs 1 to 500 choices: [{"value": "new", "label": "New", "color": "blue"}].', 'required');
    } else {
      const seen = new Set<string>();
      choices.forEach((choice, i) => {
        if (!isObject(choice) || typeof choice.value !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(choice.value) || !isLabel(choice.label)) {
          problem(`choices[${i}]`, 'A choice is {"value": "letters, digits, _ . -", "label": "...", "color"?: "..."}.');
        } else if (seen.has(choice.value)) {
          problem(`choices[${i}].value`, `Duplicate choice "${choice.value}".`, 'unique');
        } else {
          seen.add(choice.value);
        }
      });
    }
  }
  if (type === 'relation') {
    if (typeof options.target !== 'string') problem('target', 'A relation needs the target object name.', 'required');
    if (options.kind !== undefined && options.kind !== 'manyToOne' && options.kind !== 'manyToMany') {
      problem('kind', 'kind is "manyToOne" or "manyToMany" (the oneToMany side is created as the inverse).', 'invalidChoice');
    }
    if (options.inverseName !== undefined) {
      const inverseProblem = checkApiName(options.inverseName, 'field');
      if (inverseProblem) problem('inverseName', inverseProblem, 'invalidFormat');
    }
    if (options.onDelete !== undefined && !['setNull', 'cascade', 'restrict'].includes(String(options.onDelete))) {
      problem('onDelete', 'onDelete is "setNull", "cascade" or "restrict".', 'invalidChoice');
    }
  }
  if (type === 'reference' && options.targets !== undefined) {
    const { targets } = options;
    if (!Array.isArray(targets) || targets.length === 0 || targets.length > 100 || !targets.every((target) => typeof target === 'string' && checkApiName(target, 'object') === undefined)) {
      problem('targets', 'targets is a list of object names (leave it out for any object).', 'invalidType');
    }
  }
  if (type === 'formula') {
    if (typeof options.expression !== 'string' || options.expression.trim() === '') problem('expression', 'A formula needs a CEL expression.', 'required');
    if (options.resultType !== undefined && !(FORMULA_RESULT_TYPES as readonly string[]).includes(String(options.resultType))) {
      problem('resultType', `resultType is one of ${FORMULA_RESULT_TYPES.join(', ')}.`, 'invalidChoice');
    }
  }
  return errors;
};

/** Checks an object definition from the API (its fields included). */
export const checkObjectDefinition = (input: unknown): FieldError[] => {
  if (!isObject(input)) return [{ field: 'object', code: 'invalidType', message: 'Expected an object definition.' }];
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) {
    if (!OBJECT_KEYS.includes(key)) errors.push({ field: key, code: 'unknownField', message: `Unknown property "${key}".` });
  }
  const nameProblem = checkApiName(input.name, 'object');
  if (nameProblem) errors.push({ field: 'name', code: 'invalidFormat', message: nameProblem });
  for (const key of ['labelSingular', 'labelPlural'] as const) {
    if (!isLabel(input[key])) errors.push({ field: key, code: 'required', message: 'A label of 1 to 100 characters is required.' });
  }
  checkRules(input.validationRules, 'validationRules', errors);
  const fields = input.fields ?? [];
  if (!Array.isArray(fields) || fields.length > MAX_FIELDS) {
    errors.push({ field: 'fields', code: 'invalidType', message: `Expected a list of at most ${MAX_FIELDS} fields.` });
    return errors;
  }
  const names = new Set<string>();
  fields.forEach((field, i) => {
    errors.push(...checkFieldDefinition(field, `fields[${i}]`));
    const name = isObject(field) ? field.name : undefined;
    if (typeof name === 'string') {
      if (names.has(name)) errors.push({ field: `fields[${i}].name`, code: 'unique', message: `Two fields are named "${name}".` });
      names.add(name);
    }
  });
  return errors;
};

export const assertValid = (errors: FieldError[]): void => {
  if (errors.length > 0) throw new AppError('INVALID_METADATA', errors.map((e) => `${e.field}: ${e.message}`).join(' '), { errors });
};

export type { FieldDefinition, ObjectDefinition };
