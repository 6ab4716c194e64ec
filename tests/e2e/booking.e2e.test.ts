import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Pendant Publishing', name: 'Jacopo Peterman', email: 'jacopo@pendant.test', password: 'urban sombrero expedition' };
const SLUG = 'meet-pendant';
// Every day 08:00–18:00 UTC: whatever the hour of the run, the coming days have free times.
const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['08:00', '18:00']]]));

interface Slot {
  start: string;
  end: string;
}

// A visitor without an account books a meeting on a public page in their own time zone, gets a clear message and fresh
// times when someone else took the slot first, and cancels through the manage link. Axe on each screen.
describe.skipIf(!hasChromium())('booking pages: a visitor books a meeting (Chromium)', { timeout: 180_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let me: string;
  let bookingPageId: string;
  const pageErrors: string[] = [];

  const freeSlots = async () => {
    const today = new Date().toISOString().slice(0, 10);
    const to = new Date(Date.now() + 13 * 86_400_000).toISOString().slice(0, 10);
    const response = await fetch(`${app.url}/api/v1/public/booking/${SLUG}/slots?from=${today}&to=${to}&tz=Europe/Paris`);
    return ((await response.json()) as { slots: Slot[] }).slots;
  };
  const meetingsAt = async (start: string) =>
    (await json<{ data: { id: string; owner: string; status: string; title: string }[] }>(call('GET', `/records/meeting?filter=${encodeURIComponent(JSON.stringify({ field: 'start', op: 'eq', value: start }))}`))).data;
  const timesGroup = () => page.getByRole('group', { name: /^Free times on / });

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?booking-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    me = (await json<{ id: string }>(call('GET', '/users/me'))).id;
    ({ id: bookingPageId } = await json<{ id: string }>(call('POST', '/records/bookingPage', { name: 'Meet Pendant', slug: SLUG, description: 'Thirty minutes about your manuscript.', timezone: 'UTC', availability: ALL_WEEK, minimumNoticeMinutes: 0, durationOptions: [60], owner: me }), 201));
    // The visitor is in Paris: the times read an hour (or two) later than the page's UTC hours.
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-booking-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should let a visitor pick a time in their time zone and book it without signing in', async () => {
    const [first] = await freeSlots();
    await page.goto(`/book/${SLUG}`);
    await expectTitle(page, 'Meet Pendant');
    await expect.poll(() => page.getByText('Thirty minutes about your manuscript.').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Times are shown in your time zone (Europe/Paris).').isVisible()).toBe(true);
    await page.getByRole('radio', { name: '30 min' }).waitFor({ state: 'attached' });
    await timesGroup().waitFor();
    await expectAccessible(page, 'booking page');
    await screenshot(page, 'booking-page');

    // The first time of the first day is the earliest free slot, shown in Paris time.
    const firstTime = timesGroup().getByRole('button').first();
    const parisTime = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', hour: 'numeric', minute: '2-digit' }).format(new Date(first!.start));
    expect((await firstTime.textContent())?.trim()).toBe(parisTime);
    await firstTime.click();

    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Your email').fill('ada@visitor.test');
    await page.getByLabel('Anything we should prepare? (optional)').fill('The analytical engine chapter.');
    await expectAccessible(page, 'booking form');
    await page.getByRole('button', { name: 'Confirm the booking' }).click();
    await page.getByText('You are booked').waitFor();
    await screenshot(page, 'booking-confirmed');

    const [meeting] = await meetingsAt(first!.start);
    expect(meeting).toMatchObject({ owner: me, status: 'planned', title: 'Meet Pendant: Ada Lovelace' });
    expect((await freeSlots())[0]!.start).not.toBe(first!.start);
    expect(pageErrors).toEqual([]);
  });

  it('should say so and show fresh times when someone else books the slot first', async () => {
    await page.goto(`/book/${SLUG}`);
    await timesGroup().waitFor();
    const [next] = await freeSlots();
    await timesGroup().getByRole('button').first().click();
    await page.getByLabel('Your name').fill('Charles Babbage');
    await page.getByLabel('Your email').fill('charles@visitor.test');
    // Meanwhile another visitor takes the same time.
    await json(fetch(`${app.url}/api/v1/public/booking/${SLUG}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ start: next!.start, name: 'Quick Visitor', email: 'quick@visitor.test', tz: 'UTC' }) }), 201);
    await page.getByRole('button', { name: 'Confirm the booking' }).click();

    await page.getByRole('alert').filter({ hasText: 'Someone just booked that time. Here are the times that are still free.' }).waitFor();
    await timesGroup().waitFor();
    const parisTime = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', hour: 'numeric', minute: '2-digit' }).format(new Date(next!.start));
    await expect.poll(async () => (await timesGroup().getByRole('button').first().textContent())?.trim()).not.toBe(parisTime);
    await expectAccessible(page, 'booking page after a taken slot');
    expect((await meetingsAt(next!.start)).map((meeting) => meeting.title)).toEqual(['Meet Pendant: Quick Visitor']);
  });

  it('should cancel the meeting from the manage link', async () => {
    const [slot] = await freeSlots();
    const booked = await json<{ manageUrl: string }>(
      fetch(`${app.url}/api/v1/public/booking/${SLUG}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ start: slot!.start, name: 'Mary Somerville', email: 'mary@visitor.test', tz: 'Europe/Paris' }) }),
      201,
    );
    await page.goto(new URL(booked.manageUrl).pathname);
    await expectTitle(page, 'Meet Pendant');
    await page.getByRole('heading', { name: 'Your meeting' }).waitFor();
    await expectAccessible(page, 'manage booking');
    await page.getByRole('button', { name: 'Cancel the meeting' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your meeting is cancelled.' }).waitFor();
    await page.getByRole('heading', { name: 'This meeting is cancelled' }).waitFor();
    expect((await meetingsAt(slot!.start))[0]).toMatchObject({ status: 'cancelled' });
    expect(pageErrors).toEqual([]);
  });

  it('should offer the page\'s public link on its record in the app', async () => {
    const adminContext = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    try {
      const adminPage = await signInPage(adminContext, admin, pageErrors);
      await adminPage.goto(`/objects/bookingPage/${bookingPageId}`);
      await expectTitle(adminPage, 'Meet Pendant');
      const open = adminPage.getByRole('link', { name: 'Open the public page' });
      expect(await open.getAttribute('href')).toBe(`${app.url}/book/${SLUG}`);
      await adminPage.getByRole('button', { name: 'Copy the public link' }).waitFor();
    } finally {
      await adminContext.close();
    }
  });
});
