import { describe, expect, it } from 'vitest';
import { entryScore, matchScore, moveActive, normalizeText, rankPalette, type PaletteEntry } from './palette-model.ts';

const entries: PaletteEntry[] = [
  { id: 'edit', group: 'record', label: 'Edit this person' },
  { id: 'open:company', group: 'objects', label: 'Companies', keywords: ['Company', 'company'] },
  { id: 'open:opportunity', group: 'objects', label: 'Opportunities', keywords: ['Opportunity', 'opportunity'] },
  { id: 'open:person', group: 'objects', label: 'People', keywords: ['Person', 'person'] },
  { id: 'view:big', group: 'views', label: 'Big companies', keywords: ['Companies'] },
  { id: 'view:mine', group: 'views', label: 'My open deals', keywords: ['Opportunities'] },
  { id: 'settings:roles', group: 'settings', label: 'Roles', keywords: ['People', 'Settings'] },
  { id: 'settings:audit', group: 'settings', label: 'Audit log', keywords: ['Security', 'Settings'] },
  { id: 'new:person', group: 'actions', label: 'New person', keywords: ['create add new person'], needsQuery: true },
  { id: 'theme:dark', group: 'actions', label: 'Switch to the dark theme', keywords: ['theme appearance dark light mode'] },
  { id: 'language:fr', group: 'actions', label: 'Change the language to Français', keywords: ['Français', 'Language'] },
];

const ids = (query: string, list = entries) => rankPalette(list, query).map((section) => [section.group, section.entries.map((entry) => entry.id)]);

describe('matchScore', () => {
  it('should rank the whole label, then its start, a word start, every typed word, inside, and letters in order', () => {
    expect(matchScore('people', 'People')).toBe(100);
    expect(matchScore('peo', 'People')).toBe(90);
    expect(matchScore('comp', 'Big companies')).toBe(80);
    expect(matchScore('new pe', 'New person')).toBe(90);
    expect(matchScore('sw dark', 'Switch to the dark theme')).toBe(70);
    expect(matchScore('pani', 'Companies')).toBe(60);
    const fuzzy = matchScore('oprtn', 'Opportunities');
    expect(fuzzy).toBeGreaterThanOrEqual(10);
    expect(fuzzy).toBeLessThan(60);
    expect(matchScore('xyz', 'Companies')).toBeNull();
  });

  it('should ignore case and accents, and match Cyrillic and Chinese labels', () => {
    expect(normalizeText('  Société ')).toBe('societe');
    expect(matchScore('francais', 'Français')).toBe(100);
    expect(matchScore('ком', 'Компании')).toBe(90);
    expect(matchScore('公司', '大公司')).toBe(60);
  });

  it('should prefer letters close together among fuzzy matches', () => {
    expect(matchScore('aud', 'Audit log')!).toBeGreaterThan(matchScore('alg', 'Audit log')!);
  });
});

describe('entryScore', () => {
  it('should rank a keyword below the same match on the label', () => {
    expect(entryScore('person', entries[3]!)).toBe(95);
    expect(entryScore('people', entries[3]!)).toBe(100);
  });

  it('should raise the open record’s actions above an object that starts the same, not above an exact match', () => {
    const addNote: PaletteEntry = { id: 'note', group: 'record', label: 'Add a note to this person' };
    const notes: PaletteEntry = { id: 'open:note', group: 'objects', label: 'Notes' };
    expect(ids('note', [notes, addNote])[0]).toEqual(['record', ['note']]);
    expect(ids('notes', [notes, addNote])[0]).toEqual(['objects', ['open:note']]);
  });

  it('should hide entries that need a query until something is typed, and keep what the server found', () => {
    expect(entryScore('', entries[8]!)).toBeNull();
    expect(entryScore('', entries[0]!)).toBe(0);
    expect(entryScore('hopper', { id: 'r', group: 'records', label: 'G. H.', isFound: true })).toBe(5);
    expect(entryScore('hopper', { id: 'r', group: 'records', label: 'G. H.' })).toBeNull();
  });
});

describe('rankPalette', () => {
  it('should show every entry that needs no query, grouped in the default order, without a query', () => {
    expect(ids('')).toEqual([
      ['record', ['edit']],
      ['views', ['view:big', 'view:mine']],
      ['objects', ['open:company', 'open:opportunity', 'open:person']],
      ['settings', ['settings:roles', 'settings:audit']],
      ['actions', ['theme:dark', 'language:fr']],
    ]);
  });

  it('should put the best match first: its group first, and first in its group', () => {
    expect(ids('comp')).toEqual([
      ['objects', ['open:company']],
      ['views', ['view:big']],
    ]);
    expect(ids('dark')[0]).toEqual(['actions', ['theme:dark']]);
    expect(ids('new per')[0]).toEqual(['actions', ['new:person']]);
    expect(ids('create pers')[0]).toEqual(['actions', ['new:person']]);
  });

  it('should find settings by their label, their group or the word settings', () => {
    expect(ids('audit')).toEqual([['settings', ['settings:audit']]]);
    expect(ids('settings')).toEqual([['settings', ['settings:roles', 'settings:audit']]]);
  });

  it('should keep the given order among equal matches and in equal groups', () => {
    const twins: PaletteEntry[] = [
      { id: 'b', group: 'views', label: 'Deals' },
      { id: 'a', group: 'objects', label: 'Deals' },
      { id: 'c', group: 'views', label: 'Deals' },
    ];
    expect(ids('deals', twins)).toEqual([
      ['views', ['b', 'c']],
      ['objects', ['a']],
    ]);
  });

  it('should show at most the limit in each group', () => {
    const many = Array.from({ length: 20 }, (_, index): PaletteEntry => ({ id: `v${index}`, group: 'views', label: `View ${index}` }));
    expect(rankPalette(many, 'view', 8)[0]!.entries).toHaveLength(8);
    expect(rankPalette(many, '', 3)[0]!.entries.map((entry) => entry.id)).toEqual(['v0', 'v1', 'v2']);
  });
});

describe('moveActive', () => {
  const sections = rankPalette(entries, 'comp');

  it('should move down and up across groups, wrapping at both ends', () => {
    expect(moveActive(sections, 'open:company', 1)).toBe('view:big');
    expect(moveActive(sections, 'view:big', 1)).toBe('open:company');
    expect(moveActive(sections, 'open:company', -1)).toBe('view:big');
  });

  it('should start at the first entry going down and the last going up, and give nothing for an empty list', () => {
    expect(moveActive(sections, null, 1)).toBe('open:company');
    expect(moveActive(sections, 'gone', -1)).toBe('view:big');
    expect(moveActive([], null, 1)).toBeNull();
  });
});
