import type { Filter, FilterCondition, ObjectDefinition } from '@rapport/common';
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { buildFilter, type FilterRule } from '../object-record/table/filter-model.ts';
import type { UtilisationRow } from './settings-api.ts';

/**
 * The filter of a sharing rule or territory from the conditions an administrator built (all of them
 * must hold); undefined while no condition is complete.
 */
export const conditionsToFilter = (object: ObjectDefinition, rules: FilterRule[]): Filter | undefined => buildFilter({ object, rules });

/** The simple conditions of a filter (`and` groups flattened), to show a rule in a list. */
export const conditionsOf = (filter: Filter | null | undefined): FilterCondition[] => {
  if (!filter || typeof filter !== 'object') return [];
  if ('and' in filter && Array.isArray(filter.and)) return filter.and.flatMap((part) => conditionsOf(part));
  if ('field' in filter && 'op' in filter) return [filter as FilterCondition];
  return [];
};

/** Whether a filter has parts other than simple conditions joined by `and` (shown as "advanced"). */
export const isAdvancedFilter = (filter: Filter | null | undefined): boolean => {
  if (!filter || typeof filter !== 'object') return false;
  if ('and' in filter && Array.isArray(filter.and)) return filter.and.some(isAdvancedFilter);
  return !('field' in filter && 'op' in filter);
};

export type UtilisationSortKey = 'name' | 'licence' | 'lastSignInAt' | 'lastActiveAt' | 'inactiveDays' | 'features';
export type SortDirection = 'asc' | 'desc';

const sortValue = (row: UtilisationRow, key: UtilisationSortKey): string | number | null => {
  switch (key) {
    case 'name':
      return (row.name || row.email).toLocaleLowerCase();
    case 'licence':
      return row.licence?.toLocaleLowerCase() ?? null;
    case 'lastSignInAt':
      return row.lastSignInAt ? Date.parse(row.lastSignInAt) : null;
    case 'lastActiveAt':
      return row.lastActiveAt ? Date.parse(row.lastActiveAt) : null;
    case 'inactiveDays':
      return row.inactiveDays;
    case 'features':
      return row.featuresUsed.length;
    default:
      return key satisfies never;
  }
};

/** The utilisation report sorted by a column; empty values (never signed in, no licence) always last. */
export const sortUtilisation = (rows: readonly UtilisationRow[], key: UtilisationSortKey, direction: SortDirection): UtilisationRow[] =>
  [...rows].sort((a, b) => {
    const left = sortValue(a, key);
    const right = sortValue(b, key);
    if (left === right) return (a.name || a.email).localeCompare(b.name || b.email);
    if (left === null) return 1;
    if (right === null) return -1;
    const order = left < right ? -1 : 1;
    return direction === 'asc' ? order : -order;
  });

/** Role mapping rows (claim value → role id) as the API takes them: blank values dropped, last one wins. */
export const roleMappingOf = (rows: readonly { claim: string; roleId: string | null }[]): Record<string, string> => {
  const mapping: Record<string, string> = {};
  for (const row of rows) {
    const claim = row.claim.trim();
    if (claim && row.roleId) mapping[claim] = row.roleId;
  }
  return mapping;
};

// Refusals whose reason only the server's sentence explains (the last administrator, a role in use…).
const REFUSALS = new Set(['CONFLICT', 'ROLE_IN_USE', 'FORBIDDEN', 'VALIDATION_FAILED']);

/**
 * Why the API refused an administrator's action: in English the server's own sentence (it names the
 * reason, e.g. "held by 3 members"), in other languages a translation of the problem's code.
 */
export const refusalMessage = (t: TFunction, language: string, error: unknown): string => {
  if (isApiError(error) && REFUSALS.has(error.code)) {
    if (language.startsWith('en') && error.message) return error.message;
    if (error.code === 'ROLE_IN_USE') return t('admin.roles.inUse');
  }
  return problemMessage(t, error);
};
