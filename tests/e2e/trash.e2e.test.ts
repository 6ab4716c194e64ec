import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Trashcan', name: 'Mary Jackson', email: 'mary@trashcan.test', password: 'wind tunnel at langley' };

// The trash of an object: records deleted from the table wait there, and come back from it.
describe.skipIf(!hasChromium())('the trash of an object (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?trash-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    await json(call('POST', '/metadata/objects/person/fields', { name: 'badge', type: 'text', label: 'Badge', unique: true }), 201);
    for (const [firstName, lastName, badge] of [
      ['Dorothy', 'Vaughan', 'B-1'],
      ['Christine', 'Darden', 'B-2'],
      ['Katherine', 'Goble', 'B-3'],
    ] as const) {
      await json(call('POST', '/records/person', { firstName, lastName, badge }), 201);
    }
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-trash-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const table = () => page.getByRole('region', { name: 'People' });
  const trash = () => page.getByRole('table', { name: 'People in the trash' });

  it('should explain the 30-day rule while the trash is empty', async () => {
    await page.goto('/objects/person');
    await table().getByRole('link', { name: 'Dorothy Vaughan' }).waitFor();
    await screenshot(page, 'trash-00-table-link');
    await page.getByRole('link', { name: 'Trash' }).click();
    await expectTitle(page, 'People in the trash');
    await page.getByText('The trash is empty').waitFor();
    await page.getByText('Deleted records wait here 30 days', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: /^Restore/ }).count()).toBe(0);
    await screenshot(page, 'trash-01-empty');
    await expectAccessible(page, 'empty trash');
  });

  it('should list two deleted people, newest first, and restore one while the other is refused for its taken badge', async () => {
    await page.goto('/objects/person');
    await page.getByRole('checkbox', { name: 'Select Dorothy Vaughan' }).check();
    await page.getByRole('button', { name: 'Delete 1 record' }).click();
    await page.getByText('1 record moved to the trash').waitFor();
    await page.getByRole('checkbox', { name: 'Select Christine Darden' }).check();
    await page.getByRole('button', { name: 'Delete 1 record' }).click();
    await expect.poll(() => table().getByRole('link', { name: 'Christine Darden' }).count()).toBe(0);
    // Meanwhile someone else takes Dorothy's badge: her restore is refused, Christine's is not.
    await json(call('POST', '/records/person', { firstName: 'Mary', lastName: 'Winston', badge: 'B-1' }), 201);

    await page.getByRole('link', { name: 'Trash' }).click();
    await expectTitle(page, 'People in the trash');
    const rows = trash().getByRole('row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(1).textContent()).toContain('Christine Darden');
    expect(await rows.nth(2).textContent()).toContain('Dorothy Vaughan');
    expect(await rows.nth(1).textContent()).toContain('Mary Jackson');
    expect(await rows.nth(1).textContent()).toContain('30 days');

    // The search narrows the trash by title.
    await page.getByRole('textbox', { name: 'Search the trash by title' }).fill('Dorothy');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('textbox', { name: 'Search the trash by title' }).fill('');
    await expect.poll(() => rows.count()).toBe(3);

    await page.getByRole('checkbox', { name: 'Select every record shown' }).check();
    await screenshot(page, 'trash-02-selected');
    await expectAccessible(page, 'trash with selected rows');
    await page.getByRole('button', { name: 'Restore 2 records' }).click();
    await page.getByText('1 record restored').waitFor();
    const failure = page.getByRole('alert').filter({ hasText: '1 record could not be restored' });
    await failure.getByText('Dorothy Vaughan:', { exact: false }).waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('Dorothy Vaughan');
    await screenshot(page, 'trash-03-restore-refused');
    await expectAccessible(page, 'trash after a partial restore');

    await page.getByRole('link', { name: 'People' }).first().click();
    await table().getByRole('link', { name: 'Christine Darden' }).waitFor();
    expect(await table().getByRole('link', { name: 'Dorothy Vaughan' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
