import { describe, expect, it } from 'vitest';
import { dealCurrencyOf, reorderMoves, sortLines, sumLines, type LineItem } from './products-model.ts';

const line = (id: string, position: number | null, total: number | null, createdAt = '2026-01-01T00:00:00Z'): LineItem => ({
  id,
  version: 1,
  createdAt,
  updatedAt: createdAt,
  createdBy: null,
  updatedBy: null,
  name: id,
  product: null,
  quantity: 1,
  unitPrice: total === null ? null : { amount: total, currency: 'EUR' },
  discount: 0,
  taxRate: 20,
  total: total === null ? null : { amount: total, currency: 'EUR' },
  totalWithTax: total === null ? null : { amount: Math.round(total * 120) / 100, currency: 'EUR' },
  position,
});

describe('product lines on the record page', () => {
  it('should order lines by position, those without one last by creation', () => {
    expect(sortLines([line('c', null, 1, '2026-01-02T00:00:00Z'), line('b', 2, 1), line('a', 1, 1), line('d', null, 1, '2026-01-01T00:00:00Z')]).map((l) => l.id)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('should sum totals to the cent without floating-point dust', () => {
    expect(sumLines([line('a', 1, 0.1), line('b', 2, 0.2)])).toEqual({ total: 0.3, totalWithTax: 0.36 });
  });

  it('should swap a line with its neighbour, renumbering 1..n and sending only what changes', () => {
    const lines = [line('a', 1, 1), line('b', 2, 1), line('c', 3, 1)];
    expect(reorderMoves(lines, 'c', -1)).toEqual([{ id: 'c', position: 2 }, { id: 'b', position: 3 }]);
    expect(reorderMoves(lines, 'a', -1)).toEqual([]);
    expect(reorderMoves([line('a', 5, 1), line('b', 5, 1)], 'a', 1)).toEqual([{ id: 'b', position: 1 }, { id: 'a', position: 2 }]);
  });

  it("should take the deal's currency from its lines, then its amount, its price book, the workspace", () => {
    const deal = { id: 'd', version: 1, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null };
    expect(dealCurrencyOf({ lines: [line('a', 1, 5)], deal: { ...deal, amount: { amount: 1, currency: 'USD' } } })).toBe('EUR');
    expect(dealCurrencyOf({ lines: [], deal: { ...deal, amount: { amount: 1, currency: 'USD' } }, priceBookCurrency: 'GBP' })).toBe('USD');
    expect(dealCurrencyOf({ lines: [], deal, priceBookCurrency: 'GBP', defaultCurrency: 'CHF' })).toBe('GBP');
    expect(dealCurrencyOf({ lines: [], deal, defaultCurrency: 'CHF' })).toBe('CHF');
  });
});
