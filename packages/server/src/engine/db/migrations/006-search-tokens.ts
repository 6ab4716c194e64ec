import { sql } from 'kysely';
import { loadWorkspaceMeta } from '../../metadata/metadata-store.ts';
import type { ObjectMeta, WorkspaceMeta } from '../../metadata/types.ts';
import { toApiRecord } from '../../records/record-shape.ts';
import { buildSearchEntry } from '../../records/search-text.ts';
import { createSearchIndex, searchIndexName } from '../../search/search-index.ts';
import { createTypoDictionary, learnTypoWords } from '../../search/search-typos.ts';
import type { Db } from '../database.ts';
import type { Migration } from '../migrate.ts';

const BATCH = 2000;

// Rows in id order, a batch at a time: each row's search text is rebuilt from its values, and its title
// words join the typo dictionary.
const rewriteSearchTexts = async (db: Db, workspace: WorkspaceMeta, object: ObjectMeta) => {
  const table = sql.id(workspace.schema, object.table);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${table} where id > ${after}::uuid order by id limit ${BATCH}`.execute(db);
    if (rows.length === 0) return;
    const ids = rows.map((row) => row.id as string);
    const entries = rows.map((row) => buildSearchEntry(object, toApiRecord(object, row)));
    const texts = entries.map((entry) => entry.text);
    await learnTypoWords(db, { schema: workspace.schema, words: entries.flatMap((entry) => entry.typoWords) });
    await sql`update ${table} set search_text = v.text from unnest(${ids}::uuid[], ${texts}::text[]) as v(id, text) where ${table}.id = v.id`.execute(db);
    after = ids.at(-1)!;
  }
};

/**
 * Global search moves from a trigram GiST index over free text to a GIN index of search tokens
 * (engine/search/search-tokens.ts) and a typo dictionary: every record table of every workspace gets
 * its search text rebuilt in the token format and the new index, and every workspace its dictionary.
 * It reads and writes every record once: minutes for a million.
 */
export const searchTokensMigration: Migration = {
  name: '006-search-tokens',
  async up(db) {
    const { rows: workspaces } = await sql<{ id: string }>`select id from rapport.workspace order by created_at`.execute(db);
    for (const { id } of workspaces) {
      const workspace = await loadWorkspaceMeta(db, id);
      await createTypoDictionary(db, workspace.schema);
      // Trashed objects keep their tables (and their old texts, which still split into tokens).
      const { rows: tables } = await sql<{ table_name: string }>`select table_name from ${sql.id(workspace.schema, '_object')}`.execute(db);
      for (const { table_name: table } of tables) await sql`drop index if exists ${sql.id(workspace.schema, searchIndexName(table))}`.execute(db);
      for (const object of workspace.objects.values()) await rewriteSearchTexts(db, workspace, object);
      for (const { table_name: table } of tables) await createSearchIndex(db, { schema: workspace.schema, table });
    }
  },
};
