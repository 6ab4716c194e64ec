import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * The search tokens of a record as a tsvector: the expression of each object's search index. Queries
 * must spell it exactly like this (constants, no bound parameters) for the planner to use the index.
 */
export const SEARCH_VECTOR: RawBuilder<unknown> = sql.raw(`array_to_tsvector(array_remove(string_to_array(search_text, ' '), ''))`);

export const searchIndexName = (tableName: string) => `${tableName}_search_idx`;

/**
 * A GIN index of the search tokens of live records. GIN looks up whole tokens and token prefixes
 * without reading other rows, and takes new rows in its pending list cheaply.
 */
export const createSearchIndex = async (db: Db, options: { schema: string; table: string }): Promise<void> => {
  const { schema, table } = options;
  await sql`create index ${sql.id(searchIndexName(table))} on ${sql.id(schema, table)} using gin (${SEARCH_VECTOR}) where deleted_at is null`.execute(db);
};
