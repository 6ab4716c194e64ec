import { Environment } from '@marcbachmann/cel-js';
import { registerCrmFunctions, registerMixedNumberOperators } from './cel-functions.ts';
import { PARSE_LIMITS } from './expression-limits.ts';
import { createRecordValueClass, type RecordValueClass } from './record-value.ts';
import { CEL_TYPE_NAMES, isCelType, type CelType, type VariableType } from './cel-types.ts';

/** How to turn one context entry into what cel-js reads. */
export type VariableSlot =
  | { name: string; kind: 'value'; type: CelType }
  | { name: string; kind: 'record'; RecordClass: RecordValueClass };

export interface ExpressionEnvironment {
  env: Environment;
  slots: VariableSlot[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Built once; each variable set gets a cheap clone (cloning freezes this parent).
const baseEnvironment = registerMixedNumberOperators(
  registerCrmFunctions(new Environment({ enableOptionalTypes: true, limits: PARSE_LIMITS })),
);

/**
 * An environment declaring `variables`. Records become message types so that field names and
 * types are checked at compile time: `record.amout` is refused before any write runs it.
 */
export const createExpressionEnvironment = (variables: Readonly<Record<string, VariableType>>): ExpressionEnvironment => {
  const env = baseEnvironment.clone();
  const slots: VariableSlot[] = [];
  for (const [name, type] of Object.entries(variables)) {
    assertIdentifier(name, 'variable');
    if (typeof type === 'string') {
      if (!isCelType(type)) throw new Error(`Unknown CEL type "${String(type)}" for variable "${name}".`);
      env.registerVariable(name, CEL_TYPE_NAMES[type]);
      slots.push({ name, kind: 'value', type });
      continue;
    }
    const fields: Record<string, string> = {};
    for (const [field, fieldType] of Object.entries(type)) {
      assertIdentifier(field, `field of "${name}"`);
      if (!isCelType(fieldType)) throw new Error(`Unknown CEL type "${String(fieldType)}" for "${name}.${field}".`);
      fields[field] = CEL_TYPE_NAMES[fieldType];
    }
    const RecordClass = createRecordValueClass(type);
    // Type names show in messages ("Cannot index type 'Record'"), so they echo the variable.
    const typeName = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
    env
      .registerType(typeName, { ctor: RecordClass, fields })
      .registerOperator(`${typeName} == null`, (record: InstanceType<RecordValueClass>) => record.isAbsent)
      .registerVariable(name, typeName);
    slots.push({ name, kind: 'record', RecordClass });
  }
  return { env, slots };
};

/** A stable key for a variable set, whatever the order its entries were written in. */
export const signatureOf = (variables: Readonly<Record<string, VariableType>>): string =>
  Object.keys(variables)
    .sort()
    .map((name) => {
      const type = variables[name];
      if (typeof type === 'string') return `${name}:${type}`;
      const fields = Object.keys(type ?? {}).sort().map((field) => `${field}:${type?.[field]}`);
      return `${name}{${fields.join(',')}}`;
    })
    .join(';');

const assertIdentifier = (name: string, what: string): void => {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid ${what} name "${name}" for an expression.`);
};
