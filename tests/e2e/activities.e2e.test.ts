import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Field Sales', name: 'Grace Hopper', email: 'grace@fieldsales.test', password: 'compilers all the way down' };
type Body = Record<string, any>;
const HOUR = 3_600_000;

// A rep's day with a customer: plan a meeting, log a call, discuss, follow, then work through "My activities".
describe.skipIf(!hasChromium())('activities and collaboration (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let me: Body;
  let person: Body;
  const pageErrors: string[] = [];
  const listOf = async (object: string, filter: Body) => (await json<{ data: Body[] }>(call('POST', `/records/${object}/query`, { filter, limit: 50 }))).data;

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?activities-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    me = await json<Body>(call('GET', '/users/me'));
    me = (me.user as Body | undefined) ?? me;
    person = await json<Body>(call('POST', '/records/person', { firstName: 'Ada', lastName: 'Byron', email: 'ada@analytical.test' }), 201);
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-activities-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const activities = () => page.getByRole('region', { name: 'Activities' });

  it('should plan a meeting with the person from their page, and log a call', async () => {
    await page.goto(`/objects/person/${person.id}`);
    await expectTitle(page, 'Ada Byron');
    await activities().getByRole('tab', { name: 'Meetings', exact: true }).click();
    await activities().getByLabel('New meeting').fill('Engine demo');
    await activities().getByLabel('Location').fill('Difference Lane 1');
    await activities().getByRole('button', { name: 'Plan meeting' }).click();
    await activities().getByRole('list', { name: 'Upcoming meetings' }).getByRole('link', { name: 'Engine demo' }).waitFor();
    const [meeting] = await listOf('meeting', { field: 'person', op: 'eq', value: person.id });
    expect(meeting).toMatchObject({ title: 'Engine demo', attendees: [person.id], owner: me.id, location: 'Difference Lane 1' });
    expect(Date.parse(meeting!.end) - Date.parse(meeting!.start)).toBe(HOUR);

    await activities().getByRole('tab', { name: 'Calls', exact: true }).click();
    await activities().getByRole('combobox', { name: 'Outcome', exact: true }).click();
    await page.getByRole('option', { name: 'No answer', exact: true }).click();
    await activities().getByLabel('Duration (minutes)').fill('2');
    await activities().getByLabel('What was said').fill('Rang twice.\nWill try again on Monday.');
    await activities().getByRole('button', { name: 'Log call' }).click();
    await activities().getByRole('list', { name: 'Calls' }).getByText('No answer').waitFor();
    const [logged] = await listOf('call', { field: 'person', op: 'eq', value: person.id });
    expect(logged).toMatchObject({ outcome: 'noAnswer', direction: 'outbound', durationSeconds: 120, notes: '<p>Rang twice.<br>Will try again on Monday.</p>', related: { object: 'person', id: person.id } });
    await screenshot(page, 'activities-01-calls');
  });

  it('should discuss the record with a comment, and show meetings, calls and comments in the timeline', async () => {
    await activities().getByRole('tab', { name: 'Discussion', exact: true }).click();
    const editor = activities().getByRole('textbox', { name: 'New comment' });
    await editor.click();
    await page.keyboard.type('Ada asked for the punch cards.');
    await activities().getByRole('button', { name: 'Comment', exact: true }).click();
    await activities().getByRole('list', { name: 'Discussion' }).getByText('Ada asked for the punch cards.').waitFor();
    const [comment] = await listOf('comment', { field: 'person', op: 'eq', value: person.id });
    expect(comment).toMatchObject({ related: { object: 'person', id: person.id }, owner: me.id });

    await activities().getByRole('tab', { name: 'All', exact: true }).click();
    for (const heading of ['Meeting', 'Call', 'Comment']) await activities().getByRole('heading', { name: heading, exact: true }).first().waitFor();
    await activities().getByRole('link', { name: 'Engine demo' }).waitFor();
    await screenshot(page, 'activities-02-timeline');
    await expectAccessible(page, 'person page with activities');
  });

  it('should follow the person for every change, then show it in the header', async () => {
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Tell me of every change' }).click();
    await page.getByRole('button', { name: /^Following/ }).waitFor();
    const followers = await json<Body>(call('GET', `/records/person/${person.id}/followers`));
    expect(followers.me).toMatchObject({ userId: me.id, fields: null });
  });

  it('should make a pre-filled task with one click from a quick action', async () => {
    await page.getByRole('button', { name: 'Quick actions' }).click();
    await page.getByRole('menuitem', { name: 'Call back tomorrow' }).click();
    await page.getByText('“Call back tomorrow”: task created').waitFor();
    const [task] = await listOf('task', { field: 'title', op: 'eq', value: 'Call Ada Byron back' });
    expect(task).toMatchObject({ assignee: me.id, person: person.id, status: 'todo' });
    await activities().getByRole('tab', { name: 'Tasks', exact: true }).click();
    await activities().getByRole('list', { name: 'Tasks' }).getByText('Call Ada Byron back').waitFor();
  });

  it('should list my open tasks by when they are due, and complete one with a click', async () => {
    const now = Date.now();
    await json(call('POST', '/records/task', { title: 'Send the punch cards', dueAt: new Date(now - 26 * HOUR).toISOString(), assignee: me.id, person: person.id }), 201);
    await json(call('POST', '/records/task', { title: 'Prepare the tables', dueAt: new Date(now + 3 * 24 * HOUR).toISOString(), assignee: me.id }), 201);
    await json(call('POST', '/records/task', { title: 'Someday: read the notes', assignee: me.id }), 201);
    // A colleague's meeting I am invited to (userAttendees) shows too, marked as such.
    const roles = (await json<{ data: Body[] }>(call('GET', '/roles'))).data;
    const colleague = await json<Body>(call('POST', '/users', { email: 'charles@analytical.test', name: 'Charles Babbage', password: 'difference engine no. 2', roleId: roles[0]!.id }), 201);
    await json(call('POST', '/records/meeting', { title: 'Engine review', start: new Date(now + 48 * HOUR).toISOString(), end: new Date(now + 49 * HOUR).toISOString(), owner: colleague.id, userAttendees: [me.id] }), 201);

    await page.getByRole('link', { name: 'My activities' }).click();
    await expectTitle(page, 'My activities');
    const overdue = page.getByRole('list', { name: /^Overdue/ });
    await overdue.getByRole('link', { name: 'Send the punch cards' }).waitFor();
    await overdue.getByRole('link', { name: 'Ada Byron' }).waitFor();
    await page.getByRole('list', { name: /^Upcoming/ }).getByRole('link', { name: 'Prepare the tables' }).waitFor();
    await page.getByRole('list', { name: /^No due date/ }).getByRole('link', { name: 'Someday: read the notes' }).waitFor();
    const myMeetings = page.getByRole('list', { name: 'My meetings' });
    await myMeetings.getByRole('link', { name: 'Engine demo' }).waitFor();
    await myMeetings.getByRole('listitem').filter({ hasText: 'Engine review' }).getByText('Invited', { exact: true }).waitFor();
    expect(await myMeetings.getByRole('listitem').filter({ hasText: 'Engine demo' }).getByText('Invited', { exact: true }).count()).toBe(0);
    await screenshot(page, 'activities-03-my-activities');
    await expectAccessible(page, 'my activities');

    await page.getByRole('checkbox', { name: 'Mark “Send the punch cards” done' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Send the punch cards' }).count()).toBe(0);
    const [task] = await listOf('task', { field: 'title', op: 'eq', value: 'Send the punch cards' });
    expect(task!.status).toBe('done');
  });

  it('should show an overdue task in the record header and the table', async () => {
    await json(call('POST', '/records/task', { title: 'Chase the invoice', dueAt: new Date(Date.now() - 2 * HOUR).toISOString(), person: person.id }), 201);
    await page.goto(`/objects/person/${person.id}`);
    await expectTitle(page, 'Ada Byron');
    await page.locator('[data-badge="overdue"]').first().waitFor();
    // The same in the people table, before the row's name.
    await page.goto('/objects/person');
    await page.getByRole('row').filter({ hasText: 'Ada Byron' }).locator('[data-badge="overdue"]').waitFor();
  });

  it('should check in at a visit with the browser\'s position', async () => {
    await context.grantPermissions(['geolocation'], { origin: app.url });
    await context.setGeolocation({ latitude: 51.5007291, longitude: -0.1246254 });
    const [meeting] = await listOf('meeting', { field: 'person', op: 'eq', value: person.id });
    await page.goto(`/objects/meeting/${meeting!.id}`);
    await expectTitle(page, 'Engine demo');
    await page.getByRole('button', { name: 'Check in' }).click();
    await page.getByText(/^Checked in at/).waitFor();
    await page.getByRole('link', { name: 'See the position on a map' }).waitFor();
    const checked = await json<Body>(call('GET', `/records/meeting/${meeting!.id}`));
    expect(checked.checkInLocation).toMatchObject({ lat: 51.50073, lng: -0.12463 });
    expect(Date.now() - Date.parse(checked.checkedInAt)).toBeLessThan(60_000);
    await screenshot(page, 'activities-04-check-in');
  });

  it('should note, discuss and plan on a custom object\'s record, through the activity\'s reference', async () => {
    await json(call('POST', '/metadata/objects', { name: 'vessel', labelSingular: 'Vessel', labelPlural: 'Vessels', fields: [{ name: 'name', type: 'text', label: 'Name' }] }), 201);
    const vessel = await json<Body>(call('POST', '/records/vessel', { name: 'HMS Beagle' }), 201);
    await page.goto(`/objects/vessel/${vessel.id}`);
    await expectTitle(page, 'HMS Beagle');
    await activities().getByRole('tab', { name: 'Discussion', exact: true }).click();
    const editor = activities().getByRole('textbox', { name: 'New comment' });
    await editor.click();
    await page.keyboard.type('Hull inspection booked.');
    await activities().getByRole('button', { name: 'Comment', exact: true }).click();
    await activities().getByRole('list', { name: 'Discussion' }).getByText('Hull inspection booked.').waitFor();
    await activities().getByRole('tab', { name: 'Tasks', exact: true }).click();
    await activities().getByLabel('New task').fill('Order new sails');
    await activities().getByRole('button', { name: 'Add task' }).click();
    await activities().getByRole('list', { name: 'Tasks' }).getByText('Order new sails').waitFor();
    const [comment] = await listOf('comment', { field: 'related', op: 'eq', value: vessel.id });
    const [task] = await listOf('task', { field: 'related.object', op: 'eq', value: 'vessel' });
    expect(comment).toMatchObject({ related: { object: 'vessel', id: vessel.id }, person: null });
    expect(task).toMatchObject({ title: 'Order new sails', related: { object: 'vessel', id: vessel.id } });
    await activities().getByRole('tab', { name: 'All', exact: true }).click();
    await activities().getByRole('heading', { name: 'Comment', exact: true }).first().waitFor();
    await screenshot(page, 'activities-05-custom-object');
  });

  it('should choose a daily digest for changes to followed records, and filter the notification centre', async () => {
    await page.goto('/account/preferences');
    await page.getByRole('radio', { name: 'Changes to records I follow – App and daily email' }).or(page.getByRole('radio', { name: 'Changes to records I follow: App and daily email' })).check();
    await expect.poll(async () => (await json<Body>(call('GET', '/notifications/preferences'))).recordChange).toBe('digest');
    await screenshot(page, 'activities-05-preferences');

    await page.getByRole('button', { name: /^Notifications/ }).click();
    const centre = page.getByRole('dialog', { name: 'Notifications' });
    await centre.getByText('Changes', { exact: true }).click();
    await centre.getByRole('link', { name: 'Notification preferences' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
