import { roundMoney } from '@rapport/common/values/index';
import type { FieldError } from '@rapport/common';
import { AppError, validationFailed } from '../../engine/errors.ts';
import { createFullAccess } from '../../engine/permissions/access.ts';
import type { BehaviourContext, RecordBehaviour, WrittenRecord } from '../../engine/records/record-behaviours.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import {
  bookOfDeal,
  currencyOfDeal,
  isMoney,
  readDealLines,
  readDeals,
  readEntries,
  readPriceBooks,
  readRecordsById,
  sameAmount,
  uniqueIds,
  type Money,
} from './products-store.ts';

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** A line's totals: before tax `quantity × unitPrice × (1 − discount/100)`, then with tax `total × (1 + taxRate/100)`, each to the cent. */
export const lineTotals = (line: { quantity: number; unitPrice: number; discount?: number | null; taxRate?: number | null }): { total: number; totalWithTax: number } => {
  const total = roundMoney(line.quantity * line.unitPrice * (1 - (line.discount ?? 0) / 100));
  return { total, totalWithTax: roundMoney(total * (1 + (line.taxRate ?? 0) / 100)) };
};

const notYours = (id: string) => `No opportunity record with id ${id}.`;
const readOnlyDeal = 'You cannot change this deal, so you cannot change its product lines.';

/**
 * Keeps each deal whose amount follows its lines (`amountOverridden` off) at the sum of its live lines' totals, in the
 * deal's currency, through the write path (history and events like any write) as the engine's own work.
 */
export const rollUpDeals = async (context: BehaviourContext, dealIds: string[]): Promise<void> => {
  const { trx, workspace, actorId } = context;
  const opportunity = workspace.objects.get('opportunity');
  if (!opportunity || dealIds.length === 0) return;
  const deals = await readRecordsById(trx, workspace, 'opportunity', dealIds);
  const lines = await readDealLines(trx, workspace, dealIds);
  const books = await readPriceBooks(trx, workspace, uniqueIds([...deals.values()].map((deal) => deal.priceBook)));
  const updates: { id: string; amount: Money }[] = [];
  for (const deal of deals.values()) {
    if (deal.deletedAt || deal.amountOverridden === true) continue;
    const own = lines.get(deal.id);
    const currency = own?.currencies[0] ?? currencyOfDeal(deal, books, workspace);
    const sum = own?.sum ?? 0;
    if (isMoney(deal.amount) && deal.amount.currency === currency && sameAmount(deal.amount.amount, sum)) continue;
    updates.push({ id: deal.id, amount: { amount: sum, currency } });
  }
  if (updates.length === 0) return;
  await saveRecords({ db: trx, workspace, object: opportunity, actorId, access: createFullAccess(workspace) }, { records: updates });
};

/**
 * A product line (opportunityLineItem), for every writer:
 * - the writer must be able to change the deal (its row scope and `update` on opportunities): a deal they cannot read
 *   is "not found", one shared read-only is refused;
 * - defaults: the name is the product's, the unit price the deal's price book entry (its book, else the active default
 *   book of its currency; below the entry's minimum quantity, the product's list price), the tax rate the product's;
 * - the unit price is in the deal's currency (its amount's, else its price book's, else the workspace's);
 * - `total` = quantity × unit price × (1 − discount), before tax, and `totalWithTax`, to the cent (values given are replaced);
 * - a new line without a position goes after the deal's others;
 * - after the write, and after a line goes to the trash or comes back, the deal's amount is the sum of its lines'
 *   totals unless `amountOverridden`.
 */
