import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const ada = { workspaceName: 'Switchboard', name: 'Ada Lovelace', email: 'ada@switchboard.test', password: 'difference engine notes on the sketch' };
const SECRET = 'journey-telephony-secret-0123456789';
const ADA_LINE = '+33142685300';

interface Rec {
  id: string;
  [field: string]: unknown;
}

// A call rings for Ada: the card shows who calls, "Log call" opens the in-call panel, the call is saved with a follow-up.
describe.skipIf(!hasChromium())('telephony: screen pop and in-call panel (Chromium)', { timeout: 150_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let grace: Rec;
  let webhookUrl: string;
  const pageErrors: string[] = [];

  const ring = async (callId: string) => {
    const body = JSON.stringify({ callId, type: 'ringing', direction: 'inbound', from: '+1 415 555 2671', to: ADA_LINE, at: new Date().toISOString() });
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
    return json<{ data: { recordId: string }[] }>(fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-rapport-signature': signature }, body }));
  };

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?telephony-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, ada));
    const me = await json<{ id: string }>(call('GET', '/users/me'));
    webhookUrl = (await json<{ webhookUrl: string }>(call('PUT', '/telephony/settings', { provider: 'rapport', secret: SECRET, lines: { [ADA_LINE]: me.id } }))).webhookUrl;
    grace = await json<Rec>(call('POST', '/records/person', { firstName: 'Grace', lastName: 'Hopper', phone: '+1 415 555 2671', email: 'grace@example.test' }), 201);
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await signInPage(context, ada, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-telephony-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should pop the caller on screen and log the call with notes and a follow-up task', async () => {
    // Give the change feed a moment to connect.
    await page.waitForTimeout(500);
    const { data } = await ring('journey-1');
    const callId = data[0]!.recordId;

    const card = page.getByRole('alert', { name: 'Incoming call' });
    await card.getByText('Grace Hopper is calling').waitFor({ timeout: 5000 });
    await expect(card.getByRole('link', { name: 'Open Grace Hopper' }).getAttribute('href')).resolves.toBe(`/objects/person/${grace.id}`);
    await screenshot(page, 'telephony-screen-pop');

    await card.getByRole('button', { name: 'Log call' }).click();
    const panel = page.getByRole('dialog', { name: 'Log a call' });
    await panel.getByLabel('Notes').fill('Wants a quote for 20 seats');
    await panel.getByLabel('Create a follow-up task').check();
    await panel.getByRole('button', { name: 'Save call' }).click();
    await page.getByText('Call saved').waitFor();
    await panel.waitFor({ state: 'hidden' });

    const saved = await json<Rec>(call('GET', `/records/call/${callId}`));
    expect(saved).toMatchObject({ notes: '<p>Wants a quote for 20 seats</p>', outcome: 'connected', person: grace.id, direction: 'inbound', phone: '+14155552671' });
    const tasks = await json<{ data: Rec[] }>(call('POST', '/records/task/query', { filter: { field: 'person', op: 'eq', value: grace.id } }));
    expect(tasks.data.map((task) => task.title)).toEqual(['Follow up on the call with Grace Hopper']);
  });

  it('should dial a person\'s number with a tel: link and log a call from beside it', async () => {
    await page.goto(`/objects/person/${grace.id}`);
    const number = page.getByRole('link', { name: '+1 415 555 2671' }).first();
    await expect(number.getAttribute('href')).resolves.toBe('tel:+14155552671');

    await page.getByRole('button', { name: 'Log a call' }).first().click();
    const panel = page.getByRole('dialog', { name: 'Log a call' });
    // The number's person is found and linked.
    await expect.poll(() => panel.getByLabel('Person', { exact: true }).inputValue(), { timeout: 5000 }).toBe('Linked to Grace Hopper');
    await panel.getByRole('button', { name: 'Save call' }).click();
    await page.getByText('Call saved').first().waitFor();

    const calls = await json<{ data: Rec[] }>(call('POST', '/records/call/query', { filter: { field: 'direction', op: 'eq', value: 'outbound' } }));
    expect(calls.data).toEqual([expect.objectContaining({ phone: '+14155552671', person: grace.id })]);
    expect(pageErrors).toEqual([]);
  });
});
