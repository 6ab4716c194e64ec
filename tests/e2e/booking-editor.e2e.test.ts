import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Larkspur Studio', name: 'Odile Marchetti', email: 'odile@larkspur.test', password: 'copper lantern orchard' };
// With a password the colleague is active at once: a page books only active members.
const colleague = { name: 'Ines Okafor', email: 'ines@larkspur.test', password: 'velvet harbour signal' };
const SLUG = 'discovery-call';
const SPLIT_DAY = [['09:00', '12:00'], ['14:00', '17:00']];

interface BookingPageRecord {
  id: string;
  version: number;
  slug: string;
  timezone: string;
  durationMinutes: number;
  durationOptions: number[] | null;
  availability: Record<string, string[][]>;
  members: string[] | null;
  assignment: string;
  minimumNoticeMinutes: number;
  isActive: boolean;
}

// Screenshots are named editor-booking-* (booking.e2e.test.ts clears booking-*, and the two run together).
// An administrator sets up a booking page without typing any JSON: a weekly grid of working hours, a time zone by name,
// lengths and members picked from lists; the record holds exactly what was chosen, an edit changes only what was
// changed (and shows the server's refusal next to the address), and the public page offers times. Axe on the editor.
describe.skipIf(!hasChromium())('booking pages: the booking page editor (Chromium)', { timeout: 240_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let colleagueId: string;
  let pageId: string;
  const pageErrors: string[] = [];

  const stored = () => json<BookingPageRecord>(call('GET', `/records/bookingPage/${pageId}`));

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?editor-booking-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    const roles = (await json<{ data: { id: string; name: string }[] }>(call('GET', '/roles'))).data;
    ({ id: colleagueId } = await json<{ id: string }>(call('POST', '/users', { ...colleague, roleId: roles.find((role) => role.name === 'Sales rep')!.id }), 201));
    // Another page of the workspace already has the address the edit will try.
    await json(call('POST', '/records/bookingPage', { name: 'Support hour', slug: 'support-hour', timezone: 'UTC' }), 201);
    // The browser is in New York: a new page starts in that zone until the admin picks Paris.
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', timezoneId: 'America/New_York', viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-editor-booking-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should create a booking page with the editor, from the object\'s New button', async () => {
    await page.goto('/objects/bookingPage');
    await page.getByRole('link', { name: /^New booking page$/i }).first().click();
    await expectTitle(page, /booking page/i);
    const form = page.getByRole('form');
    // No raw JSON field anywhere: the editor, not the generic form.
    await page.getByRole('group', { name: 'Working hours' }).waitFor();

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Discovery call');
    // The address follows the name, with the public link previewed.
    expect(await page.getByRole('textbox', { name: 'Address', exact: true }).inputValue()).toBe(SLUG);
    expect(await page.locator('[data-slug-preview]').textContent()).toBe(`${app.url}/book/${SLUG}`);
    await page.getByRole('textbox', { name: 'Description', exact: true }).fill('Forty-five minutes to see whether we fit.');

    await page.getByRole('textbox', { name: 'Meeting length (minutes)', exact: true }).fill('45');
    await page.getByRole('combobox', { name: 'Other lengths visitors may choose' }).click();
    await page.getByRole('option', { name: '30 min', exact: true }).click();
    await page.keyboard.press('Escape');

    const zone = page.getByRole('combobox', { name: 'Time zone' });
    expect(await zone.inputValue()).toBe('America/New_York');
    await zone.click();
    await zone.fill('Europe/Par');
    await page.getByRole('option', { name: 'Europe/Paris', exact: true }).click();
    expect(await zone.inputValue()).toBe('Europe/Paris');

    // Monday: 09:00–12:00 and 14:00–17:00, copied to the weekdays; Friday off.
    await page.getByLabel('Monday, hours 1: to').fill('12:00');
    await page.getByRole('button', { name: 'Add hours on Monday' }).click();
    await page.getByLabel('Monday, hours 2: from').fill('14:00');
    await page.getByLabel('Monday, hours 2: to').fill('17:00');
    await page.getByRole('button', { name: 'Copy Monday to weekdays' }).click();
    expect(await page.getByLabel('Thursday, hours 2: from').inputValue()).toBe('14:00');
    await page.getByRole('switch', { name: 'Friday', exact: true }).click({ force: true });
    expect(await page.getByRole('switch', { name: 'Friday', exact: true }).isChecked()).toBe(false);

    // A range that ends before it starts is caught at once.
    await page.getByLabel('Wednesday, hours 1: to').fill('08:00');
    await page.getByText('The end must come after the start.').waitFor();
    await page.getByLabel('Wednesday, hours 1: to').fill('12:00');
    await expect.poll(() => page.getByText('The end must come after the start.').count()).toBe(0);

    await page.getByRole('combobox', { name: 'Members' }).click();
    await page.getByRole('option', { name: colleague.name }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('radio', { name: 'First available' }).check();

    await expectAccessible(page, 'booking page editor');
    await screenshot(page, 'editor-booking-new');
    await form.getByRole('button', { name: 'Create' }).click();

    await expectTitle(page, 'Discovery call');
    pageId = new URL(page.url()).pathname.split('/').at(-1)!;
    // The record page reads the working hours, lengths and members back as sentences, not JSON.
    const hours = page.getByRole('region', { name: 'Working hours' });
    await hours.getByText('Monday – Thursday').waitFor();
    await hours.getByText('9:00 AM–12:00 PM, 2:00 PM–5:00 PM').waitFor();
    await hours.getByText('Times in Europe/Paris.').waitFor();
    await hours.getByText('45 min, 30 min').waitFor();
    await hours.getByText(colleague.name).waitFor();
    expect(await page.getByRole('region', { name: 'Details' }).textContent()).not.toMatch(/\[|\{/);
    await page.getByRole('link', { name: 'Open the public page' }).waitFor();
    await screenshot(page, 'editor-booking-record');

    const record = await stored();
    expect(record).toMatchObject({ slug: SLUG, timezone: 'Europe/Paris', durationMinutes: 45, durationOptions: [30], members: [colleagueId], assignment: 'firstAvailable', isActive: true, minimumNoticeMinutes: 240 });
    expect(record.availability).toEqual({ mon: SPLIT_DAY, tue: SPLIT_DAY, wed: SPLIT_DAY, thu: SPLIT_DAY, fri: [], sat: [], sun: [] });
    expect(pageErrors).toEqual([]);
  });

  it('should edit the page, show the server\'s refusal next to the address and save only what changed', async () => {
    const before = await stored();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('group', { name: 'Working hours' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('Europe/Paris');
    expect(await page.getByLabel('Tuesday, hours 2: to').inputValue()).toBe('17:00');
    expect(await page.getByRole('switch', { name: 'Friday', exact: true }).isChecked()).toBe(false);

    // Friday mornings too, and bookable from now on.
    await page.getByRole('switch', { name: 'Friday', exact: true }).click({ force: true });
    await page.getByLabel('Friday, hours 1: from').fill('10:00');
    await page.getByLabel('Friday, hours 1: to').fill('12:00');
    await page.getByRole('textbox', { name: 'Minimum notice (minutes)', exact: true }).fill('0');

    // The address of another page is refused by the server: the message is next to the field.
    const address = page.getByRole('textbox', { name: 'Address', exact: true });
    await address.fill('support-hour');
    expect(await page.locator('[data-slug-preview]').textContent()).toBe(`${app.url}/book/support-hour`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => address.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await address.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toMatch(/taken|already|unique/i);
    await expectAccessible(page, 'booking page editor with an error');
    await screenshot(page, 'editor-booking-slug-error');
    expect((await stored()).version).toBe(before.version);

    await address.fill(SLUG);
    await page.getByRole('button', { name: 'Save' }).click();
    await expectTitle(page, 'Discovery call');
    const hours = page.getByRole('region', { name: 'Working hours' });
    await hours.getByText('Friday').waitFor();
    await hours.getByText('10:00 AM–12:00 PM').waitFor();

    const after = await stored();
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.availability).toEqual({ ...before.availability, fri: [['10:00', '12:00']] });
    expect(after).toMatchObject({ slug: SLUG, minimumNoticeMinutes: 0, timezone: 'Europe/Paris', durationMinutes: 45, members: [colleagueId] });
    expect(pageErrors).toEqual([]);
  });

  it('should open the public page with the chosen lengths and free times', async () => {
    const visitor = await browser.newContext({ baseURL: app.url, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    try {
      const publicPage = await visitor.newPage();
      publicPage.setDefaultTimeout(20_000);
      publicPage.on('pageerror', (error) => pageErrors.push(error.message));
      await publicPage.goto(`/book/${SLUG}`);
      await expectTitle(publicPage, 'Discovery call');
      await publicPage.getByText('Forty-five minutes to see whether we fit.').waitFor();
      await publicPage.getByRole('radio', { name: '45 min' }).waitFor({ state: 'attached' });
      await publicPage.getByRole('radio', { name: '30 min' }).waitFor({ state: 'attached' });
      const times = publicPage.getByRole('group', { name: /^Free times on / });
      await times.waitFor().catch(async (error: unknown) => {
        await screenshot(publicPage, 'failed-editor-booking-public');
        throw error;
      });
      expect(await times.getByRole('button').count()).toBeGreaterThan(0);
      await screenshot(publicPage, 'editor-booking-public');
      // The times offered lie in the page's Paris hours.
      const today = new Date().toISOString().slice(0, 10);
      const to = new Date(Date.now() + 13 * 86_400_000).toISOString().slice(0, 10);
      const { slots } = await json<{ slots: { start: string }[] }>(fetch(`${app.url}/api/v1/public/booking/${SLUG}/slots?from=${today}&to=${to}&tz=Europe/Paris`));
      const parisHours = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      for (const slot of slots) {
        const parts = Object.fromEntries(parisHours.formatToParts(new Date(slot.start)).map((part) => [part.type, part.value]));
        const time = `${parts.hour}:${parts.minute}`;
        expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(parts.weekday);
        expect(parts.weekday === 'Fri' ? time >= '10:00' && time < '12:00' : (time >= '09:00' && time < '12:00') || (time >= '14:00' && time < '17:00')).toBe(true);
      }
    } finally {
      await visitor.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
