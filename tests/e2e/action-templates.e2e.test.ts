import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Quick Wins', name: 'Katherine Johnson', email: 'katherine@quickwins.test', password: 'trajectories by hand and by heart' };
type Body = Record<string, any>;

// Settings › Action templates: the starting four listed in order, one added for deals only (objects picked from a
// list), offered on a deal's page and not on a person's; the server's refusal of an object deleted since beside its
// field; reordered, switched off and deleted.
describe.skipIf(!hasChromium())('action templates settings (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  let deal: Body;
  let person: Body;
  const pageErrors: string[] = [];
  const templates = async () => (await json<{ data: Body[] }>(call('POST', '/records/actionTemplate/query', { sort: ['position', 'name'], limit: 50 }))).data;
  const dialog = () => page.getByRole('dialog');
  const rowOf = (name: string) => page.getByRole('table', { name: 'Action templates' }).locator(`tr[data-template="${name}"]`);
  /** Picks `option` in the Mantine select or multi-select labelled `label`. */
  const choose = async (label: string | RegExp, option: string) => {
    await dialog().getByRole('textbox', { name: label }).or(dialog().getByRole('combobox', { name: label })).first().click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?action-templates-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    deal = await json<Body>(call('POST', '/records/opportunity', { name: 'Apollo guidance' }), 201);
    person = await json<Body>(call('POST', '/records/person', { firstName: 'Dorothy', lastName: 'Vaughan', email: 'dorothy@quickwins.test' }), 201);
    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-action-templates-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should list the starting templates in their order, under Data model', async () => {
    await page.goto('/settings/action-templates');
    await expectTitle(page, 'Action templates');
    const nav = page.getByRole('navigation', { name: 'Settings' });
    await expect(nav.getByRole('group', { name: 'Data model' }).getByRole('link', { name: 'Action templates' }).getAttribute('aria-current')).resolves.toBe('page');
    const table = page.getByRole('table', { name: 'Action templates' });
    await rowOf('Meeting notes').waitFor();
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-template')))).toEqual(['Call back tomorrow', 'Remind me in a week', 'Follow-up email', 'Meeting notes']);
    await rowOf('Call back tomorrow').getByText('1 day later at 10:00').waitFor();
    await rowOf('Follow-up email').getByText('No due time').waitFor();
    await rowOf('Call back tomorrow').getByText('Every object').waitFor();
    await screenshot(page, 'action-templates-01-list');
    await expectAccessible(page, 'action templates list');
  });

  it('should add a template for deals only, the form\'s own checks beside their fields', async () => {
    await page.getByRole('button', { name: 'New template' }).click();
    await dialog().getByRole('heading', { name: 'New action template' }).waitFor();
    // The form's own checks first.
    await dialog().getByRole('button', { name: 'Create' }).click();
    await expect(dialog().getByText('Required.').count()).resolves.toBe(2);

    await dialog().getByRole('textbox', { name: /^Name/ }).fill('Send the contract');
    await dialog().getByRole('radio', { name: /^Task/ }).check();
    await dialog().getByRole('textbox', { name: /^Title or subject/ }).fill('Contract for {{title}}');
    await dialog().getByRole('textbox', { name: /^Text/ }).fill('Check the amount: {{amount}}.');
    await dialog().getByRole('textbox', { name: /^Due in \(days\)/ }).fill('2');
    await dialog().getByLabel(/^Due at \(time of day\)/).fill('14:30');
    await choose(/^Priority/, 'High');
    await choose(/^Shown on/, 'Opportunities');
    await screenshot(page, 'action-templates-02-form');
    await expectAccessible(page, 'action template form');

    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByText('“Send the contract” created').waitFor();
    await dialog().waitFor({ state: 'detached' });

    const made = (await templates()).find((item) => item.name === 'Send the contract');
    expect(made).toMatchObject({ action: 'task', title: 'Contract for {{title}}', body: 'Check the amount: {{amount}}.', dueInDays: 2, dueTime: '14:30', priority: 'high', objects: ['opportunity'], isActive: true, position: 5 });
    await rowOf('Send the contract').getByText('Opportunities').waitFor();
    await rowOf('Send the contract').getByText('2 days later at 14:30').waitFor();
  });

  it('should offer it on a deal\'s page and not on a person\'s, and make the task from it', async () => {
    await page.goto(`/objects/opportunity/${deal.id}`);
    await expectTitle(page, 'Apollo guidance');
    await page.getByRole('button', { name: 'Quick actions' }).click();
    await page.getByRole('menuitem', { name: /Send the contract/ }).click();
    await page.getByText('“Send the contract”: task created').waitFor();
    const [task] = (await json<{ data: Body[] }>(call('POST', '/records/task/query', { filter: { field: 'title', op: 'eq', value: 'Contract for Apollo guidance' } }))).data;
    expect(task).toMatchObject({ priority: 'high', opportunity: deal.id });

    await page.goto(`/objects/person/${person.id}`);
    await expectTitle(page, 'Dorothy Vaughan');
    await page.getByRole('button', { name: 'Quick actions' }).click();
    await page.getByRole('menuitem', { name: /Call back tomorrow/ }).waitFor();
    expect(await page.getByRole('menuitem', { name: /Send the contract/ }).count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('should show the server\'s refusal beside "Shown on" when a template names an object deleted since', async () => {
    // Made through the API for vans, whose object was deleted afterwards.
    await json(call('POST', '/metadata/objects', { name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', labelField: 'plate', fields: [{ name: 'plate', type: 'text', label: 'Plate', required: true }] }), 201);
    await json(call('POST', '/records/actionTemplate', { name: 'Service visit', action: 'note', title: 'Service of {{title}}', objects: ['vehicle'], position: 6 }), 201);
    expect((await call('DELETE', '/metadata/objects/vehicle')).status).toBe(204);
    await page.goto('/settings/action-templates');
    await rowOf('Service visit').getByText('vehicle').waitFor();

    await page.getByRole('button', { name: 'Edit Service visit' }).click();
    await choose(/^Shown on/, 'People');
    await dialog().getByRole('button', { name: 'Save' }).click();
    const shownOn = dialog().getByRole('textbox', { name: /^Shown on/ }).or(dialog().getByRole('combobox', { name: /^Shown on/ })).first();
    await dialog().getByText('One of these objects no longer exists: take it out.').waitFor();
    await expect.poll(() => shownOn.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'action-templates-03-server-error');
    await expectAccessible(page, 'action template refused by the server');

    // Both taken out (Backspace removes the last chosen), People chosen again: saved.
    await shownOn.click();
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await choose(/^Shown on/, 'People');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await page.getByText('“Service visit” saved').waitFor();
    expect((await templates()).find((item) => item.name === 'Service visit')).toMatchObject({ objects: ['person'] });
  });

  it('should move a template up, switch one off and delete one', async () => {
    await page.goto('/settings/action-templates');
    await rowOf('Send the contract').waitFor();
    await page.getByRole('button', { name: 'Move “Send the contract” up' }).click();
    await page.getByText('“Send the contract” moved to position 4').waitFor();
    const order = ['Call back tomorrow', 'Remind me in a week', 'Follow-up email', 'Send the contract', 'Meeting notes', 'Service visit'];
    await expect.poll(async () => (await templates()).map((item) => item.name)).toEqual(order);
    const table = page.getByRole('table', { name: 'Action templates' });
    await expect.poll(() => table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-template')))).toEqual(order);

    // Edit: only what changed is sent, with the version read.
    const patches: { body: string | null; ifMatch: string | undefined }[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && request.url().includes('/records/actionTemplate/')) patches.push({ body: request.postData(), ifMatch: request.headers()['if-match'] });
    });
    await page.getByRole('button', { name: 'Edit Meeting notes' }).click();
    await dialog().getByRole('switch', { name: /^Active/ }).or(dialog().getByRole('checkbox', { name: /^Active/ })).first().uncheck();
    await dialog().getByRole('button', { name: 'Save' }).click();
    await page.getByText('“Meeting notes” saved').waitFor();
    expect(patches).toEqual([{ body: '{"isActive":false}', ifMatch: expect.stringMatching(/^"\d+"$/) }]);
    await rowOf('Meeting notes').getByText('Off').waitFor();

    await page.getByRole('button', { name: 'Delete Remind me in a week' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await rowOf('Remind me in a week').waitFor({ state: 'detached' });
    expect((await templates()).map((item) => item.name)).not.toContain('Remind me in a week');
    await screenshot(page, 'action-templates-04-edited');
    await expectAccessible(page, 'action templates after changes');
    expect(pageErrors).toEqual([]);
  });
});
