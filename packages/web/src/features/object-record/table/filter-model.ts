import { RELATIVE_DATES, type ComparisonOp, type FieldDefinition, type Filter, type FilterCondition, type ObjectDefinition, type RecordReference } from '@rapport/common';
import { valueKindOf, type ValueKind } from '../../field-types/field-kind.ts';
import { isRecordId, parseReferenceText } from '../../field-types/reference-value.ts';
import { relationKindOf, titleFieldOf } from '../metadata.ts';

/** One condition of the filter bar, as a person built it (the value as typed). */
export interface FilterRule {
  /** A field name, or a part of an address (`address.city`) or of a reference (`related.object`). */
  field: string;
  op: ComparisonOp;
  value?: string;
  /** The upper bound of `between`. */
  value2?: string;
}

/** A group of conditions that all (`and`) or any (`or`) must hold; groups nest. */
export interface FilterRuleGroup {
  match: 'and' | 'or';
  items: FilterItem[];
}

export type FilterItem = FilterRule | FilterRuleGroup;

export const isRuleGroup = (item: FilterItem): item is FilterRuleGroup => 'items' in item;

/** Groups nest at most this deep in the builder (the top level is one). */
export const MAX_GROUP_DEPTH = 3;

/** What the filter bar offers for one field (or address part). */
export interface FilterTarget {
  path: string;
  field: FieldDefinition;
  /** `city` or `country` for address parts; `object` for the object a reference points to (`related.object`). */
  part?: 'city' | 'country' | 'object';
  kind: ValueKind;
  ops: ComparisonOp[];
}

