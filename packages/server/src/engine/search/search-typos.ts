import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { SEARCH_VECTOR } from './search-index.ts';
import { tsqueryLexeme, typoKeysOf, type TypoCorrections } from './search-tokens.ts';

/**
 * The typo dictionary of a workspace: each known title word under itself and under each of its
 * one-letter deletions. A query word's keys (itself and its deletions) meet the keys of every known
 * word one letter added, dropped, changed or swapped away (symmetric deletion): a few btree lookups
 * instead of hundreds of spelling variants against the search index. Words are not removed when
 * records are deleted (one left behind only corrects to a word that finds nothing), only when a record's
 * personal data is erased and no live record holds the word any more (forgetUnusedTypoWords).
 */
export const TYPO_TABLE = '_search_typo';

const MAX_CORRECTIONS = 20;

export const createTypoDictionary = async (db: Db, schema: string): Promise<void> => {
  await sql`create table if not exists ${sql.id(schema, TYPO_TABLE)} (key text not null, word text not null, primary key (key, word))`.execute(db);
};

/** The dictionary rows of words, as parallel columns for `unnest` or COPY. */
export const typoRowsOf = (words: Iterable<string>): { keys: string[]; words: string[] } => {
  const rows = { keys: [] as string[], words: [] as string[] };
  for (const word of words) {
    for (const key of typoKeysOf(word)) {
      rows.keys.push(key);
      rows.words.push(word);
    }
  }
  return rows;
};

// Words this process knows to be in each workspace's dictionary: most words of a write are known, and a
// write of known words spends nothing on the dictionary. Words read back are remembered, and those a
// write inserted once its transaction committed (planTypoLearning), never before (it may roll back).
const knownWordsBySchema = new Map<string, Set<string>>();
const MAX_KNOWN_WORDS = 100_000;

const knownWordsOf = (schema: string) => {
  let known = knownWordsBySchema.get(schema);
  if (!known || known.size > MAX_KNOWN_WORDS) knownWordsBySchema.set(schema, (known = new Set()));
  return known;
};

/** Adds the words the dictionary does not know yet (in the caller's transaction). */
export const learnTypoWords = async (db: Db, { schema, words }: { schema: string; words: Iterable<string> }): Promise<void> => {
  const known = knownWordsOf(schema);
  const candidates = [...new Set(words)].filter((word) => !known.has(word));
  if (candidates.length === 0) return;
  const table = sql.id(schema, TYPO_TABLE);
  // A known word has its own row (key = word).
  const { rows: found } = await sql<{ word: string }>`select word from ${table} where key = any(${candidates}::text[]) and word = key`.execute(db);
  for (const { word } of found) known.add(word);
  const unknown = candidates.filter((word) => !known.has(word));
  if (unknown.length === 0) return;
  const rows = typoRowsOf(unknown);
  await sql`insert into ${table} (key, word) select * from unnest(${rows.keys}::text[], ${rows.words}::text[]) on conflict do nothing`.execute(db);
};

export interface TypoLearning {
  /** Inserts the dictionary rows of the words this process does not know yet (none: undefined). */
  statement: RawBuilder<unknown> | undefined;
  /** Call once the statement's transaction committed: its words are known from then on. */
  committed(): void;
}

/**
 * The write path's way to learn words (engine/records/save-records.ts): one insert that rides in a
 * statement the write sends anyway, where learnTypoWords asks first which words are new (a round trip,
 * two when some are). Words already stored meet `on conflict do nothing`; rows go in key order, so two
 * writes learning the same words lock them in the same order.
 */
export const planTypoLearning = ({ schema, words }: { schema: string; words: Iterable<string> }): TypoLearning => {
  const known = knownWordsOf(schema);
  const unknown = [...new Set(words)].filter((word) => !known.has(word));
  if (unknown.length === 0) return { statement: undefined, committed: () => undefined };
  const rows = typoRowsOf(unknown);
  const order = rows.keys.map((_, index) => index).sort((a, b) => (rows.keys[a]! < rows.keys[b]! ? -1 : rows.keys[a]! > rows.keys[b]! ? 1 : rows.words[a]! < rows.words[b]! ? -1 : rows.words[a]! > rows.words[b]! ? 1 : 0));
  const keys = order.map((index) => rows.keys[index]!);
  const keyWords = order.map((index) => rows.words[index]!);
  return {
    statement: sql`insert into ${sql.id(schema, TYPO_TABLE)} (key, word) select * from unnest(${keys}::text[], ${keyWords}::text[]) on conflict do nothing`,
    committed: () => {
      const current = knownWordsOf(schema);
      for (const word of unknown) current.add(word);
    },
  };
};

/** Known words one typo away from each query word (the query word itself left out). */
export const findTypoCorrections = async (db: Db, { schema, words }: { schema: string; words: string[] }): Promise<TypoCorrections> => {
  const corrections = new Map<string, string[]>();
  if (words.length === 0) return corrections;
  const keys = [...new Set(words.flatMap(typoKeysOf))];
  const { rows } = await sql<{ key: string; word: string }>`select key, word from ${sql.id(schema, TYPO_TABLE)} where key = any(${keys}::text[])`.execute(db);
  for (const word of words) {
    const own = new Set(typoKeysOf(word));
    const found = [...new Set(rows.filter((row) => own.has(row.key) && row.word !== word).map((row) => row.word))];
    if (found.length > 0) corrections.set(word, found.slice(0, MAX_CORRECTIONS));
  }
  return corrections;
};

/**
 * Removes from the dictionary the words no live record of any object holds any more: an erased record's
 * title words (a name is personal data). Each word is looked up in every object's search index; a word
 * another record still has stays. Run after the record's search text was cleared, in its transaction.
 */
export const forgetUnusedTypoWords = async (db: Db, { workspace, words }: { workspace: WorkspaceMeta; words: Iterable<string> }): Promise<string[]> => {
  const unused: string[] = [];
  const objects = [...workspace.objects.values()];
  for (const word of new Set(words)) {
    const holders = objects.map((object) => sql`exists (select 1 from ${sql.id(workspace.schema, object.table)} where deleted_at is null and ${SEARCH_VECTOR} @@ (select ${tsqueryLexeme(word)}::tsquery))`);
    const { rows } = await sql<{ held: boolean }>`select ${holders.length > 0 ? sql.join(holders, sql` or `) : sql`false`} as held`.execute(db);
    if (rows[0]?.held !== true) unused.push(word);
  }
  if (unused.length === 0) return unused;
  await sql`delete from ${sql.id(workspace.schema, TYPO_TABLE)} where word = any(${unused}::text[])`.execute(db);
  // This process asks the database again before learning one of them.
  const known = knownWordsBySchema.get(workspace.schema);
  for (const word of unused) known?.delete(word);
  return unused;
};
