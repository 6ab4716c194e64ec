import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { normalizeSearchText } from '../records/search-text.ts';
import { toApiRecord } from '../records/record-shape.ts';

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
}

// Low enough that one typo in a name still matches ("jonh" finds "john"), high enough to keep noise out.
const WORD_SIMILARITY_THRESHOLD = '0.3';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Global search: prefix and typo-tolerant trigram matching on each object's search text, ranked by
 * word similarity with exact prefixes first. Each object is asked for its best hits through the
 * trigram GiST index (KNN order), then the lists are merged.
 */
export const searchRecords = async (db: Db, { workspace, q, objects, limit }: SearchOptions): Promise<{ data: SearchHit[] }> => {
  const term = normalizeSearchText(q);
  if (term === '') return { data: [] };
  const targets = (objects && objects.length > 0 ? objects : [...workspace.objects.keys()]).map((name) => {
    const object = workspace.objects.get(name);
    if (!object) throw new AppError('OBJECT_NOT_FOUND', `There is no object "${name}" to search.`);
    return object;
  });
  const prefix = `${escapeLike(term)}%`;
  const wordPrefix = `% ${escapeLike(term)}%`;
  const hits = await db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${WORD_SIMILARITY_THRESHOLD}, true)`.execute(trx);
    const all: SearchHit[] = [];
    for (const object of targets) {
      const table = sql.id(workspace.schema, object.table);
      // Trigrams need three characters; shorter terms match word prefixes only.
      const { rows } =
        term.length < 3
          ? await sql<Record<string, unknown> & { rapport_score: number }>`
              select *, 1.0::float8 as rapport_score from ${table}
              where deleted_at is null and (search_text like ${prefix} or search_text like ${wordPrefix})
              order by search_text limit ${limit}`.execute(trx)
          : await sql<Record<string, unknown> & { rapport_score: number }>`
              select *, (1 - (${term} <<-> search_text))
                + case when search_text like ${prefix} then 0.5 when search_text like ${wordPrefix} then 0.25 else 0 end as rapport_score
              from (
                select * from ${table} where deleted_at is null and ${term} <% search_text
                order by ${term} <<-> search_text limit ${limit * 3}
              ) candidates
              order by rapport_score desc, id limit ${limit}`.execute(trx);
      for (const row of rows) {
        const record = toApiRecord(object, row);
        const label = record[object.labelField];
        all.push({
          object: object.name,
          id: record.id,
          label: typeof label === 'string' && label !== '' ? label : record.id,
          score: Math.round(Number(row.rapport_score) * 1000) / 1000,
          record,
        });
      }
    }
    return all;
  });
  hits.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
  return { data: hits.slice(0, limit) };
};
