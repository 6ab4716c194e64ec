import type { FormulaResultType } from '@rapport/common';
import { compileExpression, ExpressionError, type CelType } from '../expressions/cel.ts';
import { celTypeOfField, celTypeOfFormulaResult, describeRecordFields } from '../expressions/record-variables.ts';
import type { ObjectMeta } from '../metadata/types.ts';

export interface ExpressionCheckRequest {
  expression: string;
  /** `formula` (default) reads `record`; `rule` reads `record`, `previous` and, with `field`, `value`, and must give true or false. */
  kind?: 'formula' | 'rule';
  /** A formula's result type: the expression must produce it. */
  resultType?: FormulaResultType;
  /** The field the formula or rule belongs to: a formula cannot read itself, a field rule reads its `value`. */
  field?: string;
}

export interface ExpressionCheckResult {
  valid: boolean;
  /** The checked result type (`string`, `double`, `bool`, `google.protobuf.Timestamp`...), null when invalid. */
  type: string | null;
  errors: { code: string; message: string; position: number | null }[];
}

// Fields an expression can read: oneToMany relations are not part of a record's value.
const readableFields = (object: ObjectMeta, except?: string) =>
  object.fields.filter((field) => field.name !== except && !(field.type === 'relation' && (field.options?.kind ?? 'manyToOne') === 'oneToMany'));

/**
 * Type-checks an expression against an object's fields the way saving the formula or rule would,
 * without saving anything: for editors that check while the user types.
 */
export const checkObjectExpression = (object: ObjectMeta, request: ExpressionCheckRequest): ExpressionCheckResult => {
  const kind = request.kind ?? 'formula';
  const field = request.field ? object.fieldsByName.get(request.field) : undefined;
  const variables: Record<string, Record<string, CelType> | CelType> =
    kind === 'formula'
      ? { record: describeRecordFields(readableFields(object, request.field)) }
      : {
          record: describeRecordFields(readableFields(object)),
          previous: describeRecordFields(readableFields(object)),
          ...(field ? { value: celTypeOfField(field) } : {}),
        };
  const expectedType: CelType | undefined = kind === 'rule' ? 'bool' : request.resultType ? celTypeOfFormulaResult(request.resultType) : undefined;
  try {
    const compiled = compileExpression({ expression: request.expression, variables, ...(expectedType ? { expectedType } : {}) });
    return { valid: true, type: compiled.resultType, errors: [] };
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return { valid: false, type: null, errors: [{ code: error.code, message: error.message, position: error.position ?? null }] };
  }
};