// Every operator the query language has for each kind of value (engine/query/resolve-field.ts).
const TEXT_OPS: ComparisonOp[] = ['contains', 'eq', 'neq', 'startsWith', 'endsWith', 'in', 'nin', 'lt', 'lte', 'gt', 'gte', 'between', 'isEmpty', 'isNotEmpty'];
const NUMBER_OPS: ComparisonOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'nin', 'isEmpty', 'isNotEmpty'];
const DATE_OPS: ComparisonOp[] = ['during', 'inLastDays', 'inNextDays', 'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'isEmpty', 'isNotEmpty'];
const DATETIME_OPS: ComparisonOp[] = ['during', 'inLastDays', 'inNextDays', 'lt', 'lte', 'gt', 'gte', 'between', 'isEmpty', 'isNotEmpty'];
/** A reference's record (`related`, by id): picked records, or none. */
const REFERENCE_OPS: ComparisonOp[] = ['eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty'];
/** The object a reference points to (`related.object`): object names. */
const REFERENCE_OBJECT_OPS: ComparisonOp[] = ['eq', 'neq', 'in', 'nin'];

/** Operators whose value is a list (typed comma-separated). */
const PRESENCE_OPS: ComparisonOp[] = ['isEmpty', 'isNotEmpty'];

export const LIST_OPS: ReadonlySet<ComparisonOp> = new Set(['in', 'nin']);

export const NO_VALUE_OPS: ReadonlySet<ComparisonOp> = new Set(['isEmpty', 'isNotEmpty']);

const opsOf = (field: FieldDefinition, kind: ValueKind): ComparisonOp[] => {
  switch (kind) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'email':
    case 'phone':
    case 'url':
      return field.options?.multiple ? ['contains', 'eq', 'neq', 'isEmpty', 'isNotEmpty'] : TEXT_OPS;
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
      return ['eq', 'neq', 'isEmpty', 'isNotEmpty'];
    case 'select':
      return ['eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty'];
    case 'multiSelect':
      return ['contains', 'in', 'nin', 'isEmpty', 'isNotEmpty'];
    case 'relation':
      // A many-to-one relation holds one record's id: compared with picked records.
      return relationKindOf(field) === 'manyToOne' ? ['eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty'] : PRESENCE_OPS;
    case 'owner':
      return ['eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty'];
    case 'reference':
      return REFERENCE_OPS;
    case 'json':
      // A JSON list holding a value (`tags contains "vip"`), or every value of a list given as JSON.
      return ['contains', 'isEmpty', 'isNotEmpty'];
    case 'address':
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
    if (kind === 'reference') {
      // "Related to is Ada Lovelace" (the record, by id) and "Related to · Object is Person".
      targets.push({ path: field.name, field, kind, ops: REFERENCE_OPS });
      targets.push({ path: `${field.name}.object`, field, part: 'object', kind, ops: REFERENCE_OBJECT_OPS });
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

const splitList = (text: string) => text.split(',').map((part) => part.trim()).filter(Boolean);

/** The record id of a reference rule's value: `person:<id>` (as the picker writes it) or a bare id (a saved filter's). */
export const referenceIdOf = (text: string): string | undefined => parseReferenceText(text)?.id ?? (isRecordId(text) ? text.trim().toLowerCase() : undefined);

/** What `contains` looks for in a JSON field: JSON typed as such (`{"region": "south"}`, `["a", "b"]`), else the text. */
const jsonContainsValue = (text: string): unknown => {
  if (!/^[[{]/.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/** The condition for a rule, or undefined while its value is missing or not yet valid. */
export const toCondition = (target: FilterTarget, rule: FilterRule): FilterCondition | undefined => {
  if (NO_VALUE_OPS.has(rule.op)) return { field: rule.field, op: rule.op };
  const text = (rule.value ?? '').trim();
  if (text === '') return undefined;
  if (LIST_OPS.has(rule.op)) {
    const values = splitList(text).map((part) => toCondition(target, { field: rule.field, op: 'eq', value: part })?.value);
    return values.length > 0 && values.every((value) => value !== undefined) ? { field: rule.field, op: rule.op, value: values } : undefined;
  }
  if (rule.op === 'between') {
    const low = toCondition(target, { field: rule.field, op: 'eq', value: text })?.value;
    const high = toCondition(target, { field: rule.field, op: 'eq', value: rule.value2 ?? '' })?.value;
    return low !== undefined && high !== undefined ? { field: rule.field, op: 'between', value: [low, high] } : undefined;
  }
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
    case 'reference': {
      if (target.part === 'object') return /^[a-z][a-zA-Z0-9]*$/.test(text) ? { field: rule.field, op: rule.op, value: text } : undefined;
      const id = referenceIdOf(text);
      return id ? { field: rule.field, op: rule.op, value: id } : undefined;
    }
    case 'json':
      return { field: rule.field, op: rule.op, value: jsonContainsValue(text) };
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

const compileItems = (targets: Map<string, FilterTarget>, items: readonly FilterItem[]): Filter[] => {
  const parts: Filter[] = [];
  for (const item of items) {
    if (isRuleGroup(item)) {
      const children = compileItems(targets, item.items);
      if (children.length === 1) parts.push(children[0]!);
      else if (children.length > 1) parts.push(item.match === 'or' ? { or: children } : { and: children });
      continue;
    }
    const target = targets.get(item.field);
    const condition = target && target.ops.includes(item.op) ? toCondition(target, item) : undefined;
    if (condition) parts.push(condition);
  }
  return parts;
};

/**
 * The query language's filter for the rules (conditions and nested groups) and the quick search;
 * undefined for none. The quick search is always required; `match` says how the top-level rules combine.
 */
export const buildFilter = ({ object, rules, match = 'and', quickSearch }: { object: ObjectDefinition; rules: readonly FilterItem[]; match?: 'and' | 'or'; quickSearch?: string }): Filter | undefined => {
  const targets = new Map(filterTargetsOf(object).map((target) => [target.path, target]));
  const parts: Filter[] = [];
  const q = quickSearch?.trim();
  if (q) {
    const fields = quickSearchFieldsOf(object);
    if (fields.length === 1) parts.push({ field: fields[0]!, op: 'contains', value: q });
    else if (fields.length > 1) parts.push({ or: fields.map((field) => ({ field, op: 'contains' as const, value: q })) });
  }
  const compiled = compileItems(targets, rules);
  if (match === 'or' && compiled.length > 1) parts.push({ or: compiled });
  else parts.push(...compiled);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
};

const isText = (value: unknown) => value === undefined || typeof value === 'string';

const isFilterItem = (item: unknown, depth = 1): item is FilterItem => {
  if (!item || typeof item !== 'object') return false;
  const candidate = item as Record<string, unknown>;
  if (Array.isArray(candidate.items)) return depth < MAX_GROUP_DEPTH && (candidate.match === 'and' || candidate.match === 'or') && candidate.items.every((child) => isFilterItem(child, depth + 1));
  return typeof candidate.field === 'string' && typeof candidate.op === 'string' && isText(candidate.value) && isText(candidate.value2);
};

/** Rules (conditions and groups) from the `filter` search parameter of the URL; anything malformed is dropped. */
export const parseRules = (text: string | null): FilterItem[] => {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((item) => isFilterItem(item));
  } catch {
    return [];
  }
};

const toText = (value: unknown): string => {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
};

const fromFilter = (filter: Filter, depth: number): FilterItem | undefined => {
  if ('field' in filter) {
    const { op, value } = filter;
    // `related.id` (or `company.id`) is the record itself: the builder names it by the field.
    const field = filter.field.endsWith('.id') ? filter.field.slice(0, -3) : filter.field;
    if (LIST_OPS.has(op) && Array.isArray(value)) return { field, op, value: value.map(toText).join(', ') };
    if (op === 'between' && Array.isArray(value)) return { field, op, value: toText(value[0]), value2: toText(value[1]) };
    // A JSON field's `contains` may look for an object or a list: kept as JSON text.
    if (op === 'contains' && value !== null && typeof value === 'object') return { field, op, value: JSON.stringify(value) };
    return NO_VALUE_OPS.has(op) ? { field, op } : { field, op, value: toText(value) };
  }
  // `not` groups have no place in the builder: they are left out.
  if (!('and' in filter) && !('or' in filter)) return undefined;
  if (depth >= MAX_GROUP_DEPTH) return undefined;
  const match = 'or' in filter ? 'or' : 'and';
  const children = 'or' in filter ? filter.or : filter.and;
  return { match, items: children.map((child) => fromFilter(child, depth + 1)).filter((item): item is FilterItem => item !== undefined) };
};

/** The builder's rules for a saved filter (the inverse of buildFilter, without quick search). */
export const rulesOfFilter = (filter: Filter | null | undefined): { match: 'and' | 'or'; rules: FilterItem[] } => {
  if (!filter) return { match: 'and', rules: [] };
  const item = fromFilter(filter, 0);
  if (!item) return { match: 'and', rules: [] };
  return isRuleGroup(item) ? { match: item.match, rules: item.items } : { match: 'and', rules: [item] };
};

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The record ids that relation conditions compare with, per related object. */
export const relationIdsOf = (targets: readonly FilterTarget[], items: readonly FilterItem[]): Map<string, string[]> => {
  const byObject = new Map<string, Set<string>>();
  const visit = (list: readonly FilterItem[]) => {
    for (const item of list) {
      if (isRuleGroup(item)) {
        visit(item.items);
        continue;
      }
      const target = targets.find((candidate) => candidate.path === item.field);
      const related = target?.kind === 'relation' ? target.field.options?.target : undefined;
      if (!related || !item.value) continue;
      const ids = LIST_OPS.has(item.op) ? item.value.split(',').map((part) => part.trim()) : [item.value];
      const set = byObject.get(related) ?? new Set<string>();
      for (const id of ids) if (RECORD_ID.test(id)) set.add(id);
      byObject.set(related, set);
    }
  };
  visit(items);
  return new Map([...byObject].filter(([, ids]) => ids.size > 0).map(([name, ids]) => [name, [...ids].sort()]));
};

/**
 * The records reference conditions compare with: those picked (`person:<id>`, whose object is known) and bare ids
 * (from a saved filter, which keeps ids only), by reference field.
 */
export const referenceValuesOf = (targets: readonly FilterTarget[], items: readonly FilterItem[]): { references: RecordReference[]; bareIds: Map<string, string[]> } => {
  const references = new Map<string, RecordReference>();
  const bare = new Map<string, Set<string>>();
  const visit = (list: readonly FilterItem[]) => {
    for (const item of list) {
      if (isRuleGroup(item)) {
        visit(item.items);
        continue;
      }
      const target = targets.find((candidate) => candidate.path === item.field);
      if (target?.kind !== 'reference' || target.part === 'object' || !item.value) continue;
      for (const text of LIST_OPS.has(item.op) ? splitList(item.value) : [item.value]) {
        const reference = parseReferenceText(text);
        if (reference) references.set(`${reference.object}:${reference.id}`, reference);
        else if (isRecordId(text)) bare.set(target.field.name, (bare.get(target.field.name) ?? new Set()).add(text.trim().toLowerCase()));
      }
    }
  };
  visit(items);
  return { references: [...references.values()], bareIds: new Map([...bare].map(([field, ids]) => [field, [...ids].sort()])) };
};
