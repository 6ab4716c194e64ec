import { isEncryptedField } from '../crypto/field-keys.ts';
import { AppError } from '../errors.ts';
import { findReferencedFields } from '../expressions/expression-references.ts';
import { ExpressionError } from '../expressions/cel.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { compileFormula, compileRule, evaluateDefault } from '../records/record-expressions.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from './types.ts';

export interface FieldSemanticsOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  field: FieldMeta;
}

const metadataError = (field: string, message: string) => new AppError('INVALID_METADATA', message, { errors: [{ field, code: 'invalidFormat', message }] });

const compileOrExplain = (field: string, what: string, compile: () => unknown) => {
  try {
    return compile();
  } catch (error) {
    if (error instanceof ExpressionError) throw metadataError(field, `${what}: ${error.message}`);
    throw error;
  }
};

/**
 * Checks that need the rest of the metadata: formulas, rules and defaults compile against the
 * object's fields (with this field in its new shape), and constant defaults are valid values.
 */
export const checkFieldSemantics = ({ workspace, object, field }: FieldSemanticsOptions): void => {
  const fields = [...object.fields.filter((f) => f.name !== field.name), field];
  const next: ObjectMeta = { ...object, fields, fieldsByName: new Map(fields.map((f) => [f.name, f])) };
  if (field.type === 'formula') {
    compileOrExplain('options.expression', 'The formula does not compile', () => compileFormula(next, field));
    assertReadsNoEncryptedField(next, field);
  }
  if (isEncryptedField(field)) {
    const formulas = findFormulasReading(next, field);
    if (formulas.length > 0) throw metadataError('options.encrypted', `Formulas that read the whole record (${formulas.map((f) => f.name).join(', ')}) would store this field in plain text.`);
  }
  (field.validation ?? []).forEach((rule, i) =>
    compileOrExplain(`validation[${i}].expression`, 'The rule does not compile', () => compileRule(next, rule.expression, field)),
  );
  assertConversionDateField(next, field);
  if (field.defaultValue === undefined || field.defaultValue === null) return;
  const value = compileOrExplain('defaultValue', 'The default does not compile', () => evaluateDefault(field));
  const result = getFieldTypeHandler(field.type).toDb(value, field, { workspace });
  if (!result.ok) throw metadataError('defaultValue', `The default value is invalid: ${result.error.message}`);
};

// A currency's conversion day comes from a date or datetime of the same object (engine/currency). A field of
// that name not there yet is allowed (standard objects create their fields one by one); the creation day applies.
const assertConversionDateField = (object: ObjectMeta, field: FieldMeta): void => {
  const name = field.type === 'currency' ? field.options?.conversionDateField : undefined;
  const dateField = name === undefined ? undefined : object.fieldsByName.get(name);
  if (!dateField) return;
  if (dateField.type !== 'date' && dateField.type !== 'datetime') throw metadataError('options.conversionDateField', `"${name}" is a ${dateField.type} field: name a date or datetime field of ${object.name}.`);
  if (isEncryptedField(dateField)) throw metadataError('options.conversionDateField', `"${name}" is encrypted: the database cannot read its day to convert amounts.`);
};

// A formula's result is stored in plain text: over an encrypted field it would store the secret (or part of it).
const assertReadsNoEncryptedField = (object: ObjectMeta, formula: FieldMeta): void => {
  const references = findReferencedFields(formula.options?.expression ?? '');
  const encrypted = object.fields.filter((candidate) => isEncryptedField(candidate) && (references === 'all' || references.has(candidate.name)));
  if (encrypted.length === 0) return;
  throw metadataError('options.expression', `A formula cannot read encrypted fields (${encrypted.map((f) => f.name).join(', ')}): its result is stored in plain text.`);
};

/** Whether any formula of the object reads `field` (which then cannot become encrypted). */
export const findFormulasReading = (object: ObjectMeta, field: FieldMeta): FieldMeta[] =>
  object.fields.filter((candidate) => {
    if (candidate.type !== 'formula') return false;
    const references = findReferencedFields(candidate.options?.expression ?? '');
    return references === 'all' || references.has(field.name);
  });

/**
 * ENCRYPTED_TITLE_FIELD when the field titling the object's records would be encrypted: the title is
 * shown where values are not opened per reader (notifications, search hits, favourites, pickers).
 */
export const assertTitleNotEncrypted = (object: Pick<ObjectMeta, 'name' | 'labelField'>, field: Pick<FieldMeta, 'name' | 'options'>, path = 'labelField'): void => {
  if (field.name !== object.labelField || !isEncryptedField(field)) return;
  const message = `${field.name} titles ${object.name} records (labelField) and cannot be encrypted: choose another labelField first.`;
  throw new AppError('ENCRYPTED_TITLE_FIELD', message, { errors: [{ field: path, code: 'encrypted', message }] });
};

/** Object-level validation rules compile against the object's fields. */
export const checkObjectSemantics = (object: ObjectMeta): void => {
  (object.validationRules ?? []).forEach((rule, i) =>
    compileOrExplain(`validationRules[${i}].expression`, 'The rule does not compile', () => compileRule(object, rule.expression)),
  );
};
