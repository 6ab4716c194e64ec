import type { FieldError } from '@rapport/common';
import { compileExpression, ExpressionError, type CelType, type CompiledExpression } from '../expressions/cel.ts';
import { celTypeOfField, celTypeOfFormulaResult, describeRecordFields, toExpressionValues } from '../expressions/record-variables.ts';
import { formulaResultType } from '../fields/types/formula.field.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { oncePerSnapshot, type FieldMeta, type ObjectMeta } from '../metadata/types.ts';

const FORMULA_CEL_TYPE = celTypeOfFormulaResult;

// oneToMany relations are not part of a record's value.
const expressionFields = (object: ObjectMeta, except?: string) =>
  object.fields.filter((field) => field.name !== except && !(field.type === 'relation' && relationKind(field) === 'oneToMany'));

const recordType = (object: ObjectMeta, except?: string): Record<string, CelType> => describeRecordFields(expressionFields(object, except));

const toExpressionRecord = (object: ObjectMeta, record: Record<string, unknown> | null): Record<string, unknown> | null =>
  record ? toExpressionValues(object.fields, record) : null;

// Compiled expressions per object snapshot (metadata is replaced, never changed, when it changes): a
// batch of a thousand records describes the record type and keys the cache once, not a thousand times.
const compiledByObject = new WeakMap<ObjectMeta, Map<string, CompiledExpression>>();
const compiledFor = (object: ObjectMeta, key: string, compile: () => CompiledExpression): CompiledExpression => {
  let compiled = compiledByObject.get(object);
  if (!compiled) compiledByObject.set(object, (compiled = new Map()));
  let expression = compiled.get(key);
  if (!expression) compiled.set(key, (expression = compile()));
  return expression;
};

// Formulas see every other field; they cannot read themselves.
export const compileFormula = (object: ObjectMeta, field: FieldMeta) =>
  compiledFor(object, `formula\u0000${field.name}`, () =>
    compileExpression({
      expression: field.options?.expression ?? '',
      variables: { record: recordType(object, field.name) },
      expectedType: FORMULA_CEL_TYPE(formulaResultType(field)),
    }),
  );

/** Rules read `record` and `previous` (null on create); a field's rules also read its `value`. */
export const compileRule = (object: ObjectMeta, expression: string, field?: FieldMeta) =>
  compiledFor(object, `rule\u0000${field?.name ?? ''}\u0000${expression}`, () =>
    compileExpression({
      expression,
      variables: { record: recordType(object), previous: recordType(object), ...(field ? { value: celTypeOfField(field) } : {}) },
      expectedType: 'bool',
    }),
  );

const toFormulaValue = (field: FieldMeta, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  const type = formulaResultType(field);
  if (type === 'date' && typeof value === 'string') return value.slice(0, 10);
  if (type === 'text' && typeof value === 'string') return value.trim() === '' ? null : value;
  if (type === 'number' && typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
};

/**
 * Computes the object's formula fields for a record, in field order (a formula can read an earlier one).
 * A formula that reads an empty field yields null; any other failure is reported on the field.
 */
export const computeFormulas = (options: { object: ObjectMeta; record: Record<string, unknown>; path?: string }) => {
  const { object, record, path = '' } = options;
  const columns: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const field of object.fields) {
    if (field.type !== 'formula') continue;
    let value: unknown = null;
    try {
      value = toFormulaValue(field, compileFormula(object, field).evaluate({ record: toExpressionRecord(object, { ...record, ...values }) }));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      if (error.code !== 'missingValue') errors.push({ field: `${path}${field.name}`, code: 'rule', message: `The formula could not be computed: ${error.message}` });
    }
    values[field.name] = value;
    columns[field.column] = value;
  }
  return { columns, values, errors };
};

interface RuleOfObject {
  expression: string;
  message: string;
  field: string;
  meta: FieldMeta | undefined;
}

// The object's and its fields' rules in one list: asked once per record written.
const rulesOf = oncePerSnapshot((object: ObjectMeta): RuleOfObject[] => [
  ...(object.validationRules ?? []).map((rule) => ({ ...rule, field: rule.field ?? '', meta: undefined })),
  ...object.fields.flatMap((field) => (field.validation ?? []).map((rule) => ({ ...rule, field: field.name, meta: field }))),
]);

/**
 * Field and object validation rules. A rule that reads an empty field does not apply (write
 * `has(record.x)` to require it); a rule that evaluates to false reports its message.
 */
export const checkValidationRules = (options: { object: ObjectMeta; record: Record<string, unknown>; previous: Record<string, unknown> | null; path?: string }): FieldError[] => {
  const { object, path = '' } = options;
  const rules = rulesOf(object);
  const errors: FieldError[] = [];
  if (rules.length === 0) return errors;
  const context = { record: toExpressionRecord(object, options.record), previous: toExpressionRecord(object, options.previous) };
  for (const rule of rules) {
    try {
      const values = rule.meta ? { ...context, value: context.record?.[rule.meta.name] ?? null } : context;
      if (compileRule(object, rule.expression, rule.meta).evaluate(values) !== true) errors.push({ field: `${path}${rule.field}`.replace(/\.$/, '') || 'record', code: 'rule', message: rule.message });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      if (error.code !== 'missingValue') errors.push({ field: `${path}${rule.field}`.replace(/\.$/, '') || 'record', code: 'rule', message: `${rule.message} (${error.message})` });
    }
  }
  return errors;
};

const isExpressionDefault = (value: unknown): value is { expression: string } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { expression?: unknown }).expression === 'string';

/** A field's default: a constant in the field's API shape, or `{"expression": "<CEL>"}` such as `today()`. */
export const evaluateDefault = (field: FieldMeta): unknown => {
  if (!isExpressionDefault(field.defaultValue)) return field.defaultValue;
  const value = compileExpression({ expression: field.defaultValue.expression, variables: {} }).evaluate({});
  return field.type === 'date' && typeof value === 'string' ? value.slice(0, 10) : value;
};

