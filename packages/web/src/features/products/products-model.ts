import type { ApiRecord } from '../../api/types.ts';

/** A currency value as the API gives it. */
export interface Money {
  amount: number;
  currency: string;
}

export const isMoney = (value: unknown): value is Money =>
  typeof value === 'object' && value !== null && typeof (value as Money).amount === 'number' && typeof (value as Money).currency === 'string';

/** A product line as the panel reads it (`opportunityLineItem`). */
export interface LineItem extends ApiRecord {
  name: string | null;
  product: string | null;
  quantity: number | null;
  unitPrice: Money | null;
  discount: number | null;
  taxRate: number | null;
  total: Money | null;
  totalWithTax: Money | null;
  position: number | null;
}

/** The lines in their order: by position, then by creation. */
export const sortLines = (lines: readonly LineItem[]): LineItem[] =>
  [...lines].sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.createdAt.localeCompare(b.createdAt));

/** The sums of the lines' totals before and with tax, to the cent (every line is in the deal's currency). */
export const sumLines = (lines: readonly LineItem[]): { total: number; totalWithTax: number } => {
  const cents = (value: Money | null) => Math.round((value?.amount ?? 0) * 100);
  return {
    total: lines.reduce((sum, line) => sum + cents(line.total), 0) / 100,
    totalWithTax: lines.reduce((sum, line) => sum + cents(line.totalWithTax), 0) / 100,
  };
};

/** The deal's currency as the server judges it: its lines', its amount's, its price book's, else the workspace's. */
export const dealCurrencyOf = (options: { lines: readonly LineItem[]; deal: ApiRecord; priceBookCurrency?: string | undefined; defaultCurrency?: string | undefined }): string => {
  const fromLines = options.lines.find((line) => isMoney(line.total))?.total?.currency;
  const amount = options.deal.amount;
  return fromLines ?? (isMoney(amount) ? amount.currency : undefined) ?? options.priceBookCurrency ?? options.defaultCurrency ?? 'EUR';
};

/** The position changes that move a line one step up (-1) or down (+1): the lines renumbered 1..n with the two swapped, only those that change. */
export const reorderMoves = (lines: readonly LineItem[], id: string, step: -1 | 1): { id: string; position: number }[] => {
  const ordered = sortLines(lines);
  const index = ordered.findIndex((line) => line.id === id);
  if (index < 0 || !ordered[index + step]) return [];
  const swapped = [...ordered];
  [swapped[index], swapped[index + step]] = [swapped[index + step]!, swapped[index]!];
  return swapped.map((line, at) => ({ id: line.id, position: at + 1, current: line.position })).filter((move) => move.current !== move.position).map(({ id: lineId, position }) => ({ id: lineId, position }));
};
