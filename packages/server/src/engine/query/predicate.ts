import { RELATIVE_DATES, type ComparisonOp, type RelativeDate } from '@rapport/common';
import { invalidQuery } from '../errors.ts';
import { isUuid } from '../fields/types/relation.field.ts';
import type { Predicate } from './filter-node.ts';
import { MAX_RELATIVE_DAYS, resolveDayWindow, resolveRelativeDate, toColumnBounds } from './relative-dates.ts';
import { assertOperatorSupported, type ResolvedOperand, type ResolvedPath } from './resolve-field.ts';

/** The most values an `in` / `nin` / `contains` list may hold. */
export const MAX_LIST_VALUES = 1000;

export interface BuildPredicateOptions {
  path: ResolvedPath;
  op: ComparisonOp;
  value: unknown;
  /** The workspace's IANA time zone, for relative dates. */
  timeZone: string;
  now: Date;
}

export interface BuiltPredicate {
  predicate: Predicate;
  negated: boolean;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_PATTERN = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-5])(:?[0-5]\d)?)$/i;

export const isCalendarDate = (value: string): boolean => {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

// PostgreSQL text cannot hold NUL (it raises an encoding error), and the driver rewrites an unpaired
// surrogate (valid in JSON) as U+FFFD, so the query would silently compare something else.
const UNSTORABLE_TEXT = /\u0000|\p{Cs}/u;

/** Text PostgreSQL stores as given: no NUL character, no unpaired UTF-16 surrogate. */
export const isStorableText = (value: string): boolean => !UNSTORABLE_TEXT.test(value);

export const isIsoDateTime = (value: string): boolean => {
  const match = DATETIME_PATTERN.exec(value);
  return match !== null && isCalendarDate(match[1] ?? '');
};

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const badValue = (path: ResolvedPath, op: ComparisonOp, expected: string, value: unknown) =>
  invalidQuery(`"${path.path}" ${op} expects ${expected}; got ${show(value)}.`, path.path);

/** One value compared with the operand, checked and normalised for binding. */
const toScalar = (path: ResolvedOperand, op: ComparisonOp, value: unknown): unknown => {
  const { kind, choices } = path.operand;
  switch (kind) {
    case 'text':
    case 'textArray':
      if (typeof value !== 'string') throw badValue(path, op, 'a string', value);
      if (!isStorableText(value)) throw badValue(path, op, 'text without NUL characters or unpaired surrogates', value);
      // An encrypted email or phone is compared through its blind index (the keyed hash of the value).
      if (path.operand.encryption?.blindIndex) return path.operand.encryption.blindIndex(value);
      if (choices && !choices.includes(value)) {
        throw invalidQuery(`"${path.path}" has no choice ${show(value)}. Choices: ${choices.map((c) => JSON.stringify(c)).join(', ')}.`, path.path);
      }
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw badValue(path, op, 'a number', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw badValue(path, op, 'true or false', value);
      return value;
    case 'date':
      if (typeof value !== 'string' || !isCalendarDate(value)) throw badValue(path, op, 'a date as YYYY-MM-DD', value);
      return value;
    case 'datetime':
      // Bound as written: PostgreSQL keeps the microseconds a JS Date would drop.
      if (typeof value !== 'string' || !isIsoDateTime(value)) {
        throw badValue(path, op, 'an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z', value);
      }
      return value;
    case 'uuid':
      if (!isUuid(value)) throw badValue(path, op, 'a record id (UUID)', value);
      return value.toLowerCase();
    case 'json':
      throw badValue(path, op, 'no value', value);
  }
};

const toList = <T>(path: ResolvedPath, op: ComparisonOp, value: unknown, toItem: (item: unknown) => T): T[] => {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST_VALUES) {
    throw badValue(path, op, `a non-empty list of at most ${MAX_LIST_VALUES} values`, value);
  }
  return value.map(toItem);
};

const compareBounds = (path: ResolvedOperand, low: unknown, high: unknown): number => {
  switch (path.operand.kind) {
    case 'number': return (low as number) - (high as number);
    case 'date': return (low as string).localeCompare(high as string);
    case 'datetime': return Date.parse(low as string) - Date.parse(high as string);
    default: return 0;
  }
};

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

const COMPARE = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

const buildOperandPredicate = ({ path, op, value, timeZone, now }: BuildPredicateOptions & { path: ResolvedOperand }): BuiltPredicate => {
  const { kind } = path.operand;
  const scalar = (item: unknown) => toScalar(path, op, item);
  const positive = (predicate: Predicate): BuiltPredicate => ({ predicate, negated: false });
  switch (op) {
    case 'eq':
    case 'neq': {
      const item = scalar(value);
      const predicate: Predicate = kind === 'textArray' ? { test: 'arrayContains', values: [item as string] } : { test: 'eq', value: item };
      return { predicate, negated: op === 'neq' };
    }
    case 'in':
    case 'nin': {
      const values = toList(path, op, value, scalar);
      const predicate: Predicate = kind === 'textArray' ? { test: 'arrayOverlaps', values: values as string[] } : { test: 'in', values };
      return { predicate, negated: op === 'nin' };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return positive({ test: 'compare', operator: COMPARE[op], value: scalar(value) });
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) throw badValue(path, op, 'a list of two values [low, high]', value);
      const [low, high] = value.map(scalar);
      if (compareBounds(path, low, high) > 0) throw badValue(path, op, '[low, high] with low <= high', value);
      return positive({ test: 'between', low, high });
    }
    case 'contains':
      // A JSON list holding the value (a string, number, boolean or object), or each value of a list given.
      if (kind === 'json') {
        const values = Array.isArray(value) ? value : [value];
        if (values.length === 0 || values.length > MAX_LIST_VALUES || values.some((item) => item === null || item === undefined)) {
          throw badValue(path, op, `a JSON value, or a non-empty list of at most ${MAX_LIST_VALUES}`, value);
        }
        if (JSON.stringify(values).length > 10_000) throw badValue(path, op, 'at most 10,000 characters of JSON', value);
        return positive({ test: 'jsonContains', values });
      }
      if (kind === 'textArray') {
        const values = typeof value === 'string' ? [scalar(value) as string] : toList(path, op, value, (item) => scalar(item) as string);
        return positive({ test: 'arrayContains', values });
      }
      return positive({ test: 'like', pattern: `%${escapeLike(scalar(value) as string)}%` });
    case 'startsWith':
      return positive({ test: 'like', pattern: `${escapeLike(scalar(value) as string)}%` });
    case 'endsWith':
      return positive({ test: 'like', pattern: `%${escapeLike(scalar(value) as string)}` });
    case 'during': {
      if (typeof value !== 'string' || !(RELATIVE_DATES as readonly string[]).includes(value)) {
        throw badValue(path, op, `one of ${RELATIVE_DATES.join(', ')}`, value);
      }
      const bounds = toColumnBounds(resolveRelativeDate(value as RelativeDate, timeZone, now), kind as 'date' | 'datetime', timeZone);
      return positive({ test: 'range', start: bounds.start, end: bounds.end });
    }
    case 'inLastDays':
    case 'inNextDays': {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RELATIVE_DAYS) {
        throw badValue(path, op, `a whole number of days from 1 to ${MAX_RELATIVE_DAYS}`, value);
      }
      const window = resolveDayWindow(op === 'inLastDays' ? 'last' : 'next', value, timeZone, now);
      const bounds = toColumnBounds(window, kind as 'date' | 'datetime', timeZone);
      return positive({ test: 'range', start: bounds.start, end: bounds.end });
    }
    case 'isEmpty':
    case 'isNotEmpty':
      return { predicate: { test: 'notEmpty' }, negated: op === 'isEmpty' };
  }
};

/** Checks `op` and `value` against the path and returns the test to compile (see Predicate). */
export const buildPredicate = (options: BuildPredicateOptions): BuiltPredicate => {
  const { path, op, value } = options;
  assertOperatorSupported(path, op);
  if (op === 'isEmpty' || op === 'isNotEmpty') {
    if (value !== undefined && value !== null) throw invalidQuery(`${op} takes no value ("${path.path}").`, path.path);
    return { predicate: path.type === 'collection' ? { test: 'linked' } : { test: 'notEmpty' }, negated: op === 'isEmpty' };
  }
  if (value === undefined || value === null) {
    throw invalidQuery(`"${path.path}" ${op} needs a value; to match empty values use isEmpty or isNotEmpty.`, path.path);
  }
  if (path.type === 'operand') return buildOperandPredicate({ ...options, path });
  const toId = (item: unknown) => {
    if (!isUuid(item)) throw badValue(path, op, 'record ids (UUIDs)', item);
    return item.toLowerCase();
  };
  const ids = op === 'eq' || op === 'neq' ? [toId(value)] : toList(path, op, value, toId);
  return { predicate: { test: 'linked', ids }, negated: op === 'neq' || op === 'nin' };
};
