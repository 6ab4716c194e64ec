import { roundMoney } from '@rapport/common/values/index';
import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.ts';
import type { WorkspaceMeta } from '../../engine/metadata/types.ts';
import type { Access } from '../../engine/permissions/access.ts';
import { accessColumns, isReadableRow } from '../../engine/records/record-access.ts';
import { toApiRecord, type ApiRecord } from '../../engine/records/record-shape.ts';

/** A currency value as the API shows it. */
export interface Money {
  amount: number;
  currency: string;
}

export const isMoney = (value: unknown): value is Money =>
  typeof value === 'object' && value !== null && typeof (value as Money).amount === 'number' && typeof (value as Money).currency === 'string';


export const sameAmount = (a: number, b: number) => Math.abs(a - b) < 0.005;

export const uniqueIds = (values: unknown[]): string[] => [...new Set(values.filter((value): value is string => typeof value === 'string' && value !== ''))];

const tableOf = (workspace: WorkspaceMeta, objectName: string) => {
  const object = workspace.objects.get(objectName);
  if (!object) throw new Error(`The workspace has no ${objectName} object.`);
  return { object, table: sql.id(workspace.schema, object.table) };
};

export const columnOf = (workspace: WorkspaceMeta, objectName: string, fieldName: string): string => {
  const field = workspace.objects.get(objectName)?.fieldsByName.get(fieldName);
  if (!field) throw new Error(`${objectName} has no field ${fieldName}.`);
  return field.column;
};

/** Records of an object by id, trashed ones included (`deletedAt` says), in the API shape. */
export const readRecordsById = async (trx: Db, workspace: WorkspaceMeta, objectName: string, ids: string[]): Promise<Map<string, ApiRecord>> => {
  if (ids.length === 0) return new Map();
  const { object, table } = tableOf(workspace, objectName);
  const { rows } = await sql<Record<string, unknown>>`select * from ${table} where id = any(${ids}::uuid[])`.execute(trx);
  return new Map(rows.map((row) => [row.id as string, toApiRecord(object, row)]));
};

export interface DealInWrite {
  record: ApiRecord;
  canRead: boolean;
  canWrite: boolean;
}

/** Deals by id with what the writer may do with them (their row scope, as the write path judges rows it locks). */
export const readDeals = async (trx: Db, workspace: WorkspaceMeta, access: Access, ids: string[]): Promise<Map<string, DealInWrite>> => {
  if (ids.length === 0) return new Map();
  const { object, table } = tableOf(workspace, 'opportunity');
  const { rows } = await sql<Record<string, unknown>>`select t0.*${accessColumns(access, object, 't0')} from ${table} as t0 where t0.id = any(${ids}::uuid[])`.execute(trx);
  return new Map(
    rows.map((row) => [
      row.id as string,
      { record: toApiRecord(object, row), canRead: isReadableRow(row), canWrite: isReadableRow(row) && row.rapport_can_write === true && access.can('opportunity', 'update') },
    ]),
  );
};

/** The live price books named, and the active default ones (a deal without a book uses its currency's). */
export const readPriceBooks = async (trx: Db, workspace: WorkspaceMeta, ids: string[]): Promise<ApiRecord[]> => {
  const { object, table } = tableOf(workspace, 'priceBook');
  const isDefault = sql.id(columnOf(workspace, 'priceBook', 'isDefault'));
  const isActive = sql.id(columnOf(workspace, 'priceBook', 'isActive'));
  const { rows } = await sql<Record<string, unknown>>`
    select * from ${table} where deleted_at is null
      and (id = any(${ids}::uuid[]) or (${isDefault} is true and ${isActive} is not false))
    order by created_at, id`.execute(trx);
  return rows.map((row) => toApiRecord(object, row));
};

/** The live entries of these books for these products, by `book:product`. */
export const readEntries = async (trx: Db, workspace: WorkspaceMeta, bookIds: string[], productIds: string[]): Promise<Map<string, ApiRecord>> => {
  if (bookIds.length === 0 || productIds.length === 0) return new Map();
  const { object, table } = tableOf(workspace, 'priceBookEntry');
  const book = sql.id(columnOf(workspace, 'priceBookEntry', 'priceBook'));
  const product = sql.id(columnOf(workspace, 'priceBookEntry', 'product'));
  const { rows } = await sql<Record<string, unknown>>`
    select * from ${table} where deleted_at is null and ${book} = any(${bookIds}::uuid[]) and ${product} = any(${productIds}::uuid[])`.execute(trx);
  return new Map(rows.map((row) => {
    const entry = toApiRecord(object, row);
    return [`${String(entry.priceBook)}:${String(entry.product)}`, entry];
  }));
};

export interface DealLines {
  count: number;
  sum: number;
  currencies: string[];
  maxPosition: number | null;
}

/** Per deal, its live product lines: how many, the sum of their totals, their currencies and last position. */
export const readDealLines = async (trx: Db, workspace: WorkspaceMeta, dealIds: string[]): Promise<Map<string, DealLines>> => {
  if (dealIds.length === 0) return new Map();
  const { table } = tableOf(workspace, 'opportunityLineItem');
  const deal = sql.id(columnOf(workspace, 'opportunityLineItem', 'opportunity'));
  const total = columnOf(workspace, 'opportunityLineItem', 'total');
  const position = sql.id(columnOf(workspace, 'opportunityLineItem', 'position'));
  const { rows } = await sql<{ deal: string; count: number; sum: number | null; currencies: string[] | null; max_position: number | null }>`
    select ${deal} as deal, count(*)::int as count, sum(${sql.id(`${total}_amount`)})::float8 as sum,
      array_remove(array_agg(distinct ${sql.id(`${total}_currency`)}::text), null) as currencies, max(${position})::float8 as max_position
    from ${table} where deleted_at is null and ${deal} = any(${dealIds}::uuid[]) group by ${deal}`.execute(trx);
  return new Map(rows.map((row) => [row.deal, { count: row.count, sum: roundMoney(row.sum ?? 0), currencies: row.currencies ?? [], maxPosition: row.max_position }]));
};

/** A deal's price book: the one it names, else the active default book of its currency. */
export const bookOfDeal = (deal: Readonly<Record<string, unknown>>, books: ApiRecord[], currency: string): ApiRecord | undefined =>
  typeof deal.priceBook === 'string' ? books.find((book) => book.id === deal.priceBook) : books.find((book) => book.isDefault === true && book.isActive !== false && book.currency === currency);

/** A deal's currency: its amount's, else its price book's, else the workspace's default. */
export const currencyOfDeal = (deal: Readonly<Record<string, unknown>>, books: ApiRecord[], workspace: WorkspaceMeta): string => {
  if (isMoney(deal.amount)) return deal.amount.currency;
  const named = typeof deal.priceBook === 'string' ? books.find((book) => book.id === deal.priceBook) : undefined;
  return typeof named?.currency === 'string' ? named.currency : workspace.defaultCurrency;
};
