import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Pendant Publishing', name: 'Elaine Benes', email: 'elaine@pendant.test', password: 'get out of the calendar' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

const DAY = 86_400_000;
/** Midnight (UTC, the browser's zone here) of the Sunday that starts this week in American English. */
const weekStart = () => {
  const today = new Date();
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(midnight - today.getUTCDay() * DAY);
};
const at = (day: number, hour: number, minute = 0) => new Date(weekStart().getTime() + day * DAY + (hour * 60 + minute) * 60_000);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

// Meetings as a calendar: a seeded meeting in this week, dragged to another day and saved with its version, a
// conflict reported, a meeting created by selecting a slot, moved and lengthened from the keyboard (week, month,
// agenda), month, agenda and the team planner.
describe.skipIf(!hasChromium())('calendar view of meetings (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let me: string;
  let colleague: { id: string };
  let kickOff: Rec;
  let review: Rec;
  const pageErrors: string[] = [];
  const rangeQueries: unknown[] = [];

  const read = (id: string) => json<Rec>(call('GET', `/records/meeting/${id}`));

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?calendar-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    me = (await json<{ id: string }>(call('GET', '/users/me'))).id;
    const roles = (await json<{ data: { id: string }[] }>(call('GET', '/roles'))).data;
    colleague = await json<{ id: string }>(call('POST', '/users', { email: 'george@pendant.test', name: 'George Costanza', password: 'serenity now, insanity later', roleId: roles[0]!.id }), 201);
    // Monday and Tuesday of this week, 10:00 and 15:00 (UTC, the browser's zone).
    kickOff = await json<Rec>(call('POST', '/records/meeting', { title: 'Kick-off with Acme', start: at(1, 10).toISOString(), end: at(1, 11).toISOString(), owner: me }), 201);
    review = await json<Rec>(call('POST', '/records/meeting', { title: 'Quarterly review', start: at(2, 15).toISOString(), end: at(2, 16, 30).toISOString(), status: 'held', owner: me }), 201);

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/records/meeting/query')) rangeQueries.push(JSON.parse(request.postData() ?? '{}').filter);
    });
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-calendar-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const event = (title: string) => page.locator('.rapport-calendar [data-record-id]').filter({ hasText: title }).first();
  const column = (date: Date) => page.locator(`td.fc-timegrid-col[data-date="${dayOf(date)}"]`);
  const slotLane = (time: string) => page.locator(`td.fc-timegrid-slot-lane[data-time="${time}"]`);
  const mode = (name: string) => page.getByRole('group', { name: 'Calendar mode' }).getByText(name, { exact: true });
  /** Closes the notifications on screen (they would otherwise stay over the calendar for a few seconds). */
  const closeNotifications = async () => {
    for (const button of await page.locator('.mantine-Notification-closeButton').all()) await button.click().catch(() => undefined);
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached' });
  };
  /** Drags with the pointer from the middle of `from` to the same height in `to` (another day's column). */
  const dragToDay = async (from: Locator, to: Locator) => {
    const box = (await from.boundingBox())!;
    const target = (await to.boundingBox())!;
    const y = box.y + Math.min(10, box.height / 2);
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 10, y, { steps: 3 });
    await page.mouse.move(target.x + target.width / 2, y, { steps: 12 });
    await page.mouse.up();
  };

  it('should show this week\'s meetings in the week view, coloured by status and named for screen readers', async () => {
    await page.goto('/objects/meeting');
    await expectTitle(page, 'Meetings');
    await page.getByRole('group', { name: 'View' }).getByText('Calendar', { exact: true }).click();
    await event('Kick-off with Acme').waitFor();
    await event('Quarterly review').waitFor();
    expect(await page.locator('[data-calendar-title]').textContent()).toMatch(/\d{4}/);
    // Named by title, day and time, and status.
    const label = await event('Quarterly review').textContent();
    expect(label).toContain('Quarterly review');
    expect(label).toContain('Held');
    // Only the visible week was asked for, on the start field.
    expect(JSON.stringify(rangeQueries.at(-1))).toContain('"field":"start","op":"lt"');
    // Each event is in its day's column.
    expect(await column(at(1, 0)).locator('[data-record-id]').filter({ hasText: 'Kick-off with Acme' }).count()).toBe(1);
    await expectAccessible(page, 'calendar week');
    await screenshot(page, 'calendar-week');
  });

  it('should reschedule a meeting dragged to another day, saved with its version', async () => {
    await dragToDay(event('Kick-off with Acme'), column(at(3, 0)));
    await page.getByText('“Kick-off with Acme” rescheduled').waitFor();
    const saved = await read(kickOff.id);
    expect(new Date(saved.start as string).toISOString()).toBe(at(3, 10).toISOString());
    expect(new Date(saved.end as string).toISOString()).toBe(at(3, 11).toISOString());
    expect(saved.version).toBeGreaterThan(kickOff.version);
    await column(at(3, 0)).locator('[data-record-id]').filter({ hasText: 'Kick-off with Acme' }).waitFor();
  });

  it('should say so and put the meeting back when someone else changed it meanwhile', async () => {
    // Changed through the API (as if by another tab): the calendar still holds the version it read.
    await json(call('PATCH', `/records/meeting/${review.id}`, { location: 'Room 4' }));
    await dragToDay(event('Quarterly review'), column(at(4, 0)));
    await page.getByText('“Quarterly review” was not changed').waitFor();
    await page.getByText('Someone else changed this record in the meantime').waitFor();
    expect(new Date((await read(review.id)).start as string).toISOString()).toBe(at(2, 15).toISOString());
    await closeNotifications();
    await column(at(2, 0)).locator('[data-record-id]').filter({ hasText: 'Quarterly review' }).waitFor();
  });

  it('should create a meeting for the slot selected, through the create form', async () => {
    await slotLane('14:00:00').scrollIntoViewIfNeeded();
    const day = (await column(at(5, 0)).boundingBox())!;
    const from = (await slotLane('14:00:00').boundingBox())!;
    const to = (await slotLane('14:30:00').boundingBox())!;
    const x = day.x + day.width / 2;
    await page.mouse.move(x, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(x, to.y + to.height / 2, { steps: 6 });
    await page.mouse.up();
    const dialog = page.getByRole('dialog', { name: 'New Meeting' });
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill('Planning session');
    await screenshot(page, 'calendar-create');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await event('Planning session').waitFor();
    const created = (await json<{ data: Rec[] }>(call('POST', '/records/meeting/query', { filter: { field: 'title', op: 'eq', value: 'Planning session' } }))).data[0]!;
    expect(new Date(created.start as string).toISOString()).toBe(at(5, 14).toISOString());
    expect(new Date(created.end as string).toISOString()).toBe(at(5, 15).toISOString());
  });

  it('should open a meeting\'s record from the keyboard', async () => {
    await event('Planning session').focus();
    await page.keyboard.press('Enter');
    await expectTitle(page, 'Planning session');
    await page.goBack();
    await event('Planning session').waitFor();
  });

  it('should reschedule and lengthen a meeting from the keyboard, saved once with its version and announced', async () => {
    const [planning] = (await json<{ data: Rec[] }>(call('POST', '/records/meeting/query', { filter: { field: 'title', op: 'eq', value: 'Planning session' } }))).data;
    await closeNotifications().catch(() => undefined);
    const saves: string[] = [];
    const onRequest = (request: { method(): string; url(): string; headers(): Record<string, string> }) => {
      if (request.method() === 'PATCH' && request.url().endsWith(`/records/meeting/${planning!.id}`)) saves.push(request.headers()['if-match'] ?? '');
    };
    page.on('request', onRequest);
    try {
      // Told how, on the item itself (its description) and under the calendar.
      const help = page.locator('#rapport-calendar-keyboard-help');
      expect(await help.textContent()).toContain('Alt+arrow keys move it');
      expect(await event('Planning session').getAttribute('aria-describedby')).toBe('rapport-calendar-keyboard-help');
      expect(await event('Planning session').getAttribute('aria-keyshortcuts')).toContain('Alt+Shift+ArrowDown');

      // Friday 14:00 → half an hour later twice, then to Saturday: one save once the keys stop.
      await event('Planning session').focus();
      await page.keyboard.press('Alt+ArrowDown');
      await page.keyboard.press('Alt+ArrowDown');
      await page.keyboard.press('Alt+ArrowRight');
      const live = page.locator('[data-calendar-announcement]');
      await expect.poll(() => live.textContent()).toMatch(/^“Planning session”: Saturday, .*3:00\s?[–-]\s?4:00\s?PM\. Saved when you stop/);
      // Drawn in Saturday's column at once, still focused there (not saved yet).
      await column(at(6, 0)).locator('[data-record-id]').filter({ hasText: 'Planning session' }).waitFor();
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('data-record-id') ?? null)).toBe(planning!.id);
      await page.getByText('“Planning session” rescheduled').waitFor();
      const moved = await read(planning!.id);
      expect(new Date(moved.start as string).toISOString()).toBe(at(6, 15).toISOString());
      expect(new Date(moved.end as string).toISOString()).toBe(at(6, 16).toISOString());
      expect(saves).toEqual([`"${planning!.version}"`]);
      // Alt+Left is the browser's Back elsewhere: here it stayed on the calendar.
      expect(page.url()).toContain('/objects/meeting');

      // Half an hour longer, from the item that kept the focus.
      await page.keyboard.press('Alt+Shift+ArrowDown');
      await page.getByText('“Planning session” now ends later or earlier').waitFor();
      const longer = await read(planning!.id);
      expect(new Date(longer.start as string).toISOString()).toBe(at(6, 15).toISOString());
      expect(new Date(longer.end as string).toISOString()).toBe(at(6, 16, 30).toISOString());
      expect(saves).toEqual([`"${planning!.version}"`, `"${moved.version}"`]);
      // And back to an hour; never shorter than a slot. (Closing the notifications with the mouse took the focus.)
      await closeNotifications().catch(() => undefined);
      await event('Planning session').focus();
      await page.keyboard.press('Alt+Shift+ArrowUp');
      await page.getByText('“Planning session” now ends later or earlier').waitFor();
      expect(new Date((await read(planning!.id)).end as string).toISOString()).toBe(at(6, 16).toISOString());
      await page.keyboard.press('Alt+Shift+ArrowUp');
      await page.keyboard.press('Alt+Shift+ArrowUp');
      await page.waitForTimeout(1200);
      expect(new Date((await read(planning!.id)).end as string).toISOString()).toBe(at(6, 15, 30).toISOString());
      await closeNotifications().catch(() => undefined);
      await event('Planning session').focus();
      await page.keyboard.press('Alt+Shift+ArrowDown');
      await page.getByText('“Planning session” now ends later or earlier').waitFor();
      expect(new Date((await read(planning!.id)).end as string).toISOString()).toBe(at(6, 16).toISOString());
      expect(saves).toHaveLength(5);

      // A move taken back with Escape before it is saved: nothing is sent.
      await page.keyboard.press('Alt+ArrowLeft');
      await page.keyboard.press('Escape');
      await expect.poll(() => live.textContent()).toBe('“Planning session” put back.');
      await page.waitForTimeout(1200);
      expect(saves).toHaveLength(5);
      expect(new Date((await read(planning!.id)).start as string).toISOString()).toBe(at(6, 15).toISOString());
      await closeNotifications().catch(() => undefined);
      await screenshot(page, 'calendar-keyboard');
      await expectAccessible(page, 'calendar after keyboard moves');
    } finally {
      page.off('request', onRequest);
    }
  });

  it('should show the month and the agenda, and remember the mode', async () => {
    await mode('Month').click();
    await page.locator('.fc-dayGridMonth-view').waitFor();
    await event('Kick-off with Acme').waitFor();
    await closeNotifications();
    await expectAccessible(page, 'calendar month');
    await screenshot(page, 'calendar-month');
    // In the month, Alt+Right moves a day (Alt+Down would move a week).
    await event('Quarterly review').focus();
    await page.keyboard.press('Alt+ArrowRight');
    await page.getByText('“Quarterly review” rescheduled').waitFor();
    expect(new Date((await read(review.id)).start as string).toISOString()).toBe(at(3, 15).toISOString());
    await closeNotifications();
    await mode('Agenda').click();
    await page.locator('.fc-list').waitFor();
    await page.locator('.fc-list-event').filter({ hasText: 'Quarterly review' }).waitFor();
    // In the agenda, Alt+Up moves a day back: where it was.
    await event('Quarterly review').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await page.getByText('“Quarterly review” rescheduled').waitFor();
    const back = await read(review.id);
    expect([new Date(back.start as string).toISOString(), new Date(back.end as string).toISOString()]).toEqual([at(2, 15).toISOString(), at(2, 16, 30).toISOString()]);
    await closeNotifications();
    // The agenda's rows open their record with Enter, as the other views' items do.
    await event('Quarterly review').focus();
    await page.keyboard.press('Enter');
    await expectTitle(page, 'Quarterly review');
    await page.goBack();
    await page.locator('.fc-list-event').filter({ hasText: 'Quarterly review' }).waitFor();
    await expectAccessible(page, 'calendar agenda');
    await screenshot(page, 'calendar-agenda');
    await page.reload();
    await page.locator('.fc-list').waitFor();
  });

  it('should save the calendar as a view, with its fields and mode', async () => {
    await page.getByRole('button', { name: /All records/ }).click();
    await page.getByRole('menuitem', { name: 'Save as new view…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as a new view' });
    await dialog.getByLabel('Name').fill('Meeting agenda');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const views = (await json<{ data: { name: string }[] }>(call('GET', '/views?object=meeting'))).data;
    expect(views.find((view) => view.name === 'Meeting agenda')).toMatchObject({ type: 'calendar', calendar: { startField: 'start', endField: 'end', colorField: 'status', mode: 'agenda' } });
    await page.locator('.fc-list').waitFor();
  });

  it('should plan by person in the team mode, with booked hours, and delegate a meeting', async () => {
    await mode('Team').click();
    const table = page.getByRole('table', { name: 'Meetings by Organiser' });
    await table.waitFor();
    const myRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Elaine Benes/ }) });
    await myRow.locator('.rapport-team-bar-open', { hasText: 'Kick-off with Acme' }).waitFor();
    // 1 h Kick-off + 1.5 h review + 1 h planning this week.
    await myRow.getByText('Booked: 3.5h').waitFor();
    await closeNotifications();
    await expectAccessible(page, 'calendar team');
    await screenshot(page, 'calendar-team');
    await page.getByRole('button', { name: 'Delegate “Kick-off with Acme” to…' }).click();
    await page.getByRole('menuitem', { name: 'George Costanza' }).click();
    await page.getByText('“Kick-off with Acme” delegated to George Costanza').waitFor();
    expect((await read(kickOff.id)).owner).toBe(colleague.id);
    const georgeRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /George Costanza/ }) });
    await georgeRow.locator('.rapport-team-bar-open', { hasText: 'Kick-off with Acme' }).waitFor();
    // Each person's open tasks beside their hours; a team narrows the rows to its members.
    await json(call('POST', '/records/task', { title: 'Prepare the kick-off', assignee: colleague.id }), 201);
    await json(call('POST', '/teams', { name: 'Pendant', memberIds: [colleague.id] }), 201);
    await page.reload();
    await mode('Team').click();
    await georgeRow.getByText('Open tasks: 1').waitFor();
    await page.getByRole('textbox', { name: 'Team' }).or(page.getByRole('combobox', { name: 'Team' })).click();
    await page.getByRole('option', { name: 'Pendant', exact: true }).click();
    await expect.poll(() => table.getByRole('rowheader').allTextContents()).toEqual([expect.stringContaining('George Costanza')]);
    await page.getByRole('group', { name: 'Planner span' }).getByText('One day', { exact: true }).click();
    await page.getByRole('table', { name: 'Meetings by Organiser' }).getByRole('columnheader', { name: /3\s?PM/i }).waitFor();
    await screenshot(page, 'calendar-team-day');
    expect(pageErrors).toEqual([]);
  });

  it('should colour an open task past its due time as overdue, not a done one', async () => {
    const due = new Date(Date.now() - 60_000).toISOString();
    await json(call('POST', '/records/task', { title: 'Call back Acme', dueAt: due, assignee: me }), 201);
    await json(call('POST', '/records/task', { title: 'Send the contract', dueAt: due, status: 'done', assignee: me }), 201);
    await page.goto('/objects/task');
    await expectTitle(page, 'Tasks');
    await page.getByRole('group', { name: 'View' }).getByText('Calendar', { exact: true }).click();
    await mode('Day').click();
    await event('Call back Acme').waitFor();
    expect(await event('Call back Acme').getAttribute('class')).toContain('rapport-calendar-overdue');
    expect(await event('Call back Acme').textContent()).toContain('Overdue');
    expect(await event('Send the contract').getAttribute('class')).not.toContain('rapport-calendar-overdue');
    await event('Call back Acme').scrollIntoViewIfNeeded();
    await expectAccessible(page, 'calendar tasks');
    await screenshot(page, 'calendar-tasks');
  });

  it('should start the week on Monday in French, and move a deal\'s close date as a whole day', async () => {
    const deal = await json<Rec>(call('POST', '/records/opportunity', { name: 'Vandelay renewal', closeDate: dayOf(at(3, 0)) }), 201);
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('rapport.language', 'fr'));
    try {
      await page.goto('/objects/opportunity');
      await expectTitle(page, 'Opportunités');
      await page.getByRole('group', { name: 'Vue' }).getByText('Calendrier', { exact: true }).click();
      await page.locator('.fc-dayGridMonth-view').waitFor();
      expect(await page.locator('th.fc-col-header-cell').first().textContent()).toBe('lun.');
      await event('Vandelay renewal').waitFor();
      const from = (await event('Vandelay renewal').boundingBox())!;
      const to = (await page.locator(`td.fc-daygrid-day[data-date="${dayOf(at(4, 0))}"]`).boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 3 });
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
      await page.mouse.up();
      await page.getByText('« Vandelay renewal » déplacé').waitFor();
      expect((await json<Rec>(call('GET', `/records/opportunity/${deal.id}`))).closeDate).toBe(dayOf(at(4, 0)));
      await closeNotifications();
      await expectAccessible(page, 'calendar month in French');
      await screenshot(page, 'calendar-month-fr');
    } finally {
      await page.evaluate(() => (globalThis as unknown as { localStorage: { removeItem(key: string): void } }).localStorage.removeItem('rapport.language'));
    }
  });
});
