import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

// Multi-currency (docs/reference/currency.md). The workspace's default currency is EUR; rates are units per 1 EUR.
// Every expected figure below is worked out by hand from these rates.
const RATES = [
  { currency: 'USD', rate: 1.1, date: '2026-01-01', source: 'ECB' },
  // The dollar strengthens on 1 March: 110 USD is 100 EUR before, 88 EUR from then on.
  { currency: 'USD', rate: 1.25, date: '2026-03-01', source: 'ECB' },
  // The pound's first rate is dated 1 February: earlier amounts use it (the earliest later rate).
  { currency: 'GBP', rate: 0.8, date: '2026-02-01' },
];

describeEngines('currency conversion', (engine) => {
  let t: TestApp;
  let rep: TestUser;
  const as = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });
  const aggregate = (body: unknown, headers?: Record<string, string>) => t.request('POST', '/api/v1/records/invoice/aggregate', body, headers);
  const byStage = (data: Array<Record<string, unknown>>) => Object.fromEntries(data.map((row) => [row.stage, row]));

  beforeAll(async () => {
    t = await createTestApp(engine, 'Currency Co');
    // The engine finds rates as the workspace's object named exchangeRate, a standard object of every workspace.
    expect((await t.request('GET', '/api/v1/metadata/objects/exchangeRate')).body).toMatchObject({ name: 'exchangeRate', isStandard: true });
    expect((await t.request('GET', '/api/v1/workspace')).body.defaultCurrency).toBe('EUR');
    const rates = await t.request('POST', '/api/v1/records/exchangeRate/batch', { records: RATES });
    expect(rates.status).toBe(200);
    rep = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    // An object of its own, so that the standard objects' evolution leaves these figures alone. Its amount names
    // its conversion date only later in the test (the creation day applies until then).
    const invoice = await t.request('POST', '/api/v1/metadata/objects', {
      name: 'invoice',
      labelSingular: 'Invoice',
      labelPlural: 'Invoices',
      labelField: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name', required: true },
        { name: 'amount', type: 'currency', label: 'Amount' },
        { name: 'stage', type: 'select', label: 'Stage', options: { choices: ['meeting', 'proposal', 'won'].map((value) => ({ value, label: value })) } },
        { name: 'probability', type: 'percent', label: 'Probability' },
        { name: 'closeDate', type: 'date', label: 'Close date' },
        { name: 'owner', type: 'owner', label: 'Owner' },
      ],
    });
    expect(invoice.status).toBe(201);
    const deals = [
      { name: 'A', stage: 'proposal', amount: { amount: 110, currency: 'USD' }, closeDate: '2026-02-15' },
      { name: 'B', stage: 'proposal', amount: { amount: 110, currency: 'USD' }, closeDate: '2026-03-10' },
      { name: 'C', stage: 'won', amount: { amount: 50, currency: 'EUR' }, closeDate: '2026-01-20' },
      { name: 'D', stage: 'won', amount: { amount: 80, currency: 'GBP' }, closeDate: '2026-01-10' },
      { name: 'E', stage: 'meeting', amount: { amount: 1000, currency: 'JPY' }, closeDate: '2026-02-01' },
      { name: 'G', stage: 'meeting', closeDate: '2026-02-01' },
    ];
    expect((await t.request('POST', '/api/v1/records/invoice/batch', { records: deals })).status).toBe(200);
    // The rep's own deal: 220 USD on 5 January is 200 EUR (rate 1.10).
    expect((await t.request('POST', '/api/v1/records/invoice', { name: 'F', stage: 'proposal', amount: { amount: 220, currency: 'USD' }, closeDate: '2026-01-05' }, as(rep))).status).toBe(201);
  });
  afterAll(async () => t?.destroy());

  it('should keep adding amounts as stored unless conversion is asked for', async () => {
    const plain = await aggregate({ groupBy: ['stage'], metrics: [{ op: 'sum', field: 'amount' }] });
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({
      data: [
        { stage: 'meeting', sum_amount: 1000 },
        { stage: 'proposal', sum_amount: 440 },
        { stage: 'won', sum_amount: 130 },
      ],
    });
    expect((await aggregate({ metrics: [{ op: 'sum', field: 'amount' }], currency: 'none' })).body).toEqual({ data: [{ sum_amount: 1570 }] });
  });

  it('should convert at the rate of the creation day when the field names no conversion date', async () => {
    // Created today (after every rate): USD at 1.25, GBP at 0.80. 110/1.25 + 110/1.25 + 220/1.25 = 352.
    const converted = await aggregate({ groupBy: ['stage'], metrics: [{ op: 'sum', field: 'amount' }], currency: 'default' });
    expect(converted.status).toBe(200);
    expect(byStage(converted.body.data).proposal).toEqual({ stage: 'proposal', sum_amount: 352 });
    expect(byStage(converted.body.data).won).toEqual({ stage: 'won', sum_amount: 150 });
  });

  it('should convert each amount at the rate of its own date, the default currency at 1, and report currencies without any rate', async () => {
    const option = await t.request('PATCH', '/api/v1/metadata/objects/invoice/fields/amount', { options: { conversionDateField: 'closeDate' } });
    expect(option.status).toBe(200);
    expect(option.body.options.conversionDateField).toBe('closeDate');

    const converted = await aggregate({
      groupBy: ['stage'],
      metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }, { op: 'avg', field: 'amount' }, { op: 'min', field: 'amount' }, { op: 'max', field: 'amount' }],
      currency: 'default',
    });
    expect(converted.status).toBe(200);
    expect(converted.body.currency).toBe('EUR');
    // A: 110/1.10 = 100 (rate of 1 Jan); B: 110/1.25 = 88 (rate of 1 March); F: 220/1.10 = 200.
    // C: 50 EUR at 1; D: 80 GBP dated before the first pound rate uses it: 80/0.80 = 100. E: yen, no rate at all.
    expect(converted.body.data).toEqual([
      { stage: 'meeting', count: 2, sum_amount: null, avg_amount: null, min_amount: null, max_amount: null },
      { stage: 'proposal', count: 3, sum_amount: 388, avg_amount: 129.3333, min_amount: 88, max_amount: 200 },
      { stage: 'won', count: 2, sum_amount: 150, avg_amount: 75, min_amount: 50, max_amount: 100 },
    ]);
    expect(converted.body.unconverted).toEqual([{ field: 'amount', currency: 'JPY', count: 1 }]);

    // One query can hold both: a metric's own currency overrides the query's.
    const both = await aggregate({ filter: { field: 'stage', op: 'eq', value: 'proposal' }, metrics: [{ op: 'sum', field: 'amount' }, { op: 'sum', field: 'amount', currency: 'default', alias: 'converted' }, { op: 'min', field: 'amount.currency' }] });
    expect(both.body).toEqual({ data: [{ sum_amount: 440, converted: 388, min_amount_currency: 'USD' }], currency: 'EUR', unconverted: [] });
  });

  it('should convert only the rows the caller may read', async () => {
    const mine = await aggregate({ groupBy: ['stage'], metrics: [{ op: 'sum', field: 'amount' }], currency: 'default' }, as(rep));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ data: [{ stage: 'proposal', sum_amount: 200 }], currency: 'EUR', unconverted: [] });
  });

  it('should use a rate changed or added after the fact', async () => {
    const yen = await t.request('POST', '/api/v1/records/exchangeRate', { currency: 'JPY', rate: 160, date: '2026-01-01' });
    expect(yen.status).toBe(201);
    const converted = await aggregate({ filter: { field: 'stage', op: 'eq', value: 'meeting' }, metrics: [{ op: 'sum', field: 'amount' }], currency: 'default' });
    expect(converted.body).toEqual({ data: [{ sum_amount: 6.25 }], currency: 'EUR', unconverted: [] });
    expect((await t.request('DELETE', `/api/v1/records/exchangeRate/${yen.body.id}`)).status).toBe(200);
    const without = await aggregate({ filter: { field: 'stage', op: 'eq', value: 'meeting' }, metrics: [{ op: 'sum', field: 'amount' }], currency: 'default' });
    expect(without.body.unconverted).toEqual([{ field: 'amount', currency: 'JPY', count: 1 }]);
  });

  it('should convert an amount between two currencies on a day', async () => {
    const toDefault = await t.request('GET', '/api/v1/currency/convert?amount=110&from=USD&date=2026-02-15');
    expect(toDefault.status).toBe(200);
    expect(toDefault.body).toEqual({
      amount: 110, from: 'USD', to: 'EUR', date: '2026-02-15', result: 100, rate: 0.9090909091,
      rates: { from: { currency: 'USD', rate: 1.1, date: '2026-01-01' }, to: null }, defaultCurrency: 'EUR',
    });
    // Through the default currency: 110 USD = 88 EUR on 10 March = 70.4 GBP.
    expect((await t.request('GET', '/api/v1/currency/convert?amount=110&from=USD&to=GBP&date=2026-03-10')).body).toMatchObject({ result: 70.4, rate: 0.64 });
    // The pound before its first rate: the earliest later one.
    expect((await t.request('GET', '/api/v1/currency/convert?amount=100&from=EUR&to=GBP&date=2025-06-30')).body).toMatchObject({ result: 80, rates: { from: null, to: { date: '2026-02-01' } } });
    expect((await t.request('GET', '/api/v1/currency/convert?amount=5&from=EUR', undefined, as(rep))).body).toMatchObject({ result: 5, to: 'EUR', rate: 1 });
  });

  it('should refuse bad input as problem+json with field errors', async () => {
    const noRate = await t.request('GET', '/api/v1/currency/convert?amount=1000&from=JPY');
    expect(noRate.status).toBe(422);
    expect(noRate.headers['content-type']).toContain('application/problem+json');
    expect(noRate.body).toMatchObject({ code: 'EXCHANGE_RATE_MISSING', errors: [{ field: 'from', code: 'noExchangeRate' }] });

    const invalid = await t.request('GET', '/api/v1/currency/convert?amount=1&from=XYZ&to=usd&date=2026-02-30');
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.errors).toEqual([
      { field: 'from', code: 'invalidCurrency', message: expect.any(String) },
      { field: 'date', code: 'invalidDate', message: expect.any(String) },
    ]);

    const malformed = await t.request('GET', '/api/v1/currency/convert?amount=lots&from=EURO');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_REQUEST');
    expect(malformed.body.errors.length).toBeGreaterThan(0);
    expect((await t.request('GET', '/api/v1/currency/convert?from=EUR')).body.code).toBe('INVALID_REQUEST');

    const badOption = await aggregate({ metrics: [{ op: 'sum', field: 'amount' }], currency: 'USD' });
    expect(badOption.status).toBe(400);
    expect(badOption.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ field: expect.stringContaining('currency') }] });
    const notCurrency = await aggregate({ metrics: [{ op: 'sum', field: 'probability', currency: 'default' }] });
    expect(notCurrency.status).toBe(400);
    expect(notCurrency.body).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'metrics[0].currency', code: 'invalidQuery' }] });
    expect((await aggregate({ metrics: [{ op: 'count', currency: 'default' }] })).body.code).toBe('INVALID_QUERY');
    expect((await aggregate({ metrics: [{ op: 'sum', field: 'amount', currency: 'EUR' }] })).body).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'metrics[0].currency' }] });

    const badRate = await t.request('POST', '/api/v1/records/exchangeRate', { currency: 'usd', rate: 0, date: '2026-01-01' });
    expect(badRate.status).toBe(422);
    expect(badRate.body.errors.map((error: { field: string; code: string }) => [error.field, error.code]).sort()).toEqual([['currency', 'rule'], ['rate', 'rule']]);
    expect((await t.request('POST', '/api/v1/records/exchangeRate', { currency: 'USD', rate: 1.2 })).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'date', code: 'required' }] });

    const wrongDateField = await t.request('PATCH', '/api/v1/metadata/objects/invoice/fields/amount', { options: { conversionDateField: 'name' } });
    expect(wrongDateField.status).toBe(422);
    expect(wrongDateField.body).toMatchObject({ code: 'INVALID_METADATA', errors: [{ field: 'options.conversionDateField' }] });
  });
});
