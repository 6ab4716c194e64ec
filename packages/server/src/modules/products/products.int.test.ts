import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../../../../../tests/setup/engines.ts';
import { createTestApp, type TestApp } from '../../../../../tests/support/test-app.ts';
import { createTestUser, type TestUser } from '../../../../../tests/support/users.ts';
import { lineTotals } from './line-item-rules.ts';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('product line totals', () => {
  it('should compute the total before tax and with tax to the cent', () => {
    // 3 × 19.99 = 59.97, less 15 % = 50.9745 → 50.97; with 20 % tax: 61.164 → 61.16.
    expect(lineTotals({ quantity: 3, unitPrice: 19.99, discount: 15, taxRate: 20 })).toEqual({ total: 50.97, totalWithTax: 61.16 });
    expect(lineTotals({ quantity: 2.5, unitPrice: 100, discount: null, taxRate: null })).toEqual({ total: 250, totalWithTax: 250 });
    expect(lineTotals({ quantity: 1, unitPrice: 0.125, discount: 0, taxRate: 0 })).toEqual({ total: 0.13, totalWithTax: 0.13 });
  });
});

describeEngines('products, price books and product lines', (engine) => {
  let t: TestApp;
  let widget: { id: string; name: string };
  let service: { id: string };
  let euBook: { id: string };

  const newDeal = async (body: Record<string, unknown> = {}, headers?: Record<string, string>) => {
    const response = await t.request('POST', '/api/v1/records/opportunity', { name: 'Deal', ...body }, headers);
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number };
  };
  const addLine = (body: Record<string, unknown>, headers?: Record<string, string>) => t.request('POST', '/api/v1/records/opportunityLineItem', body, headers);
  const dealOf = async (id: string) => (await t.request('GET', `/api/v1/records/opportunity/${id}`)).body;

  beforeAll(async () => {
    t = await createTestApp(engine);
    widget = (await t.request('POST', '/api/v1/records/product', { name: 'Widget', code: 'W-1', unit: 'piece', price: eur(100), cost: eur(40), taxRate: 20 })).body;
    service = (await t.request('POST', '/api/v1/records/product', { name: 'Setup service', code: 'S-1', unit: 'hour', price: eur(80) })).body;
    euBook = (await t.request('POST', '/api/v1/records/priceBook', { name: 'Enterprise EUR', currency: 'EUR', segment: 'enterprise' })).body;
    const entry = await t.request('POST', '/api/v1/records/priceBookEntry', { priceBook: euBook.id, product: widget.id, unitPrice: eur(90), minQuantity: 5 });
    expect(entry.status).toBe(201);
    expect(entry.body.name).toBe('Enterprise EUR · Widget');
  });
  afterAll(async () => t?.destroy());

  it('should default a line from its product and compute its totals', async () => {
    const deal = await newDeal();
    const line = await addLine({ opportunity: deal.id, product: widget.id, quantity: 3, discount: 10 });
    expect(line.status).toBe(201);
    // 3 × 100 × 0.9 = 270 before tax; the product's 20 % tax: 324.
    expect(line.body).toMatchObject({ name: 'Widget', unitPrice: eur(100), taxRate: 20, total: eur(270), totalWithTax: eur(324), position: 1 });
    expect((await dealOf(deal.id)).amount).toEqual(eur(270));
  });

  it("should take the price from the deal's price book from its minimum quantity, and the list price below it", async () => {
    const deal = await newDeal({ priceBook: euBook.id });
    const many = await addLine({ opportunity: deal.id, product: widget.id, quantity: 5 });
    expect(many.body).toMatchObject({ unitPrice: eur(90), total: eur(450) });
    const few = await addLine({ opportunity: deal.id, product: widget.id, quantity: 2 });
    expect(few.body).toMatchObject({ unitPrice: eur(100), total: eur(200), position: 2 });
    // A product without an entry in the book: its list price.
    const other = await addLine({ opportunity: deal.id, product: service.id, quantity: 1.5 });
    expect(other.body).toMatchObject({ unitPrice: eur(80), total: eur(120), position: 3 });
    expect((await dealOf(deal.id)).amount).toEqual(eur(770));
  });

  it('should use the default price book of the deal\'s currency when the deal names none', async () => {
    const book = (await t.request('POST', '/api/v1/records/priceBook', { name: 'Standard EUR', currency: 'EUR', isDefault: true })).body;
    await t.request('POST', '/api/v1/records/priceBookEntry', { priceBook: book.id, product: service.id, unitPrice: eur(70) });
    const deal = await newDeal();
    const line = await addLine({ opportunity: deal.id, product: service.id, quantity: 2 });
    expect(line.body).toMatchObject({ unitPrice: eur(70), total: eur(140) });
    const second = await t.request('POST', '/api/v1/records/priceBook', { name: 'Other EUR', currency: 'EUR', isDefault: true });
    expect(second.status).toBe(422);
    expect(second.body.errors).toEqual([{ field: 'isDefault', code: 'defaultTaken', message: '“Standard EUR” is already the default price book in EUR.' }]);
    await t.request('PATCH', `/api/v1/records/priceBook/${book.id}`, { isDefault: false });
  });

  it('should keep the amount at the sum of the lines on create, update, delete and restore', async () => {
    const deal = await newDeal({ amount: eur(5) });
    const first = (await addLine({ opportunity: deal.id, name: 'Consulting day', unitPrice: eur(1000), quantity: 2 })).body;
    expect(first).toMatchObject({ product: null, total: eur(2000), position: 1 });
    const second = (await addLine({ opportunity: deal.id, product: widget.id, quantity: 1, unitPrice: eur(250), discount: 20 })).body;
    expect(second.total).toEqual(eur(200));
    expect((await dealOf(deal.id)).amount).toEqual(eur(2200));

    const updated = await t.request('PATCH', `/api/v1/records/opportunityLineItem/${first.id}`, { quantity: 3 });
    expect(updated.body.total).toEqual(eur(3000));
    expect((await dealOf(deal.id)).amount).toEqual(eur(3200));

    expect((await t.request('DELETE', `/api/v1/records/opportunityLineItem/${second.id}`)).status).toBe(200);
    expect((await dealOf(deal.id)).amount).toEqual(eur(3000));
    expect((await t.request('POST', `/api/v1/records/opportunityLineItem/${second.id}/restore`)).status).toBe(200);
    expect((await dealOf(deal.id)).amount).toEqual(eur(3200));

    // The deal's history says who changed the amount, like any write.
    const history = await t.request('GET', `/api/v1/records/opportunity/${deal.id}/history`);
    expect(history.body.data.filter((entry: { field: string | null }) => entry.field === 'amount').map((entry: { newValue: unknown }) => entry.newValue)).toContainEqual(eur(3200));

    // Every line gone: the sum of no lines.
    await t.request('DELETE', `/api/v1/records/opportunityLineItem/${first.id}`);
    await t.request('DELETE', `/api/v1/records/opportunityLineItem/${second.id}`);
    expect((await dealOf(deal.id)).amount).toEqual(eur(0));
  });

  it('should replace a total given by the caller with the computed one', async () => {
    const deal = await newDeal();
    const line = await addLine({ opportunity: deal.id, name: 'Odd', unitPrice: eur(10), quantity: 2, total: eur(999) });
    expect(line.body.total).toEqual(eur(20));
  });

  it('should respect an overridden amount, refuse a hand-written one while it follows the lines, and take the sum back', async () => {
    const deal = await newDeal();
    await addLine({ opportunity: deal.id, name: 'Licences', unitPrice: eur(500), quantity: 4 });
    expect((await dealOf(deal.id)).amount).toEqual(eur(2000));

    const refused = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { amount: eur(1800) });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'amount', code: 'amountFollowsLines' })]);

    const overridden = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { amount: eur(1800), amountOverridden: true });
    expect(overridden.status).toBe(200);
    await addLine({ opportunity: deal.id, name: 'Training', unitPrice: eur(300), quantity: 1 });
    expect((await dealOf(deal.id)).amount).toEqual(eur(1800));

    const back = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { amountOverridden: false });
    expect(back.status).toBe(200);
    expect(back.body.amount).toEqual(eur(2300));
  });

  it('should refuse a line in another currency than the deal, and a deal currency other than its lines', async () => {
    const deal = await newDeal({ amount: { amount: 0, currency: 'USD' } });
    const refused = await addLine({ opportunity: deal.id, product: widget.id, quantity: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ field: 'unitPrice', code: 'currencyMismatch', message: "The unit price is in EUR but the deal is in USD: a deal's product lines are in its currency." }]);
    const usd = await addLine({ opportunity: deal.id, product: widget.id, quantity: 1, unitPrice: { amount: 110, currency: 'USD' } });
    expect(usd.status).toBe(201);
    expect((await dealOf(deal.id)).amount).toEqual({ amount: 110, currency: 'USD' });
    const switched = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { amount: eur(110), amountOverridden: true });
    expect(switched.status).toBe(422);
    expect(switched.body.errors).toEqual([expect.objectContaining({ field: 'amount', code: 'currencyMismatch' })]);
    const book = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { priceBook: euBook.id });
    expect(book.status).toBe(422);
    expect(book.body.errors).toEqual([expect.objectContaining({ field: 'priceBook', code: 'currencyMismatch' })]);
  });

  it('should refuse a second entry for the same product in a book, and an entry in another currency', async () => {
    const duplicate = await t.request('POST', '/api/v1/records/priceBookEntry', { priceBook: euBook.id, product: widget.id, unitPrice: eur(85) });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.errors).toEqual([{ field: 'product', code: 'duplicateEntry', message: '“Widget” already has a price in “Enterprise EUR”: change that entry instead.' }]);
    const batch = await t.request('POST', '/api/v1/records/priceBookEntry/batch', {
      records: [
        { priceBook: euBook.id, product: service.id, unitPrice: eur(75) },
        { priceBook: euBook.id, product: service.id, unitPrice: eur(76) },
      ],
    });
    expect(batch.status).toBe(422);
    expect(batch.body.errors).toEqual([expect.objectContaining({ field: 'records[1].product', code: 'duplicateEntry' })]);
    const foreign = await t.request('POST', '/api/v1/records/priceBookEntry', { priceBook: euBook.id, product: service.id, unitPrice: { amount: 75, currency: 'USD' } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'unitPrice', code: 'currencyMismatch' })]);
  });

  it('should refuse a custom line without a name or a price, and a quantity that is not positive', async () => {
    const deal = await newDeal();
    const refused = await addLine({ opportunity: deal.id, quantity: 0 });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'name', code: 'required' }),
      { field: 'unitPrice', code: 'required', message: 'A custom line needs a unit price.' },
    ]));
    const zero = await addLine({ opportunity: deal.id, name: 'Nothing', unitPrice: eur(1), quantity: 0 });
    expect(zero.status).toBe(422);
    expect(zero.body.errors).toEqual([expect.objectContaining({ field: 'quantity' })]);
  });

  it('should keep the category taxonomy a tree', async () => {
    const hardware = (await t.request('POST', '/api/v1/records/productCategory', { name: 'Hardware' })).body;
    const sensors = (await t.request('POST', '/api/v1/records/productCategory', { name: 'Sensors', parent: hardware.id })).body;
    const thermal = (await t.request('POST', '/api/v1/records/productCategory', { name: 'Thermal', parent: sensors.id })).body;
    const children = await t.request('GET', `/api/v1/records/productCategory?filter=${encodeURIComponent(JSON.stringify({ field: 'parent', op: 'eq', value: hardware.id }))}`);
    expect(children.body.data.map((category: { name: string }) => category.name)).toEqual(['Sensors']);
    const cycle = await t.request('PATCH', `/api/v1/records/productCategory/${hardware.id}`, { parent: thermal.id });
    expect(cycle.status).toBe(422);
    expect(cycle.body.errors).toEqual([{ field: 'parent', code: 'cycle', message: 'A category cannot be placed under itself or one of its subcategories.' }]);
    const self = await t.request('PATCH', `/api/v1/records/productCategory/${sensors.id}`, { parent: sensors.id });
    expect(self.status).toBe(422);
    const product = await t.request('POST', '/api/v1/records/product', { name: 'Thermo probe', code: 'T-1', category: thermal.id, brand: 'Acme', attributes: { range: '-40..125' } });
    expect(product.status).toBe(201);
    const byBrand = await t.request('GET', `/api/v1/records/product?filter=${encodeURIComponent(JSON.stringify({ field: 'category.parent', op: 'eq', value: sensors.id }))}`);
    expect(byBrand.body.data.map((p: { code: string }) => p.code)).toEqual(['T-1']);
    const taken = await t.request('POST', '/api/v1/records/product', { name: 'Copy', code: 'T-1' });
    expect(taken.status).toBe(409);
  });

  describe('permissions', () => {
    let ann: TestUser;
    let bob: TestUser;
    const as = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

    beforeAll(async () => {
      const { db } = t.testDatabase.database;
      ann = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Sales rep', name: 'Ann' });
      bob = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Sales rep', name: 'Bob' });
    });

    it("should treat a deal the rep cannot read as not found, and let them add lines to their own", async () => {
      const annsDeal = await newDeal({ name: "Ann's deal" }, as(ann));
      const refused = await addLine({ opportunity: annsDeal.id, name: 'Sneaky', unitPrice: eur(1), quantity: 1 }, as(bob));
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([{ field: 'opportunity', code: 'relationNotFound', message: `No opportunity record with id ${annsDeal.id}.` }]);
      expect((await dealOf(annsDeal.id)).amount).toBeNull();

      const own = await addLine({ opportunity: annsDeal.id, name: 'Fine', unitPrice: eur(40), quantity: 1 }, as(ann));
      expect(own.status).toBe(201);
      expect((await dealOf(annsDeal.id)).amount).toEqual(eur(40));

      // A line belongs to its deal (master-detail): Bob can neither read Ann's line nor change or move it.
      const bobsDeal = await newDeal({ name: "Bob's deal" }, as(bob));
      const listed = await t.request('GET', '/api/v1/records/opportunityLineItem?fields=name', undefined, as(bob));
      expect(listed.body.data.map((line: { name: string }) => line.name)).not.toContain('Fine');
      expect((await t.request('GET', `/api/v1/records/opportunityLineItem/${own.body.id}`, undefined, as(bob))).status).toBe(404);
      expect((await t.request('GET', `/api/v1/records/opportunityLineItem/${own.body.id}`, undefined, as(ann))).status).toBe(200);
      const changed = await t.request('PATCH', `/api/v1/records/opportunityLineItem/${own.body.id}`, { quantity: 9 }, as(bob));
      expect(changed.status).toBe(404);
      const away = await t.request('PATCH', `/api/v1/records/opportunityLineItem/${own.body.id}`, { opportunity: bobsDeal.id }, as(bob));
      expect(away.status).toBe(404);
      expect((await dealOf(bobsDeal.id)).amount).toBeNull();
      expect((await dealOf(annsDeal.id)).amount).toEqual(eur(40));
    });
  });
});
