import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { getReadableObject } from '../permissions/assert-access.ts';
import { recordLabel, toApiRecord } from '../records/record-shape.ts';
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

interface RankedHit {
  object: string;
  id: string;
  tier: number;
  score: number;
}

interface RankOptions {
  db: Db;
  workspace: WorkspaceMeta;
  targets: ObjectMeta[];
  access: Access;
  query: SearchQuery;
  tiers: TierQuery[];
  /** Ids already found, left out of this round. */
  found: string[];
  limit: number;
}

/**
 * The best hits of every object, ranked, in one statement: per object and tier, at most `candidates`
 * live rows the GIN index finds (id and search text only), then the `limit` best overall. Two guards
 * keep every tier on the index, on tables of any size. The tsquery is a subquery (an InitPlan), so the
 * planner estimates its default 0.5% of rows rather than a share summed over many lexemes; and each
 * tier is a MATERIALIZED CTE, planned for all its rows yet read only up to the LIMIT: with the LIMIT
 * inside, the planner prefers a sequential scan expected to meet `candidates` rows early, which
 * computes every row's tokens and reads the whole table for a rare term. Each tier reads its table
 * under the row condition of the permission layer (readableRows): the place for per-object conditions.
 */
const rankHits = async ({ db, workspace, targets, access, query, tiers, found, limit }: RankOptions): Promise<RankedHit[]> => {
  const candidates = Math.max(limit * 2, 20);
  const notFound: RawBuilder<unknown> = found.length > 0 ? sql` and id <> all(${found}::uuid[])` : sql``;
  const ctes: RawBuilder<unknown>[] = [];
  const reads: RawBuilder<unknown>[] = [];
  targets.forEach((object, objectIndex) => {
    const table = sql.id(workspace.schema, object.table);
    tiers.forEach(({ tier, tsquery }, tierIndex) => {
      const name = sql.id(`o${objectIndex}_t${tierIndex}`);
      ctes.push(sql`${name} as materialized (
        select id, search_text from ${table}
        where deleted_at is null and ${SEARCH_VECTOR} @@ (select ${tsquery}::tsquery)${notFound}${readableRows(access, object)})`);
      reads.push(sql`(select ${object.name}::text as object, id, search_text, ${sql.lit(tier)} as tier from ${name} limit ${candidates})`);
    });
  });
  const { rows } = await sql<RankedHit & { score: number }>`
    with ${sql.join(ctes)}
    select object, id::text as id, tier, tier + word_similarity(${query.text}, split_part(search_text, ${HELPER_SEPARATOR}, 1)) as score
    from (select distinct on (object, id) * from (${sql.join(reads, sql` union all `)}) candidates order by object, id, tier desc) hits
    order by score desc, search_text, id limit ${limit}`.execute(db);
  return rows.map((row) => ({ object: row.object, id: row.id, tier: Number(row.tier), score: Math.round(Number(row.score) * 1000) / 1000 }));
};

/**
 * Global search: whole tokens, token prefixes and, when those find too little, known words one typo
 * away (search-typos.ts), through each object's GIN index of search tokens (search-index.ts); ranked
 * by tier, then by trigram word similarity. One statement ranks every object's candidates; then the
 * winning records are read, one statement per object that has some.
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
  if (targets.length === 0) return { data: [] };

  const rank = { db, workspace, targets, access, query, limit };
  const ranked = await rankHits({ ...rank, found: [], tiers: [{ tier: TIER.exact, tsquery: exact }, { tier: TIER.prefix, tsquery: prefix }] });
  let corrections: TypoCorrections = new Map();
  // Typos are looked for when what was typed finds too little and no record matches it word for word.
  const typoWords = typoWordsOfQuery(query);
  if (ranked.length < limit && typoWords.length > 0 && !ranked.some((hit) => hit.tier === TIER.exact)) {
    corrections = await findTypoCorrections(db, { schema: workspace.schema, words: typoWords });
    const typo = toTsquery(query, 'typo', corrections);
    if (typo) ranked.push(...(await rankHits({ ...rank, found: ranked.map((hit) => hit.id), tiers: [{ tier: TIER.typo, tsquery: typo }] })));
  }
  const hits = await readHits(db, { workspace, targets, access, query, corrections, ranked });
  hits.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  return { data: hits.slice(0, limit) };
};

interface ReadHitsOptions {
  workspace: WorkspaceMeta;
  targets: ObjectMeta[];
  access: Access;
  query: SearchQuery;
  corrections: TypoCorrections;
  ranked: RankedHit[];
}

/** The records of the ranked hits, as the caller may see them. */
const readHits = async (db: Db, { workspace, targets, access, query, corrections, ranked }: ReadHitsOptions): Promise<SearchHit[]> => {
  const results = await Promise.all(
    targets.map(async (object) => {
      const wanted = ranked.filter((hit) => hit.object === object.name);
      if (wanted.length === 0) return [];
      const { rows } = await sql<Record<string, unknown>>`
        select * from ${sql.id(workspace.schema, object.table)} where id = any(${wanted.map((hit) => hit.id)}::uuid[]) and deleted_at is null`.execute(db);
      const byId = new Map(rows.map((row) => [row.id as string, row]));
      const isChecked = hasHiddenSearchText(access, object);
      return wanted.flatMap((hit): SearchHit[] => {
        const row = byId.get(hit.id);
        if (!row) return [];
        const record = toApiRecord(object, row);
        if (isChecked && !matchesSearchText(query, buildSearchText(object, record), hit.tier === TIER.typo ? 'typo' : 'prefix', corrections)) return [];
        return [{ object: object.name, id: record.id, label: recordLabel(object, record) ?? record.id, score: hit.score, record }];
      });
    }),
  );
  return results.flat();
};
