import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { getReadableObject } from '../permissions/assert-access.ts';
import { toApiRecord } from '../records/record-shape.ts';
import { buildSearchText, isInSearchText } from '../records/search-text.ts';
import { SEARCH_VECTOR } from './search-index.ts';
import { HELPER_SEPARATOR, matchesSearchText, parseSearchQuery, toTsquery, typoWordsOfQuery, type SearchQuery, type TypoCorrections } from './search-tokens.ts';
import { findTypoCorrections } from './search-typos.ts';

export interface SearchHit {
  object: string;
  id: string;
  label: string;
  score: number;
  record: Record<string, unknown>;
}

export interface SearchOptions {
  workspace: WorkspaceMeta;
  q: string;
  objects?: string[];
  limit: number;
  /** The caller's permissions: only objects, records and fields they may read are searched and returned. */
  access: Access;
}

/** ` and <row condition>` on the object's table (aliased by its own name), or nothing. */
const readableRows = (access: Access, object: ObjectMeta) => {
  const condition = access.rows.predicate({ object, alias: object.table, mode: 'read' });
  return condition ? sql` and ${condition}` : sql``;
};

// The stored search text holds every searchable field. Where some are hidden from the caller, a hit
// must also match the fields they see, or searching would reveal hidden values.
const hasHiddenSearchText = (access: Access, object: ObjectMeta): boolean => {
  const full = access.workspace.objects.get(object.name);
  return full !== undefined && full !== object && full.fields.some((field) => !object.fieldsByName.has(field.name) && isInSearchText(full, field));
};

// Rank tiers: whole tokens above prefixes above typos; trigram word similarity to the record's tokens
// (not its helper tokens) orders within a tier.
const TIER = { exact: 2, prefix: 1, typo: 0 } as const;

interface TierQuery {
  tier: number;
  tsquery: string;
}

type ScoredRow = Record<string, unknown> & { rapport_score: number };

interface ObjectSearch {
  db: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  access: Access;
  query: SearchQuery;
  tiers: TierQuery[];
  /** Ids already found, left out of this round. */
  found: string[];
  limit: number;
}

/**
 * One object's best hits: per tier, at most `candidates` live rows the GIN index finds, then ranked.
 * The tsquery is a subquery (an InitPlan), so the planner estimates its default 0.5% of rows: with a
 * literal tsquery it estimates a common prefix, or hundreds of typo variants, at a large share of the
 * table and picks a sequential scan that stops after `candidates` rows, which then reads the whole
 * table for a rare or absent term. Every tier reads the table under the row condition of the
 * permission layer (readableRows): the one place to add per-object conditions.
 */
const searchObject = async ({ db, workspace, object, access, query, tiers, found, limit }: ObjectSearch): Promise<ScoredRow[]> => {
  const table = sql.id(workspace.schema, object.table);
  const candidates = Math.max(limit * 2, 20);
  const notFound: RawBuilder<unknown> = found.length > 0 ? sql` and id <> all(${found}::uuid[])` : sql``;
  const branches = tiers.map(
    ({ tier, tsquery }) => sql`(select ${table}.*, ${sql.lit(tier)} as rapport_tier from ${table}
      where deleted_at is null and ${SEARCH_VECTOR} @@ (select ${tsquery}::tsquery)${notFound}${readableRows(access, object)}
      limit ${candidates})`,
  );
  const { rows } = await sql<ScoredRow>`
    select hits.*, hits.rapport_tier + word_similarity(${query.text}, split_part(hits.search_text, ${HELPER_SEPARATOR}, 1)) as rapport_score
    from (select distinct on (id) * from (${sql.join(branches, sql` union all `)}) tiers order by id, rapport_tier desc) hits
    order by rapport_score desc, hits.search_text, hits.id limit ${limit}`.execute(db);
  return rows;
};

/**
 * Global search: whole tokens, token prefixes and, when those find too little, known words one typo
 * away (search-typos.ts), through each object's GIN index of search tokens (search-index.ts); ranked
 * by tier, then by trigram word similarity. Objects are searched concurrently (PostgreSQL spreads them
 * over the pool; PGlite takes them in turn).
 */
export const searchRecords = async (db: Db, { workspace, q, objects, limit, access }: SearchOptions): Promise<{ data: SearchHit[] }> => {
  const query = parseSearchQuery(q);
  const exact = toTsquery(query, 'exact');
  const prefix = toTsquery(query, 'prefix');
  if (!exact || !prefix) return { data: [] };
  // Named objects must be readable (403 otherwise); by default, every object the caller may read.
  const targets = objects && objects.length > 0
    ? objects.map((name) => {
        if (!workspace.objects.has(name)) throw new AppError('OBJECT_NOT_FOUND', `There is no object "${name}" to search.`);
        return getReadableObject(access, name);
      })
    : [...access.view.objects.values()];

  const hits: SearchHit[] = [];
  let corrections: TypoCorrections = new Map();
  const round = async (tiers: TierQuery[]) => {
    const found = hits.map((hit) => hit.id);
    const results = await Promise.all(targets.map((object) => searchObject({ db, workspace, object, access, query, tiers, found, limit })));
    results.forEach((rows, index) => hits.push(...toHits(targets[index]!, rows, { access, query, corrections })));
  };
  await round([
    { tier: TIER.exact, tsquery: exact },
    { tier: TIER.prefix, tsquery: prefix },
  ]);
  // Typos are looked for when what was typed finds too little and no record matches it word for word.
  const typoWords = typoWordsOfQuery(query);
  if (hits.length < limit && typoWords.length > 0 && !hits.some((hit) => hit.score >= TIER.exact)) {
    corrections = await findTypoCorrections(db, { schema: workspace.schema, words: typoWords });
    const typo = toTsquery(query, 'typo', corrections);
    if (typo) await round([{ tier: TIER.typo, tsquery: typo }]);
  }
  hits.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  return { data: hits.slice(0, limit) };
};

const toHits = (object: ObjectMeta, rows: ScoredRow[], { access, query, corrections }: { access: Access; query: SearchQuery; corrections: TypoCorrections }): SearchHit[] => {
  const isChecked = hasHiddenSearchText(access, object);
  const hits: SearchHit[] = [];
  for (const row of rows) {
    const record = toApiRecord(object, row);
    if (isChecked && !matchesSearchText(query, buildSearchText(object, record), Number(row.rapport_tier) === TIER.typo ? 'typo' : 'prefix', corrections)) continue;
    const label = record[object.labelField];
    hits.push({
      object: object.name,
      id: record.id,
      label: typeof label === 'string' && label !== '' ? label : record.id,
      score: Math.round(Number(row.rapport_score) * 1000) / 1000,
      record,
    });
  }
  return hits;
};
