import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { valueKindOf } from '../../field-types/field-kind.ts';
import { parseReferenceText, referenceOf, soleTargetOf } from '../../field-types/reference-value.ts';
import { parseAddress } from './paste-address.ts';
import { isUuid, nameKey, richTextOf, type MatchErrorCode } from './paste-matches.ts';

/** Why a pasted text does not fit a field (translated under `tableExtras.range.errors`). */
export type PasteErrorCode = 'invalidNumber' | 'invalidDate' | 'invalidChoice' | 'invalidBoolean' | 'readOnly' | 'notPasteable' | 'invalidReference' | 'invalidTarget' | MatchErrorCode;

/** The object pasted text names (`Person`, `People`, `person`), by API name or label; undefined for none. */
export type ObjectResolver = (text: string) => string | undefined;

/**
 * Finds objects by what a person writes: the API name, or a singular or plural label as the workspace wrote it or
 * as the interface shows it (`names`), case and accents aside.
 */
export const objectResolverOf = (objects: readonly ObjectDefinition[], names: (object: ObjectDefinition) => string[] = () => []): ObjectResolver => {
  const byName = new Map<string, string>();
  for (const object of objects) {
    for (const name of [object.labelSingular, object.labelPlural, ...names(object)]) if (!byName.has(nameKey(name))) byName.set(nameKey(name), object.name);
  }
  // API names win over labels.
  for (const object of objects) byName.set(nameKey(object.name), object.name);
  return (text) => byName.get(nameKey(text));
};

/** Names pasted into an owner or relation cell, to be found through the API before anything is saved. */
export interface PasteLookup {
  kind: 'owner' | 'relation';
  /** The related object (relations, references). */
  target?: string | undefined;
  /** One name, or several for a field holding a list (many-to-many). */
  texts: string[];
  isMultiple: boolean;
  /** A reference field: the record found is written `{object: target, id}`. */
  isReference?: true;
}

export type PastedValue = { value: unknown } | { error: PasteErrorCode } | { lookup: PasteLookup };

/** Where the answer for one pasted name is kept (the same name pasted in several cells is looked up once). */
export const lookupKey = (lookup: Pick<PasteLookup, 'kind' | 'target'>, text: string): string => `${lookup.kind}:${lookup.target ?? ''}:${text.trim()}`;

const TRUE_WORDS = new Set(['true', 'yes', '1', 'x', 'y', 'oui', 'ja', 'да', '是']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'n', 'non', 'nein', 'нет', '否']);

const toNumber = (text: string): number | undefined => {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  // "1,5" is a decimal comma; "1,234.5" has a thousands separator.
  const normal = compact.includes('.') ? compact.replace(/,/g, '') : compact.replace(',', '.');
  const number = Number(normal.replace(/%$/, ''));
  return normal !== '' && Number.isFinite(number) ? number : undefined;
};

const choiceOf = (field: FieldDefinition, text: string) => {
  const wanted = text.trim().toLowerCase();
  return field.options?.choices?.find((choice) => choice.value.toLowerCase() === wanted || choice.label.toLowerCase() === wanted)?.value;
};

// Semicolons separate items when there are any (names may hold commas: "Acme, Inc.; Globex"), else commas.
const splitItems = (text: string) => text.split(text.includes(';') ? ';' : ',').map((part) => part.trim()).filter(Boolean);

const isMultipleRelation = (field: FieldDefinition) => field.options?.kind === 'manyToMany';

// Ids are taken as they are (the server checks them); names are looked up.
const namesOrIds = (kind: PasteLookup['kind'], field: FieldDefinition, texts: string[], isMultiple: boolean): PastedValue => {
  if (texts.length === 0) return { value: isMultiple ? [] : null };
  if (texts.every(isUuid)) {
    const ids = texts.map((text) => text.toLowerCase());
    return { value: isMultiple ? ids : ids[0] };
  }
  return { lookup: { kind, ...(kind === 'relation' ? { target: field.options?.target } : {}), texts, isMultiple } };
};

/**
 * A reference pasted as a copy writes it, `Person: Ada Lovelace` (the object's label or API name, then the record's
 * title, looked up), or `person:<id>`; a field pointing to one object takes the title (or id) alone.
 */
