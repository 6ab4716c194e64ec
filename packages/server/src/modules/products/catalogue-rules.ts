import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { RecordBehaviour } from '../../engine/records/record-behaviours.ts';
import { columnOf, isMoney, readRecordsById, uniqueIds } from './products-store.ts';

/** A category's parent cannot be the category itself nor one of its subcategories: the taxonomy stays a tree. */
export const productCategoryRules: RecordBehaviour = {
  object: 'productCategory',
  async beforeWrite({ trx, workspace }, records) {
    const errors: FieldError[] = [];
    const moved = records.filter((record) => !record.isCreate && typeof record.after.parent === 'string' && record.after.parent !== record.before?.parent);
    if (moved.length === 0) return errors;
    const object = workspace.objects.get('productCategory')!;
    const table = sql.id(workspace.schema, object.table);
    const parent = sql.id(columnOf(workspace, 'productCategory', 'parent'));
    for (const record of moved) {
      const id = String(record.before?.id);
      // The new parent's ancestors (itself included): the category must not be among them.
      const { rows } = await sql<{ id: string }>`
        with recursive up(id, parent, depth) as (
          select id, ${parent}, 0 from ${table} where id = ${record.after.parent as string}::uuid
          union all
          select c.id, c.${parent}, up.depth + 1 from ${table} c join up on c.id = up.parent where up.depth < 100
        ) select id from up where id = ${id}::uuid limit 1`.execute(trx);
      if (rows.length > 0) errors.push({ field: `${record.path}parent`, code: 'cycle', message: 'A category cannot be placed under itself or one of its subcategories.' });
    }
    return errors;
  },
};

/** At most one active default price book per currency: a deal without a book takes its currency's default. */
export const priceBookRules: RecordBehaviour = {
  object: 'priceBook',
  async beforeWrite({ trx, workspace }, records) {
    const errors: FieldError[] = [];
    const defaults = records.filter((record) => record.after.isDefault === true && record.after.isActive !== false);
    if (defaults.length === 0) return errors;
    const object = workspace.objects.get('priceBook')!;
    const isDefault = sql.id(columnOf(workspace, 'priceBook', 'isDefault'));
    const isActive = sql.id(columnOf(workspace, 'priceBook', 'isActive'));
    const currency = sql.id(columnOf(workspace, 'priceBook', 'currency'));
    const { rows } = await sql<{ id: string; currency: string; name: string }>`
      select id, ${currency} as currency, ${sql.id(columnOf(workspace, 'priceBook', 'name'))} as name from ${sql.id(workspace.schema, object.table)}
      where deleted_at is null and ${isDefault} is true and ${isActive} is not false`.execute(trx);
    const seen = new Map<string, string>();
    for (const record of defaults) {
      const code = String(record.after.currency);
      const other = rows.find((row) => row.currency === code && row.id !== record.before?.id);
      if (other || seen.has(code)) {
        errors.push({ field: `${record.path}isDefault`, code: 'defaultTaken', message: `“${other?.name ?? seen.get(code)}” is already the default price book in ${code}.` });
      }
      seen.set(code, String(record.after.name));
    }
    return errors;
  },
};

/**
 * One entry per price book and product (`duplicateEntry` on the product otherwise), in the book's currency
 * (`currencyMismatch`); the entry is named after its book and product.
 */
export const priceBookEntryRules: RecordBehaviour = {
  object: 'priceBookEntry',
  async beforeWrite({ trx, workspace }, records) {
    const errors: FieldError[] = [];
    const books = await readRecordsById(trx, workspace, 'priceBook', uniqueIds(records.map((record) => record.after.priceBook)));
    const products = await readRecordsById(trx, workspace, 'product', uniqueIds(records.map((record) => record.after.product)));
    const object = workspace.objects.get('priceBookEntry')!;
    const bookColumn = sql.id(columnOf(workspace, 'priceBookEntry', 'priceBook'));
    const productColumn = sql.id(columnOf(workspace, 'priceBookEntry', 'product'));
    const inBatch = new Set<string>();
    for (const record of records) {
      const error = (field: string, code: string, message: string) => errors.push({ field: `${record.path}${field}`, code, message });
      const book = typeof record.after.priceBook === 'string' ? books.get(record.after.priceBook) : undefined;
      const product = typeof record.after.product === 'string' ? products.get(record.after.product) : undefined;
      // Unknown or trashed records: the reference check reports them.
      if (!book || !product || book.deletedAt || product.deletedAt) continue;
      const pair = `${book.id}:${product.id}`;
      const changed = record.isCreate || record.after.priceBook !== record.before?.priceBook || record.after.product !== record.before?.product;
      if (changed) {
        // Two writers adding the same pair at once: the second waits for the first and then sees its entry.
        await sql`select pg_advisory_xact_lock(hashtext(${`rapport.priceBookEntry:${workspace.id}:${pair}`}))`.execute(trx);
        const { rows } = await sql<{ id: string }>`
          select id from ${sql.id(workspace.schema, object.table)}
          where deleted_at is null and ${bookColumn} = ${book.id}::uuid and ${productColumn} = ${product.id}::uuid and id is distinct from ${(record.before?.id as string | undefined) ?? null}::uuid
          limit 1`.execute(trx);
        if (rows.length > 0 || inBatch.has(pair)) {
          error('product', 'duplicateEntry', `“${String(product.name)}” already has a price in “${String(book.name)}”: change that entry instead.`);
          continue;
        }
      }
      inBatch.add(pair);
      if (isMoney(record.after.unitPrice) && record.after.unitPrice.currency !== book.currency) {
        error('unitPrice', 'currencyMismatch', `The price book “${String(book.name)}” is in ${String(book.currency)}: its prices are too.`);
      }
      if (!record.isGiven('name') || record.after.name === null) record.set('name', `${String(book.name)} · ${String(product.name)}`);
    }
    return errors;
  },
};
