import { ADDRESS_PARTS } from '@rapport/common';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../../metadata/types.ts';
import { relationKind } from '../../fields/types/relation.field.ts';
import { ADDRESS_PART_SYNONYMS, ADDRESS_PREFIXES, CONTAINS_RULES, FIELD_SYNONYMS, FULL_NAME_SYNONYMS, looksLikeMetadataColumn, OBJECT_ALIASES } from './mapping-synonyms.ts';
import { nameSplitOf } from './name-split.ts';
import { loadStandardLabels, type StandardLabels } from './standard-labels.ts';

/** Lower case, no accents, no spaces or punctuation, any script: `Mailing Zip/Postal Code` → `mailingzippostalcode`. */
export const normaliseHeader = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, '');

// Scores: an exact field name beats a label, a label beats a synonym, a synonym beats a prefixed or guessed match.
const SCORE_NAME = 10;
const SCORE_LABEL = 9;
const SCORE_RELATION_TITLE = 8;
const SCORE_ALIAS_TITLE = 5;
const SCORE_GUESS = 2;

type Keys = Map<string, Map<string, number>>;

const addKey = (keys: Keys, text: string, target: string, score: number) => {
  const key = normaliseHeader(text);
  if (key === '') return;
  let targets = keys.get(key);
  if (!targets) keys.set(key, (targets = new Map()));
  if ((targets.get(target) ?? -Infinity) < score) targets.set(target, score);
};

/** Every label a field goes by: its current label, plus the standard label in each language. */
const labelsOf = (object: ObjectMeta, field: FieldMeta, locales: StandardLabels[]): string[] => {
  const labels = [field.label];
  if (object.isStandard || field.isStandard) for (const locale of locales) labels.push(locale.fields[object.name]?.[field.name] ?? '');
  return labels.filter((label) => label !== '');
};

const isWritable = (field: FieldMeta) => !field.isReadOnly && !field.isSystem && field.type !== 'formula' && (field.type !== 'relation' || relationKind(field) === 'manyToOne');

/**
 * The keys of one object's own targets: fields by name, label, standard labels and synonyms; address
 * parts (`Mailing City` → `address.city`); a whole name split into first and last name.
 */
const ownKeys = (object: ObjectMeta, locales: StandardLabels[], options: { plainFieldsOnly: boolean }): Keys => {
  const keys: Keys = new Map();
  const addressFields = object.fields.filter((field) => field.type === 'address' && isWritable(field));
  for (const field of object.fields) {
    if (!isWritable(field) || (field.type === 'relation' && options.plainFieldsOnly)) continue;
    if (field.type === 'address') {
      if (options.plainFieldsOnly) continue;
      const isFirstAddress = field === addressFields[0];
      const fieldPrefixes: Array<[string, number]> = [...labelsOf(object, field, locales), field.name].map((label) => [label, 8]);
      const prefixes: Array<[string, number]> = [...fieldPrefixes, ...(isFirstAddress ? ADDRESS_PREFIXES : [])];
      for (const part of ADDRESS_PARTS) {
        const partNames = [part, ...ADDRESS_PART_SYNONYMS[part], ...locales.map((locale) => locale.addressParts[part] ?? '')];
        for (const [prefix, score] of prefixes) for (const name of partNames) if (name) addKey(keys, `${prefix} ${name}`, `${field.name}.${part}`, score);
      }
      // a column named like the address itself is its street line: a one-line address has no parts to split safely
      for (const [label] of fieldPrefixes) addKey(keys, label, `${field.name}.street`, SCORE_LABEL - 1);
      continue;
    }
    if (field.type === 'relation') continue; // relations get their keys from relationKeys
    if (field.type === 'reference') {
      // An export writes a reference as its title ("Related to", not importable) and "Related to (record)": object:id.
      for (const label of [field.name, ...labelsOf(object, field, locales)]) addKey(keys, `${label} (record)`, field.name, SCORE_LABEL);
      continue;
    }
    addKey(keys, field.name, field.name, SCORE_NAME);
    for (const label of labelsOf(object, field, locales)) addKey(keys, label, field.name, SCORE_LABEL);
    for (const [header, weight] of FIELD_SYNONYMS[field.name] ?? []) addKey(keys, header, field.name, weight);
  }
  const nameSplit = nameSplitOf(object);
  if (nameSplit && !options.plainFieldsOnly) {
    const title = object.fieldsByName.get(nameSplit.target);
    if (title) for (const label of labelsOf(object, title, locales)) addKey(keys, label, nameSplit.target, SCORE_LABEL - 1);
    addKey(keys, nameSplit.target, nameSplit.target, SCORE_NAME - 1);
    for (const [header, weight] of FULL_NAME_SYNONYMS) addKey(keys, header, nameSplit.target, weight);
  }
  return keys;
};

/** Words that name an object or relation when they prefix a column (`Organization - Name`, `Company Domain`). */
const aliasesOf = (object: ObjectMeta, locales: StandardLabels[]): string[] => [
  object.name,
  object.labelSingular,
  object.labelPlural,
  ...(object.isStandard ? [...(OBJECT_ALIASES[object.name] ?? []), ...locales.flatMap((locale) => Object.values(locale.objects[object.name] ?? {}))] : []),
];

const mergeKeys = (into: Keys, from: Keys, map: (target: string, score: number) => [string, number] | null, prefixes: string[]) => {
  for (const [key, targets] of from)
    for (const [target, score] of targets) {
      const mapped = map(target, score);
      if (!mapped) continue;
      for (const prefix of prefixes) {
        const fullKey = normaliseHeader(prefix) + key;
        let existing = into.get(fullKey);
        if (!existing) into.set(fullKey, (existing = new Map()));
        if ((existing.get(mapped[0]) ?? -Infinity) < mapped[1]) existing.set(mapped[0], mapped[1]);
      }
    }
};

