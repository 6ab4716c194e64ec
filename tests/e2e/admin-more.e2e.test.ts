import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { expectAccessible, expectTitle, screenshot } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium()) {
  if (isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);
  console.warn(`Browser journeys skipped: ${CHROMIUM_PATH} not found.`);
}

const admin = { workspace: 'Initech', name: 'Bill Lumbergh', email: 'bill@initech.test', password: 'yeah if you could come in on saturday' };
const leaver = { name: 'Milton Waddams', email: 'milton@initech.test' };

// The first run of a new instance, then an administrator's tour of teams, sharing, licences and SSO.
describe.skipIf(!hasChromium())('first run, more admin screens and the PWA (Chromium)', { timeout: 240_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminToken: string;
  const pageErrors: string[] = [];

  const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${app.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${adminToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  /** Picks `option` in the Mantine select labelled `label` inside the open dialog, as a person would. */
  const choose = async (label: string, option: string) => {
    await page.getByRole('dialog').getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  // Each screen is opened by its address: the shared build may be rebuilt by another run meanwhile, and
  // a fresh page load always has the current files.
  const openSettings = async (path: string, tab: string, title: string) => {
    await page.goto(`/settings/${path}`);
    await expectTitle(page, title);
    await expect(page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: tab, exact: true }).getAttribute('aria-current')).resolves.toBe('page');
  };

  beforeAll(async () => {
    ensureWebBuild();
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await context.newPage();
    // The machine running the journeys may be busy: screens get more time than usual to appear.
    page.setDefaultTimeout(45_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-admin-more-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should send the first visitor from sign-in to sign-up, saying they become the administrator', async () => {
    await page.goto('/sign-in');
    await page.waitForURL('**/sign-up');
    await expectTitle(page, 'Create your workspace');
    await page.getByText('This Rapport is new.').waitFor();
    await expect(page.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(0);
    await screenshot(page, 'admin-more-01-first-run');
    await expectAccessible(page, 'first-run sign-up');

    await page.getByLabel('Workspace name').fill(admin.workspace);
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: false }).first().fill(admin.password);
    await page.getByRole('button', { name: 'Create a workspace' }).click();
    await expectTitle(page, `Welcome, ${admin.name}`);

    const status = await (await fetch(`${app.url}/api/v1/auth/status`)).json();
    expect(status).toEqual({ signUpOpen: false, sso: [] });
  });

  it('should show a short guided tour on first sign-in, and remember when it is dismissed', async () => {
    const tour = page.getByRole('complementary', { name: 'Your objects' });
    await tour.waitFor();
    await expect(tour.getByText('Tour, step 1 of 3').isVisible()).resolves.toBe(true);
    await screenshot(page, 'admin-more-02-tour');
    await expectAccessible(page, 'guided tour');
    await tour.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('complementary', { name: 'Search anything' }).getByRole('button', { name: 'Next' }).click();
    await page.getByRole('complementary', { name: 'Settings' }).getByRole('button', { name: 'Got it' }).click();
    await page.getByRole('complementary').waitFor({ state: 'detached' });

    await page.reload();
    await expectTitle(page, `Welcome, ${admin.name}`);
    await page.waitForTimeout(300);
    await expect(page.getByRole('complementary').count()).resolves.toBe(0);
  });

  it('should serve the web manifest and register the service worker for the app shell', async () => {
    const manifest = await page.request.get('/manifest.webmanifest');
    expect(manifest.status()).toBe(200);
    expect(manifest.headers()['content-type']).toMatch(/application\/manifest\+json/);
    const body = (await manifest.json()) as { name: string; start_url: string; icons: { src: string; sizes: string }[] };
    expect(body).toMatchObject({ name: 'Rapport CRM', start_url: '/', display: 'standalone' });
    for (const icon of body.icons) {
      const file = await page.request.get(icon.src);
      expect(file.status(), icon.src).toBe(200);
    }
    const worker = await page.request.get('/sw.js');
    expect(worker.status()).toBe(200);
    expect(worker.headers()['content-type']).toMatch(/javascript/);
    await expect(page.locator('link[rel="manifest"]').getAttribute('href')).resolves.toBe('/manifest.webmanifest');

    // Registered once the page has loaded; installing caches the shell files first.
    await page.goto('/');
    await expectTitle(page, `Welcome, ${admin.name}`);
    const scriptUrl = await page.evaluate(async () => {
      type Registration = { active: { scriptURL: string } | null };
      const worker = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<Registration> } } }).navigator.serviceWorker;
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 60_000));
      const registration = await Promise.race([worker.ready, timeout]);
      return registration?.active?.scriptURL ?? null;
    });
    expect(scriptUrl).toBe(`${app.url}/sw.js`);
    // The API is never answered from the cache: a changed answer shows at once.
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/status')).status);
    expect(me).toBe(200);
  });

  it('should create a team with a member', async () => {
    const signIn = await fetch(`${app.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: admin.password }) });
    adminToken = ((await signIn.json()) as { token: string }).token;
    const roles = (await call('/roles')).body.data as { id: string; name: string }[];
    const invited = await call('/users', { method: 'POST', body: { email: leaver.email, name: leaver.name, roleId: roles.find((role) => role.name === 'Sales rep')!.id } });
    expect(invited.status).toBe(201);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await expectTitle(page, 'Users');
    await openSettings('teams', 'Teams', 'Teams');
    await page.getByText('No teams yet').waitFor();
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a team' });
    await dialog.getByLabel('Team name').fill('West Coast');
    await dialog.getByLabel('Members', { exact: true }).click();
    await page.getByRole('option', { name: admin.name }).click();
    // The list stays open for more picks; moving on to another field closes it.
    await dialog.getByLabel('Team name').click();
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'West Coast' });
    await row.getByText(admin.name).waitFor();
    await screenshot(page, 'admin-more-03-teams');
    await expectAccessible(page, 'teams');
  });

  it('should create a sharing rule with a condition built from the fields, shared read-write with the team', async () => {
    await openSettings('sharing', 'Sharing', 'Sharing rules and territories');
    await page.getByText('No sharing rules').waitFor();
    await page.getByRole('button', { name: 'New sharing rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a sharing rule' });
    await dialog.getByLabel('Rule name').fill('Big West Coast accounts');
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await dialog.getByText('Choose an object.').waitFor();

    await choose('Object', 'Companies');
    await choose('Field of condition 1', 'Employees');
    await choose('Condition', 'is at least');
    await dialog.getByLabel('Value').fill('500');
    await choose('Team', 'West Coast');
    await dialog.getByText('Read and write', { exact: true }).click();
    await screenshot(page, 'admin-more-04-sharing-rule-form');
    await expectAccessible(page, 'sharing rule form');
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: 'Big West Coast accounts' });
    await row.getByText('Employees is at least 500').waitFor();
    await expect(row.getByText('Team West Coast').isVisible()).resolves.toBe(true);
    await expect(row.getByText('Read and write').isVisible()).resolves.toBe(true);
    const rules = (await call('/sharing-rules')).body.data as unknown[];
    expect(rules).toEqual([expect.objectContaining({ object: 'company', filter: { field: 'employees', op: 'gte', value: 500 }, access: 'write', roleId: null })]);
    await screenshot(page, 'admin-more-05-sharing');
    await expectAccessible(page, 'sharing');
  });

  it('should show the API refusal when deleting the last administrator role', async () => {
    await openSettings('roles', 'Roles', 'Roles');
    await page.getByRole('button', { name: 'Delete the role Admin' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the role Admin?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/administrator|held by/i);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('should deactivate a user, reassigning their records', async () => {
    await openSettings('users', 'Users', 'Users');
    await page.getByRole('button', { name: `Deactivate ${leaver.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deactivate ${leaver.name}?` });
    await choose('Reassign their records to', admin.name);
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: leaver.email }).getByText('Deactivated').waitFor();

    await page.getByRole('button', { name: `More actions for ${admin.name}` }).click();
    // The menu opens with a transition: wait for the item rather than asking once.
    await page.getByRole('menuitem', { name: 'Reset two-factor authentication' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('should show licences with seats and the utilisation report of the users, sortable', async () => {
    await openSettings('licences', 'Licences', 'Licences');
    const types = page.getByRole('region', { name: 'Licence types' });
    await types.getByRole('row').filter({ hasText: 'Enterprise' }).waitFor();
    const report = page.getByRole('table', { name: 'Utilisation report' });
    await report.getByRole('row').filter({ hasText: admin.email }).waitFor();
    const header = report.getByRole('columnheader', { name: 'Full name' });
    await header.getByRole('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
    await header.getByRole('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    await screenshot(page, 'admin-more-06-licences');
    await expectAccessible(page, 'licences');
  });

  it('should add an SSO provider with a write-only secret and offer it on the sign-in screen', async () => {
    await openSettings('sso', 'Single sign-on', 'Single sign-on');
    await page.getByText('No identity provider').waitFor();
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an identity provider' });
    await dialog.getByLabel('Short name').fill('okta');
    await dialog.getByLabel('Issuer URL').fill('https://initech.okta.test');
    await dialog.getByLabel('Client ID').fill('rapport-app');
    await dialog.getByLabel('Client secret').fill('s3cret-value');
    await dialog.getByLabel('Role claim').fill('groups');
    await dialog.getByRole('button', { name: 'Add a mapping' }).click();
    await dialog.getByLabel('Claim value 1').fill('sales');
    await choose('Role for value 1', 'Sales rep');
    await expectAccessible(page, 'sso form');
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const card = page.getByRole('region', { name: 'okta' });
    await card.getByText('Issuer https://initech.okta.test, client rapport-app').waitFor();
    await expect(card.getByText(`${app.url}/api/v1/auth/sso/callback`).isVisible()).resolves.toBe(true);
    const providers = (await call('/sso/providers')).body.data as Record<string, unknown>[];
    expect(providers[0]).toMatchObject({ name: 'okta', hasClientSecret: true, roleClaim: 'groups' });
    expect(JSON.stringify(providers)).not.toContain('s3cret-value');
    await screenshot(page, 'admin-more-07-sso');
    await expectAccessible(page, 'sso');

    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await page.getByRole('button', { name: 'Switch to the light theme' }).waitFor();
    await screenshot(page, 'admin-more-08-sso-dark');
    await expectAccessible(page, 'sso in the dark theme');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();

    await page.getByRole('button', { name: `Account of ${admin.name}` }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expectTitle(page, 'Sign in to Rapport');
    await page.getByRole('link', { name: 'Sign in with okta' }).waitFor();
    // Back where they were after signing in with the provider.
    await expect(page.getByRole('link', { name: 'Sign in with okta' }).getAttribute('href')).resolves.toBe('/api/v1/auth/sso/Initech/okta/start?returnTo=%2Fsettings%2Fsso');
    await screenshot(page, 'admin-more-09-sign-in-sso');
    await expectAccessible(page, 'sign-in with sso');
    expect(pageErrors).toEqual([]);
  });
});