export const lineItemRules: RecordBehaviour = {
  object: 'opportunityLineItem',
  async beforeWrite({ trx, workspace, access }, records) {
    const errors: FieldError[] = [];
    const dealIds = uniqueIds(records.flatMap((record) => [record.after.opportunity, record.before?.opportunity]));
    const deals = await readDeals(trx, workspace, access, dealIds);
    const products = await readRecordsById(trx, workspace, 'product', uniqueIds(records.map((record) => record.after.product)));
    const books = await readPriceBooks(trx, workspace, uniqueIds([...deals.values()].map((deal) => deal.record.priceBook)));
    const entries = await readEntries(trx, workspace, books.map((book) => book.id), [...products.keys()]);
    const needPosition = records.some((record) => record.isCreate && isEmpty(record.after.position));
    const lines = needPosition ? await readDealLines(trx, workspace, dealIds) : new Map();
    const nextPosition = new Map<string, number>();

    for (const record of records) {
      const error = (field: string, code: string, message: string) => errors.push({ field: `${record.path}${field}`, code, message });
      const touched = uniqueIds([record.after.opportunity, record.before?.opportunity]);
      const refused = touched.some((id) => {
        const deal = deals.get(id);
        if (!deal) return false; // Not a record at all: the reference check says so.
        if (!deal.canRead) error('opportunity', 'relationNotFound', notYours(id));
        else if (!deal.canWrite) error('opportunity', 'forbidden', readOnlyDeal);
        return !deal.canWrite;
      });
      if (refused) continue;
      const deal = typeof record.after.opportunity === 'string' ? deals.get(record.after.opportunity)?.record : undefined;
      const product = typeof record.after.product === 'string' ? products.get(record.after.product) : undefined;
      const productChanged = record.isCreate || record.after.product !== record.before?.product;
      if (product && productChanged) {
        if (product.deletedAt) continue; // The reference check reports it.
        if (product.isActive === false) error('product', 'inactive', `“${String(product.name)}” is no longer sold (inactive product).`);
        // A line whose product changes takes the new product's name unless the same write names it.
        if (isEmpty(record.after.name) || (!record.isCreate && !record.isGiven('name'))) record.set('name', product.name);
        if (!record.isGiven('taxRate') && typeof product.taxRate === 'number') record.set('taxRate', product.taxRate);
      }
      if (!deal) continue;
      const currency = currencyOfDeal(deal, books, workspace);
      if (!record.isGiven('unitPrice') && product && (productChanged || !isMoney(record.after.unitPrice))) {
        const book = bookOfDeal(deal, books, currency);
        const entry = book ? entries.get(`${book.id}:${product.id}`) : undefined;
        const quantity = numberOr(record.after.quantity, 1);
        const fromBook = entry && isMoney(entry.unitPrice) && quantity >= numberOr(entry.minQuantity, 0) ? entry.unitPrice : undefined;
        const price = fromBook ?? (isMoney(product.price) ? product.price : undefined);
        if (price) record.set('unitPrice', price);
      }
      const unitPrice = record.after.unitPrice;
      if (!isMoney(unitPrice)) {
        error('unitPrice', 'required', product ? `“${String(product.name)}” has no price in the deal's price book nor a list price: give a unit price.` : 'A custom line needs a unit price.');
        continue;
      }
      if (unitPrice.currency !== currency) {
        error('unitPrice', 'currencyMismatch', `The unit price is in ${unitPrice.currency} but the deal is in ${currency}: a deal's product lines are in its currency.`);
        continue;
      }
      if (typeof record.after.quantity !== 'number') continue; // Required: reported by the write path.
      const totals = lineTotals({ quantity: record.after.quantity, unitPrice: unitPrice.amount, discount: record.after.discount as number | null, taxRate: record.after.taxRate as number | null });
      record.set('total', { amount: totals.total, currency });
      record.set('totalWithTax', { amount: totals.totalWithTax, currency });
      if (record.isCreate && isEmpty(record.after.position)) {
        const next = nextPosition.get(deal.id) ?? (lines.get(deal.id)?.maxPosition ?? 0) + 1;
        record.set('position', next);
        nextPosition.set(deal.id, next + 1);
      }
    }
    return errors;
  },
  async afterWrite(context, records) {
    await rollUpDeals(context, uniqueIds(records.flatMap((record) => [record.after.opportunity, record.before?.opportunity])));
  },
  async afterDelete(context, record) {
    await assertDealWritable(context, record);
    await rollUpDeals(context, uniqueIds([record.after.opportunity]));
  },
  async afterRestore(context, record) {
    await assertDealWritable(context, record);
    const deals = await readRecordsById(context.trx, context.workspace, 'opportunity', uniqueIds([record.after.opportunity]));
    const deal = [...deals.values()][0];
    const total = record.after.total;
    if (deal && !deal.deletedAt && isMoney(total)) {
      const books = await readPriceBooks(context.trx, context.workspace, uniqueIds([deal.priceBook]));
      const lines = await readDealLines(context.trx, context.workspace, [deal.id]);
      const others = (lines.get(deal.id)?.currencies ?? []).filter((code) => code !== total.currency);
      const currency = others[0] ?? currencyOfDeal(deal, books, context.workspace);
      if (currency !== total.currency) {
        throw validationFailed([{ field: 'unitPrice', code: 'currencyMismatch', message: `The line is in ${total.currency} but the deal is now in ${currency}.` }], 'The line cannot come back: its currency is no longer the deal\'s.');
      }
    }
    await rollUpDeals(context, uniqueIds([record.after.opportunity]));
  },
};

