import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { expectAccessible, expectTitle, SCREENSHOT_DIR, screenshot, json, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Globex', name: 'Hedy Lamarr', email: 'hedy@globex.test', password: 'frequency hopping spread spectrum' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

// Table inline edit, selection and mass delete, and the kanban board, on data made through the public API.
describe.skipIf(!hasChromium())('everyday views: inline edit, mass delete, kanban (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];
  const people: Record<string, Rec> = {};
  const deals: Record<string, Rec> = {};
  // The stages of the workspace's pipeline, by name → id (stages are records).
  const stages: Record<string, string> = {};

  const read = (object: string, id: string) => json<Rec>(call('GET', `/records/${object}/${id}`));

  beforeAll(async () => {
    ensureWebBuild();
    // Only this file's pictures: other journeys keep theirs.
    if (existsSync(SCREENSHOT_DIR)) for (const file of readdirSync(SCREENSHOT_DIR, { withFileTypes: true })) if (/^(failed-)?views-/.test(file.name)) rmSync(join(SCREENSHOT_DIR, file.name));
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));

    for (const [firstName, lastName, jobTitle] of [['Grace', 'Hopper', 'Rear admiral'], ['Alan', 'Turing', 'Mathematician'], ['Katherine', 'Johnson', 'Physicist']] as const) {
      people[lastName] = await json<Rec>(call('POST', '/records/person', { firstName, lastName, jobTitle, email: `${firstName.toLowerCase()}@example.test` }), 201);
    }
    for (const stage of (await json<{ data: Rec[] }>(call('GET', '/records/pipelineStage?sort=position'))).data) stages[stage.name as string] = stage.id;
    // Proposal requires an amount and a close date.
    for (const [name, stage, amount, closeDate] of [['Deal Alpha', 'Qualification', 1000, '2026-12-01'], ['Deal Beta', 'Qualification', 2500, null], ['Deal Gamma', 'Proposal', 4000, '2026-12-15'], ['Deal Delta', 'Proposal', 500, '2026-12-20']] as const) {
      deals[name] = await json<Rec>(call('POST', '/records/opportunity', { name, stage: stages[stage], amount: { amount, currency: 'EUR' }, ...(closeDate ? { closeDate } : {}) }), 201);
    }
    // A rule of the workspace: a deal is won (closed in the forecast) only from 1,000 up.
    await json(call('PATCH', '/metadata/objects/opportunity', { validationRules: [{ expression: "record.forecastCategory != 'closed' || record.amount >= 1000.0", message: 'A won deal is worth 1,000 at least.', field: 'stage' }] }));

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-views-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const openPeople = async () => {
    await page.goto('/objects/person');
    await expectTitle(page, 'People');
    await page.getByRole('region', { name: 'People' }).getByRole('link', { name: 'Grace Hopper' }).waitFor();
  };
  const rowOf = (name: string) => page.getByRole('region', { name: 'People' }).getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  // The table has one pencil: it comes to the cell under the mouse.
  const pencilOf = async (row: Locator, field: string, label: string) => {
    await row.locator(`td[data-field="${field}"]`).hover();
    const pencil = page.getByRole('button', { name: label });
    await pencil.waitFor();
    return pencil;
  };

  it('should edit a cell in place and keep the change after a reload', async () => {
    await openPeople();
    await (await pencilOf(rowOf('Grace Hopper'), 'jobTitle', 'Edit Job title of Grace Hopper')).click();
    const editor = page.getByRole('dialog').getByLabel('Job title', { exact: true });
    await expect.poll(() => editor.inputValue()).toBe('Rear admiral');
    await editor.fill('Computer pioneer');
    await screenshot(page, 'views-01-inline-edit');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Job title of Grace Hopper saved').waitFor();
    await rowOf('Grace Hopper').getByText('Computer pioneer').waitFor();

    await page.reload();
    await rowOf('Grace Hopper').getByText('Computer pioneer').waitFor();
    expect((await read('person', people.Hopper!.id)).jobTitle).toBe('Computer pioneer');
  });

  it('should show the API validation message at the cell, and save nothing', async () => {
    // From the keyboard: a cell of the row, reached with the arrow keys from its link, opens with Enter.
    await rowOf('Grace Hopper').getByRole('link', { name: 'Grace Hopper', exact: true }).focus();
    const emailColumn = Number(await rowOf('Grace Hopper').locator('td[data-field="email"]').getAttribute('data-col'));
    for (let step = 0; step < emailColumn; step++) await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('data-field'))).toBe('email');
    await page.keyboard.press('Enter');
    const email = page.getByRole('dialog').getByLabel('Email', { exact: true });
    await email.fill('grace.example.com');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toMatch(/@|email/i);
    await screenshot(page, 'views-02-inline-edit-error');
    await expectAccessible(page, 'inline edit with an error');
    // Escape leaves the editor without saving, back on the cell, which shows the pencil.
    await email.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('data-field'))).toBe('email');
    await page.getByRole('button', { name: 'Edit Email of Grace Hopper' }).waitFor();
    expect((await read('person', people.Hopper!.id)).email).toBe('grace@example.test');
    await rowOf('Grace Hopper').getByText('grace@example.test').waitFor();
  });

  it('should say when someone else changed the record, reload it, and save on the second try', async () => {
    // A double click on the cell opens its editor too.
    await rowOf('Alan Turing').locator('td[data-field="jobTitle"]').dblclick();
    // Meanwhile, someone else saves the same person.
    await json(call('PATCH', `/records/person/${people.Turing!.id}`, { jobTitle: 'Codebreaker' }));
    await page.getByRole('dialog').getByLabel('Job title', { exact: true }).fill('Logician');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: 'Someone else changed this record' }).waitFor();
    await rowOf('Alan Turing').getByText('Codebreaker').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await rowOf('Alan Turing').getByText('Logician').waitFor();
    expect((await read('person', people.Turing!.id)).jobTitle).toBe('Logician');
  });

  it('should hide a column and remember it', async () => {
    const table = page.getByRole('region', { name: 'People' });
    await table.getByRole('columnheader', { name: 'Phone' }).waitFor();
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'Phone' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => table.getByRole('columnheader', { name: 'Phone' }).count()).toBe(0);
    await page.reload();
    await table.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    expect(await table.getByRole('columnheader', { name: 'Phone' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'Phone' }).click();
    await page.keyboard.press('Escape');
    await table.getByRole('columnheader', { name: 'Phone' }).waitFor();
  });

  it('should delete selected rows and bring them back with Undo', async () => {
    await page.getByRole('checkbox', { name: 'Select Alan Turing' }).check();
    await page.getByRole('checkbox', { name: 'Select Katherine Johnson' }).check();
    await page.getByText('2 selected').waitFor();
    await screenshot(page, 'views-03-selection');
    await expectAccessible(page, 'table with selected rows');
    await page.getByRole('button', { name: 'Delete 2 records' }).click();
    await page.getByText('2 records moved to the trash').waitFor();
    await expect.poll(() => rowOf('Alan Turing').count()).toBe(0);
    await expect.poll(() => rowOf('Katherine Johnson').count()).toBe(0);
    expect((await call('GET', `/records/person/${people.Turing!.id}`)).status).toBe(404);

    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('2 records restored').waitFor();
    await rowOf('Alan Turing').waitFor();
    await rowOf('Katherine Johnson').waitFor();
    expect((await read('person', people.Johnson!.id)).deletedAt ?? null).toBeNull();
  });

  it('should edit a select, a currency amount and a relation in place with their own editors', async () => {
    const acme = await json<Rec>(call('POST', '/records/company', { name: 'Initech' }), 201);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Opportunities' }).click();
    await expectTitle(page, 'Opportunities');
    const table = page.getByRole('region', { name: 'Opportunities' });
    const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'Deal Beta', exact: true }) });
    await row.waitFor();

    const pencil = async (field: string, label: string) => {
      await row.locator(`td[data-field="${field}"]`).hover();
      return page.getByRole('button', { name: label });
    };
    await (await pencil('stage', 'Edit Stage of Deal Beta')).click();
    // The stage is a record: its editor is the relation picker, whose box holds the current stage's name; cleared, it lists the stages.
    const stage = page.getByRole('dialog').getByLabel(/^Stage/);
    await stage.click();
    await stage.fill('');
    await page.getByRole('option', { name: 'Meeting' }).waitFor();
    // Escape closes the list of choices first, not the editor.
    await stage.press('Escape');
    await expect.poll(() => page.getByRole('option', { name: 'Meeting' }).count()).toBe(0);
    await stage.click();
    await stage.fill('');
    await page.getByRole('option', { name: 'Meeting' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Stage of Deal Beta saved').waitFor();
    await row.getByText('Meeting').waitFor();

    // A select: its list of choices.
    await (await pencil('forecastCategory', 'Edit Forecast category of Deal Beta')).click();
    await page.getByRole('dialog').getByLabel(/^Forecast category/).click();
    await page.getByRole('option', { name: 'Commit' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Forecast category of Deal Beta saved').waitFor();
    await row.getByText('Commit').waitFor();

    await (await pencil('amount', 'Edit Amount of Deal Beta')).click();
    await page.getByRole('dialog').getByLabel('Amount', { exact: true }).fill('2750.5');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await row.getByText('€2,750.50').waitFor();

    await (await pencil('company', 'Edit Company of Deal Beta')).click();
    await page.getByRole('dialog').getByLabel(/^Company/).click();
    await page.getByRole('option', { name: 'Initech' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await row.getByText('Initech').waitFor();

    const saved = await read('opportunity', deals['Deal Beta']!.id);
    expect(saved.stage).toBe(stages.Meeting);
    expect(saved.forecastCategory).toBe('commit');
    expect(saved.amount).toEqual({ amount: 2750.5, currency: 'EUR' });
    expect(saved.company).toBe(acme.id);
    // Back to the stage it had, for the board below.
    await json(call('PATCH', `/records/opportunity/${deals['Deal Beta']!.id}`, { stage: stages.Qualification, amount: { amount: 2500, currency: 'EUR' } }));
  });

  const column = (name: string) => page.getByRole('region', { name, exact: true });
  const card = (name: string) => page.locator('[data-record-id]').filter({ has: page.getByRole('link', { name, exact: true }) });

  it('should switch opportunities to a board with stage columns, counts and sums, and remember the choice', async () => {
    await page.reload();
    await expectTitle(page, 'Opportunities');
    await page.getByText('Board', { exact: true }).click();
    await page.getByRole('region', { name: 'Opportunities by Stage' }).waitFor();
    const titles = await page.getByRole('region', { name: 'Opportunities by Stage' }).getByRole('heading', { level: 2 }).allTextContents();
    expect(titles).toEqual(['Qualification', 'Meeting', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    // The columns are the stages of the one pipeline, with their probability; won and lost are set apart.
    expect(await page.getByRole('combobox', { name: 'Pipeline', exact: true }).inputValue()).toBe('New business');
    expect(await column('Proposal').locator('[data-probability]').textContent()).toBe('50%');
    expect(await column('Won').getAttribute('data-outcome')).toBe('won');
    expect(await column('Lost').getAttribute('data-outcome')).toBe('lost');
    await column('Qualification').getByText('2 records').waitFor();
    await column('Qualification').getByLabel('Total Amount: €3,500.00').waitFor();
    await column('Proposal').getByLabel('Total Amount: €4,500.00').waitFor();
    await column('Won').getByText('0 records').waitFor();

    await page.reload();
    await page.getByRole('region', { name: 'Opportunities by Stage' }).waitFor();
    await card('Deal Alpha').waitFor();
    await screenshot(page, 'views-04-kanban');
    await expectAccessible(page, 'kanban board');
  });

  it('should drag a card to another column and keep it there', async () => {
    const from = await card('Deal Alpha').boundingBox();
    const to = await column('Negotiation').boundingBox();
    expect(from && to).toBeTruthy();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height - 8);
    await page.mouse.down();
    await page.mouse.move(from!.x + from!.width / 2 + 20, from!.y + from!.height, { steps: 4 });
    await page.mouse.move(to!.x + to!.width / 2, to!.y + 120, { steps: 12 });
    await page.mouse.up();
    await page.getByText('Deal Alpha moved to Negotiation').waitFor();
    await column('Negotiation').getByRole('link', { name: 'Deal Alpha' }).waitFor();
    await column('Negotiation').getByLabel('Total Amount: €1,000.00').waitFor();
    await column('Qualification').getByText('1 record', { exact: true }).waitFor();
    await expect.poll(async () => (await read('opportunity', deals['Deal Alpha']!.id)).stage).toBe(stages.Negotiation);

    await page.reload();
    await column('Negotiation').getByRole('link', { name: 'Deal Alpha' }).waitFor();
  });

  it('should move a card with the keyboard through "Move to…", and put it back with the reason when a rule refuses', async () => {
    const menu = page.getByRole('button', { name: 'Move Deal Delta to…' });
    await menu.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Won' }).click();
    await page.getByText('Deal Delta was not moved').waitFor();
    await page.getByText('A won deal is worth 1,000 at least.').waitFor();
    await column('Proposal').getByRole('link', { name: 'Deal Delta' }).waitFor();
    expect(await column('Won').getByRole('link', { name: 'Deal Delta' }).count()).toBe(0);
    await screenshot(page, 'views-05-kanban-refused');
    expect((await read('opportunity', deals['Deal Delta']!.id)).stage).toBe(stages.Proposal);

    await page.getByRole('button', { name: 'Move Deal Gamma to…' }).click();
    await page.getByRole('menuitem', { name: 'Won' }).click();
    await column('Won').getByRole('link', { name: 'Deal Gamma' }).waitFor();
    await column('Won').getByLabel('Total Amount: €4,000.00').waitFor();
    await expect.poll(async () => (await read('opportunity', deals['Deal Gamma']!.id)).stage).toBe(stages.Won);
    expect(pageErrors).toEqual([]);
  });

  const fieldsOf = (name: string) => card(name).locator('[data-field]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-field')));

  it('should badge overdue and upcoming open tasks, and show the card fields chosen, saved with a view', async () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    await json(call('POST', '/records/task', { title: 'Send the contract', dueAt: inDays(-2), opportunity: deals['Deal Beta']!.id }), 201);
    await json(call('POST', '/records/task', { title: 'Call back', dueAt: inDays(3), opportunity: deals['Deal Delta']!.id }), 201);
    await json(call('POST', '/records/task', { title: 'Old call', dueAt: inDays(-9), status: 'done', opportunity: deals['Deal Delta']!.id }), 201);
    await page.reload();
    await card('Deal Beta').getByRole('img', { name: /^Overdue task, due / }).waitFor();
    await card('Deal Delta').getByRole('img', { name: /^Next task due / }).waitFor();
    expect(await card('Deal Alpha').getByRole('img').count()).toBe(0);
    // The default: amount, close date (when there is one) and company.
    expect(await fieldsOf('Deal Alpha')).toEqual(['amount', 'closeDate']);

    await page.getByRole('button', { name: 'Card fields' }).click();
    const fields = page.getByRole('group', { name: 'Fields on the cards' });
    await fields.getByRole('checkbox', { name: 'Amount', exact: true }).uncheck();
    await fields.getByRole('checkbox', { name: 'Stage', exact: true }).check();
    // Stage comes last (after Close date and Company, empty here): two steps up make it first.
    await fields.getByRole('button', { name: 'Move Stage up' }).click();
    await fields.getByRole('button', { name: 'Move Stage up' }).click();
    await expect.poll(() => fieldsOf('Deal Alpha')).toEqual(['stage', 'closeDate']);
    await screenshot(page, 'views-06-kanban-card-fields');
    await expectAccessible(page, 'kanban card fields and badges');
    // The move kept the focus in the menu: Escape closes it.
    await page.keyboard.press('Escape');
    await fields.waitFor({ state: 'hidden' });
    await screenshot(page, 'views-07-kanban-task-badges');

    await page.getByRole('button', { name: 'View: All records' }).click();
    await page.getByRole('menuitem', { name: 'Save as new view…' }).click();
    const save = page.getByRole('dialog', { name: 'Save as a new view' });
    await save.getByLabel('Name').fill('Deals by stage');
    await save.getByRole('button', { name: 'Save' }).click();
    await page.getByText('View “Deals by stage” saved').waitFor();
    const views = (await json<{ data: { name: string; type: string; cardFields: string[] | null }[] }>(call('GET', '/views?object=opportunity'))).data;
    expect(views.find((view) => view.name === 'Deals by stage')).toMatchObject({ type: 'kanban', cardFields: ['stage', 'closeDate', 'company'], filter: { field: 'pipeline', op: 'eq', value: deals['Deal Alpha']!.pipeline } });

    // Back to the default: the view is "Edited"; choosing it again brings its fields back.
    await page.getByRole('button', { name: 'Card fields' }).click();
    await page.getByRole('button', { name: 'Back to the default fields' }).click();
    await expect.poll(() => fieldsOf('Deal Alpha')).toEqual(['amount', 'closeDate']);
    await page.keyboard.press('Escape');
    await fields.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /View: Deals by stage.*Edited/ }).click();
    await page.getByRole('menuitem', { name: 'Deals by stage' }).click();
    await expect.poll(() => fieldsOf('Deal Alpha')).toEqual(['stage', 'closeDate']);
    expect(pageErrors).toEqual([]);
  });

  it('should show what tasks are related to, filter by the related object and record, and change it in the form', async () => {
    const umbrella = await json<Rec>(call('POST', '/records/company', { name: 'Umbrella' }), 201);
    const tasks: Record<string, Rec> = {};
    for (const [title, related] of [
      ['Prepare the demo', { object: 'person', id: people.Hopper!.id }],
      ['Review the contract', { object: 'company', id: umbrella.id }],
      ['Water the plants', null],
    ] as const) {
      tasks[title] = await json<Rec>(call('POST', '/records/task', { title, ...(related ? { related } : {}) }), 201);
    }
    const table = page.getByRole('region', { name: 'Tasks' });
    const taskRow = (title: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
    const shownTitles = () => table.locator('[data-row-link]').allTextContents();

    // The column names each record by its title (read with the list), after its object's icon, and links to it.
    await page.goto('/objects/task?sort=title');
    await expectTitle(page, 'Tasks');
    await table.getByRole('columnheader', { name: 'Related to' }).waitFor();
    const demo = taskRow('Prepare the demo').locator('td[data-field="related"]');
    await demo.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    expect(await demo.getByRole('link', { name: 'Grace Hopper' }).getAttribute('href')).toBe(`/objects/person/${people.Hopper!.id}`);
    await demo.getByRole('img', { name: 'Person' }).waitFor();
    await taskRow('Review the contract').locator('td[data-field="related"]').getByRole('link', { name: 'Umbrella' }).waitFor();
    await taskRow('Review the contract').locator('td[data-field="related"]').getByRole('img', { name: 'Company' }).waitFor();
    // Wide enough to show the titles beside what they are related to.
    await page.setViewportSize({ width: 1920, height: 860 });
    await screenshot(page, 'views-08-reference-column');
    await page.setViewportSize({ width: 1366, height: 860 });
    await expectAccessible(page, 'tasks table with a reference column');

    // "Related to · Object is Company".
    await page.getByRole('button', { name: 'Add filter' }).click();
    const quick = page.getByRole('form', { name: 'Add filter' });
    await quick.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Related to · Object' }).click();
    await quick.getByRole('combobox', { name: 'Object' }).click();
    await page.getByRole('option', { name: 'Company', exact: true }).click();
    await quick.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('list', { name: 'Active filters' }).getByText('Related to · Object is Company').waitFor();
    await expect.poll(shownTitles).toEqual(['Review the contract']);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(shownTitles).toEqual(expect.arrayContaining(['Prepare the demo', 'Review the contract', 'Water the plants']));

    // "Related to is Grace Hopper": the object, then its record picked by name, in the advanced filter.
    await page.getByRole('button', { name: 'Advanced filter' }).click();
    const builder = page.getByRole('dialog');
    await builder.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Related to', exact: true }).click();
    await builder.getByRole('combobox', { name: 'Object' }).click();
    await page.getByRole('option', { name: 'Person', exact: true }).click();
    const record = builder.getByRole('combobox', { name: 'Related to: record' });
    await record.click();
    await record.fill('Grace');
    await page.getByRole('option', { name: 'Grace Hopper' }).click();
    await screenshot(page, 'views-09-reference-filter');
    await expectAccessible(page, 'filter builder with a reference condition');
    await builder.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('list', { name: 'Active filters' }).getByText('Related to is Grace Hopper').waitFor();
    await expect.poll(shownTitles).toEqual(['Prepare the demo']);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // The form: the object first, then one of its records.
    await page.goto(`/objects/task/${tasks['Water the plants']!.id}/edit`);
    const related = page.getByRole('group', { name: 'Related to' });
    await related.getByRole('combobox', { name: 'Related to: object' }).click();
    await page.getByRole('option', { name: 'Opportunity', exact: true }).click();
    const deal = related.getByRole('combobox', { name: 'Related to: record' });
    await deal.click();
    await page.getByRole('option', { name: 'Deal Alpha' }).click();
    await screenshot(page, 'views-10-reference-form');
    await expectAccessible(page, 'task form with a reference');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Water the plants' }).waitFor();
    await page.getByRole('link', { name: 'Deal Alpha' }).first().waitFor();
    await screenshot(page, 'views-10b-reference-record-page');
    expect((await read('task', tasks['Water the plants']!.id)).related).toEqual({ object: 'opportunity', id: deals['Deal Alpha']!.id });

    // Back in the form, the choice reads as it was saved.
    await page.goto(`/objects/task/${tasks['Water the plants']!.id}/edit`);
    await expect.poll(() => page.getByRole('group', { name: 'Related to' }).getByRole('combobox', { name: 'Related to: record' }).inputValue()).toBe('Deal Alpha');
    expect(pageErrors).toEqual([]);
  });

  it('should add a reference limited to people in the designer, and set it in place by name', async () => {
    await json(call('POST', '/records/company', { name: 'Pied Piper' }), 201);
    await page.goto('/settings/objects/company');
    await page.getByRole('button', { name: 'Add field' }).click();
    const dialog = page.getByRole('dialog', { name: 'New field' });
    await dialog.getByLabel('Field type').first().click();
    await page.getByRole('option', { name: 'Link to any record', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Label', exact: true }).fill('Main contact');
    await dialog.getByLabel('Objects it may link to').first().click();
    await page.getByRole('option', { name: 'Person', exact: true }).click();
    // Away from the list of objects, which closes.
    await dialog.getByRole('textbox', { name: 'Label', exact: true }).click();
    await expect.poll(() => page.getByRole('option', { name: 'Company', exact: true }).count()).toBe(0);
    await screenshot(page, 'views-11-reference-designer');
    await expectAccessible(page, 'new reference field');
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'mainContact', exact: true }) });
    await row.getByText('Link to any record').waitFor();
    await row.getByText('Person', { exact: true }).waitFor();
    const company = await json<{ fields: { name: string; type: string; options?: unknown }[] }>(call('GET', '/metadata/objects/company'));
    expect(company.fields.find((field) => field.name === 'mainContact')).toMatchObject({ type: 'reference', options: { targets: ['person'] } });

    // One object only: the cell's editor is that object's record picker; the value needs no icon.
    await page.goto('/objects/company?sort=name');
    const piper = page.getByRole('region', { name: 'Companies' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'Pied Piper', exact: true }) });
    await piper.locator('td[data-field="mainContact"]').dblclick();
    const contact = page.getByRole('dialog').getByRole('combobox', { name: 'Main contact' });
    await contact.click();
    await contact.fill('Katherine');
    await page.getByRole('option', { name: 'Katherine Johnson' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Main contact of Pied Piper saved').waitFor();
    const cell = piper.locator('td[data-field="mainContact"]');
    await cell.getByRole('link', { name: 'Katherine Johnson' }).waitFor();
    expect(await cell.getByRole('img').count()).toBe(0);
    const saved = (await json<{ data: Rec[] }>(call('GET', `/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'Pied Piper' }))}`))).data[0]!;
    expect(saved.mainContact).toEqual({ object: 'person', id: people.Johnson!.id });
    expect(pageErrors).toEqual([]);
  });
});
