import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';
import { parseCsv } from '../support/csv.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Initrode', name: 'Milton Waddams', email: 'milton@initrode.test', password: 'red swingline stapler' };
const reader = { name: 'Bob Slydell', email: 'bob@initrode.test', password: 'what would you say you do here' };

interface Rec {
  id: string;
  [field: string]: unknown;
}

// A HubSpot-style export: "First Name", "Email", "Company Name"; the third row's email is wrong.
const CSV = [
  'First Name,Last Name,Email,Company Name,Notes',
  'Ada,Lovelace,ada@initech.test,Initech,Met at the fair',
  'Grace,Hopper,grace@navy.test,US Navy,',
  'Bad,Row,not-an-email,Initech,Typo in the email',
  'Alan,Turing,alan@initech.test,initech,',
].join('\r\n');

// Import of a CSV through the wizard: mapping suggested, problems shown on their cells, dry run, import, errors CSV, undo.
describe.skipIf(!hasChromium())('import wizard (Chromium)', { timeout: 180_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let initech: Rec;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?import-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    // The company the file's "Initech" rows link to; "US Navy" does not exist yet.
    initech = await json<Rec>(call('POST', '/records/company', { name: 'Initech', domain: 'initech.test' }), 201);

    // A member whose role reads everything and imports nothing.
    const role = await json<{ id: string }>(call('POST', '/roles', { name: 'Reader', permissions: { '*': { read: true, export: true } }, recordAccess: 'all' }), 201);
    await json(call('POST', '/users', { email: reader.email, name: reader.name, password: reader.password, roleId: role.id }), 201);

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light', acceptDownloads: true });
    page = await signInPage(context, admin, pageErrors);
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-import-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const people = async () => (await json<{ data: Rec[] }>(call('POST', '/records/person/query', { limit: 100, include: ['company'] }))).data;
  const targetOf = (column: string) => page.getByRole('combobox', { name: `Import column ${column} into` });

  it('should open the wizard from the table, for People, and read the file', async () => {
    await page.goto('/objects/person');
    await expectTitle(page, 'People');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Import history' }).waitFor();
    await expectAccessible(page, 'import menu');
    await menu.getByRole('menuitem', { name: 'Import from a file…' }).click();
    await expectTitle(page, 'Import People');
    expect(await page.getByRole('combobox', { name: 'Import into', exact: true }).inputValue()).toBe('People');
    await page.getByText('The first row names the columns; each other row becomes one record.').waitFor();
    await expectAccessible(page, 'import upload step');
    await screenshot(page, 'import-01-upload');

    // A file the import does not read is refused at once.
    await page.getByLabel('Choose a file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([137, 80, 78, 71]) });
    await page.getByText('photo.png is not a file the import reads.', { exact: false }).waitFor();

    await page.getByLabel('Choose a file').setInputFiles({ name: 'hubspot-contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.getByRole('status').filter({ hasText: 'hubspot-contacts.csv' }).waitFor();
    await page.getByRole('button', { name: 'Read the file' }).click();
    await targetOf('First Name').waitFor();
  });

  it('should suggest the mapping, with sample values, and flag a field chosen twice', async () => {
    expect(await targetOf('First Name').inputValue()).toBe('First name');
    expect(await targetOf('Last Name').inputValue()).toBe('Last name');
    expect(await targetOf('Email').inputValue()).toBe('Email');
    // The company column links to a company by its name.
    expect(await targetOf('Company Name').inputValue()).toMatch(/^Company( › Name)?$/);
    expect(await targetOf('Notes').inputValue()).toBe("Don't import");
    const columns = page.getByRole('table', { name: 'Columns of the file' });
    await columns.getByRole('row').filter({ hasText: 'Company Name' }).getByText('US Navy').waitFor();
    await columns.getByRole('row').filter({ hasText: 'Email' }).getByText('not-an-email').waitFor();

    // "Last Name" into Email too: flagged, and the preview waits.
    await targetOf('Last Name').click();
    await page.getByRole('option', { name: 'Email', exact: true }).click();
    await page.getByText('Email is chosen for another column too.').first().waitFor();
    expect(await page.getByRole('button', { name: 'Preview', exact: true }).isDisabled()).toBe(true);
    await targetOf('Last Name').click();
    await page.getByRole('option', { name: 'Last name', exact: true }).click();
    await page.getByText('Email is chosen for another column too.').first().waitFor({ state: 'detached' });

    // Match existing people by email; save the mapping for next time.
    await page.getByRole('combobox', { name: 'Match existing records by' }).click();
    await page.getByRole('option', { name: 'Email', exact: true }).click();
    await page.getByRole('button', { name: 'Save this mapping' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this mapping' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('HubSpot contacts');
    await expectAccessible(page, 'save mapping dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The mapping HubSpot contacts was saved.').waitFor();
    const saved = await json<{ data: { name: string; mapping: Record<string, string | null>; upsertOn: string | null }[] }>(call('GET', '/import-mappings?object=person'));
    expect(saved.data).toHaveLength(1);
    expect(saved.data[0]).toMatchObject({ name: 'HubSpot contacts', upsertOn: 'email', mapping: { 'First Name': 'firstName', Email: 'email', Notes: null } });

    // A saved mapping applies by header: the notes column stays out, the match field comes back.
    await targetOf('Notes').click();
    await page.getByRole('option', { name: 'Job title', exact: true }).click();
    await page.getByRole('button', { name: 'Saved mappings' }).click();
    const saveMenu = page.getByRole('menu');
    await saveMenu.getByText('5 of 5 columns match').waitFor();
    await expectAccessible(page, 'saved mappings menu');
    await saveMenu.getByRole('menuitem', { name: /^HubSpot contacts/ }).click();
    await page.getByText('The mapping HubSpot contacts was applied.').waitFor();
    expect(await targetOf('Notes').inputValue()).toBe("Don't import");
    expect(await page.getByRole('combobox', { name: 'Match existing records by' }).inputValue()).toBe('Email');

    await expectAccessible(page, 'import mapping step');
    await screenshot(page, 'import-02-mapping');
  });

  it('should preview the first rows as stored, the bad email on its cell', async () => {
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Preview of the first rows' });
    await preview.waitFor();
    await page.getByText('1 row with problems').waitFor();
    const badRow = preview.getByRole('row').filter({ hasText: 'not-an-email' });
    const badCell = badRow.locator('td[data-target="email"]');
    expect(await badCell.getAttribute('aria-invalid')).toBe('true');
    expect((await badCell.textContent())!.length).toBeGreaterThan('not-an-email'.length);
    // A good row has no marked cell.
    expect(await preview.getByRole('row').filter({ hasText: 'Lovelace' }).locator('td[aria-invalid]').count()).toBe(0);
    await expectAccessible(page, 'import preview step');
    await screenshot(page, 'import-03-preview');
  });

  it('should dry run the whole file without writing, then import it with progress to completion', async () => {
    await page.getByRole('button', { name: 'Dry run the whole file' }).click();
    await page.getByText('Dry run finished').waitFor({ timeout: 60_000 });
    await page.getByText('Nothing was written.', { exact: false }).waitFor();
    expect(await people()).toHaveLength(0);
    await expectAccessible(page, 'import dry run summary');
    await screenshot(page, 'import-04-dry-run');

    await page.getByRole('button', { name: 'Import the file' }).click();
    await page.getByText('Import finished').waitFor({ timeout: 60_000 });
    await page.getByText('1 row was refused.', { exact: false }).waitFor();
    await page.getByText('4 rows processed', { exact: false }).waitFor();
    await expectAccessible(page, 'import summary');
    await screenshot(page, 'import-05-done');

    const imported = await people();
    expect(imported.map((person) => person.email).sort()).toEqual(['ada@initech.test', 'alan@initech.test', 'grace@navy.test']);
    const byEmail = new Map(imported.map((person) => [person.email, person]));
    // Initech (any case) links to the existing company; US Navy was created.
    expect((byEmail.get('ada@initech.test')!.company as Rec).id).toBe(initech.id);
    expect((byEmail.get('alan@initech.test')!.company as Rec).id).toBe(initech.id);
    expect((byEmail.get('grace@navy.test')!.company as Rec).name).toBe('US Navy');
  });

  it('should download the rejected row with its reason as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download errors (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const rows = parseCsv(text).filter((row) => row.some((cell) => cell !== ''));
    expect(rows[0]!.slice(0, 5)).toEqual(['row', 'column', 'field', 'code', 'message']);
    expect(rows).toHaveLength(2);
    // Rows are numbered from the first data row, as the preview numbers them.
    expect(rows[1]!.slice(0, 3)).toEqual(['3', 'Email', 'email']);
    expect(rows[1]).toContain('not-an-email');
  });

  it('should show the imported people in the table, linked to their company', async () => {
    await page.getByRole('link', { name: 'View People' }).click();
    await expectTitle(page, 'People');
    const table = page.getByRole('region', { name: 'People' });
    const ada = table.getByRole('row').filter({ hasText: 'Ada Lovelace' });
    await ada.getByRole('link', { name: 'Initech', exact: true }).waitFor();
    await table.getByRole('row').filter({ hasText: 'Grace Hopper' }).getByRole('link', { name: 'US Navy', exact: true }).waitFor();
    await screenshot(page, 'import-06-table');
  });

  it('should list the runs in the history and undo the import from its page', async () => {
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Import history' }).click();
    await expectTitle(page, 'Import history');
    const history = page.getByRole('table', { name: 'Import history' });
    // The real import and the dry run before it.
    await expect.poll(() => history.getByRole('row').count()).toBe(3);
    await history.getByRole('row').nth(2).getByText('Dry run').waitFor();
    await expectAccessible(page, 'import history');
    await screenshot(page, 'import-07-history');

    await history.getByRole('row').nth(1).getByRole('link', { name: 'hubspot-contacts.csv' }).click();
    await expectTitle(page, 'hubspot-contacts.csv');
    await page.getByRole('button', { name: 'Undo import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Undo this import?' });
    await dialog.getByText('The 3 records it created will be moved to the trash.', { exact: false }).waitFor();
    await expectAccessible(page, 'undo confirmation');
    await screenshot(page, 'import-08-undo-confirm');
    await dialog.getByRole('button', { name: 'Undo import' }).click();
    await page.getByText(/^Undone: \d+ records removed/).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Undo import' }).count()).toBe(0);
    expect(await people()).toHaveLength(0);
    await screenshot(page, 'import-09-undone');
    expect(pageErrors).toEqual([]);
  });

  it('should show the history and an empty state in the dark theme', async () => {
    await page.goto('/imports?object=company');
    await expectTitle(page, 'Import history');
    await page.getByText('No imports yet').waitFor();
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expectAccessible(page, 'empty import history in the dark theme');
    await screenshot(page, 'import-10-empty-dark');
    await page.goto('/imports/new?object=person');
    await expectTitle(page, 'Import People');
    await expectAccessible(page, 'upload step in the dark theme');
    await screenshot(page, 'import-11-upload-dark');
    // The mapping and the preview's marked cell, dark.
    await page.getByLabel('Choose a file').setInputFiles({ name: 'hubspot-contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.getByRole('button', { name: 'Read the file' }).click();
    await targetOf('Email').waitFor();
    await expectAccessible(page, 'mapping step in the dark theme');
    await screenshot(page, 'import-12-mapping-dark');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('region', { name: 'Preview of the first rows' }).waitFor();
    await expectAccessible(page, 'preview step in the dark theme');
    await screenshot(page, 'import-13-preview-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  });

  it('should open the history from the navigation', async () => {
    await page.goto('/objects/person');
    await expectTitle(page, 'People');
    await page.getByRole('link', { name: 'Import history', exact: true }).click();
    await expectTitle(page, 'Import history');
    expect(await page.getByRole('link', { name: 'Import history', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('table', { name: 'Import history' }).getByRole('link', { name: 'hubspot-contacts.csv' }).first().waitFor();
  });

  it('should read a vCard file, with sample values beside its columns, and preview it', async () => {
    const vcard = ['BEGIN:VCARD', 'VERSION:4.0', 'N:Hamilton;Margaret;;;', 'FN:Margaret Hamilton', 'EMAIL:margaret@apollo.test', 'ORG:Apollo', 'END:VCARD', ''].join('\r\n');
    await page.goto('/imports/new?object=person');
    await expectTitle(page, 'Import People');
    await page.getByLabel('Choose a file').setInputFiles({ name: 'apollo.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcard, 'utf8') });
    await page.getByRole('button', { name: 'Read the file' }).click();
    expect(await targetOf('Email').inputValue()).toBe('Email');
    const columns = page.getByRole('table', { name: 'Columns of the file' });
    await columns.getByRole('row').filter({ hasText: 'Email' }).getByText('margaret@apollo.test').waitFor();
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('region', { name: 'Preview of the first rows' }).getByRole('row').filter({ hasText: 'margaret@apollo.test' }).waitFor();
    await page.getByText('No problems in these rows').waitFor();
    await screenshot(page, 'import-14-vcard-preview');
  });

  it('should leave out Import for a role that may not import', async () => {
    const readerContext = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    try {
      const readerPage = await signInPage(readerContext, reader, pageErrors);
      await readerPage.goto('/objects/company');
      await readerPage.getByRole('region', { name: 'Companies' }).getByRole('link', { name: 'Initech', exact: true }).waitFor();
      expect(await readerPage.getByRole('button', { name: 'Export', exact: true }).count()).toBe(1);
      expect(await readerPage.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
      expect(await readerPage.getByRole('link', { name: 'Import history', exact: true }).count()).toBe(0);
    } finally {
      await readerContext.close();
    }
  });
});
