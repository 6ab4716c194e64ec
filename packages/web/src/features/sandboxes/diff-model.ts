import { CONFIGURATION_SECTIONS, type ConfigurationChange, type ConfigurationChangeAction, type ConfigurationDeployment } from '@rapport/common';

/** The changes of one section (objects, fields...), in the order a deployment applies the sections. */
export interface ChangeGroup {
  section: string;
  changes: ConfigurationChange[];
}

const ACTION_ORDER: Record<ConfigurationChangeAction, number> = { add: 0, change: 1, remove: 2 };

/**
 * Changes grouped by section: known sections in deployment order, any section this app does not know
 * yet (a newer server) after them; within a section additions, then changes, then removals, by key.
 */
export const groupChangesBySection = (changes: readonly ConfigurationChange[]): ChangeGroup[] => {
  const bySection = new Map<string, ConfigurationChange[]>();
  for (const change of changes) bySection.set(change.section, [...(bySection.get(change.section) ?? []), change]);
  const known: readonly string[] = CONFIGURATION_SECTIONS;
  const sections = [...known.filter((section) => bySection.has(section)), ...[...bySection.keys()].filter((section) => !known.includes(section)).sort()];
  return sections.map((section) => ({
    section,
    changes: [...bySection.get(section)!].sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || a.key.localeCompare(b.key)),
  }));
};

export interface ChangeSummary {
  add: number;
  change: number;
  remove: number;
  total: number;
  /** Changes that move data to the trash: shown as a warning before deploying. */
  destructive: number;
}

export const summariseChanges = (changes: readonly ConfigurationChange[]): ChangeSummary => {
  const summary: ChangeSummary = { add: 0, change: 0, remove: 0, total: changes.length, destructive: 0 };
  for (const change of changes) {
    summary[change.action]++;
    if (change.destructive) summary.destructive++;
  }
  return summary;
};

const MAX_VALUE_LENGTH = 160;

/** A value of the configuration as one short line: text as it is, lists joined, anything else as compact JSON; null when empty. */
export const formatConfigurationValue = (value: unknown): string | null => {
  if (value === undefined || value === null || value === '') return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) text = value.join(', ');
  else text = JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
};

export interface PropertyDifference {
  /** The property that differs; null when the whole value is compared. */
  property: string | null;
  before: string | null;
  after: string | null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a change does, property by property: `label: Nickname → Nick name`. Without a list of properties,
 * or when before and after are not both objects, the whole values are compared. Additions and removals
 * have nothing to compare.
 */
export const propertyDifferences = (change: ConfigurationChange): PropertyDifference[] => {
  if (change.action !== 'change') return [];
  const { before, after, properties } = change;
  if (isPlainObject(before) && isPlainObject(after)) {
    const names = properties && properties.length > 0 ? properties : [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).sort();
    return names.map((property) => ({ property, before: formatConfigurationValue(before[property]), after: formatConfigurationValue(after[property]) }));
  }
  if (before === undefined && after === undefined) return (properties ?? []).map((property) => ({ property, before: null, after: null }));
  return [{ property: null, before: formatConfigurationValue(before), after: formatConfigurationValue(after) }];
};

const LEADING_PROPERTIES = ['type', 'label'];
// Where a field sits among the others says nothing of what it is.
const QUIET_PROPERTIES = ['position'];
const MAX_HIGHLIGHTS = 4;

/**
 * A few `property: value` lines that say what an added or removed thing is (its type and label first),
 * from its simple properties; a value that is not an object is shown whole.
 */
export const valueHighlights = (value: unknown): string[] => {
  if (!isPlainObject(value)) {
    const text = formatConfigurationValue(value);
    return text === null ? [] : [text];
  }
  const simple = Object.keys(value).filter((key) => !QUIET_PROPERTIES.includes(key) && ['string', 'number', 'boolean'].includes(typeof value[key]) && value[key] !== '');
  const ordered = [...LEADING_PROPERTIES.filter((key) => simple.includes(key)), ...simple.filter((key) => !LEADING_PROPERTIES.includes(key)).sort()];
  return ordered.slice(0, MAX_HIGHLIGHTS).map((key) => `${key}: ${formatConfigurationValue(value[key])}`);
};

/**
 * The deployment that can be rolled back: the newest one still applied (the API refuses any other).
 * Failed deployments changed nothing; rolled back ones are already undone.
 */
export const rollbackCandidate = (deployments: readonly ConfigurationDeployment[]): ConfigurationDeployment | undefined =>
  [...deployments].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).find((deployment) => deployment.status === 'applied');
