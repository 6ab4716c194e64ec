/**
 * The command palette's model: which entries match what the person typed, how well, and in which
 * headed groups they show. Pure (no React, no i18n): the palette hands in labels already translated.
 */

/** The palette's groups, in the order they show while nothing is typed. */
export const PALETTE_GROUPS = ['record', 'favourites', 'records', 'views', 'objects', 'pages', 'settings', 'actions'] as const;
export type PaletteGroupId = (typeof PALETTE_GROUPS)[number];

export interface PaletteEntry {
  /** Unique across the palette. */
  id: string;
  group: PaletteGroupId;
  /** What the person reads, in the interface language. */
  label: string;
  /** Other words that find it (an object's API name, a language's own name); they rank below the label. */
  keywords?: readonly string[];
  /** Shown only once something is typed ("New person" for every object would double the list). */
  needsQuery?: boolean;
  /** Already matched elsewhere (records found by the server): kept even when the label does not match. */
  isFound?: boolean;
}

export interface PaletteSection<T extends PaletteEntry> {
  group: PaletteGroupId;
  entries: T[];
}

/** Lower case, without accents: "Société" matches "societe". */
export const normalizeText = (text: string): string => text.toLocaleLowerCase().normalize('NFD').replace(/\p{Diacritic}/gu, '').trim();

const WORD_SEPARATOR = /[\s\-_/.,:;()'"«»“”›·|]+/u;
const wordsOf = (text: string): string[] => text.split(WORD_SEPARATOR).filter(Boolean);

/** Characters of `query` in order within `text` (fuzzy): 1 when they are together, towards 0 the more spread out; null when absent. */
const subsequenceCloseness = (query: string, text: string): number | null => {
  let from = 0;
  let first = -1;
  for (const char of query) {
    const at = text.indexOf(char, from);
    if (at < 0) return null;
    if (first < 0) first = at;
    from = at + char.length;
  }
  return query.length / (from - first);
};

/**
 * How well a normalized query matches one text: 100 the whole text, 90 its start, 80 the start of a
 * word, 70 every typed word starts a word ("new pe" → "New person"), 60 anywhere inside, 10–40 its
 * letters in order (fuzzy: "oprtn" → "Opportunities"); null for no match.
 */
export const matchScore = (query: string, text: string): number | null => {
  const target = normalizeText(text);
  if (!query) return 0;
  if (!target) return null;
  if (target === query) return 100;
  if (target.startsWith(query)) return 90;
  const words = wordsOf(target);
  if (words.some((word) => word.startsWith(query))) return 80;
  const typed = wordsOf(query);
  if (typed.length > 1 && typed.every((part) => words.some((word) => word.startsWith(part)))) return 70;
  if (target.includes(query)) return 60;
  const closeness = query.length > 1 ? subsequenceCloseness(query.replace(/\s+/g, ''), target.replace(/\s+/g, '')) : null;
  return closeness === null ? null : 10 + Math.round(30 * closeness);
};

/** The open record's own actions come before other matches as good as theirs ("note" adds a note before opening Notes). */
const CONTEXT_BOOST = 15;

/**
 * An entry's score: its label's, else its best keyword's a little lower, raised for the open record's
 * actions; records found by the server keep a floor.
 */
export const entryScore = (query: string, entry: PaletteEntry): number | null => {
  const q = normalizeText(query);
  if (!q) return entry.needsQuery ? null : 0;
  const label = matchScore(q, entry.label);
  const keywords = (entry.keywords ?? []).map((keyword) => matchScore(q, keyword)).filter((score): score is number => score !== null);
  const best = Math.max(label ?? -1, keywords.length ? Math.max(...keywords) - 5 : -1);
  if (best >= 0) return entry.group === 'record' ? Math.min(best + CONTEXT_BOOST, 99) : best;
  return entry.isFound ? 5 : null;
};

/**
 * The entries that match `query`, grouped. Within a group the best match comes first (ties keep the given
 * order); with a query the group holding the best match comes first (ties keep PALETTE_GROUPS' order), so
 * Enter runs the best match. Each group shows at most `limit` entries.
 */
export const rankPalette = <T extends PaletteEntry>(entries: readonly T[], query: string, limit = 8): PaletteSection<T>[] => {
  const scored = entries.flatMap((entry, index) => {
    const score = entryScore(query, entry);
    return score === null ? [] : [{ entry, score, index }];
  });
  return PALETTE_GROUPS.map((group, groupIndex) => {
    const inGroup = scored.filter((item) => item.entry.group === group).sort((a, b) => b.score - a.score || a.index - b.index);
    return { group, groupIndex, best: inGroup[0]?.score ?? -1, entries: inGroup.slice(0, limit).map((item) => item.entry) };
  })
    .filter((section) => section.entries.length > 0)
    .sort((a, b) => b.best - a.best || a.groupIndex - b.groupIndex)
    .map(({ group, entries: ranked }) => ({ group, entries: ranked }));
};

/** The entry `step` places away from `current` across the shown sections, wrapping around; the first when there is none. */
export const moveActive = <T extends PaletteEntry>(sections: readonly PaletteSection<T>[], current: string | null, step: number): string | null => {
  const ids = sections.flatMap((section) => section.entries.map((entry) => entry.id));
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at < 0) return step < 0 ? ids[ids.length - 1]! : ids[0]!;
  return ids[(at + step + ids.length) % ids.length]!;
};