/** Keys of a many-to-one relation: its label means the related record's title; `<relation> <field>` one of its fields. */
const relationKeys = (object: ObjectMeta, workspace: WorkspaceMeta, locales: StandardLabels[]): Keys => {
  const keys: Keys = new Map();
  for (const relation of object.fields) {
    if (relation.type !== 'relation' || !isWritable(relation)) continue;
    const target = relation.options?.target ? workspace.objects.get(relation.options.target) : undefined;
    if (!target) continue;
    const relationLabels = [relation.name, ...labelsOf(object, relation, locales)];
    // a company's parent company: `Company` alone is the company itself, only the relation's own labels name the parent
    const targetAliases = target.name === object.name ? [] : aliasesOf(target, locales).filter((alias) => !relationLabels.includes(alias));
    const aliases = [...relationLabels, ...targetAliases];
    for (const label of relationLabels) addKey(keys, label, `${relation.name}.${target.labelField}`, SCORE_RELATION_TITLE);
    // the object's own name before the relation's label: `Deal Stage` on a deal is its stage
    for (const own of aliasesOf(object, locales)) for (const label of relationLabels) addKey(keys, `${own} ${label}`, `${relation.name}.${target.labelField}`, SCORE_RELATION_TITLE - 1);
    for (const alias of aliases.slice(relationLabels.length)) addKey(keys, alias, `${relation.name}.${target.labelField}`, SCORE_RELATION_TITLE - 2);
    const targetKeys = ownKeys(target, locales, { plainFieldsOnly: true });
    mergeKeys(keys, targetKeys, (field, score) => [`${relation.name}.${field}`, score - 2], aliases);
    // a website column on a person is the company's: `Website` → `company.domain`
    const urlFields = new Set(target.fields.filter((field) => field.type === 'url' && isWritable(field)).map((field) => field.name));
    mergeKeys(keys, targetKeys, (field, score) => (urlFields.has(field) ? [`${relation.name}.${field}`, score - 4] : null), ['']);
  }
  return keys;
};

const keysCache = new WeakMap<ObjectMeta, { workspace: WorkspaceMeta; keys: Keys }>();

/** All header keys for importing into `object`, with the targets they suggest and how strongly. */
const keysFor = (object: ObjectMeta, workspace: WorkspaceMeta): Keys => {
  const cached = keysCache.get(object);
  if (cached && cached.workspace === workspace) return cached.keys;
  const locales = loadStandardLabels();
  const own = ownKeys(object, locales, { plainFieldsOnly: false });
  const keys: Keys = new Map();
  mergeKeys(keys, own, (target, score) => [target, score], ['']);
  // `Person - Email`, `Company Name` when importing companies: the object's own name before a field
  const selfAliases = aliasesOf(object, locales);
  mergeKeys(keys, own, (target, score) => [target, score - 1], selfAliases);
  // `Company` or `Organization` alone in a companies file: the company's own title
  const title = nameSplitOf(object)?.target ?? (object.fieldsByName.get(object.labelField) && isWritable(object.fieldsByName.get(object.labelField)!) ? object.labelField : undefined);
  if (title) for (const alias of selfAliases) addKey(keys, alias, title, SCORE_ALIAS_TITLE);
  mergeKeys(keys, relationKeys(object, workspace, locales), (target, score) => [target, score], ['']);
  keysCache.set(object, { workspace, keys });
  return keys;
};

// Last resort: a telling word inside the header (`Preferred email address`), for the field this object
// knows by that name, its own or a related one's (`Company website` → `company.domain` on a person).
const guessTargets = (key: string, keys: Keys): string[] => {
  if (looksLikeMetadataColumn(key)) return [];
  const targets: string[] = [];
  for (const rule of CONTAINS_RULES) {
    if (!rule.pattern.test(key)) continue;
    const target = rule.part ? `${rule.field}.${rule.part}` : rule.field;
    const known = [...(keys.get(normaliseHeader(target))?.keys() ?? [])];
    targets.push(...known.filter((candidate) => candidate === target || candidate.endsWith(`.${target}`)));
  }
  return targets;
};

/**
 * Suggested target for each header: a field name of the object, `<field>.<part>` of an address,
 * `<relationField>.<field>` of a many-to-one related object (`company.name`, `company.domain`), or null.
 * Never the same target twice: the strongest match wins, then the leftmost column.
 */
export function suggestMapping(headers: string[], object: ObjectMeta, workspace: WorkspaceMeta): Record<string, string | null> {
  const keys = keysFor(object, workspace);
  const candidates: Array<{ header: string; index: number; target: string; score: number }> = [];
  headers.forEach((header, index) => {
    const literal = header.trim();
    const key = normaliseHeader(header);
    const targets = keys.get(key);
    for (const [target, score] of targets ?? []) candidates.push({ header, index, target, score: target === literal ? score + 1 : score });
    if (!targets) for (const target of guessTargets(key, keys)) candidates.push({ header, index, target, score: SCORE_GUESS });
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const mapping: Record<string, string | null> = Object.fromEntries(headers.map((header) => [header, null]));
  const taken = new Set<string>();
  const assigned = new Set<string>();
  for (const { header, target } of candidates) {
    if (assigned.has(header) || taken.has(target)) continue;
    mapping[header] = target;
    assigned.add(header);
    taken.add(target);
  }
  // first and last name in columns of their own: a whole-name column would only repeat them
  const nameSplit = nameSplitOf(object);
  if (nameSplit && taken.has(nameSplit.target) && (taken.has(nameSplit.firstName) || taken.has(nameSplit.lastName)))
    for (const header of headers) if (mapping[header] === nameSplit.target) mapping[header] = null;
  return mapping;
}
