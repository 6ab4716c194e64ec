import { existsSync, readdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, colorScheme, expectAccessible, expectTitle, screenshot, signInPage, signUpAdmin } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium()) {
  if (isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);
  console.warn(`Browser journeys skipped: ${CHROMIUM_PATH} not found.`);
}

const admin = { workspaceName: 'Initech', name: 'Bill Lumbergh', email: 'bill@initech.test', password: 'yeah if you could just back that up' };

// Settings › Backups: the schedule, the overdue notice, "Back up now" with its progress, the verified result.
describe.skipIf(!hasChromium())('backups (Chromium)', { timeout: 300_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    clearScreenshots(/^(failed-)?backups-/);
    ensureWebBuild();
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    await signUpAdmin(app, admin);
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors, { timeout: 45_000 });
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-backups-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should schedule backups and warn on the settings screens while none is verified', async () => {
    await page.goto('/settings/users');
    await expectTitle(page, 'Users');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Backups' }).click();
    await expectTitle(page, 'Backups');
    await page.getByText('No verified backup yet.').waitFor();
    await page.getByText('No backups yet').waitFor();
    await expect(page.getByText('Scheduled backups are off.').isVisible()).resolves.toBe(true);
    await screenshot(page, 'backups-01-empty');
    await expectAccessible(page, 'backups, none yet');

    await page.getByLabel('Back up automatically').check({ force: true });
    const cron = page.getByRole('textbox', { name: 'When (cron)' });
    await cron.fill('every day');
    await page.getByRole('button', { name: 'Save' }).click();
    // The server's message, under the field.
    await page.getByText(/Invalid cron expression/).waitFor();
    await cron.fill('15 2 * * *');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Backup schedule saved').waitFor();
    await page.getByText(/^Next backup: /).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Backups are overdue' }).or(page.getByText('Backups are overdue')).first().waitFor();

    // The other settings screens say so too, with a way here.
    await page.goto('/settings/roles');
    await expectTitle(page, 'Roles');
    await page.getByText('Scheduled backups are on but no backup has been verified yet.').waitFor();
    await screenshot(page, 'backups-02-overdue-notice');
    await expectAccessible(page, 'overdue notice');
    await page.getByRole('link', { name: 'Open backups' }).click();
    await expectTitle(page, 'Backups');
  });

  it('should back up now, show the progress, then the verified backup', async () => {
    const button = page.getByRole('button', { name: 'Back up now' });
    await button.click();
    // Progress while the worker writes and verifies it (the button waits meanwhile).
    await page.getByRole('status').filter({ hasText: /Waiting for the background worker|Backing up and verifying/ }).first().waitFor({ timeout: 30_000 });
    await expect(button.isDisabled()).resolves.toBe(true);
    await page.getByText(/^Verified backup of /).waitFor({ timeout: 180_000 });
    await expect(button.isEnabled()).resolves.toBe(true);
    const row = page.getByRole('table').getByRole('row').nth(1);
    await expect(row.textContent()).resolves.toMatch(/An administrator.*Verified.*(KB|MB)/);
    expect(await page.getByText('Backups are overdue').count()).toBe(0);
    const folder = (app.server.app as unknown as { services: { backupDir: string } }).services.backupDir;
    expect(existsSync(folder) && readdirSync(folder).some((name) => name.endsWith('.rbk'))).toBe(true);
    await screenshot(page, 'backups-03-verified');
    await expectAccessible(page, 'backups, verified');

    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await screenshot(page, 'backups-04-verified-dark');
    await expectAccessible(page, 'backups, dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();

    // The notice is gone from the other screens.
    await page.goto('/settings/roles');
    await expectTitle(page, 'Roles');
    expect(await page.getByText('Backups are overdue').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
