import type { Filter, FilterCondition, RelativeDate } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { resolveDayWindow, resolveRelativeDate, type DayRange } from './relative-dates.ts';
import type { Dataset, RefCompany, RefPerson } from './test-arbitraries.ts';

/**
 * The filter semantics written down a second time, in plain JS over the generated rows, to check
 * the compiled SQL against. Only the database's own text rules are borrowed (how it lower-cases
 * and orders strings: they depend on its locale), never the compiler's SQL.
 */
export interface TextRules {
  lower(text: string): string;
  compare(a: string, b: string): number;
}

type Kind = 'text' | 'number' | 'date' | 'datetime' | 'boolean' | 'uuid' | 'textArray' | 'linked';
type Value = string | number | boolean | string[] | null;
const MISSING = Symbol('missing related record');

interface Context {
  dataset: Dataset;
  text: TextRules;
  timeZone: string;
  now: Date;
}

const liveCompany = (context: Context, id: string | null): RefCompany | undefined =>
  context.dataset.companies.find((company) => company.id === id && !company.isDeleted);

const throughCompany = (read: (company: RefCompany, context: Context) => Value | typeof MISSING) =>
  (person: RefPerson, context: Context) => {
    const company = liveCompany(context, person.companyId);
    return company ? read(company, context) : MISSING;
  };
const throughParent = (read: (company: RefCompany) => Value) =>
  throughCompany((company, context) => {
    const parent = liveCompany(context, company.parentId);
    return parent ? read(parent) : MISSING;
  });

const FIELDS: Record<string, { kind: Kind; read: (person: RefPerson, context: Context) => Value | typeof MISSING }> = {
  name: { kind: 'text', read: (p) => p.name },
  'address.city': { kind: 'text', read: (p) => p.city },
  'address.country': { kind: 'text', read: (p) => p.country },
  stage: { kind: 'text', read: (p) => p.stage },
  age: { kind: 'number', read: (p) => p.age },
  rating: { kind: 'number', read: (p) => p.rating },
  salary: { kind: 'number', read: (p) => p.salary },
  birthday: { kind: 'date', read: (p) => p.birthday },
  lastContactAt: { kind: 'datetime', read: (p) => p.lastContactAt },
  createdAt: { kind: 'datetime', read: (p) => p.createdAt },
  isActive: { kind: 'boolean', read: (p) => p.isActive },
  tags: { kind: 'textArray', read: (p) => p.tags },
  company: { kind: 'uuid', read: (p) => p.companyId },
  projects: {
    kind: 'linked',
    read: (p, context) => p.projectIds.filter((id) => context.dataset.projects.some((project) => project.id === id && !project.isDeleted)),
  },
  'company.name': { kind: 'text', read: throughCompany((c) => c.name) },
  'company.industry': { kind: 'text', read: throughCompany((c) => c.industry) },
  'company.employees': { kind: 'number', read: throughCompany((c) => c.employees) },
  'company.parentCompany.name': { kind: 'text', read: throughParent((c) => c.name) },
  'company.parentCompany.industry': { kind: 'text', read: throughParent((c) => c.industry) },
};

// Negative operators are the complements of positive ones, on the whole path.
const COMPLEMENTS: Record<string, string> = { neq: 'eq', nin: 'in', isEmpty: 'isNotEmpty' };

const dayIn = (instant: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));

const toMicros = (instant: string) => {
  const match = /\.(\d+)/.exec(instant);
  return Date.parse(instant) * 1000 + Number((match?.[1] ?? '').padEnd(6, '0').slice(3, 6));
};

const compare = (kind: Kind, a: Value, b: unknown, context: Context): number => {
  if (kind === 'number') return (a as number) - (b as number);
  if (kind === 'datetime') return toMicros(a as string) - toMicros(b as string);
  if (kind === 'text') return context.text.compare(a as string, b as string);
  return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
};

const isPositive = (condition: FilterCondition, kind: Kind, value: Value, context: Context): boolean => {
  const { op } = condition;
  const operand = condition.value;
  if (op === 'isNotEmpty') {
    if (kind === 'text') return value !== null && value !== '';
    if (kind === 'textArray' || kind === 'linked') return value !== null && (value as string[]).length > 0;
    return value !== null;
  }
  if (value === null) return false;
  const lower = (text: unknown) => context.text.lower(text as string);
  const equals = (item: unknown) => compare(kind, value, kind === 'uuid' ? (item as string).toLowerCase() : item, context) === 0;
  const isList = kind === 'textArray' || kind === 'linked';
  const holds = (item: unknown) => (value as string[]).includes(kind === 'linked' ? (item as string).toLowerCase() : (item as string));
  const isIn = (range: DayRange) => {
    const day = kind === 'datetime' ? dayIn(value as string, context.timeZone) : (value as string);
    return day >= range.start && day < range.end;
  };
  switch (op) {
    case 'eq': return isList ? holds(operand) : equals(operand);
    case 'in': return (operand as unknown[]).some((item) => (isList ? holds(item) : equals(item)));
    case 'lt': return compare(kind, value, operand, context) < 0;
    case 'lte': return compare(kind, value, operand, context) <= 0;
    case 'gt': return compare(kind, value, operand, context) > 0;
    case 'gte': return compare(kind, value, operand, context) >= 0;
    case 'between': {
      const [low, high] = operand as [unknown, unknown];
      return compare(kind, value, low, context) >= 0 && compare(kind, value, high, context) <= 0;
    }
    case 'contains':
      if (kind === 'textArray') return (Array.isArray(operand) ? operand : [operand]).every(holds);
      return lower(value).includes(lower(operand));
    case 'startsWith': return lower(value).startsWith(lower(operand));
    case 'endsWith': return lower(value).endsWith(lower(operand));
    case 'during': return isIn(resolveRelativeDate(operand as RelativeDate, context.timeZone, context.now));
    case 'inLastDays': return isIn(resolveDayWindow('last', operand as number, context.timeZone, context.now));
    case 'inNextDays': return isIn(resolveDayWindow('next', operand as number, context.timeZone, context.now));
    default: throw new Error(`No reference for operator ${op}`);
  }
};

