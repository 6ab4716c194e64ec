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

/** The sales figures' raw SQL (bench/scenarios-sales.ts): what the forecast and the pipeline board need. */
export interface SalesRawQueries {
  /**
   * The forecast's grouped query (packages/server/src/modules/pipeline/analytics/forecast.ts) for a period, as an
   * administrator sees it: deals closing in it, summed per stage kind, category, currency and day. Without the
   * exchange-rate lookup and the quota, which are the API's own work.
   */
  forecast(period: { start: string; end: string }, ownerId?: string): RawBuilder<Record<string, unknown>>;
  /** The board's first page: one pipeline's deals of one rep, newest first (the API's default order), 100 + 1 rows. */
  boardPage(pipelineId: string, ownerId: string, limit: number): RawBuilder<Record<string, unknown>>;
  /** The count the board asks with its first page (`count: true`). */
  boardCount(pipelineId: string, ownerId: string): RawBuilder<Record<string, unknown>>;
}

export const createSalesRawQueries = (workspace: WorkspaceMeta): SalesRawQueries => {
  const deal = workspace.objects.get('opportunity')!;
  const stage = workspace.objects.get('pipelineStage')!;
  const table = sql.id(workspace.schema, deal.table);
  const stageTable = sql.id(workspace.schema, stage.table);
  const c = (name: string) => sql.ref(`t0.${deal.fieldsByName.get(name)!.column}`);
  const s = (name: string) => sql.ref(`s.${stage.fieldsByName.get(name)!.column}`);
  const [amountColumn, currencyColumn] = getFieldTypeHandler('currency').columns(deal.fieldsByName.get('amount')!);
  const amount = sql.ref(`t0.${amountColumn!.column}`);
  const currency = sql.ref(`t0.${currencyColumn!.column}`);
  const chance = sql`least(greatest(coalesce(${c('probability')}, ${s('probability')}, 0) / 100.0, 0), 1)`;
  // A manager's call on a deal's category wins over the stage's, where the workspace has that field (as the forecast reads it).
  const category = deal.fieldsByName.has('managerForecastCategory')
    ? sql`coalesce(${c('managerForecastCategory')}, ${c('forecastCategory')}, 'pipeline')`
    : sql`coalesce(${c('forecastCategory')}, 'pipeline')`;
  return {
    forecast: (period, ownerId) => sql`
      select coalesce(${s('kind')}, 'open') as kind, ${category} as category, ${currency}::text as currency, ${c('closeDate')} as day,
        count(*)::int as deals, sum(${amount})::float8 as amount, sum(${amount} * ${chance})::float8 as weighted,
        sum(${amount} * ${amount} * ${chance} * (1 - ${chance}))::float8 as variance
      from ${table} as t0 left join ${stageTable} as s on s.id = ${c('stage')}
      where t0.deleted_at is null and ${c('closeDate')} >= ${period.start}::date and ${c('closeDate')} < ${period.end}::date
        ${ownerId ? sql`and ${c('owner')} = ${ownerId}::uuid` : sql``}
      group by 1, 2, 3, 4`,
    boardPage: (pipelineId, ownerId, limit) => sql`
      select * from ${table} as t0 where t0.deleted_at is null and ${c('owner')} = ${ownerId}::uuid and ${c('pipeline')} = ${pipelineId}::uuid
      order by t0.created_at desc, t0.id desc limit ${limit + 1}`,
    boardCount: (pipelineId, ownerId) => sql`
      select count(*)::int as count from ${table} as t0 where t0.deleted_at is null and ${c('owner')} = ${ownerId}::uuid and ${c('pipeline')} = ${pipelineId}::uuid`,
  };
};
