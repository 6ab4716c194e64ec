import { AppError } from '../errors.ts';
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
  if (field.type === 'formula') compileOrExplain('options.expression', 'The formula does not compile', () => compileFormula(next, field));
  (field.validation ?? []).forEach((rule, i) =>
    compileOrExplain(`validation[${i}].expression`, 'The rule does not compile', () => compileRule(next, rule.expression, field)),
  );
  if (field.defaultValue === undefined || field.defaultValue === null) return;
  const value = compileOrExplain('defaultValue', 'The default does not compile', () => evaluateDefault(field));
  const result = getFieldTypeHandler(field.type).toDb(value, field, { workspace });
  if (!result.ok) throw metadataError('defaultValue', `The default value is invalid: ${result.error.message}`);
};

/** Object-level validation rules compile against the object's fields. */
export const checkObjectSemantics = (object: ObjectMeta): void => {
  (object.validationRules ?? []).forEach((rule, i) =>
    compileOrExplain(`validationRules[${i}].expression`, 'The rule does not compile', () => compileRule(object, rule.expression)),
  );
};
