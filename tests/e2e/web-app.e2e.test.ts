import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, colorScheme, documentLanguage, expectAccessible, expectTitle, screenshot } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { totpCode } from './support/totp.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium()) {
  if (isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);
  console.warn(`Browser journeys skipped: ${CHROMIUM_PATH} not found. Install it with "apt-get install chromium" to run tests/e2e.`);
}

const admin = { workspace: 'Acme Robotics', name: 'Ada Lovelace', email: 'ada@acme.test', password: 'correct horse battery staple' };

// One person's day, in order: each step starts where the previous one left the browser.
describe.skipIf(!hasChromium())('web app journeys (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^\d{2}-.*\.png$/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  // A failed step leaves a picture of what the browser showed.
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-${task.name.slice(0, 60).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should send the first visitor of a new instance to sign-up, and let the first admin create the workspace', async () => {
    await page.goto('/');
    // Nobody can sign in to a new instance: sign-in sends the first visitor on to sign-up.
    await page.waitForURL('**/sign-up');
    await expectTitle(page, 'Create your workspace');
    await page.getByLabel('Workspace name').fill(admin.workspace);
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: false }).first().fill(admin.password);
    await screenshot(page, '02-sign-up');
    await expectAccessible(page, 'sign-up');
    await page.getByRole('button', { name: 'Create a workspace' }).click();

    await expectTitle(page, `Welcome, ${admin.name}`);
    await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'People' }).isVisible()).resolves.toBe(true);
    await screenshot(page, '03-home');
    await expectAccessible(page, 'home');
  });

  it('should sign out, then sign in again with the password', async () => {
    await page.getByRole('button', { name: `Account of ${admin.name}` }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expectTitle(page, 'Sign in to Rapport');
    await screenshot(page, '01-sign-in');
    await expectAccessible(page, 'sign-in');

    await page.getByLabel('Email').fill(admin.email);
    await page.locator('input[type="password"]').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or the password is wrong.' }).waitFor();

    await page.locator('input[type="password"]').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectTitle(page, `Welcome, ${admin.name}`);
  });

  it('should explain an empty table, and create a person through the form with the API validation shown next to the field', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'People' }).click();
    await expectTitle(page, 'People');
    await page.getByText('No people yet').waitFor();
    await screenshot(page, '04-people-empty');
    await expectAccessible(page, 'empty table');

    await page.getByRole('link', { name: 'New Person' }).first().click();
    await expectTitle(page, 'New Person');
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Email').fill('grace.example.com');
    await page.getByLabel('Job title').fill('Rear admiral');
    await page.getByRole('button', { name: 'Create' }).click();

    // The server refuses the email: its message appears under the field, which is marked invalid.
    const email = page.getByLabel('Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toMatch(/@/);
    await screenshot(page, '05-create-person-error');
    await expectAccessible(page, 'form with an error');

    await email.fill('grace@navy.test');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectTitle(page, 'Grace Hopper');
    await page.getByText('Rear admiral').waitFor();
    // The activities panel opens on the timeline of everything (its History tab lists the changes alone).
    await page.getByRole('tab', { name: 'History' }).waitFor();
    await page.getByRole('heading', { name: 'Created', level: 3 }).waitFor();
  });

  it('should edit the person and show the change in the record history', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await expectTitle(page, 'Edit Grace Hopper');
    await page.getByLabel('Job title').fill('Computer scientist');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectTitle(page, 'Grace Hopper');
    await page.getByText('Computer scientist').first().waitFor();
    await page.getByRole('heading', { name: 'Job title changed', level: 3 }).waitFor();
    await screenshot(page, '06-record-page');
    await expectAccessible(page, 'record page');
  });

  it('should list the person in the table, sort by a column and filter', async () => {
    await page.getByRole('link', { name: 'People' }).first().click();
    await expectTitle(page, 'People');
    const table = page.getByRole('region', { name: 'People' });
    await table.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await expect(table.getByRole('row').count()).resolves.toBe(2);

    const jobTitle = table.getByRole('columnheader', { name: 'Job title' });
    await jobTitle.getByRole('button').click();
    await expect.poll(() => jobTitle.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => page.url()).toContain('sort=jobTitle');

    await page.getByLabel('Search in People').fill('zzz-nobody');
    await page.getByText('No people match').waitFor();
    await page.getByLabel('Search in People').fill('hopp');
    await table.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await screenshot(page, '07-people-table');
    await expectAccessible(page, 'table');
  });

  /** The admin's own API session (what an integration would use), for data the journey needs in bulk. */
  const apiAsAdmin = async () => {
    const signIn = await fetch(`${app.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: admin.password }) });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    return (method: string, path: string, body?: unknown) =>
      fetch(`${app.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  };

  it('should page through many records in a virtualised table', async () => {
    // 250 companies through the public API, signed in as the admin.
    const call = await apiAsAdmin();
    const records = Array.from({ length: 250 }, (_, index) => ({ name: `Company ${String(index + 1).padStart(3, '0')}`, employees: index * 10, industry: index % 2 ? 'software' : 'retail' }));
    expect((await call('POST', '/records/company/batch', { records })).status).toBe(200);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
    await expectTitle(page, 'Companies');
    const table = page.getByRole('region', { name: 'Companies' });
    await table.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await table.getByRole('link', { name: 'Company 001' }).waitFor();
    // Only the rows in view (and a few around) are in the document.
    const rendered = await table.locator('tbody tr[data-index]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    // Scrolling to the end loads the next page (100 per page) until the last record.
    for (let attempt = 0; attempt < 10 && !(await table.getByRole('link', { name: 'Company 250' }).isVisible()); attempt++) {
      await table.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      await page.waitForTimeout(300);
    }
    await table.getByRole('link', { name: 'Company 250' }).waitFor();
    await page.getByText('End of the list').waitFor();

    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('dialog').getByLabel('Field').first().click();
    await page.getByRole('option', { name: 'Industry' }).click();
    await page.getByRole('dialog').getByLabel('Value').first().click();
    await page.getByRole('option', { name: 'Retail' }).click();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Industry is Retail' }).waitFor();
    await page.getByLabel('125 records').waitFor();
    await screenshot(page, '08-companies-filtered');
  });

  const openPalette = async (query: string) => {
    await page.keyboard.press('Control+K');
    const search = page.getByRole('combobox', { name: 'Search records, views, settings and actions…' });
    await search.waitFor();
    await search.fill(query);
    return search;
  };
  /** The palette's highlighted option: Enter runs it. */
  const activeOption = () => page.getByRole('listbox', { name: 'Results' }).locator('[role="option"][aria-selected="true"]');

  it('should find a record with the command palette (Ctrl+K) and open it', async () => {
    await openPalette('Hopper');
    const hit = page.getByRole('option', { name: /Grace Hopper/ });
    await hit.waitFor();
    await expect(activeOption().textContent()).resolves.toContain('Grace Hopper');
    await screenshot(page, '09-command-palette');
    await expectAccessible(page, 'command palette');
    await page.keyboard.press('Enter');
    await expectTitle(page, 'Grace Hopper');
  });

  it('should offer the open record’s actions in the palette, under headings, and add a note from there', async () => {
    // Without a query: the record's actions first, then views, objects, pages, settings and actions, under headings.
    await openPalette('');
    const results = page.getByRole('listbox', { name: 'Results' });
    await results.getByRole('group', { name: 'This record' }).getByRole('option', { name: 'Edit this person' }).waitFor();
    await results.getByRole('group', { name: 'Settings' }).waitFor();
    // The dialog fades in: let it finish for the picture and the contrast checks.
    await page.waitForTimeout(400);
    await screenshot(page, '09-command-palette-record');
    await expectAccessible(page, 'command palette on a record page');
    await page.keyboard.type('note');
    await expect(activeOption().textContent()).resolves.toBe('Add a note to this person');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label')), { timeout: 10_000 }).toBe('New note');
  });

  it('should jump to a saved view and to a settings section from the palette', async () => {
    // A shared view saved by the API shows up in the palette; Enter opens it.
    const call = await apiAsAdmin();
    const view = { object: 'company', name: 'Retail companies', type: 'table', visibility: 'shared', filter: { field: 'industry', op: 'eq', value: 'retail' } };
    expect((await call('POST', '/views', view)).status).toBe(201);
    await page.reload();
    await expectTitle(page, 'Grace Hopper');
    await openPalette('retail');
    await expect(activeOption().textContent()).resolves.toContain('Retail companies');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/objects\/company\?view=/);
    await expectTitle(page, 'Companies');

    // A settings section, typed partly and picked with the arrows.
    await openPalette('audi');
    await expect(activeOption().textContent()).resolves.toContain('Audit log');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expectTitle(page, 'Audit log');
  });

  it('should switch the theme from the palette, and close it with Esc without running anything', async () => {
    await openPalette('dark');
    await expect(activeOption().textContent()).resolves.toBe('Switch to the dark theme');
    await page.keyboard.press('Enter');
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await openPalette('light');
    await page.keyboard.press('Enter');
    await expect.poll(() => colorScheme(page)).toBe('light');
    await openPalette('sign out');
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Search records, views, settings and actions…' }).waitFor({ state: 'hidden' });
    await expectTitle(page, 'Audit log');
    await openPalette('Hopper');
    await page.getByRole('option', { name: /Grace Hopper/ }).waitFor();
    await page.keyboard.press('Enter');
    await expectTitle(page, 'Grace Hopper');
  });

  it('should switch the interface to Russian and Chinese, and remember the choice', async () => {
    await page.getByRole('button', { name: 'Language: English' }).click();
    await page.getByRole('menuitem', { name: 'Русский' }).click();
    const navigation = page.getByRole('navigation', { name: 'Основная навигация' });
    await navigation.getByRole('link', { name: 'Люди' }).waitFor();
    await expect(documentLanguage(page)).resolves.toBe('ru');
    await page.getByRole('tab', { name: 'Всё' }).waitFor();
    await page.getByRole('tab', { name: 'История' }).waitFor();
    await screenshot(page, '10-record-page-ru');
    await expectAccessible(page, 'record page in Russian');

    await page.getByRole('button', { name: /Язык/ }).click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '联系人' }).click();
    await expectTitle(page, '联系人');
    await expect(documentLanguage(page)).resolves.toBe('zh');
    await screenshot(page, '11-people-zh');
    await expectAccessible(page, 'table in Chinese');

    await page.reload();
    await expectTitle(page, '联系人');
    await page.getByRole('button', { name: /语言/ }).click();
    await page.getByRole('menuitem', { name: 'English', exact: true }).click();
    await expectTitle(page, 'People');
  });

  it('should switch to the dark theme and stay accessible', async () => {
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await screenshot(page, '12-people-dark');
    await expectAccessible(page, 'table in the dark theme');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  });

  it('should list custom objects in the navigation and open their empty table', async () => {
    const call = await apiAsAdmin();
    const vehicle = { name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', icon: 'car', labelField: 'plate', fields: [{ name: 'plate', type: 'text', label: 'Plate', required: true }] };
    expect((await call('POST', '/metadata/objects', vehicle)).status).toBe(201);
    await page.reload();
    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    await navigation.getByRole('heading', { name: 'Custom objects' }).waitFor();
    await navigation.getByRole('link', { name: 'Vehicles' }).click();
    await expectTitle(page, 'Vehicles');
    await page.getByText('No vehicles yet').waitFor();
  });

  it('should ask for the second factor at sign-in when two-factor authentication is on', async () => {
    const call = await apiAsAdmin();
    const { secret } = (await (await call('POST', '/auth/totp/enroll')).json()) as { secret: string };
    const verified = await call('POST', '/auth/totp/verify', { code: totpCode(secret) });
    expect(verified.status).toBe(200);
    const { recoveryCodes } = (await verified.json()) as { recoveryCodes: string[] };

    await page.getByRole('button', { name: `Account of ${admin.name}` }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expectTitle(page, 'Sign in to Rapport');
    await page.getByLabel('Email').fill(admin.email);
    await page.locator('input[type="password"]').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expectTitle(page, 'Two-factor authentication');
    const code = page.getByLabel('Authentication code');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '13-two-factor');
    await expectAccessible(page, 'two-factor step');
    // The device is "lost": a recovery code opens the session instead.
    await code.fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectTitle(page, `Welcome, ${admin.name}`);
  });

  it('should delete a record after confirmation', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('region', { name: 'People' }).getByRole('link', { name: 'Grace Hopper' }).click();
    await expectTitle(page, 'Grace Hopper');
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this person?' });
    await dialog.waitFor();
    await expectAccessible(page, 'delete confirmation');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expectTitle(page, 'People');
    await page.getByText('No people yet').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
