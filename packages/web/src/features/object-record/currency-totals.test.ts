import type { FieldDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { convertedMetricsOf, currenciesOf, currencyCodeMetricsOf, isMixed, moneyTotalsOf } from './currency-totals.ts';

const amount: FieldDefinition = { name: 'amount', type: 'currency', label: 'Amount' };
const probability: FieldDefinition = { name: 'probability', type: 'percent', label: 'Probability' };
const keyOf = (row: Record<string, unknown>) => String(row.stage);

describe('currency totals', () => {
  it('should ask for the currencies summed of currency fields only, and for converted figures', () => {
    expect(currencyCodeMetricsOf(amount)).toEqual([
      { op: 'min', field: 'amount.currency', alias: 'min_amount__currency' },
      { op: 'max', field: 'amount.currency', alias: 'max_amount__currency' },
    ]);
    expect(currencyCodeMetricsOf(probability)).toEqual([]);
    expect(convertedMetricsOf(amount, ['sum', 'avg'])).toEqual([{ op: 'sum', field: 'amount', currency: 'default' }, { op: 'avg', field: 'amount', currency: 'default' }]);
  });

  it('should keep the amounts as stored when they share one currency', () => {
    const rows = [{ stage: 'won', sum_amount: 300, min_amount__currency: 'USD', max_amount__currency: 'USD' }, { stage: 'lost', sum_amount: null, min_amount__currency: null, max_amount__currency: null }];
    expect(isMixed(rows, amount)).toBe(false);
    expect(moneyTotalsOf({ rows, converted: undefined, field: amount, ops: ['sum'], keyOf })).toEqual({ rows, currency: 'USD', isConverted: false, unconverted: 0 });
  });

  it('should show the converted figures in the default currency when currencies mix, across groups too', () => {
    const rows = [
      { stage: 'won', count: 2, sum_amount: 300, min_amount__currency: 'USD', max_amount__currency: 'USD' },
      { stage: 'open', count: 3, sum_amount: 1150, min_amount__currency: 'EUR', max_amount__currency: 'JPY' },
    ];
    expect(currenciesOf(rows, 'amount')).toEqual(['EUR', 'JPY', 'USD']);
    expect(isMixed(rows, amount)).toBe(true);
    // Until the converted figures arrive, no sum is shown.
    expect(moneyTotalsOf({ rows, converted: undefined, field: amount, ops: ['sum'], keyOf }).rows.map((row) => row.sum_amount)).toEqual([null, null]);
    const converted = { data: [{ stage: 'open', sum_amount: 150 }, { stage: 'won', sum_amount: 240 }], currency: 'EUR', unconverted: [{ field: 'amount', currency: 'JPY', count: 2 }, { field: 'fee', currency: 'JPY', count: 1 }] };
    const totals = moneyTotalsOf({ rows, converted, field: amount, ops: ['sum'], keyOf });
    expect(totals).toMatchObject({ currency: 'EUR', isConverted: true, unconverted: 2 });
    expect(totals.rows).toEqual([
      { stage: 'won', count: 2, sum_amount: 240, min_amount__currency: 'USD', max_amount__currency: 'USD' },
      { stage: 'open', count: 3, sum_amount: 150, min_amount__currency: 'EUR', max_amount__currency: 'JPY' },
    ]);
  });
});
