import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeTwilioSignature } from '../../packages/server/src/modules/activities/telephony/twilio-signature.ts';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, colorScheme, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const ada = { workspaceName: 'Analytical Engines', name: 'Ada Lovelace', email: 'ada@engines.test', password: 'difference engine notes on the sketch' };
const AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';

interface Rec {
  id: string;
  [field: string]: unknown;
}

interface Settings {
  provider: string | null;
  hasSecret: boolean;
  secretHint: string | null;
  webhookUrl: string | null;
  lines: Record<string, string>;
  defaultCountry: string | null;
}

// An administrator sets up Twilio from Settings › Telephony; a signed Twilio callback to the URL the screen shows makes a call of the line's user.
describe.skipIf(!hasChromium())('telephony settings (Chromium)', { timeout: 180_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let adaId: string;
  let charlesId: string;
  const pageErrors: string[] = [];

  /** Twilio's status callback, form-encoded and signed with the auth token over the URL it calls. */
  const twilioCallback = async (url: string, fields: Record<string, string>) => {
    const params = new URLSearchParams(fields);
    const signature = computeTwilioSignature({ authToken: AUTH_TOKEN, url, params: [...params.entries()] });
    return json<{ data: { callId: string; recordId: string; action: string }[] }>(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: params.toString() }),
    );
  };

  /** Picks `option` in the Mantine select labelled `label`, typing `search` first. */
  const choose = async (label: string, option: string, search?: string) => {
    const input = page.getByRole('combobox', { name: label, exact: true });
    await input.click();
    if (search) await input.fill(search);
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?settings-telephony-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, ada));
    adaId = (await json<{ id: string }>(call('GET', '/users/me'))).id;
    const roles = (await json<{ data: { id: string }[] }>(call('GET', '/roles'))).data;
    charlesId = (await json<{ id: string }>(call('POST', '/users', { email: 'charles@engines.test', name: 'Charles Babbage', password: 'the analytical engine weaves', roleId: roles[0]!.id }), 201)).id;
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 1000 }, colorScheme: 'light', permissions: ['clipboard-read', 'clipboard-write'] });
    page = await signInPage(context, ada, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-settings-telephony-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should set up Twilio with its auth token and two lines, showing the secret only by its last characters', async () => {
    await page.goto('/settings/telephony');
    await expectTitle(page, 'Telephony');
    const nav = page.getByRole('navigation', { name: 'Settings' });
    await expect(nav.getByRole('group', { name: 'Integrations' }).getByRole('link', { name: 'Telephony' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByText('Telephony is not set up yet.').waitFor();
    await page.getByText('The first save makes the webhook URL').waitFor();
    await screenshot(page, 'settings-telephony-01-new');
    await expectAccessible(page, 'telephony settings, not set up');

    await page.getByRole('radio', { name: 'Twilio (Voice status callbacks)' }).check();
    // The form's own checks: a token too short, a line without its user.
    await page.getByRole('textbox', { name: /^Auth token/ }).fill('too-short');
    await page.getByLabel('Number or extension, line 1').fill('01 42 68 53 00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('At least 16 characters.').waitFor();
    await page.getByText('Choose who answers this line.').waitFor();
    await page.getByRole('alert').filter({ hasText: 'The settings were not saved' }).waitFor();

    await page.getByRole('textbox', { name: /^Auth token/ }).fill(AUTH_TOKEN);
    await choose('Default country', 'France (FR)', 'Fran');
    // National numbers read in the default country, as the server stores them.
    await page.getByText('Saved as +33142685300').waitFor();
    await choose('User, line 1', 'Ada Lovelace');
    await expect(page.getByText('Choose who answers this line.').count()).resolves.toBe(0);
    await expect(page.getByText('At least 16 characters.').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page.getByLabel('Number or extension, line 2').fill('201');
    await page.getByText('An extension', { exact: true }).waitFor();
    await choose('User, line 2', 'Charles Babbage');
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page.getByRole('button', { name: 'Remove line 3' }).click();
    await screenshot(page, 'settings-telephony-02-filled');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Telephony settings saved').waitFor();

    const settings = await json<Settings>(call('GET', '/telephony/settings'));
    expect(settings).toMatchObject({ provider: 'twilio', hasSecret: true, secretHint: `…${AUTH_TOKEN.slice(-4)}`, lines: { '+33142685300': adaId, '201': charlesId }, defaultCountry: 'FR' });
    expect(JSON.stringify(settings)).not.toContain(AUTH_TOKEN);

    // The form starts again from what is stored: the token as its hint, the numbers in E.164, Twilio's instructions.
    await page.getByText(`A secret is stored, ending in …${AUTH_TOKEN.slice(-4)}.`).waitFor();
    await expect(page.getByRole('textbox', { name: /^New auth token/ }).inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Number or extension, line 1').inputValue()).resolves.toBe('+33142685300');
    await expect(page.getByLabel('Number or extension, line 2').inputValue()).resolves.toBe('201');
    await page.getByText("paste it in the number's Voice status callback URL").waitFor();
    await expect(page.locator('#telephony-webhook-url').textContent()).resolves.toBe(settings.webhookUrl);
    await screenshot(page, 'settings-telephony-03-saved');
    await expectAccessible(page, 'telephony settings, saved');
  });

  it('should turn a signed Twilio callback to the URL copied from the screen into a call of the line\'s user', async () => {
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const webhookUrl = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText: () => Promise<string> } } }).navigator.clipboard.readText());
    expect(webhookUrl).toMatch(new RegExp(`^${app.url}/api/v1/telephony/events\\?token=`));

    // Inbound to Ada's number, written nationally by nobody: Twilio sends E.164.
    const inbound = await twilioCallback(webhookUrl, { CallSid: 'CA-journey-1', CallStatus: 'ringing', Direction: 'inbound', From: '+14155552671', To: '+33142685300' });
    expect(inbound.data).toEqual([expect.objectContaining({ callId: 'CA-journey-1', action: 'created' })]);
    await expect(json<Rec>(call('GET', `/records/call/${inbound.data[0]!.recordId}`))).resolves.toMatchObject({ owner: adaId, direction: 'inbound', phone: '+14155552671', externalId: 'CA-journey-1' });

    // Placed from Charles's extension.
    const outbound = await twilioCallback(webhookUrl, { CallSid: 'CA-journey-2', CallStatus: 'completed', CallDuration: '42', Direction: 'outbound-api', From: '201', To: '+33612345678' });
    await expect(json<Rec>(call('GET', `/records/call/${outbound.data[0]!.recordId}`))).resolves.toMatchObject({ owner: charlesId, direction: 'outbound', durationSeconds: 42, outcome: 'connected' });

    // A callback signed with another token writes nothing.
    const params = new URLSearchParams({ CallSid: 'CA-journey-3', CallStatus: 'ringing', Direction: 'inbound', From: '+14155552671', To: '+33142685300' });
    const forged = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature({ authToken: 'another-token-0123456789', url: webhookUrl, params: [...params.entries()] }) }, body: params.toString() });
    expect(forged.status).toBe(401);
  });

  it('should send a test event from the screen and say what the call would be, keeping nothing', async () => {
    await json(call('POST', '/records/person', { firstName: 'Mary', lastName: 'Somerville', phone: '+44 20 7946 0018' }), 201);
    const callsBefore = (await json<{ data: Rec[] }>(call('GET', '/records/call?limit=100'))).data.length;
    // The real call of the previous step still rings in the corner: put it away (the test's own never pops).
    await page.getByRole('alert', { name: 'Incoming call' }).getByRole('button', { name: 'Dismiss' }).click();
    const panel = page.getByRole('region', { name: 'Test the set-up' });
    await panel.scrollIntoViewIfNeeded();
    await panel.getByRole('textbox', { name: /^Caller’s number/ }).fill('+44 20 7946 0018');
    await choose('Line called', '201 — Charles Babbage');
    await panel.getByRole('button', { name: 'Send a test event' }).click();

    const result = panel.getByTestId('telephony-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-result')).toBe('ok');
    await result.getByText('The webhook would log this call').waitFor();
    await result.getByText('Linked to Mary Somerville.').waitFor();
    await result.getByText('Owner: Charles Babbage, whose screen would pop while it rings.').waitFor();
    await result.getByText('Nothing was saved').waitFor();
    // Rolled back on the server: no call was logged.
    expect((await json<{ data: Rec[] }>(call('GET', '/records/call?limit=100'))).data.length).toBe(callsBefore);
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-telephony-07-test-event');
    await expectAccessible(page, 'telephony settings, a test event sent');

    // A caller that is no phone number: the server's field error beside the input.
    await panel.getByRole('textbox', { name: /^Caller’s number/ }).fill('not a number');
    await panel.getByRole('button', { name: 'Send a test event' }).click();
    await panel.getByText('Expected a phone number').waitFor();
    expect(await panel.getByRole('textbox', { name: /^Caller’s number/ }).getAttribute('aria-invalid')).toBe('true');
    // Nobody has this one, on the default line (the admin's own): a note says so.
    await choose('Line called', 'Your line, else the first');
    await panel.getByRole('textbox', { name: /^Caller’s number/ }).fill('+1 202 555 0177');
    await panel.getByRole('button', { name: 'Send a test event' }).click();
    await result.getByText('Nobody has the number +12025550177', { exact: false }).waitFor();
    await result.getByText('Owner: Ada Lovelace, whose screen would pop while it rings.').waitFor();
  });

  it('should show the server\'s error on the row of a user removed while the screen was open', async () => {
    const roles = (await json<{ data: { id: string }[] }>(call('GET', '/roles'))).data;
    const grace = await json<{ id: string }>(call('POST', '/users', { email: 'grace@engines.test', name: 'Grace Hopper', password: 'a ship in port is safe', roleId: roles[0]!.id }), 201);
    await page.reload();
    await expectTitle(page, 'Telephony');
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page.getByLabel('Number or extension, line 3').fill(' 202 ');
    await choose('User, line 3', 'Grace Hopper');
    const removed = await call('DELETE', `/users/${grace.id}`);
    expect(removed.status).toBe(204);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('This user is no longer a member of the workspace: choose another.').waitFor();
    await page.getByRole('alert').filter({ hasText: 'The settings were not saved' }).waitFor();
    await screenshot(page, 'settings-telephony-04-server-error');
    await expectAccessible(page, 'telephony settings, a line refused');

    await page.getByRole('button', { name: 'Remove line 3' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Telephony settings saved').waitFor();
    await expect(json<Settings>(call('GET', '/telephony/settings'))).resolves.toMatchObject({ lines: { '+33142685300': adaId, '201': charlesId } });

    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await screenshot(page, 'settings-telephony-05-dark');
    await expectAccessible(page, 'telephony settings, dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();

    // At phone width the lines table still fits, without a horizontal scroll of the page.
    await page.setViewportSize({ width: 390, height: 844 });
    // The app's navigation slides away as the layout turns narrow.
    await page.waitForTimeout(500);
    await page.getByRole('heading', { name: 'Lines' }).evaluate((heading) => {
      const view = globalThis as unknown as { scrollY: number; scrollTo: (options: object) => void };
      view.scrollTo({ top: (heading as unknown as { getBoundingClientRect: () => { top: number } }).getBoundingClientRect().top + view.scrollY - 80, behavior: 'instant' });
    });
    await page.waitForTimeout(200);
    await screenshot(page, 'settings-telephony-06-phone');
    await expectAccessible(page, 'telephony settings at phone width');
    await expect(page.evaluate(() => { const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return root.scrollWidth <= root.clientWidth; })).resolves.toBe(true);
    await page.setViewportSize({ width: 1366, height: 1000 });
    expect(pageErrors).toEqual([]);
  });
});
