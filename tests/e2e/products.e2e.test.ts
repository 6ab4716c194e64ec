import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Dunder Mifflin', name: 'Michael Scott', email: 'michael@dunder.test', password: 'that is what she said, twice' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

// A deal's product lines on its record page: two products added with the picker, a quantity changed, the deal's
// amount following the lines, then overridden (the lines no longer move it) and following them again.
describe.skipIf(!hasChromium())('products on a deal: lines, totals and the amount roll-up (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];
  let deal: Rec;

  const read = () => json<Rec>(call('GET', `/records/opportunity/${deal.id}`));
  const amountOf = async () => (await read()).amount;

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?products-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    await json(call('POST', '/records/product', { name: 'Copier paper', code: 'P-500', unit: 'piece', price: { amount: 25, currency: 'EUR' }, taxRate: 20 }), 201);
    await json(call('POST', '/records/product', { name: 'Stapler', code: 'S-10', unit: 'piece', price: { amount: 12.5, currency: 'EUR' } }), 201);
    deal = await json<Rec>(call('POST', '/records/opportunity', { name: 'Scranton branch supplies' }), 201);
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-products-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const panel = () => page.getByRole('region', { name: 'Products', exact: true });
  const addProduct = async (name: string) => {
    const picker = panel().getByRole('combobox', { name: 'Add a product' });
    await picker.click();
    await picker.fill(name.slice(0, 6));
    await page.getByRole('option', { name, exact: true }).click();
    await panel().getByRole('cell', { name: `Total of ${name}` }).waitFor();
  };
  const sum = () => panel().locator('[data-products-sum]').textContent();

  it('should add two products with their list prices and keep the deal amount at their sum', async () => {
    await page.goto(`/objects/opportunity/${deal.id}`);
    await expectTitle(page, 'Scranton branch supplies');
    await panel().getByText('No products on this deal yet.').waitFor();

    await addProduct('Copier paper');
    await expect.poll(() => panel().getByRole('cell', { name: 'Total of Copier paper' }).textContent()).toBe('€25.00');
    await addProduct('Stapler');
    await expect.poll(sum).toBe('€37.50');
    await expect.poll(amountOf).toEqual({ amount: 37.5, currency: 'EUR' });

    // Four reams at 10 % off: 4 × 25 × 0.9 = 90.
    await panel().getByLabel('Quantity of Copier paper').fill('4');
    await panel().getByLabel('Quantity of Copier paper').press('Tab');
    await expect.poll(() => panel().getByRole('cell', { name: 'Total of Copier paper' }).textContent()).toBe('€100.00');
    await panel().getByLabel('Discount of Copier paper').fill('10');
    await panel().getByLabel('Discount of Copier paper').press('Tab');
    await expect.poll(sum).toBe('€102.50');
    await expect.poll(amountOf).toEqual({ amount: 102.5, currency: 'EUR' });
    // The record page's own amount follows.
    await page.getByText('€102.50').first().waitFor();
    await screenshot(page, 'products-01-lines');
    await expectAccessible(page, 'deal with product lines');
  });

  it('should reorder the lines', async () => {
    const names = () => panel().locator('tbody tr').evaluateAll((rows) => rows.map((row) => (row.querySelector('input[data-line-name]') as unknown as { value: string }).value));
    await expect.poll(names).toEqual(['Copier paper', 'Stapler']);
    await panel().getByRole('button', { name: 'Move Stapler up' }).click();
    await expect.poll(names).toEqual(['Stapler', 'Copier paper']);
  });

  it('should leave an overridden amount alone, and take the sum back when it follows the lines again', async () => {
    const follows = panel().getByRole('switch', { name: 'Amount follows the lines' });
    expect(await follows.isChecked()).toBe(true);
    await follows.click({ force: true });
    await panel().getByText('Overridden: the amount is entered by hand.').waitFor();
    await expect.poll(async () => (await read()).amountOverridden).toBe(true);
    await json(call('PATCH', `/records/opportunity/${deal.id}`, { amount: { amount: 95, currency: 'EUR' } }));

    await panel().getByLabel('Quantity of Stapler').fill('2');
    await panel().getByLabel('Quantity of Stapler').press('Tab');
    await expect.poll(sum).toBe('€115.00');
    expect(await amountOf()).toEqual({ amount: 95, currency: 'EUR' });
    await screenshot(page, 'products-02-overridden');

    await panel().getByRole('switch', { name: 'Amount follows the lines' }).click({ force: true });
    await expect.poll(amountOf).toEqual({ amount: 115, currency: 'EUR' });
    expect(pageErrors).toEqual([]);
  });
});