// Trashing or restoring a line changes its deal: the same rule as writing one.
const assertDealWritable = async ({ trx, workspace, access }: BehaviourContext, record: WrittenRecord) => {
  const id = record.after.opportunity;
  if (typeof id !== 'string') return;
  const deal = (await readDeals(trx, workspace, access, [id])).get(id);
  if (!deal) return;
  if (!deal.canRead) throw new AppError('RECORD_NOT_FOUND', `No opportunityLineItem with id ${record.id}.`);
  if (!deal.canWrite) throw new AppError('FORBIDDEN', readOnlyDeal);
};

/**
 * The deal's side of the roll-up. While its amount follows its lines (`amountOverridden` off) and it has some, an
 * amount written by hand must be their sum (`amountFollowsLines`), and turning the override off sets it back to the
 * sum. A deal with lines keeps their currency: an amount or price book in another one is refused.
 */
export const opportunityAmountRules: RecordBehaviour = {
  object: 'opportunity',
  async beforeWrite({ trx, workspace }, records) {
    const relevant = records.filter((record) => !record.isCreate && (record.isGiven('amount') || record.isGiven('amountOverridden') || record.isGiven('priceBook')));
    if (relevant.length === 0) return [];
    const lines = await readDealLines(trx, workspace, uniqueIds(relevant.map((record) => record.before?.id)));
    const books = await readPriceBooks(trx, workspace, uniqueIds(relevant.map((record) => record.after.priceBook)));
    const errors: FieldError[] = [];
    for (const record of relevant) {
      const error = (field: string, code: string, message: string) => errors.push({ field: `${record.path}${field}`, code, message });
      const own = lines.get(String(record.before?.id));
      const currency = own?.currencies[0];
      if (!own || own.count === 0 || !currency) continue;
      const book = typeof record.after.priceBook === 'string' ? books.find((candidate) => candidate.id === record.after.priceBook) : undefined;
      if (record.isGiven('priceBook') && book && book.currency !== currency) {
        error('priceBook', 'currencyMismatch', `The deal's product lines are in ${currency}; its price book must be too (this one is in ${String(book.currency)}).`);
      }
      const amount = record.after.amount;
      if (record.isGiven('amount') && isMoney(amount) && amount.currency !== currency) {
        error('amount', 'currencyMismatch', `The deal's product lines are in ${currency}; its amount must be too.`);
        continue;
      }
      if (record.after.amountOverridden === true) continue;
      const same = isMoney(amount) && amount.currency === currency && sameAmount(amount.amount, own.sum);
      if (same) continue;
      if (record.isGiven('amount')) {
        error('amount', 'amountFollowsLines', `The amount is the sum of the product lines (${own.sum} ${currency}); turn on "Amount entered by hand" (amountOverridden) to enter another.`);
      } else {
        record.set('amount', { amount: own.sum, currency });
      }
    }
    return errors;
  },
};