const matchesCondition = (condition: FilterCondition, person: RefPerson, context: Context): boolean => {
  const complement = COMPLEMENTS[condition.op];
  if (complement) return !matchesCondition({ ...condition, op: complement as FilterCondition['op'] }, person, context);
  const field = FIELDS[condition.field];
  if (!field) throw new Error(`No reference for field ${condition.field}`);
  const value = field.read(person, context);
  return value !== MISSING && isPositive(condition, field.kind, value, context);
};

/** Whether the person matches the filter, by the documented semantics. */
export const matchesFilter = (filter: Filter, person: RefPerson, context: Context): boolean => {
  if ('and' in filter) return filter.and.every((child) => matchesFilter(child, person, context));
  if ('or' in filter) return filter.or.some((child) => matchesFilter(child, person, context));
  if ('not' in filter) return !matchesFilter(filter.not, person, context);
  return matchesCondition(filter, person, context);
};

/** Every string a filter compares with, for loadTextRules. */
export const collectStrings = (filter: Filter): string[] => {
  if ('and' in filter) return filter.and.flatMap(collectStrings);
  if ('or' in filter) return filter.or.flatMap(collectStrings);
  if ('not' in filter) return collectStrings(filter.not);
  const values = Array.isArray(filter.value) ? filter.value : [filter.value];
  return values.filter((value): value is string => typeof value === 'string');
};

/** How the database lower-cases and orders these strings (its collation and LC_CTYPE decide). */
export const loadTextRules = async (db: Db, strings: readonly string[]): Promise<TextRules> => {
  const unique = [...new Set(strings)];
  const { rows } = await sql<{ value: string; lower: string; rank: number }>`
    select v as value, lower(v) as lower, dense_rank() over (order by v) as rank from unnest(${unique}::text[]) as u(v)`.execute(db);
  const lowers = new Map(rows.map((row) => [row.value, row.lower]));
  const ranks = new Map(rows.map((row) => [row.value, Number(row.rank)]));
  const get = <T>(map: Map<string, T>, text: string): T => {
    const found = map.get(text);
    if (found === undefined) throw new Error(`String not loaded: ${JSON.stringify(text)}`);
    return found;
  };
  return { lower: (text) => get(lowers, text), compare: (a, b) => get(ranks, a) - get(ranks, b) };
};

/** The strings of the rows, for loadTextRules. */
export const datasetStrings = (dataset: Dataset): string[] =>
  [
    ...dataset.people.flatMap((person) => [person.name, person.city, person.country, person.stage]),
    ...dataset.companies.flatMap((company) => [company.name, company.industry]),
  ].filter((text): text is string => text !== null);

const SORT_FIELDS: Record<string, { kind: Kind; read: (person: RefPerson) => Value }> = {
  name: { kind: 'text', read: (p) => p.name },
  age: { kind: 'number', read: (p) => p.age },
  rating: { kind: 'number', read: (p) => p.rating },
  birthday: { kind: 'date', read: (p) => p.birthday },
  lastContactAt: { kind: 'datetime', read: (p) => p.lastContactAt },
  createdAt: { kind: 'datetime', read: (p) => p.createdAt },
  isActive: { kind: 'boolean', read: (p) => (p.isActive === null ? null : Number(p.isActive)) },
  stage: { kind: 'text', read: (p) => p.stage },
  'address.city': { kind: 'text', read: (p) => p.city },
  salary: { kind: 'number', read: (p) => p.salary },
};

/** People in sort order: nulls last ascending and first descending, then id in the last key's direction. */
export const sortPeople = (people: readonly RefPerson[], sort: readonly string[], context: Omit<Context, 'dataset'> & { dataset?: Dataset }): RefPerson[] => {
  const keys = sort.map((spec) => ({ field: SORT_FIELDS[spec.replace(/^-/, '')], isDescending: spec.startsWith('-') }));
  const isIdDescending = keys.at(-1)?.isDescending ?? false;
  const full = { dataset: { people: [], companies: [], projects: [] }, ...context } as Context;
  return [...people].sort((a, b) => {
    for (const { field, isDescending } of keys) {
      if (!field) throw new Error('Unknown sort field');
      const [x, y] = [field.read(a), field.read(b)];
      if (x === null && y === null) continue;
      const order = x === null ? 1 : y === null ? -1 : compare(field.kind === 'boolean' ? 'number' : field.kind, x, y, full);
      if (order !== 0) return isDescending ? -order : order;
    }
    const byId = a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1;
    return isIdDescending ? -byId : byId;
  });
};
