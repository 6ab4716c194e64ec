import { normalizeDateTime } from '@rapport/common/values/index';
import { ExpressionError } from './expression-error.ts';

/** The value types a variable, a record field or a result can have. */
export const CEL_TYPES = ['string', 'double', 'int', 'bool', 'timestamp', 'list<string>', 'list<double>', 'list<int>', 'list', 'map', 'dyn'] as const;
export type CelType = (typeof CEL_TYPES)[number];

/** A variable is a value of one type, or a record: a map of typed fields (`record.amount`). */
export type VariableType = CelType | Readonly<Record<string, CelType>>;

/** The type names cel-js uses for ours. */
export const CEL_TYPE_NAMES: Readonly<Record<CelType, string>> = {
  string: 'string',
  double: 'double',
  int: 'int',
  bool: 'bool',
  timestamp: 'google.protobuf.Timestamp',
  'list<string>': 'list<string>',
  'list<double>': 'list<double>',
  'list<int>': 'list<int>',
  list: 'list<dyn>',
  map: 'map<string, dyn>',
  dyn: 'dyn',
};

export const isCelType = (value: unknown): value is CelType => typeof value === 'string' && (CEL_TYPES as readonly string[]).includes(value);

const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

const mismatch = (name: string, expected: string, value: unknown): ExpressionError =>
  new ExpressionError({
    code: 'evaluation',
    message: `"${name}" should be ${expected}, got ${Array.isArray(value) ? 'a list' : typeof value}.`,
    field: name,
  });

/**
 * Converts a JavaScript value to what cel-js expects for `type`; undefined means "absent".
 * Null is absent too: CEL has no null-aware operators, so an empty field must fail loudly
 * (`missingValue`) or be tested with `has()` / `isBlank()` rather than compare as null.
 */
export const toCelValue = (type: CelType, value: unknown, name: string): unknown => {
  if (value === null || value === undefined) return undefined;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      throw mismatch(name, 'text', value);
    case 'double':
      return toDouble(value, name);
    case 'int':
      return toInt(value, name);
    case 'bool':
      if (typeof value === 'boolean') return value;
      throw mismatch(name, 'true or false', value);
    case 'timestamp':
      return toTimestamp(value, name);
    case 'list<string>':
    case 'list<double>':
    case 'list<int>':
    case 'list':
      if (Array.isArray(value)) return type === 'list' || type === 'list<string>' ? value : value.map((item) => toCelValue(type === 'list<int>' ? 'int' : 'double', item, name));
      throw mismatch(name, 'a list', value);
    case 'map':
      if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return value;
      throw mismatch(name, 'an object', value);
    case 'dyn':
      // JSON-shaped values are already CEL values: numbers are doubles, objects maps, arrays lists.
      return value;
  }
};

// numeric(20,4) columns come back from PostgreSQL as strings; they are numbers all the same.
const toDouble = (value: unknown, name: string): number => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  throw mismatch(name, 'a number', value);
};

const toInt = (value: unknown, name: string): bigint => {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw mismatch(name, 'a whole number', value);
};

// Every rule of a write reads the same ISO strings again, and parsing them is most of the cost
// of evaluating a date rule; cel-js never mutates the Date objects it is given.
const MAX_PARSED_TIMESTAMPS = 10_000;
const parsedTimestamps = new Map<string, Date>();

const toTimestamp = (value: unknown, name: string): Date => {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'string') {
    const parsed = parsedTimestamps.get(value);
    if (parsed) return parsed;
    const result = normalizeDateTime(value);
    if (result.ok) {
      if (parsedTimestamps.size >= MAX_PARSED_TIMESTAMPS) parsedTimestamps.clear();
      const date = new Date(result.value);
      parsedTimestamps.set(value, date);
      return date;
    }
  }
  throw mismatch(name, 'an ISO 8601 date or date-time', value);
};
