import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { SETTINGS_SECTIONS } from '../../packages/web/src/features/settings/settings-sections.ts';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, colorScheme, documentLanguage, expectAccessible, expectTitle, screenshot } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium()) {
  if (isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);
  console.warn(`Browser journeys skipped: ${CHROMIUM_PATH} not found.`);
}

const admin = { workspace: 'Globex', name: 'Hank Scorpio', email: 'hank@globex.test', password: 'a hammock district of my own' };
const other = { name: 'Homer Simpson', email: 'homer@second.test', password: 'mmm donuts and more donuts' };

type Json = Record<string, any>;

// An administrator's settings: the section navigation, encrypting a field, the instance audit log,
// territories, the workspace's language, labels in sentences and menus checked by axe while open.
describe.skipIf(!hasChromium())('settings sections, encryption, audit scope, territories, workspace language (Chromium)', { timeout: 300_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminToken: string;
  const pageErrors: string[] = [];

  const call = async (method: string, path: string, body?: unknown, token = adminToken): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${app.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  };

  const signInAs = async (target: Page, who: { email: string; password: string }) => {
    await target.goto('/sign-in');
    await target.getByLabel('Email').fill(who.email);
    await target.locator('input[type="password"]').fill(who.password);
    await target.locator('button[type="submit"]').click();
    await target.waitForURL((url) => url.pathname === '/');
  };

  beforeAll(async () => {
    clearScreenshots(/^(failed-)?settings-sections-/);
    ensureWebBuild();
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    const signUp = await fetch(`${app.url}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceName: admin.workspace, name: admin.name, email: admin.email, password: admin.password }),
    });
    expect(signUp.status).toBe(201);
    adminToken = ((await signUp.json()) as { token: string }).token;
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInAs(page, admin);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-settings-sections-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should group the settings sections in a side navigation, keeping every route', async () => {
    await page.goto('/settings/users');
    await expectTitle(page, 'Users');
    const nav = page.getByRole('navigation', { name: 'Settings' });
    for (const group of ['Workspace', 'People & access', 'Data model', 'Security', 'Integrations']) {
      await expect(nav.getByRole('group', { name: group }).isVisible(), group).resolves.toBe(true);
    }
    const people = nav.getByRole('group', { name: 'People & access' });
    expect(await people.getByRole('link').allTextContents()).toEqual(['Users', 'Teams', 'Roles', 'Sharing']);
    await expect(nav.getByRole('link', { name: 'Users', exact: true }).getAttribute('aria-current')).resolves.toBe('page');
    // All the sections fit in one column beside the screen (no wrapped rows of tabs above it).
    const boxes = await Promise.all((await nav.getByRole('link').all()).map((link) => link.boundingBox()));
    expect(boxes).toHaveLength(SETTINGS_SECTIONS.length);
    expect(new Set(boxes.map((box) => Math.round(box!.x))).size).toBe(1);
    const title = await page.getByRole('heading', { level: 1, name: 'Users' }).boundingBox();
    expect(title!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.width);

    await nav.getByRole('link', { name: 'API keys' }).click();
    await expectTitle(page, 'API keys');
    await page.waitForURL('**/settings/api-keys');
    await page.goto('/settings/objects/person');
    await expectTitle(page, 'People');
    await expect(nav.getByRole('link', { name: 'Objects' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.goto('/settings/roles');
    await expectTitle(page, 'Roles');
    await screenshot(page, 'settings-sections-01-navigation');
    await expectAccessible(page, 'settings navigation');

    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await screenshot(page, 'settings-sections-02-navigation-dark');
    await expectAccessible(page, 'settings navigation, dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  });

  it('should offer the sections as a grouped select at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto('/settings/teams');
      await expectTitle(page, 'Teams');
      expect(await page.getByRole('navigation', { name: 'Settings' }).count()).toBe(0);
      const select = page.getByRole('combobox', { name: 'Settings section' });
      await expect(select.inputValue()).resolves.toBe('teams');
      await expect(select.locator('optgroup').evaluateAll((groups) => groups.map((group) => (group as unknown as { label: string }).label))).resolves.toEqual([
        'Workspace',
        'People & access',
        'Data model',
        'Security',
        'Integrations',
      ]);
      await screenshot(page, 'settings-sections-03-phone');
      await expectAccessible(page, 'settings at phone width');
      await select.selectOption('audit');
      await page.waitForURL('**/settings/audit');
      await expectTitle(page, 'Audit log');
      // The screen fits the phone: nothing scrolls sideways.
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(1);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('should encrypt an existing field from its settings, following the job, and explain what it gives up', async () => {
    const vehicle = {
      name: 'vehicle',
      labelSingular: 'Vehicle',
      labelPlural: 'Vehicles',
      labelField: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name', required: true },
        { name: 'plate', type: 'text', label: 'Plate' },
        { name: 'colour', type: 'select', label: 'Colour', options: { choices: [{ value: 'red', label: 'Red' }, { value: 'blue', label: 'Blue' }] } },
        { name: 'plateShout', type: 'formula', label: 'Plate shout', options: { expression: 'record.name + "!"', resultType: 'text' } },
      ],
    };
    expect((await call('POST', '/metadata/objects', vehicle)).status).toBe(201);
    const created = await call('POST', '/records/vehicle', { name: 'Van', plate: 'AB-123-CD', colour: 'red' });
    expect(created.status).toBe(201);

    await page.goto('/settings/objects/vehicle');
    await expectTitle(page, 'Vehicles');
    // A select cannot be encrypted: the action is there, disabled, with the reason.
    await page.getByRole('button', { name: 'Edit field Colour', exact: true }).click();
    let dialog = page.getByRole('dialog', { name: 'Edit Colour' });
    const colourAction = dialog.getByRole('button', { name: 'Encrypt this field…' });
    await expect(colourAction.isDisabled()).resolves.toBe(true);
    await dialog.getByText('Fields of this type cannot be encrypted').waitFor();
    await expect(colourAction.getAttribute('aria-describedby')).resolves.toBeTruthy();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The title field, read by a formula too: disabled with the first reason.
    await page.getByRole('button', { name: 'Edit field Name', exact: true }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Name' });
    await dialog.getByText('This field is the title of the records').waitFor();
    await expect(dialog.getByRole('button', { name: 'Encrypt this field…' }).isDisabled()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit field Plate', exact: true }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Plate' });
    await dialog.getByRole('button', { name: 'Encrypt this field…' }).click();
    const confirm = dialog.getByRole('alert').filter({ hasText: 'Encrypt Plate?' });
    await confirm.getByText('Lists cannot be sorted or grouped by it').waitFor();
    await confirm.getByText('Filters can only ask whether it is empty').waitFor();
    await confirm.getByText('not found by the global search').waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'settings-sections-04-encrypt-confirm');
    await expectAccessible(page, 'encrypt field confirmation');
    await confirm.getByRole('button', { name: 'Encrypt', exact: true }).click();
    await dialog.getByRole('status').getByText('Done: the field is encrypted.').waitFor({ timeout: 60_000 });
    await dialog.getByText("This field's values are stored encrypted.").waitFor();
    await dialog.getByText('Encrypted', { exact: true }).waitFor();
    await screenshot(page, 'settings-sections-05-encrypted');
    await expectAccessible(page, 'encrypted field');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The fields table marks it, and the API agrees: encrypted, values still readable.
    const plateRow = page.getByRole('row').filter({ hasText: 'plate' }).filter({ hasNotText: 'plateShout' });
    await plateRow.getByText('Encrypted', { exact: true }).waitFor();
    const plate = (await call('GET', '/metadata/objects/vehicle')).body.fields.find((field: Json) => field.name === 'plate');
    expect(plate.options.encrypted).toBe(true);
    expect((await call('GET', `/records/vehicle/${created.body.id}`)).body.plate).toBe('AB-123-CD');
    const sorted = await call('GET', '/records/vehicle?sort=plate');
    expect(sorted.status).toBe(400);
    expect(sorted.body.code).toBe('ENCRYPTED_FIELD_UNSUPPORTED');
  });

  it('should show the instance audit log to its readers, with filters, and no scope switch to others', async () => {
    const failed = await fetch(`${app.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@stuffing.example', password: 'not-a-real-password-1' }) });
    expect(failed.status).toBe(401);

    await page.goto('/settings/audit');
    await expectTitle(page, 'Audit log');
    const scope = page.getByRole('radiogroup', { name: 'Scope' });
    await scope.waitFor();
    await expect(page.getByRole('cell', { name: 'nobody@stuffing.example' }).count()).resolves.toBe(0);
    await scope.getByText('Whole instance').click();
    await page.getByText('What belongs to no workspace').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'nobody@stuffing.example' });
    await row.getByText('auth.sign_in.failed').waitFor();
    // No member acts at instance level: the user filter is not offered there.
    await expect(page.getByLabel('User', { exact: true }).count()).resolves.toBe(0);
    await page.getByLabel('Action').fill('auth.sign_in.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await row.waitFor();
    await screenshot(page, 'settings-sections-06-instance-audit');
    await expectAccessible(page, 'instance audit log');
    await page.getByLabel('Action').fill('role.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Nothing in the audit log').waitFor();
    await expect(page.getByRole('link', { name: 'Export JSON lines' }).getAttribute('href')).resolves.toBe('/api/v1/audit/export?scope=instance&action=role.');

    // The administrator of another workspace reads their own log, with no scope switch.
    const db = app.server.database.db;
    const second = await createWorkspace({ db, name: 'Second Co', standardObjects });
    const secondKey = (await createApiKey(db, { workspaceId: second.id })).token;
    const roles = (await call('GET', '/roles', undefined, secondKey)).body.data as Json[];
    const adminRole = roles.find((role) => role.isAdmin === true)!;
    expect((await call('POST', '/users', { email: other.email, name: other.name, password: other.password, roleId: adminRole.id }, secondKey)).status).toBe(201);
    expect((await call('GET', '/audit?scope=instance', undefined, secondKey)).status).toBe(403);
    const otherContext = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 } });
    try {
      const otherPage = await otherContext.newPage();
      await signInAs(otherPage, other);
      await otherPage.goto('/settings/audit');
      await expectTitle(otherPage, 'Audit log');
      await otherPage.getByRole('form', { name: 'Filter the audit log' }).waitFor();
      // The answer that decides it has come back (the probe), and no switch was drawn.
      await otherPage.waitForLoadState('networkidle');
      await expect(otherPage.getByRole('radiogroup', { name: 'Scope' }).count()).resolves.toBe(0);
      await screenshot(otherPage, 'settings-sections-07-audit-other-workspace');
    } finally {
      await otherContext.close();
    }
  });

  it('should create, rename, reassign and delete territories where they are listed', async () => {
    const northern = await call('POST', '/territories', { name: 'Northern Europe', rules: { company: { field: 'employees', op: 'gte', value: 500 } }, memberIds: [] });
    expect(northern.status).toBe(201);
    const wide = await call('POST', '/territories', { name: 'Key accounts', rules: { company: { field: 'name', op: 'isNotEmpty' }, person: { field: 'email', op: 'isNotEmpty' } }, memberIds: [] });
    expect(wide.status).toBe(201);

    await page.goto('/settings/sharing');
    await expectTitle(page, 'Sharing rules and territories');
    const territories = page.getByRole('region', { name: 'Territories' });
    await territories.getByRole('button', { name: 'Edit Northern Europe' }).click();
    let dialog = page.getByRole('dialog', { name: 'Edit Northern Europe' });
    await expect(dialog.getByLabel('Territory name').inputValue()).resolves.toBe('Northern Europe');
    await dialog.getByLabel('Territory name').fill('Nordics');
    // The stored condition is in the editor, ready to change.
    await expect(dialog.getByLabel('Value', { exact: true }).inputValue()).resolves.toBe('500');
    await dialog.getByLabel('Value', { exact: true }).fill('1000');
    await dialog.getByLabel('Members').click();
    await page.getByRole('option', { name: admin.name }).click();
    await dialog.getByLabel('Territory name').click();
    await screenshot(page, 'settings-sections-08-territory-edit');
    await expectAccessible(page, 'territory editor');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Territory Nordics saved.').waitFor();
    const row = territories.getByRole('row').filter({ hasText: 'Nordics' });
    await row.getByText(admin.name).waitFor();
    const saved = (await call('GET', `/territories/${northern.body.id}`)).body;
    expect(saved).toMatchObject({ name: 'Nordics', memberIds: [expect.any(String)] });
    expect(saved.rules.company).toEqual({ field: 'employees', op: 'gte', value: 1000 });

    // Over several objects: name and members only, the records stay as the API set them.
    await territories.getByRole('button', { name: 'Edit Key accounts' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Key accounts' });
    await dialog.getByText('were set through the API').waitFor();
    await dialog.getByLabel('Territory name').fill('Strategic accounts');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Territory Strategic accounts saved.').waitFor();
    expect(Object.keys((await call('GET', `/territories/${wide.body.id}`)).body.rules).sort()).toEqual(['company', 'person']);

    await territories.getByRole('button', { name: 'Delete Strategic accounts' }).click();
    await page.getByRole('dialog', { name: 'Delete Strategic accounts?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Strategic accounts was deleted.').waitFor();
    await territories.getByRole('button', { name: 'Edit Strategic accounts' }).waitFor({ state: 'detached' });
    await screenshot(page, 'settings-sections-09-territories');
    await expectAccessible(page, 'territories');
  });

  it('should write object labels in lower case inside English sentences', async () => {
    const supportCase = { name: 'supportCase', labelSingular: 'Support Case', labelPlural: 'Support Cases', labelField: 'name', fields: [{ name: 'name', type: 'text', label: 'Name', required: true }] };
    expect((await call('POST', '/metadata/objects', supportCase)).status).toBe(201);
    await page.goto('/objects/supportCase');
    await expectTitle(page, 'Support Cases');
    await page.getByText('No support cases yet').waitFor();
    await page.getByText('Create the first support case with the button below').waitFor();
    await screenshot(page, 'settings-sections-10-empty-state');
    await expectAccessible(page, 'empty state');
  });

  it('should stay accessible with the header menus open', async () => {
    await page.goto('/settings/workspace');
    await expectTitle(page, 'Workspace');
    await page.getByRole('button', { name: 'Language: English' }).click();
    await page.getByRole('menuitem', { name: 'Deutsch', exact: true }).waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, 'settings-sections-11-language-menu');
    await expectAccessible(page, 'language menu open');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `Account of ${admin.name}` }).click();
    await page.getByRole('menuitem', { name: 'Security' }).waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, 'settings-sections-12-user-menu');
    await expectAccessible(page, 'user menu open');
    await page.keyboard.press('Escape');
  });

  it('should enlarge the whole app from Preferences, keep the size after a reload, and stay accessible at it', async () => {
    // The test runs in Node (no DOM types): the page's globals are reached through globalThis.
    const rootFontSize = () =>
      page.evaluate(() => {
        const browser = globalThis as unknown as { getComputedStyle(element: unknown): { fontSize: string }; document: { documentElement: unknown } };
        return browser.getComputedStyle(browser.document.documentElement).fontSize;
      });
    await page.getByRole('button', { name: `Account of ${admin.name}` }).click();
    await page.getByRole('menuitem', { name: 'Preferences' }).click();
    await expectTitle(page, 'Preferences');
    await expect(page.getByRole('radio', { name: 'Default', exact: true }).isChecked()).resolves.toBe(true);
    expect(await rootFontSize()).toBe('16px');

    await page.getByRole('radio', { name: 'Large', exact: true }).check();
    await expect.poll(rootFontSize, { timeout: 10_000 }).toBe('18px');
    await screenshot(page, 'settings-sections-14-preferences-large');
    await expectAccessible(page, 'preferences at a large font size');
    // Kept in this browser and applied before the first render.
    await page.reload();
    await expectTitle(page, 'Preferences');
    expect(await rootFontSize()).toBe('18px');
    await expect(page.getByRole('radio', { name: 'Large', exact: true }).isChecked()).resolves.toBe(true);
    await page.goto('/settings/objects/company');
    await expectTitle(page, 'Companies');
    expect(await rootFontSize()).toBe('18px');
    await screenshot(page, 'settings-sections-15-object-large');
    await expectAccessible(page, 'object settings at a large font size');

    await page.goto('/account/preferences');
    await page.getByRole('radio', { name: 'Default', exact: true }).check();
    await expect.poll(rootFontSize, { timeout: 10_000 }).toBe('16px');
  });

  it('should speak the workspace default locale to people who chose no language, and keep a choice', async () => {
    expect((await call('PATCH', '/workspace', { locale: 'de' })).status).toBe(200);
    // A fresh browser (no language chosen) whose own language is English.
    const fresh = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 } });
    try {
      const freshPage = await fresh.newPage();
      await freshPage.goto('/sign-in');
      await expect.poll(() => documentLanguage(freshPage)).toBe('en');
      await signInAs(freshPage, admin);
      await expectTitle(freshPage, `Willkommen, ${admin.name}`);
      await expect.poll(() => documentLanguage(freshPage)).toBe('de');
      // Dates follow the language too (German day.month.year).
      await freshPage.goto('/settings/audit');
      await expectTitle(freshPage, 'Audit-Protokoll');
      await expect(freshPage.getByRole('cell').first().textContent()).resolves.toMatch(/^\d{2}\.\d{2}\.\d{4}/);
      await screenshot(freshPage, 'settings-sections-13-workspace-language');
      await expectAccessible(freshPage, 'workspace language');

      // A language of one's own wins over the workspace's, after a reload too.
      await freshPage.getByRole('button', { name: /^Sprache/ }).click();
      await freshPage.getByRole('menuitem', { name: 'English', exact: true }).click();
      await expectTitle(freshPage, 'Audit log');
      await freshPage.reload();
      await expectTitle(freshPage, 'Audit log');
      await expect.poll(() => documentLanguage(freshPage)).toBe('en');
      // …until the person goes back to the workspace's language.
      await freshPage.getByRole('button', { name: 'Language: English' }).click();
      await expect(freshPage.getByRole('menuitem', { name: 'English', exact: true }).getAttribute('aria-current')).resolves.toBe('true');
      await freshPage.getByRole('menuitem', { name: 'Workspace language (Deutsch)' }).click();
      await expectTitle(freshPage, 'Audit-Protokoll');
      await freshPage.reload();
      await expectTitle(freshPage, 'Audit-Protokoll');
      await freshPage.getByRole('button', { name: 'Sprache: Deutsch' }).click();
      await expect(freshPage.getByRole('menuitem', { name: 'Sprache des Arbeitsbereichs (Deutsch)' }).getAttribute('aria-current')).resolves.toBe('true');
      await freshPage.waitForTimeout(400);
      await expectAccessible(freshPage, 'language menu with the workspace language');
      await freshPage.keyboard.press('Escape');
    } finally {
      await fresh.close();
      await call('PATCH', '/workspace', { locale: 'en' });
    }
    expect(pageErrors).toEqual([]);
  });
});
