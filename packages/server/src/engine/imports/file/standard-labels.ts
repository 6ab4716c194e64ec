import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ADDRESS_PARTS, type AddressPart } from '@rapport/common';

/** The standard labels of one interface language: field labels per object, address part labels. */
export interface StandardLabels {
  language: string;
  fields: Record<string, Record<string, string>>;
  /** Object labels: `{ person: { singular: 'Contact', plural: 'Contacts' } }`. */
  objects: Record<string, Record<string, string>>;
  addressParts: Partial<Record<AddressPart, string>>;
}

// The web app's translations are the one source of the standard labels in every language.
export const defaultLocalesDir = resolve(import.meta.dirname, '../../../../../web/src/i18n/locales');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): Record<string, string> => (isRecord(value) ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {});

const parseLocale = (language: string, json: unknown): StandardLabels => {
  const root = isRecord(json) ? json : {};
  const standard = isRecord(root.standard) ? root.standard : {};
  const fields = isRecord(standard.fields) ? Object.fromEntries(Object.entries(standard.fields).map(([object, labels]) => [object, strings(labels)])) : {};
  const objects = isRecord(standard.objects) ? Object.fromEntries(Object.entries(standard.objects).map(([object, labels]) => [object, strings(labels)])) : {};
  const parts = strings(root.address);
  return { language, fields, objects, addressParts: Object.fromEntries(ADDRESS_PARTS.filter((part) => parts[part]).map((part) => [part, parts[part]!])) };
};

let cached: StandardLabels[] | undefined;

/**
 * The standard labels in every language the web app ships (en, fr, de, ru, zh), read once. A server
 * deployed without the web sources still suggests mappings from field names, labels and synonyms.
 */
export const loadStandardLabels = (dir = defaultLocalesDir): StandardLabels[] => {
  if (dir === defaultLocalesDir && cached) return cached;
  let labels: StandardLabels[] = [];
  try {
    labels = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => parseLocale(file.replace(/\.json$/, ''), JSON.parse(readFileSync(resolve(dir, file), 'utf8'))));
  } catch {
    labels = [];
  }
  if (dir === defaultLocalesDir) cached = labels;
  return labels;
};
