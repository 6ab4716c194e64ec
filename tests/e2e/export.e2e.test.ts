import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';
import { parseCsv } from '../support/csv.ts';
import { unzip } from '../support/unzip.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Initech', name: 'Joan Clarke', email: 'joan@initech.test', password: 'bletchley park hut eight' };
const member = { name: 'Peter Gibbons', email: 'peter@initech.test', password: 'tps reports cover sheet' };

interface Rec {
  id: string;
  [field: string]: unknown;
}


// Export of the records table: the file holds what the view shows (filter, sort, visible columns in order).
describe.skipIf(!hasChromium())('export of a table view (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let memberToken: string;
  const pageErrors: string[] = [];
  const people: Record<string, Rec> = {};

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?export-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));

    // Two people at the navy (the quick search below), one with a job title a spreadsheet would run as a formula.
    for (const [firstName, lastName, jobTitle, email] of [
      ['Grace', 'Hopper', 'Rear admiral', 'grace@navy.test'],
      ['Ada', 'Lovelace', '=1+2', 'ada@navy.test'],
      ['Alan', 'Turing', 'Mathematician', 'alan@example.test'],
      ['Katherine', 'Johnson', 'Physicist', 'katherine@example.test'],
    ] as const) {
      people[lastName] = await json<Rec>(call('POST', '/records/person', { firstName, lastName, jobTitle, email, phone: '+44 20 7946 0000' }), 201);
    }

    // A member whose role reads everything and exports nothing.
    const reader = await json<{ id: string }>(call('POST', '/roles', { name: 'Reader', permissions: { '*': { read: true } }, recordAccess: 'all' }), 201);
    await json(call('POST', '/users', { email: member.email, name: member.name, password: member.password, roleId: reader.id }), 201);
    const memberSignIn = await json<{ token: string }>(fetch(`${app.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: member.email, password: member.password }) }));
    memberToken = memberSignIn.token;

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light', acceptDownloads: true });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-export-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const table = () => page.getByRole('region', { name: 'People' });
  const exportMenu = async () => {
    const menu = page.getByRole('menu');
    if (!(await menu.isVisible())) await page.getByRole('button', { name: 'Export' }).click();
    await menu.waitFor();
    return menu;
  };
  const downloadOf = async (item: string): Promise<Download> => {
    const menu = await exportMenu();
    const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('menuitem', { name: item }).click()]);
    return download;
  };
  const textOf = async (download: Download) => readFileSync((await download.path())!, 'utf8');

  it('should export the filtered, sorted rows with the visible columns in their order as CSV, formulas neutralised', async () => {
    // Last name, Z to A: the sort is part of the view.
    await page.goto('/objects/person?sort=-lastName');
    await expectTitle(page, 'People');
    await table().getByRole('link', { name: 'Grace Hopper' }).waitFor();
    // Phones are stored in E.164 and shown grouped, as people write them.
    await table().getByRole('link', { name: '+44 20 7946 0000' }).first().waitFor();
    expect(await table().getByRole('link', { name: '+44 20 7946 0000' }).first().getAttribute('href')).toBe('tel:+442079460000');

    // Quick search: only the navy's people.
    await page.getByRole('textbox', { name: 'Search in People' }).fill('navy');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('navy');
    await table().getByRole('link', { name: 'Alan Turing' }).waitFor({ state: 'detached' });

    // Hide the phone, the composite and the relation columns; move the job title before the email.
    await page.getByRole('button', { name: 'Columns' }).click();
    const columns = page.getByRole('group', { name: 'Show columns' });
    for (const label of ['Phone', 'Company', 'Address', 'Owner', 'Opportunities', 'Meetings']) await columns.getByRole('checkbox', { name: label, exact: true }).uncheck();
    await page.getByRole('button', { name: 'Move Job title left' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => table().getByRole('columnheader').allTextContents()).not.toContain('Phone');

    const menu = await exportMenu();
    for (const name of ['CSV', 'Excel (.xlsx)', 'JSON']) {
      const link = menu.getByRole('menuitem', { name });
      expect(await link.getAttribute('download')).not.toBeNull();
      const href = new URL((await link.getAttribute('href'))!, app.url);
      expect(href.pathname).toBe('/api/v1/records/person/export');
      expect(href.searchParams.get('fields')).toBe('fullName,firstName,lastName,jobTitle,email');
      expect(href.searchParams.get('sort')).toBe('-lastName');
    }
    await menu.getByText("Every record that matches the view's filters and search").waitFor();
    await screenshot(page, 'export-01-menu');
    await expectAccessible(page, 'export menu');
    await page.keyboard.press('Escape');

    const csv = await downloadOf('CSV');
    expect(csv.suggestedFilename()).toMatch(/^person-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await textOf(csv);
    expect(text.charCodeAt(0), 'a UTF-8 BOM').toBe(0xfeff);
    const rows = parseCsv(text.slice(1)).filter((row) => row.some((cell) => cell !== ''));
    expect(rows[0]).toEqual(['Full name', 'First name', 'Last name', 'Job title', 'Email']);
    expect(rows.slice(1)).toEqual([
      ['Ada Lovelace', 'Ada', 'Lovelace', "'=1+2", 'ada@navy.test'],
      ['Grace Hopper', 'Grace', 'Hopper', 'Rear admiral', 'grace@navy.test'],
    ]);
  });

  it('should export the same view as an Excel workbook: the same header and rows, text cells never formulas', async () => {
    const download = await downloadOf('Excel (.xlsx)');
    expect(download.suggestedFilename()).toMatch(/^person-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ['Full name', 'First name', 'Last name', 'Job title', 'Email'],
      ['Ada Lovelace', 'Ada', 'Lovelace', '=1+2', 'ada@navy.test'],
      ['Grace Hopper', 'Grace', 'Hopper', 'Rear admiral', 'grace@navy.test'],
    ]);
    // A string cell, not a formula: Excel shows "=1+2" and computes nothing.
    expect(sheet.getRow(2).getCell(4).type).toBe(ExcelJS.ValueType.String);
  });

  it('should export the people of the view as vCards', async () => {
    const menu = await exportMenu();
    const href = new URL((await menu.getByRole('menuitem', { name: 'vCard (.vcf)' }).getAttribute('href'))!, app.url);
    expect(href.searchParams.get('format')).toBe('vcf');
    // A vCard has its own fields: the view's columns do not apply.
    expect(href.searchParams.get('fields')).toBeNull();
    const download = await downloadOf('vCard (.vcf)');
    expect(download.suggestedFilename()).toMatch(/^person-\d{4}-\d{2}-\d{2}\.vcf$/);
    const text = await textOf(download);
    expect(text.match(/^BEGIN:VCARD$/gm)).toHaveLength(2);
    expect(text.match(/^FN:.*$/gm)).toEqual(['FN:Ada Lovelace', 'FN:Grace Hopper']);
    expect(text).toContain('EMAIL;TYPE=work:ada@navy.test');
  });

  it('should export the same view as JSON: the API records that match, in order', async () => {
    // From the keyboard: the menu's item, then Enter.
    const menu = await exportMenu();
    await menu.getByRole('menuitem', { name: 'JSON' }).focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^person-\d{4}-\d{2}-\d{2}\.json$/);
    const records = JSON.parse(await textOf(download)) as Rec[];
    expect(Array.isArray(records)).toBe(true);
    expect(records.map((record) => record.id)).toEqual([people.Lovelace!.id, people.Hopper!.id]);
    // JSON keeps the value as it is: only spreadsheets run formulas.
    expect(records[0]!.jobTitle).toBe('=1+2');

    // The open menu in the dark theme.
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await exportMenu();
    await screenshot(page, 'export-03-menu-dark');
    await expectAccessible(page, 'export menu in the dark theme');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    expect(pageErrors).toEqual([]);
  });

  it("should download everything about a person, then erase their personal data after typing their name", async () => {
    await page.goto(`/objects/person/${people.Turing!.id}`);
    await expectTitle(page, 'Alan Turing');
    await page.getByRole('button', { name: 'More actions' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Download personal data' }).click()]);
    expect(download.suggestedFilename()).toBe(`person-${people.Turing!.id}-personal-data.zip`);
    const files = await unzip(readFileSync((await download.path())!));
    expect(JSON.parse(files.get('record.json')!)).toMatchObject({ firstName: 'Alan', email: 'alan@example.test' });

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Erase personal data…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase the personal data of Alan Turing?' });
    const erase = dialog.getByRole('button', { name: 'Erase for good' });
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel('Type Alan Turing to confirm').fill('Alan Turing');
    // axe waits for the dialog's fade-in: the screenshot after it shows the dialog as people see it.
    await expectAccessible(page, 'erase personal data');
    await screenshot(page, 'export-04-erase');
    await erase.click();
    await page.getByText('The personal data was erased.').waitFor();
    await expectTitle(page, 'Erased');
    expect((await json<Rec>(call('GET', `/records/person/${people.Turing!.id}`))).email).toBeNull();
  });

  it('should leave out what the role may not do: no Export, no New, no editing, no deleting for a reader', async () => {
    const refused = await fetch(`${app.url}/api/v1/records/person/export?format=csv`, { headers: { authorization: `Bearer ${memberToken}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('FORBIDDEN');

    const memberContext = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light', acceptDownloads: true });
    try {
      const memberPage = await signInPage(memberContext, member, pageErrors);
      await memberPage.goto('/objects/person');
      const region = memberPage.getByRole('region', { name: 'People' });
      await region.getByRole('link', { name: 'Grace Hopper' }).waitFor();
      expect(await memberPage.getByRole('button', { name: 'Export', exact: true }).count()).toBe(0);
      expect(await memberPage.getByRole('link', { name: 'New Person' }).count()).toBe(0);
      // No cell opens an editor: no pencil on hover, nothing on a double click.
      const cell = region.getByRole('row').filter({ hasText: 'Grace Hopper' }).locator('td[data-field="jobTitle"]');
      expect(await cell.getAttribute('data-editable')).toBeNull();
      await cell.dblclick();
      expect(await memberPage.getByRole('dialog').count()).toBe(0);
      await expectAccessible(memberPage, 'table for a reader');
      // The record page likewise: no Edit, no Delete.
      await region.getByRole('link', { name: 'Grace Hopper' }).click();
      await expectTitle(memberPage, 'Grace Hopper');
      expect(await memberPage.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
      expect(await memberPage.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    } finally {
      await memberContext.close();
    }
  });

  it("should show the API's reason, and save no file, when the licence has no exports", async () => {
    const exporter = { email: 'basic.exporter@example.test', name: 'Basil Fawlty', password: 'Quiet-Harbour-Lantern-42' };
    const role = await json<{ id: string }>(call('POST', '/roles', { name: 'Exporter', permissions: { '*': { read: true, export: true } }, recordAccess: 'all' }), 201);
    await json(call('POST', '/users', { email: exporter.email, name: exporter.name, password: exporter.password, roleId: role.id, licence: 'Basic' }), 201);
    const exporterContext = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light', acceptDownloads: true });
    try {
      const exporterPage = await signInPage(exporterContext, exporter, pageErrors);
      await exporterPage.goto('/objects/person');
      await exporterPage.getByRole('region', { name: 'People' }).getByRole('link', { name: 'Grace Hopper' }).waitFor();
      let downloads = 0;
      exporterPage.on('download', () => downloads++);
      // The role may export, so the menu is there; the licence refuses, and the page says so.
      await exporterPage.getByRole('button', { name: 'Export', exact: true }).click();
      await exporterPage.getByRole('menu').getByRole('menuitem', { name: 'CSV' }).click();
      await exporterPage.getByText('The export failed. Your licence does not include exports.').waitFor();
      await expectAccessible(exporterPage, 'export refused');
      await screenshot(exporterPage, 'export-02-refused');
      expect(downloads).toBe(0);
    } finally {
      await exporterContext.close();
    }
  });
});