const parseReference = (field: FieldDefinition, text: string, objectNamed: ObjectResolver | undefined): PastedValue => {
  if (text === '') return { value: null };
  const targets = field.options?.targets;
  const isAllowed = (object: string) => !targets || targets.includes(object);
  const prefixed = /^([^:]+?)\s*:\s*(.+)$/s.exec(text);
  const named = prefixed ? objectNamed?.(prefixed[1]!) : undefined;
  const exact = named ? undefined : parseReferenceText(text);
  const object = named ?? exact?.object ?? soleTargetOf(field);
  if (!object) return { error: 'invalidReference' };
  if (!isAllowed(object)) return { error: 'invalidTarget' };
  const rest = named ? prefixed![2]!.trim() : exact ? exact.id : text;
  if (isUuid(rest)) return { value: { object, id: rest.trim().toLowerCase() } };
  return { lookup: { kind: 'relation', target: object, texts: [rest], isMultiple: false, isReference: true } };
};

/** The value to write back for Undo: ids for relations (a read with `include` holds records), `{object, id}` for references. */
export const writableValueOf = (field: FieldDefinition, value: unknown): unknown => {
  if (field.type === 'relation') return relationIdsOf(value);
  if (field.type === 'reference') return referenceOf(value) ?? null;
  return value ?? null;
};

/** A relation's value as the API writes it: ids, where a read with `include` holds whole records. */
export const relationIdsOf = (value: unknown): unknown => {
  const idOf = (item: unknown) => (item && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : item);
  return Array.isArray(value) ? value.map(idOf) : idOf(value ?? null);
};

/**
 * The API value for text pasted into a cell of `field`, or why it does not fit. `current` is the
 * cell's value now: a pasted amount keeps the record's currency. `objectNamed` finds the object a pasted
 * reference names.
 */
export const parsePastedValue = (field: FieldDefinition, text: string, current?: unknown, objectNamed?: ObjectResolver): PastedValue => {
  const trimmed = text.trim();
  const kind = valueKindOf(field);
  if (field.type === 'formula' || field.isReadOnly) return { error: 'readOnly' };
  switch (kind) {
    case 'text':
    case 'longText':
      return { value: trimmed === '' ? null : text.replace(/^\s+|\s+$/g, '') };
    case 'email':
    case 'phone':
    case 'url':
      if (field.options?.multiple) return { value: splitItems(trimmed) };
      return { value: trimmed === '' ? null : trimmed };
    case 'number':
    case 'percent':
    case 'rating': {
      if (trimmed === '') return { value: null };
      const number = toNumber(trimmed);
      return number === undefined ? { error: 'invalidNumber' } : { value: number };
    }
    case 'currency': {
      if (trimmed === '') return { value: null };
      const code = /(^|\s)([A-Za-z]{3})(\s|$)/.exec(trimmed)?.[2]?.toUpperCase();
      const amount = toNumber(trimmed.replace(/(^|\s)[A-Za-z]{3}(\s|$)/, ' ').replace(/[€$£¥₽]/g, ''));
      if (amount === undefined) return { error: 'invalidNumber' };
      const currency = code ?? (current as { currency?: string } | null | undefined)?.currency ?? field.options?.defaultCurrency;
      return { value: currency ? { amount, currency } : { amount } };
    }
    case 'boolean': {
      const word = trimmed.toLowerCase();
      if (word === '' || FALSE_WORDS.has(word)) return { value: false };
      return TRUE_WORDS.has(word) ? { value: true } : { error: 'invalidBoolean' };
    }
    case 'date': {
      if (trimmed === '') return { value: null };
      const day = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(trimmed)?.[1];
      return day && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? { value: day } : { error: 'invalidDate' };
    }
    case 'datetime': {
      if (trimmed === '') return { value: null };
      const time = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
      return Number.isNaN(time) ? { error: 'invalidDate' } : { value: new Date(time).toISOString() };
    }
    case 'select': {
      if (trimmed === '') return { value: null };
      const choice = choiceOf(field, trimmed);
      return choice === undefined ? { error: 'invalidChoice' } : { value: choice };
    }
    case 'multiSelect': {
      const values = splitItems(trimmed).map((item) => choiceOf(field, item));
      return values.some((value) => value === undefined) ? { error: 'invalidChoice' } : { value: values };
    }
    case 'richText':
      return { value: richTextOf(text) };
    case 'address':
      return { value: parseAddress(text) };
    case 'owner':
      return namesOrIds('owner', field, trimmed === '' ? [] : [trimmed], false);
    case 'relation': {
      const isMultiple = isMultipleRelation(field);
      return namesOrIds('relation', field, isMultiple ? splitItems(trimmed) : trimmed === '' ? [] : [trimmed], isMultiple);
    }
    case 'reference':
      return parseReference(field, trimmed, objectNamed);
    case 'json':
      return { error: 'notPasteable' };
    default:
      return kind satisfies never;
  }
};
