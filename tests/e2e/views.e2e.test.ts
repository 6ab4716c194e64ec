import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { findSeriousViolations } from './support/axe.ts';
import { expectTitle, SCREENSHOT_DIR, screenshot, json, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Initech', name: 'Ada Lovelace', email: 'ada@initech.test', password: 'analytical engine punch cards' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

const dayFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// Saved views, the filter builder, favourites, group by with totals, and mass edit, on data made through the public API.
describe.skipIf(!hasChromium())('saved views, filter builder, favourites, group by, mass edit (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];
  const deals: Record<string, Rec> = {};
  // The stages of the workspace's pipeline, by name → id (stages are records).
  const stages: Record<string, string> = {};

  /** Picks `option` in the Mantine select `select`, as a person would. */
  const choose = async (select: Locator, option: string) => {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  /** The axe check, naming the offending elements' markup when it fails. */
  const checkAccessible = async (screen: string) => {
    const violations = await findSeriousViolations(page);
    const selectors = violations.flatMap((violation) => violation.nodes.map((target) => `${violation.id} ${(JSON.parse(target) as string[]).join(' ')}`));
    const markup = await page.evaluate(
      (list) => list.map((entry) => (globalThis as unknown as { document: { querySelector(selector: string): { outerHTML: string } | null } }).document.querySelector(entry.slice(entry.indexOf(' ') + 1))?.outerHTML.slice(0, 300) ?? entry),
      selectors,
    );
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}\n${markup.join('\n')}`).toEqual([]);
  };
  const table = () => page.getByRole('region', { name: 'Opportunities' });
  const dealLink = (name: string) => table().getByRole('link', { name, exact: true });

  beforeAll(async () => {
    ensureWebBuild();
    if (existsSync(SCREENSHOT_DIR)) for (const file of readdirSync(SCREENSHOT_DIR, { withFileTypes: true })) if (/^(failed-)?saved-views-/.test(file.name)) rmSync(join(SCREENSHOT_DIR, file.name));
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));

    for (const stage of (await json<{ data: Rec[] }>(call('GET', '/records/pipelineStage?sort=position'))).data) stages[stage.name as string] = stage.id;
    for (const [name, stage, amount, closeIn] of [['Deal Alpha', 'Qualification', 1000, 3], ['Deal Beta', 'Proposal', 8000, 10], ['Deal Gamma', 'Proposal', 500, -60], ['Deal Delta', 'Qualification', 200, 5]] as const) {
      deals[name] = await json<Rec>(call('POST', '/records/opportunity', { name, stage: stages[stage], amount: { amount, currency: 'EUR' }, closeDate: dayFromToday(closeIn) }), 201);
    }

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-saved-views-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should filter with a nested group of conditions and save it as a shared view', async () => {
    await page.goto('/objects/opportunity');
    await expectTitle(page, 'Opportunities');
    await dealLink('Deal Gamma').waitFor();

    await page.getByRole('button', { name: 'Advanced filter' }).click();
    const builder = page.getByRole('dialog', { name: 'Filter Opportunities' });
    const firstRule = builder.locator('[data-filter-rule]').first();
    await choose(firstRule.getByRole('combobox', { name: 'Field', exact: true }), 'Close date');
    await choose(firstRule.getByRole('combobox', { name: 'Condition', exact: true }), 'is in the next days');
    await firstRule.getByLabel('Number of days', { exact: true }).fill('30');
    await builder.getByRole('button', { name: 'Add group' }).click();
    const group = builder.getByRole('group', { name: 'Group of conditions, level 2' });
    // A group inside "all" starts as "any".
    await expect.poll(() => group.getByRole('radio', { name: 'any' }).isChecked(), { timeout: 15_000 }).toBe(true);
    const stageRule = group.locator('[data-filter-rule]').first();
    await choose(stageRule.getByRole('combobox', { name: 'Field', exact: true }), 'Stage');
    await choose(stageRule.getByRole('combobox', { name: 'Value', exact: true }), 'Proposal');
    await group.getByRole('button', { name: 'Add condition' }).click();
    const amountRule = group.locator('[data-filter-rule]').nth(1);
    await choose(amountRule.getByRole('combobox', { name: 'Field', exact: true }), 'Amount');
    await choose(amountRule.getByRole('combobox', { name: 'Condition', exact: true }), 'is at least');
    await amountRule.getByRole('textbox', { name: 'Value', exact: true }).fill('900');
    await screenshot(page, 'saved-views-01-filter-builder');
    await checkAccessible('filter builder');
    await builder.getByRole('button', { name: 'Apply' }).click();

    await dealLink('Deal Beta').waitFor();
    await dealLink('Deal Alpha').waitFor();
    await expect.poll(() => dealLink('Deal Gamma').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => dealLink('Deal Delta').count(), { timeout: 15_000 }).toBe(0);
    await page.getByRole('list', { name: 'Active filters' }).getByText('(Stage is Proposal or Amount is at least 900)').waitFor();

    await page.getByRole('button', { name: 'View: All records' }).click();
    await page.getByRole('menuitem', { name: 'Save as new view…' }).click();
    const save = page.getByRole('dialog', { name: 'Save as a new view' });
    await save.getByLabel('Name').fill('Near-term pipeline');
    await save.getByRole('radio', { name: 'Shared' }).check();
    await screenshot(page, 'saved-views-02-save-dialog');
    await checkAccessible('save view dialog');
    await save.getByRole('button', { name: 'Save' }).click();
    await page.getByText('View “Near-term pipeline” saved').waitFor();
    await page.getByRole('button', { name: 'View: Near-term pipeline' }).waitFor();

    const views = (await json<{ data: { name: string; visibility: string; filter: unknown }[] }>(call('GET', '/views?object=opportunity'))).data;
    expect(views).toEqual([
      expect.objectContaining({
        name: 'Near-term pipeline',
        visibility: 'shared',
        filter: { and: [{ field: 'closeDate', op: 'inNextDays', value: 30 }, { or: [{ field: 'stage', op: 'eq', value: stages.Proposal }, { field: 'amount', op: 'gte', value: 900 }] }] },
      }),
    ]);
  });

  it('should find the saved view in the navigation after a reload and show its records', async () => {
    await page.goto('/objects/person');
    await expectTitle(page, 'People');
    await page.reload();
    const link = page.getByRole('navigation').getByRole('link', { name: 'Near-term pipeline' });
    await link.click();
    await expectTitle(page, 'Opportunities');
    await page.getByRole('button', { name: 'View: Near-term pipeline' }).waitFor();
    await dealLink('Deal Alpha').waitFor();
    await dealLink('Deal Beta').waitFor();
    await expect.poll(() => dealLink('Deal Gamma').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => link.getAttribute('aria-current'), { timeout: 15_000 }).toBe('page');
    await screenshot(page, 'saved-views-03-view-in-navigation');
    await checkAccessible('saved view');

    await page.getByRole('button', { name: 'View: Near-term pipeline' }).click();
    await page.getByRole('menuitem', { name: 'Delete view…' }).waitFor();
    // The menu's opening transition done.
    await page.waitForTimeout(400);
    await screenshot(page, 'saved-views-04-view-menu');
    // Checked while open: menus open on their first item, with no focus holder of their own (app/theme.ts).
    await checkAccessible('view menu open');
    await page.getByRole('menuitem', { name: 'All records' }).click();
    await dealLink('Deal Gamma').waitFor();
  });

  it('should pin a record to the favourites from its page', async () => {
    await page.goto(`/objects/opportunity/${deals['Deal Alpha']!.id}`);
    await expectTitle(page, 'Deal Alpha');
    await page.getByRole('button', { name: 'Add “Deal Alpha” to favourites' }).click();
    const favourite = page.getByRole('navigation').getByRole('link', { name: 'Deal Alpha' });
    await favourite.waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Remove “Deal Alpha” from favourites' }).getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
    await screenshot(page, 'saved-views-05-favourite-record');
    await checkAccessible('record page with a favourite');
    const favourites = (await json<{ data: { kind: string; record?: { id: string; label: string } }[] }>(call('GET', '/favourites'))).data;
    expect(favourites).toEqual([expect.objectContaining({ kind: 'record', record: expect.objectContaining({ id: deals['Deal Alpha']!.id, label: 'Deal Alpha' }) })]);

    await page.goto('/objects/person');
    await favourite.click();
    await expectTitle(page, 'Deal Alpha');
  });

  it('should group the table by stage with counts and a totals row, and collapse a group', async () => {
    await page.goto('/objects/opportunity');
    await dealLink('Deal Gamma').waitFor();
    await choose(page.getByRole('combobox', { name: 'Group by', exact: true }), 'Stage');
    const proposal = table().getByRole('button', { name: /Proposal/ });
    await proposal.waitFor();
    await expect.poll(() => proposal.textContent(), { timeout: 15_000 }).toContain('2');
    await expect.poll(() => proposal.getAttribute('aria-expanded'), { timeout: 15_000 }).toBe('true');
    // Totals over every matching record: 1000 + 8000 + 500 + 200.
    await table().getByLabel('Sum of Amount: €9,700.00').waitFor();
    await screenshot(page, 'saved-views-06-group-by');
    await checkAccessible('grouped table');

    await proposal.click();
    await expect.poll(() => proposal.getAttribute('aria-expanded'), { timeout: 15_000 }).toBe('false');
    await expect.poll(() => dealLink('Deal Beta').count(), { timeout: 15_000 }).toBe(0);
    await dealLink('Deal Alpha').waitFor();
    await proposal.click();
    await dealLink('Deal Beta').waitFor();
    await choose(page.getByRole('combobox', { name: 'Group by', exact: true }), 'Stage');
  });

  it('should set one field on the selected rows and report a record someone else changed', async () => {
    await page.goto('/objects/opportunity');
    await dealLink('Deal Delta').waitFor();
    for (const name of ['Deal Alpha', 'Deal Delta', 'Deal Gamma']) await table().getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByRole('button', { name: 'Edit 3 records' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set a field on 3 records' });
    await choose(dialog.getByRole('combobox', { name: 'Field to set', exact: true }), 'Stage');
    await choose(dialog.getByRole('combobox', { name: /^Stage/ }), 'Negotiation');
    await screenshot(page, 'saved-views-07-mass-edit');
    await checkAccessible('mass edit');
    // Meanwhile, someone else changes one of them.
    await json(call('PATCH', `/records/opportunity/${deals['Deal Gamma']!.id}`, { name: 'Deal Gamma (renamed)' }));
    await dialog.getByRole('button', { name: 'Apply to 3 records' }).click();

    await dialog.getByRole('alert').getByText('2 of 3 records saved').waitFor();
    await dialog.getByText('Changed by someone else since they were loaded (not changed):').waitFor();
    await dialog.getByRole('listitem').getByText('Deal Gamma').waitFor();
    await screenshot(page, 'saved-views-08-mass-edit-report');
    await checkAccessible('mass edit report');
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    const read = async (name: string) => json<Rec>(call('GET', `/records/opportunity/${deals[name]!.id}`));
    expect((await read('Deal Alpha')).stage).toBe(stages.Negotiation);
    expect((await read('Deal Delta')).stage).toBe(stages.Negotiation);
    expect((await read('Deal Gamma')).stage).toBe(stages.Proposal);
    await table().getByRole('link', { name: 'Deal Gamma (renamed)' }).waitFor();
  });

  it('should look right in the dark theme and raise no page errors', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/objects/opportunity?group=stage');
    await dealLink('Deal Beta').waitFor();
    await screenshot(page, 'saved-views-09-dark');
    await checkAccessible('grouped table, dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  });
});
