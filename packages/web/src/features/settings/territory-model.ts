import { isRuleGroup, rulesOfFilter, type FilterRule } from '../object-record/table/filter-model.ts';
import { isAdvancedFilter } from './admin-model.ts';
import type { Territory } from './settings-api.ts';

/**
 * The object and conditions of a territory as the editor can show them, or null when they are beyond it
 * (several objects, or `or`/`not` set through the API): then only the name and members are edited.
 */
export const editableRulesOf = (territory: Pick<Territory, 'rules'>): { objectName: string | null; rules: FilterRule[] } | null => {
  const entries = Object.entries(territory.rules);
  if (entries.length === 0) return { objectName: null, rules: [] };
  if (entries.length > 1) return null;
  const [[objectName, filter]] = entries as [[string, Territory['rules'][string]]];
  if (isAdvancedFilter(filter)) return null;
  const { rules } = rulesOfFilter(filter);
  if (rules.some(isRuleGroup)) return null;
  return { objectName, rules: rules as FilterRule[] };
};
