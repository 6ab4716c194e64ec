import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Keepwell', name: 'Annie Easley', email: 'annie@keepwell.test', password: 'centaur upper stage code' };

// Settings › Data retention: an administrator makes a rule, previews it and runs it.
describe.skipIf(!hasChromium())('data retention rules (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const people: Record<string, string> = {};
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?retention-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    await json(call('POST', '/metadata/objects/person/fields', { name: 'lastContactedOn', type: 'date', label: 'Last contacted' }), 201);
    const today = new Date().toISOString().slice(0, 10);
    for (const [firstName, lastName, lastContactedOn] of [['Ruth', 'Stale', '2019-03-01'], ['Sam', 'Dusty', '2021-06-15'], ['Tara', 'Fresh', today]] as const) {
      people[lastName] = (await json<{ id: string }>(call('POST', '/records/person', { firstName, lastName, email: `${firstName.toLowerCase()}@keepwell.test`, lastContactedOn }), 201)).id;
    }
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-retention-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should make a rule, preview the records it would anonymise, run it and show the run', async () => {
    await page.goto('/settings/retention');
    await expectTitle(page, 'Data retention');
    await page.getByText('No retention rules').waitFor();
    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New retention rule' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Anonymise people not contacted for a year');
    await dialog.getByRole('textbox', { name: 'After (days)' }).fill('365');
    await dialog.getByRole('combobox', { name: 'Counted from' }).click();
    await page.getByRole('option', { name: 'Last contacted' }).click();
    // Only the people with an email at keepwell.test (all three here): the filter builder of the tables.
    await dialog.getByText('Every record of the object').waitFor();
    await dialog.getByRole('button', { name: 'Advanced filter' }).click();
    const builder = page.getByRole('dialog', { name: 'Filter People' });
    const firstRule = builder.locator('[data-filter-rule]').first();
    await firstRule.getByRole('combobox', { name: 'Field', exact: true }).click();
    await page.getByRole('option', { name: 'Email', exact: true }).click();
    await firstRule.getByRole('combobox', { name: 'Condition', exact: true }).click();
    await page.getByRole('option', { name: 'contains', exact: true }).click();
    await firstRule.getByRole('textbox', { name: 'Value', exact: true }).fill('keepwell.test');
    await builder.getByRole('button', { name: 'Apply' }).click();
    await builder.waitFor({ state: 'detached' });
    await dialog.getByText('Only records matching 1 condition').waitFor();
    await screenshot(page, 'retention-01-new-rule');
    await expectAccessible(page, 'new retention rule');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Rule “Anonymise people not contacted for a year” saved').waitFor();
    const row = page.getByRole('row', { name: /Anonymise people not contacted/ });
    await row.getByText('People, 365 days after last contacted').waitFor();
    const saved = await json<{ data: { filter: unknown }[] }>(call('GET', '/retention-rules'));
    expect(saved.data[0]?.filter).toEqual({ field: 'email', op: 'contains', value: 'keepwell.test' });
    await row.getByText('Not run yet').waitFor();

    await row.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('dialog', { name: /What “Anonymise people not contacted for a year” would do now/ });
    await preview.getByText('2 records are due: they would be anonymised.').waitFor();
    await preview.getByText('Ruth Stale').waitFor();
    await preview.getByText('Sam Dusty').waitFor();
    await preview.getByText('Anonymising cannot be undone.').waitFor();
    await screenshot(page, 'retention-02-preview');
    await expectAccessible(page, 'retention preview');
    await preview.getByRole('button', { name: 'Run now' }).click();
    await page.getByText('“Anonymise people not contacted for a year” handled 2 records').waitFor();
    await row.getByText('2 records').waitFor();
    await screenshot(page, 'retention-03-after-run');
    await expectAccessible(page, 'retention rules');

    const stale = await json<{ firstName: string | null; email: string | null }>(call('GET', `/records/person/${people.Stale}`));
    expect(stale).toMatchObject({ firstName: null, email: null });
    const fresh = await json<{ firstName: string | null }>(call('GET', `/records/person/${people.Fresh}`));
    expect(fresh.firstName).toBe('Tara');

    // Switched off: it stays, and only runs by hand.
    await row.getByRole('switch', { name: 'Run “Anonymise people not contacted for a year” every night' }).click({ force: true });
    await expect.poll(async () => ((await json<{ data: { enabled: boolean }[] }>(call('GET', '/retention-rules'))).data[0]?.enabled)).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
