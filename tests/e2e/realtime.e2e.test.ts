import type { Browser, BrowserContext, Page } from 'playwright-core';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { expectAccessible, expectTitle, SCREENSHOT_DIR, screenshot, json, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const ada = { workspaceName: 'Analytical', name: 'Ada Lovelace', email: 'ada@analytical.test', password: 'difference engine notes on the sketch' };
const bob = { name: 'Bob Babbage', email: 'bob@analytical.test', password: 'calculating engine number two' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

// Two people in two browsers: one changes, the other sees it; a note mentioning someone rings their bell.
describe.skipIf(!hasChromium())('real-time updates, notes with mentions, notifications (Chromium)', { timeout: 150_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let adaContext: BrowserContext;
  let bobContext: BrowserContext;
  let adaPage: Page;
  let bobPage: Page;
  let call: ApiCall;
  let grace: Rec;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    if (existsSync(SCREENSHOT_DIR)) for (const file of readdirSync(SCREENSHOT_DIR, { withFileTypes: true })) if (/^(failed-)?realtime-/.test(file.name)) rmSync(join(SCREENSHOT_DIR, file.name));
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, ada));
    const all = { create: true, read: true, update: true, delete: true, export: false, import: false };
    const lead = await json<{ id: string }>(call('POST', '/roles', { name: 'Team lead', permissions: { '*': all }, recordAccess: 'all' }), 201);
    await json(call('POST', '/users', { email: bob.email, name: bob.name, password: bob.password, roleId: lead.id }), 201);
    grace = await json<Rec>(call('POST', '/records/person', { firstName: 'Grace', lastName: 'Hopper', jobTitle: 'Rear admiral', email: 'grace@example.test' }), 201);
    await json(call('POST', '/records/person', { firstName: 'Alan', lastName: 'Turing', jobTitle: 'Mathematician', email: 'alan@example.test' }), 201);

    adaContext = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    bobContext = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    [adaPage, bobPage] = [await signInPage(adaContext, ada, pageErrors), await signInPage(bobContext, bob, pageErrors)];
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      if (adaPage) await screenshot(adaPage, `failed-realtime-ada-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
      if (bobPage) await screenshot(bobPage, `failed-realtime-bob-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await adaContext?.close();
    await bobContext?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should show a change made by one person in the other\'s table within a second, with a mark on the row', async () => {
    await bobPage.goto('/objects/person');
    await expectTitle(bobPage, 'People');
    const row = bobPage.locator('tr', { hasText: 'Hopper' });
    await row.getByText('Rear admiral').waitFor();
    // Give the stream a moment to be connected before the change.
    await bobPage.waitForTimeout(500);

    // Every change must arrive; on a test machine shared with other suites one of three must take under a second.
    const latencies: number[] = [];
    for (const jobTitle of ['Navy officer', 'Compiler author', 'Computer pioneer']) {
      const changed = await json<Rec>(call('PATCH', `/records/person/${grace.id}`, { jobTitle }));
      const began = Date.now();
      await row.getByText(jobTitle).waitFor({ timeout: 5000 });
      latencies.push(Date.now() - began);
      expect(changed.jobTitle).toBe(jobTitle);
      await expect(row.getAttribute('data-live-changed')).resolves.not.toBeNull();
      if (latencies.at(-1)! < 1000) break;
    }
    expect(Math.min(...latencies), `latencies: ${latencies.join(', ')} ms`).toBeLessThan(1000);
    await screenshot(bobPage, 'realtime-table-changed');
  });

  it('should let Ada write a note mentioning Bob on the record page, and ring Bob\'s bell', async () => {
    const bell = bobPage.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    await expect(bell.getAttribute('aria-label')).resolves.toBe('Notifications, 0 unread');

    await adaPage.goto(`/objects/person/${grace.id}`);
    await expectTitle(adaPage, 'Grace Hopper');
    await adaPage.getByRole('tab', { name: 'Notes' }).click();
    const editor = adaPage.getByRole('textbox', { name: 'New note' });
    await editor.click();
    await adaPage.keyboard.type('Please call her back, @Bo');
    await adaPage.getByRole('option', { name: bob.name }).waitFor();
    await screenshot(adaPage, 'realtime-note-mention-suggestions');
    await adaPage.keyboard.press('Enter');
    await adaPage.keyboard.type('thanks!');
    await adaPage.getByRole('button', { name: 'Add note' }).click();
    const notes = adaPage.getByRole('list', { name: 'Notes' });
    await notes.getByText('Please call her back').waitFor();
    await expect(notes.locator('[data-type="mention"]').first().textContent()).resolves.toBe(`@${bob.name}`);
    await expectAccessible(adaPage, 'record page with notes');
    await screenshot(adaPage, 'realtime-record-notes');

    await bobPage.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 5000 });
    await screenshot(bobPage, 'realtime-bell-unread');
    await bobPage.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    const panel = bobPage.getByRole('dialog', { name: 'Notifications' });
    await panel.getByText(`${ada.name} mentioned you in “Please call her back, @${bob.name} thanks!”`).waitFor();
    await bobPage.waitForTimeout(300);
    await expectAccessible(bobPage, 'notifications');
    await screenshot(bobPage, 'realtime-notifications');
    await panel.getByText(`${ada.name} mentioned you`).click();
    await bobPage.waitForURL(/\/objects\/note\//);
    await bobPage.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor();
  });

  it('should add a task with a due date and a reminder, and complete it', async () => {
    await adaPage.getByRole('tab', { name: 'Tasks' }).click();
    await adaPage.getByText('No tasks yet. Add one above to follow up.').waitFor();
    await adaPage.getByLabel('New task').fill('Send the COBOL draft');
    await adaPage.getByLabel('Due').fill('2030-01-15T10:00');
    await adaPage.getByLabel('Reminder').fill('2030-01-15T09:00');
    await adaPage.getByRole('button', { name: 'Add task' }).click();
    const tasks = adaPage.getByRole('list', { name: 'Tasks' });
    await tasks.getByText('Send the COBOL draft').waitFor();
    await expectAccessible(adaPage, 'record page with tasks');
    await screenshot(adaPage, 'realtime-record-tasks');

    await tasks.getByRole('checkbox', { name: 'Mark “Send the COBOL draft” done' }).click();
    await tasks.getByRole('checkbox', { name: 'Reopen “Send the COBOL draft”' }).waitFor();
    const { data } = await json<{ data: Rec[] }>(call('GET', '/records/task'));
    expect(data.find((task) => task.title === 'Send the COBOL draft')).toMatchObject({ status: 'done', person: grace.id, reminderAt: expect.any(String) });
  });

  it('should look right in the dark theme and raise no page errors', async () => {
    await bobPage.emulateMedia({ colorScheme: 'dark' });
    await bobPage.goto(`/objects/person/${grace.id}`);
    await expectTitle(bobPage, 'Grace Hopper');
    await bobPage.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    await bobPage.getByRole('dialog', { name: 'Notifications' }).waitFor();
    await bobPage.waitForTimeout(300);
    await screenshot(bobPage, 'realtime-dark-notifications');
    await bobPage.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  });
});
