import { RELATIVE_DATES, type ComparisonOp, type FieldDefinition, type Filter, type FilterCondition, type ObjectDefinition } from '@rapport/common';
import { valueKindOf, type ValueKind } from '../../field-types/field-kind.ts';
import { relationKindOf, titleFieldOf } from '../metadata.ts';

/** One condition of the filter bar, as a person built it (the value as typed). */
export interface FilterRule {
  /** A field name, or a part of an address (`address.city`). */
  field: string;
  op: ComparisonOp;
  value?: string;
}

/** What the filter bar offers for one field (or address part). */
export interface FilterTarget {
  path: string;
  field: FieldDefinition;
  /** `city` or `country` for address parts. */
  part?: 'city' | 'country';
  kind: ValueKind;
  ops: ComparisonOp[];
}

const TEXT_OPS: ComparisonOp[] = ['contains', 'eq', 'neq', 'startsWith', 'endsWith', 'isEmpty', 'isNotEmpty'];
const NUMBER_OPS: ComparisonOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'isEmpty', 'isNotEmpty'];
const DATE_OPS: ComparisonOp[] = ['during', 'inLastDays', 'inNextDays', 'eq', 'lt', 'gt', 'isEmpty', 'isNotEmpty'];
const DATETIME_OPS: ComparisonOp[] = ['during', 'inLastDays', 'inNextDays', 'lt', 'gt', 'isEmpty', 'isNotEmpty'];
const PRESENCE_OPS: ComparisonOp[] = ['isEmpty', 'isNotEmpty'];

export const NO_VALUE_OPS: ReadonlySet<ComparisonOp> = new Set(['isEmpty', 'isNotEmpty']);

const opsOf = (field: FieldDefinition, kind: ValueKind): ComparisonOp[] => {
  switch (kind) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'email':
    case 'phone':
    case 'url':
      return field.options?.multiple ? ['contains', 'isEmpty', 'isNotEmpty'] : TEXT_OPS;
    case 'number':
    case 'percent':
    case 'rating':
    case 'currency':
      return NUMBER_OPS;
    case 'date':
      return DATE_OPS;
    case 'datetime':
      return DATETIME_OPS;
    case 'boolean':
      return ['eq'];
    case 'select':
      return ['eq', 'neq', 'isEmpty', 'isNotEmpty'];
    case 'multiSelect':
      return ['contains', 'isEmpty', 'isNotEmpty'];
    case 'relation':
    case 'owner':
      return PRESENCE_OPS;
    case 'address':
    case 'json':
      return [];
    default:
      return kind satisfies never;
  }
};

/** The fields (and address parts) a person can filter on, with the operators each takes. */
export const filterTargetsOf = (object: ObjectDefinition): FilterTarget[] => {
  const targets: FilterTarget[] = [];
  for (const field of [...object.fields].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))) {
    const kind = valueKindOf(field);
    if (relationKindOf(field) === 'manyToMany') continue;
    if (kind === 'address') {
      for (const part of ['city', 'country'] as const) targets.push({ path: `${field.name}.${part}`, field, part, kind: 'text', ops: TEXT_OPS });
      continue;
    }
    const ops = opsOf(field, kind);
    if (ops.length > 0) targets.push({ path: field.name, field, kind, ops });
  }
  return targets;
};

/** The local midnight of a `YYYY-MM-DD` day as an instant (datetime comparisons need one). */
const startOfLocalDay = (day: string): string => {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, (month ?? 1) - 1, date ?? 1).toISOString();
};

/** The condition for a rule, or undefined while its value is missing or not yet valid. */
export const toCondition = (target: FilterTarget, rule: FilterRule): FilterCondition | undefined => {
  if (NO_VALUE_OPS.has(rule.op)) return { field: rule.field, op: rule.op };
  const text = (rule.value ?? '').trim();
  if (text === '') return undefined;
  if (rule.op === 'during') return (RELATIVE_DATES as readonly string[]).includes(text) ? { field: rule.field, op: 'during', value: text } : undefined;
  if (rule.op === 'inLastDays' || rule.op === 'inNextDays') {
    const days = Number(text);
    return Number.isInteger(days) && days > 0 ? { field: rule.field, op: rule.op, value: days } : undefined;
  }
  switch (target.kind) {
    case 'number':
    case 'percent':
    case 'rating':
    case 'currency': {
      const number = Number(text.replace(',', '.'));
      return Number.isFinite(number) ? { field: rule.field, op: rule.op, value: number } : undefined;
    }
    case 'boolean':
      return { field: rule.field, op: 'eq', value: text === 'true' };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { field: rule.field, op: rule.op, value: text } : undefined;
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { field: rule.field, op: rule.op, value: startOfLocalDay(text) } : undefined;
    default:
      return { field: rule.field, op: rule.op, value: target.part === 'country' && rule.op === 'eq' ? text.toUpperCase() : text };
  }
};

/** Text fields a quick search looks through: the title field and the searchable text fields. */
export const quickSearchFieldsOf = (object: ObjectDefinition): string[] => {
  const title = titleFieldOf(object);
  const names = object.fields
    .filter((field) => {
      const kind = valueKindOf(field);
      const isText = kind === 'text' || ((kind === 'email' || kind === 'phone' || kind === 'url') && !field.options?.multiple);
      return isText && (field.isSearchable || field.name === title);
    })
    .map((field) => field.name);
  return [...new Set(names)];
};

/** The query language's filter for the rules and the quick search, all of them required; undefined for none. */
export const buildFilter = ({ object, rules, quickSearch }: { object: ObjectDefinition; rules: FilterRule[]; quickSearch?: string }): Filter | undefined => {
  const targets = new Map(filterTargetsOf(object).map((target) => [target.path, target]));
  const parts: Filter[] = [];
  const q = quickSearch?.trim();
  if (q) {
    const fields = quickSearchFieldsOf(object);
    if (fields.length === 1) parts.push({ field: fields[0]!, op: 'contains', value: q });
    else if (fields.length > 1) parts.push({ or: fields.map((field) => ({ field, op: 'contains' as const, value: q })) });
  }
  for (const rule of rules) {
    const target = targets.get(rule.field);
    const condition = target && target.ops.includes(rule.op) ? toCondition(target, rule) : undefined;
    if (condition) parts.push(condition);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
};

/** Rules from the `filter` search parameter of the URL; anything malformed is dropped. */
export const parseRules = (text: string | null): FilterRule[] => {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (rule): rule is FilterRule => Boolean(rule) && typeof rule === 'object' && typeof rule.field === 'string' && typeof rule.op === 'string' && (rule.value === undefined || typeof rule.value === 'string'),
    );
  } catch {
    return [];
  }
};
