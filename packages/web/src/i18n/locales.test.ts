import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from './languages.ts';

type Tree = { [key: string]: string | Tree };

const load = (code: string): Tree => JSON.parse(readFileSync(join(import.meta.dirname, 'locales', `${code}.json`), 'utf8')) as Tree;

const flatten = (tree: Tree, prefix = ''): Map<string, string> => {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else for (const [inner, text] of flatten(value, path)) entries.set(inner, text);
  }
  return entries;
};

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const variablesOf = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

/** The keys a language must have: plural keys in exactly the forms its plural rules use. */
const expectedKeys = (english: Map<string, string>, code: string): Set<string> => {
  const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of english.keys()) {
    if (!PLURAL_SUFFIX.test(key)) keys.add(key);
    else for (const category of categories) keys.add(key.replace(PLURAL_SUFFIX, `_${category}`));
  }
  return keys;
};

describe('interface translations', () => {
  const english = flatten(load('en'));

  it.each(LANGUAGE_CODES.filter((code) => code !== 'en'))('should translate every English string into %s, with its plural forms', (code) => {
    const translated = flatten(load(code));
    const expected = expectedKeys(english, code);
    expect([...expected].filter((key) => !translated.has(key)), 'missing keys').toEqual([]);
    expect([...translated.keys()].filter((key) => !expected.has(key)), 'keys English does not have').toEqual([]);
  });

  it.each(LANGUAGE_CODES)('should keep the interpolation variables of English and no empty text in %s', (code) => {
    const translated = flatten(load(code));
    for (const [key, text] of translated) {
      expect(text.trim(), key).not.toBe('');
      const source = english.get(key) ?? english.get(key.replace(PLURAL_SUFFIX, '_other'));
      expect(source, `${code}:${key} has no English source`).toBeDefined();
      // A plural form may leave out {{count}} (e.g. "one more"), nothing else.
      const wanted = variablesOf(source!).filter((name) => !(PLURAL_SUFFIX.test(key) && name === 'count'));
      for (const name of wanted) expect(variablesOf(text), `${code}:${key} lacks {{${name}}}`).toContain(name);
      for (const name of variablesOf(text)) expect(variablesOf(source!), `${code}:${key} has an unknown {{${name}}}`).toContain(name);
    }
  });

  it('should not leave English text untranslated in the other languages, except names and loanwords', () => {
    // Words that are the same in several languages (Software, Finance, Notes, Status…) are allowed.
    const allowed = new Set(['Rapport', 'Details', 'Finance', 'Notes', 'Note', 'Software', 'Domain', 'Name', 'Status', 'Region', 'Normal', 'Actions', 'Qualification', 'Contacts', 'Person', 'Condition', 'Description']);
    for (const code of ['fr', 'de', 'ru', 'zh']) {
      const translated = flatten(load(code));
      const same = [...english].filter(([key, text]) => translated.get(key) === text && !allowed.has(text) && /[a-z]{3}/.test(text));
      expect(same.map(([key]) => key), code).toEqual([]);
    }
  });
});
