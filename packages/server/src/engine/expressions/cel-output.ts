import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { ExpressionError } from './expression-error.ts';
import { isRecordValue } from './record-value.ts';
import { CEL_TYPE_NAMES, type CelType } from './cel-types.ts';

const fail = (message: string): never => {
  throw new ExpressionError({ code: 'evaluation', message });
};

/**
 * Converts a cel-js result to plain JSON-friendly JavaScript: int → number, timestamp → ISO
 * string, duration → "90s", optional → its value or null, maps → objects.
 */
export const fromCelValue = (value: unknown): unknown => {
  switch (typeof value) {
    case 'bigint':
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) fail('The result is too large a whole number.');
      return Number(value);
    case 'number':
      if (!Number.isFinite(value)) fail('The result is not a finite number (a division by zero?).');
      return value;
    case 'object':
      return fromCelObject(value);
    default:
      return value;
  }
};

const fromCelObject = (value: object | null): unknown => {
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? fail('The result is not a valid date.') : value.toISOString();
  if (value instanceof Duration) return `${Number(value.valueOf()) / 1000}s`;
  if (value instanceof UnsignedInt) return fromCelValue(value.valueOf());
  if (value instanceof Optional) return value.hasValue() ? fromCelValue(value.value()) : null;
  if (Array.isArray(value) || value instanceof Set) return [...value].map(fromCelValue);
  if (isRecordValue(value)) return fromCelValue(value.toObject());
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [String(key), fromCelValue(item)]));
  if (value instanceof Uint8Array) return value;
  if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromCelValue(item)]));
  }
  // A CEL type value such as `type(1)`.
  return String(value);
};

/** Whether a statically checked result type can serve where `expected` is needed. */
export const isAssignableResult = (expected: CelType, actual: string): boolean => {
  if (expected === 'dyn' || actual === 'dyn' || actual === CEL_TYPE_NAMES[expected]) return true;
  if (expected === 'double') return actual === 'int' || actual === 'uint';
  if (expected.startsWith('list')) return actual === 'list' || actual === 'list<dyn>' || (expected === 'list' && actual.startsWith('list<'));
  if (expected === 'map') return actual === 'map' || actual.startsWith('map<');
  return false;
};

/** Whether a raw run-time result has the `expected` type; used when the checker could only say dyn. */
export const matchesResultType = (expected: CelType, value: unknown): boolean => {
  switch (expected) {
    case 'string':
      return typeof value === 'string';
    case 'double':
      return typeof value === 'number' || typeof value === 'bigint';
    case 'int':
      return typeof value === 'bigint';
    case 'bool':
      return typeof value === 'boolean';
    case 'timestamp':
      return value instanceof Date;
    case 'list<string>':
      return isList(value) && [...value].every((item) => typeof item === 'string');
    case 'list<double>':
      return isList(value) && [...value].every((item) => typeof item === 'number' || typeof item === 'bigint');
    case 'list<int>':
      return isList(value) && [...value].every((item) => typeof item === 'bigint');
    case 'list':
      return isList(value);
    case 'map':
      return value instanceof Map || (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value)));
    case 'dyn':
      return true;
  }
};

const isList = (value: unknown): value is unknown[] | Set<unknown> => Array.isArray(value) || value instanceof Set;
