import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Segmentia', name: 'Mary Jackson', email: 'mary@segmentia.test', password: 'wind tunnel at langley' };

// Segments from the records table: save the filters as a dynamic segment, make a static list from selected rows.
describe.skipIf(!hasChromium())('segments and lists on the records table (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?segments-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    for (const [firstName, lastName, jobTitle] of [
      ['Dorothy', 'Vaughan', 'Chief buyer'],
      ['Christine', 'Darden', 'Buyer'],
      ['Katherine', 'Goble', 'Engineer'],
      ['Miriam', 'Mann', 'Analyst'],
    ] as const) {
      await json(call('POST', '/records/person', { firstName, lastName, jobTitle }), 201);
    }
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-segments-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const table = () => page.getByRole('region', { name: 'People' });
  const rowNames = async () => (await table().getByRole('link', { name: /^(Dorothy|Christine|Katherine|Miriam) / }).allTextContents()).sort();
  const segmentsButton = () => page.getByRole('button', { name: /^Segment/ });

  it('should save the filters as a shared dynamic segment that keeps listing its records when the filters are cleared', async () => {
    await page.goto(`/objects/person?filter=${encodeURIComponent(JSON.stringify([{ field: 'jobTitle', op: 'contains', value: 'buyer' }]))}`);
    await expectTitle(page, 'People');
    await expect.poll(rowNames).toEqual(['Christine Darden', 'Dorothy Vaughan']);

    await segmentsButton().click();
    await page.getByRole('menuitem', { name: 'Save filters as a segment…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save the filters as a segment' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Buyers');
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Everyone who buys for their company');
    await dialog.getByRole('radio', { name: 'Shared' }).check();
    await screenshot(page, 'segments-01-save-dialog');
    await expectAccessible(page, 'save segment dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Segment “Buyers” created').waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('segment')).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => segmentsButton().textContent()).toContain('Buyers');

    // Without the filter, the segment alone keeps the list to the buyers.
    const segmentId = new URL(page.url()).searchParams.get('segment')!;
    await page.goto(`/objects/person?segment=${segmentId}`);
    await expect.poll(() => segmentsButton().textContent()).toContain('Buyers');
    await expect.poll(rowNames).toEqual(['Christine Darden', 'Dorothy Vaughan']);
    const segments = await json<{ data: { name: string; kind: string; visibility: string; filter: unknown }[] }>(call('GET', '/segments?object=person'));
    expect(segments.data).toEqual([expect.objectContaining({ name: 'Buyers', kind: 'dynamic', visibility: 'shared' })]);

    // A new buyer joins the segment without anyone touching it.
    await json(call('POST', '/records/person', { firstName: 'Mary', lastName: 'Winston', jobTitle: 'Buyer' }), 201);
    await page.reload();
    await expect.poll(async () => (await table().getByRole('link', { name: /^(Dorothy|Christine|Mary) / }).allTextContents()).sort()).toEqual(['Christine Darden', 'Dorothy Vaughan', 'Mary Winston']);
    await screenshot(page, 'segments-02-dynamic');
    await expectAccessible(page, 'table showing a segment');

    await segmentsButton().click();
    await page.getByRole('menuitem', { name: 'Show all records' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('segment')).toBeNull();
    await table().getByRole('link', { name: 'Miriam Mann' }).waitFor();
  });

  it('should add selected rows to a new static list, show the list and remove a row from it', async () => {
    await page.goto('/objects/person');
    await table().getByRole('link', { name: 'Miriam Mann' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select Miriam Mann' }).check();
    await page.getByRole('checkbox', { name: 'Select Katherine Goble' }).check();
    await page.getByRole('button', { name: 'Add to list' }).click();
    await page.getByRole('menuitem', { name: 'New static list…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New static list' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Gala invitations');
    await dialog.getByRole('button', { name: 'Create and add 2 records' }).click();
    await page.getByText('2 records added to “Gala invitations” (2 in all)').waitFor();

    await segmentsButton().click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: /Gala invitations/ }).waitFor();
    await screenshot(page, 'segments-03-menu');
    await expectAccessible(page, 'segments menu');
    await menu.getByRole('menuitem', { name: /Gala invitations/ }).click();
    await expect.poll(rowNames).toEqual(['Katherine Goble', 'Miriam Mann']);

    await page.getByRole('checkbox', { name: 'Select Katherine Goble' }).check();
    await page.getByRole('button', { name: 'Remove from “Gala invitations”' }).click();
    await page.getByText('1 record removed from “Gala invitations”').waitFor();
    await expect.poll(rowNames).toEqual(['Miriam Mann']);
    // The removed row leaves the selection with the list.
    await page.getByRole('button', { name: 'Add to list' }).waitFor({ state: 'detached' });
    await screenshot(page, 'segments-04-static-list');

    // The export of the table is the list's export.
    await page.getByRole('button', { name: 'Export' }).click();
    const href = new URL((await page.getByRole('menuitem', { name: 'CSV' }).getAttribute('href'))!, app.url);
    expect(href.searchParams.get('segment')).toBe(new URL(page.url()).searchParams.get('segment'));
    await page.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  });
});
