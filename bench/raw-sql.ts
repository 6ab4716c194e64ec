import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../packages/server/src/engine/db/database.ts';
import { getFieldTypeHandler } from '../packages/server/src/engine/fields/registry.ts';
import type { ObjectMeta, WorkspaceMeta } from '../packages/server/src/engine/metadata/types.ts';
import { SEARCH_VECTOR } from '../packages/server/src/engine/search/search-index.ts';
import { parseSearchQuery, toTsquery } from '../packages/server/src/engine/search/search-tokens.ts';

/**
 * Hand-written SQL for what each API call needs from the database: the floor the API is compared
 * against. Same filters, same order, same page size; nothing of the API's own work.
 */
export interface RawQueries {
  page(country: string): RawBuilder<Record<string, unknown>>;
  pageAfter(country: string, lastName: string, id: string): RawBuilder<Record<string, unknown>>;
  search(db: Db, term: string): Promise<unknown>;
  aggregateByCountry(): RawBuilder<Record<string, unknown>>;
  getById(id: string): RawBuilder<Record<string, unknown>>;
  insertPeople(count: number, tag: string): RawBuilder<Record<string, unknown>>;
}

export const columnOf = (object: ObjectMeta, path: string): string => {
  const [name = '', part] = path.split('.');
  const field = object.fieldsByName.get(name);
  const operand = field && getFieldTypeHandler(field.type).operand(field, part);
  if (!operand) throw new Error(`No column for ${object.name}.${path}`);
  return operand.column;
};

export const createRawQueries = (workspace: WorkspaceMeta): RawQueries => {
  const person = workspace.objects.get('person')!;
  const table = sql.id(workspace.schema, person.table);
  const country = sql.ref(columnOf(person, 'address.country'));
  const lastName = sql.ref(columnOf(person, 'lastName'));
  const c = (path: string) => sql.ref(columnOf(person, path));
  const searchTables = [...workspace.objects.values()].map((object) => sql.id(workspace.schema, object.table));
  return {
    page: (value) => sql`select * from ${table} where deleted_at is null and ${country} = ${value} order by ${lastName}, id limit 51`,
    pageAfter: (value, last, id) =>
      sql`select * from ${table} where deleted_at is null and ${country} = ${value} and (${lastName}, id) > (${last}, ${id}::uuid) order by ${lastName}, id limit 51`,
    // Per object: the GIN lookup of the term's tokens (whole or prefix), as many rows as the API returns.
    search: async (db, term) => {
      const tsquery = toTsquery(parseSearchQuery(term), 'prefix');
      if (!tsquery) return;
      for (const searchTable of searchTables) {
        await sql`with hits as materialized (select * from ${searchTable} where deleted_at is null and ${SEARCH_VECTOR} @@ (select ${tsquery}::tsquery))
          select * from hits limit 20`.execute(db);
      }
    },
    aggregateByCountry: () => sql`select ${country} as country, count(*)::int as count from ${table} where deleted_at is null group by 1 order by 2 desc`,
    getById: (id) => sql`select * from ${table} where id = ${id} and deleted_at is null`,
    insertPeople: (count, tag) =>
      sql`insert into ${table} (id, ${c('firstName')}, ${c('lastName')}, ${c('fullName')}, ${c('email')}, ${c('phone')}, search_text) values ${sql.join(
        Array.from({ length: count }, (_, index) => {
          const email = `raw.${tag}.${index}@example.com`;
          // The same kind of search tokens the write path stores (engine/search/search-tokens.ts).
          return sql`(${randomUUID()}, ${'Raw'}, ${`Person ${index}`}, ${`Raw Person ${index}`}, ${email}, ${'+33612345678'}, ${`raw person ${index} @${email} @example.com +33612345678 ~ra ~raw ~pe ~per`})`;
        }),
      )}`,
  };
};
