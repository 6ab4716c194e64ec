import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, colorScheme, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Hooli', name: 'Gavin Belson', email: 'gavin@hooli.test', password: 'tethics compression box three' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}
interface View {
  id: string;
  columns: { field: string; width?: number; hidden?: boolean }[];
}

// The table as a spreadsheet (columns moved and resized into a view, ranges copied and pasted, related
// records and owners pasted by name), the order of favourites (dialog, and dragged in the navigation)
// and of the navigation's objects, the relation picker of the filter bar, and the record page's
// activities, on data made through the public API.
describe.skipIf(!hasChromium())('spreadsheet table, navigation order, relation filter, record page (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];
  const deals: Record<string, Rec> = {};
  const companies: Record<string, Rec> = {};
  const stages: Record<string, string> = {};

  const read = (object: string, id: string) => json<Rec>(call('GET', `/records/${object}/${id}`));
  const table = () => page.getByRole('region', { name: 'Opportunities' });
  const rowOf = (name: string) => table().getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const cellOf = (name: string, col: number) => rowOf(name).locator(`td[data-col="${col}"]`);
  const headerOrder = () => table().locator('thead th[data-column]').evaluateAll((cells) => cells.map((cell) => (cell as unknown as { dataset: { column: string } }).dataset.column));
  const clipboardText = () => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
  const putOnClipboard = (text: string) => page.evaluate((value) => (globalThis as unknown as { navigator: { clipboard: { writeText(text: string): Promise<void> } } }).navigator.clipboard.writeText(value), text);
  /** Clicks a cell away from its pencil and links, as a person selecting it would. */
  const clickCell = async (cell: Locator, modifiers: ('Shift')[] = []) => cell.click({ position: { x: 6, y: 6 }, modifiers });
  const openDeals = async () => {
    await page.goto('/objects/opportunity?sort=name');
    await expectTitle(page, 'Opportunities');
    await rowOf('Deal Alpha').waitFor();
  };

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?table-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));

    for (const name of ['Initech', 'Umbrella']) companies[name] = await json<Rec>(call('POST', '/records/company', { name }), 201);
    // Stages are records: their ids by name.
    for (const stage of (await json<{ data: Rec[] }>(call('GET', '/records/pipelineStage?sort=position'))).data) stages[stage.name as string] = stage.id;
    for (const [name, stage, amount, closeDate, company] of [
      ['Deal Alpha', 'Qualification', 1000, '2026-12-01', 'Initech'],
      ['Deal Beta', 'Qualification', 2500, null, 'Umbrella'],
      ['Deal Gamma', 'Proposal', 4000, '2026-12-15', 'Initech'],
      ['Deal Delta', 'Meeting', 500, null, null],
    ] as const) {
      deals[name] = await json<Rec>(call('POST', '/records/opportunity', { name, stage: stages[stage], amount: { amount, currency: 'EUR' }, ...(closeDate ? { closeDate } : {}), ...(company ? { company: companies[company]!.id } : {}) }), 201);
    }
    // A rule of the workspace: a deal is won (closed in the forecast) only from 3,000 up (the server refuses the rest).
    await json(call('PATCH', '/metadata/objects/opportunity', { validationRules: [{ expression: "record.forecastCategory != 'closed' || record.amount >= 3000.0", message: 'A won deal is worth 3,000 at least.', field: 'stage' }] }));

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light', permissions: ['clipboard-read', 'clipboard-write'] });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-table-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('should move and resize columns and keep them in the saved view', async () => {
    await openDeals();
    await page.getByRole('button', { name: 'View: All records' }).click();
    await page.getByRole('menuitem', { name: 'Save as new view…' }).click();
    const save = page.getByRole('dialog', { name: 'Save as a new view' });
    await save.getByLabel('Name').fill('Deal desk');
    await save.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'View: Deal desk' }).waitFor();
    expect((await headerOrder()).slice(0, 3)).toEqual(['__select', 'name', 'amount']);

    // Drag the Stage header onto Amount: Stage comes before it.
    const stage = (await table().locator('th[data-column="stage"]').boundingBox())!;
    const amount = (await table().locator('th[data-column="amount"]').boundingBox())!;
    await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
    await page.mouse.down();
    await page.mouse.move(stage.x + stage.width / 2 - 10, stage.y + stage.height / 2, { steps: 3 });
    await page.mouse.move(amount.x + amount.width / 2, amount.y + amount.height / 2, { steps: 12 });
    await page.mouse.up();
    await expect.poll(async () => (await headerOrder()).slice(1, 4)).toEqual(['name', 'stage', 'amount']);

    // The keyboard way: the Columns menu moves Close date one place left.
    await page.getByRole('button', { name: 'Columns' }).click();
    const before = await headerOrder();
    await page.getByRole('dialog').getByRole('button', { name: 'Move Close date left' }).click();
    await page.keyboard.press('Escape');
    const closeIndex = before.indexOf('closeDate');
    await expect.poll(async () => (await headerOrder()).indexOf('closeDate')).toBe(closeIndex - 1);

    // Resize Name by pointer, and Amount with the arrow keys on its edge.
    const nameEdge = table().getByRole('separator', { name: 'Resize column Name' });
    const nameWidth = Number(await nameEdge.getAttribute('aria-valuenow'));
    const edge = (await nameEdge.boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 60, edge.y + edge.height / 2, { steps: 6 });
    await page.mouse.move(edge.x + 90, edge.y + edge.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Number(await nameEdge.getAttribute('aria-valuenow'))).toBeGreaterThan(nameWidth + 60);
    const amountEdge = table().getByRole('separator', { name: 'Resize column Amount', exact: true });
    const amountWidth = Number(await amountEdge.getAttribute('aria-valuenow'));
    await amountEdge.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await amountEdge.getAttribute('aria-valuenow'))).toBe(amountWidth + 40);
    await page.getByRole('button', { name: /View: Deal desk.*Edited/ }).waitFor();
    await screenshot(page, 'table-01-columns-moved-resized');
    await expectAccessible(page, 'table with moved and resized columns');

    await page.getByRole('button', { name: /View: Deal desk/ }).click();
    await page.getByRole('menuitem', { name: 'Save changes to this view' }).click();
    // The view's first "saved" notice may still be up beside this one: the API says when the change is in.
    const savedView = async () => (await json<{ data: (View & { name: string })[] }>(call('GET', '/views?object=opportunity'))).data.find((view) => view.name === 'Deal desk')!;
    await expect.poll(async () => (await savedView()).columns.map((column) => column.field).slice(0, 3)).toEqual(['name', 'stage', 'amount']);
    await page.getByText('View “Deal desk” saved').last().waitFor();
    const saved = await savedView();
    const fields = saved.columns.map((column) => column.field);
    expect(fields.indexOf('closeDate')).toBe(closeIndex - 2);
    expect(saved.columns.find((column) => column.field === 'name')!.width).toBeGreaterThan(nameWidth + 60);
    expect(saved.columns.find((column) => column.field === 'amount')!.width).toBe(amountWidth + 40);

    // Another browser (no local state) opening the view gets its layout from the API.
    const fresh = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 } });
    const other = await fresh.newPage();
    await other.goto('/sign-in');
    await other.getByLabel('Email').fill(admin.email);
    await other.locator('input[type="password"]').fill(admin.password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await expectTitle(other, `Welcome, ${admin.name}`);
    await other.goto(`/objects/opportunity?view=${saved.id}`);
    await other.getByRole('button', { name: 'View: Deal desk' }).waitFor();
    const otherTable = other.getByRole('region', { name: 'Opportunities' });
    await expect.poll(async () => (await otherTable.locator('thead th[data-column]').evaluateAll((cells) => cells.map((cell) => (cell as unknown as { dataset: { column: string } }).dataset.column))).slice(1, 4)).toEqual(['name', 'stage', 'amount']);
    expect(Number(await otherTable.getByRole('separator', { name: 'Resize column Amount', exact: true }).getAttribute('aria-valuenow'))).toBe(amountWidth + 40);
    await fresh.close();

    // Back to "All records": the default layout.
    await page.getByRole('button', { name: /View: Deal desk/ }).click();
    await page.getByRole('menuitem', { name: 'All records' }).click();
    await expect.poll(async () => (await headerOrder()).slice(1, 5)).toEqual(['name', 'amount', 'pipeline', 'stage']);
  });

  it('should copy a range of cells as tab-separated text', async () => {
    await openDeals();
    // One pipeline: its column says nothing; hidden (remembered in this browser), Stage comes next to Amount.
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('group', { name: 'Show columns' }).getByRole('checkbox', { name: 'Pipeline', exact: true }).uncheck();
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await headerOrder()).slice(1, 4)).toEqual(['name', 'amount', 'stage']);
    // Rows by name: Alpha, Beta, Delta, Gamma; columns: Name, Amount, Stage…
    // With the keyboard alone: from the row's link, the right arrow steps into the cells.
    await rowOf('Deal Alpha').getByRole('link', { name: 'Deal Alpha' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => cellOf('Deal Alpha', 1).getAttribute('data-focused')).not.toBeNull();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.getByText('2 × 2 cells selected').waitFor();
    await expect.poll(() => table().locator('td[data-in-range]').count()).toBe(4);
    await page.keyboard.press('Control+C');
    await page.getByText('4 cells copied').waitFor();
    expect(await clipboardText()).toBe('1000 EUR\tQualification\n2500 EUR\tQualification');
    await screenshot(page, 'table-02-range-copied');
    await expectAccessible(page, 'table with a selected range');

    // The same range in the dark theme.
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await screenshot(page, 'table-02b-range-dark');
    await expectAccessible(page, 'table with a selected range, dark theme');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('light');
  });

  it('should refuse pasted values that do not fit their fields, and send nothing', async () => {
    await putOnClipboard('lots\tnope');
    await clickCell(cellOf('Deal Delta', 1));
    await page.keyboard.press('Control+V');
    const alert = page.getByRole('alert').filter({ hasText: 'The paste was not saved' });
    await alert.getByText('Deal Delta · Amount: Not a number.').waitFor();
    await alert.getByText('Deal Delta · Stage: No record has this name.').waitFor();
    await expect.poll(() => table().locator('td[data-paste-error]').count()).toBe(2);
    expect((await read('opportunity', deals['Deal Delta']!.id)).version).toBe(deals['Deal Delta']!.version);
    await alert.getByRole('button', { name: 'Close' }).click();
  });

  it('should show the server\'s refusal at its cell, and write nothing of the block', async () => {
    // Beta (2,000) is worth too little: the workspace's rule refuses it as won; the whole batch is refused.
    await putOnClipboard('1500\tProposal\n2000 USD\twon');
    await clickCell(cellOf('Deal Alpha', 1));
    await page.keyboard.press('Control+V');
    const alert = page.getByRole('alert').filter({ hasText: 'The paste was not saved' });
    await alert.getByText('Deal Beta · Stage: A won deal is worth 3,000 at least.').waitFor();
    await expect.poll(() => cellOf('Deal Beta', 2).getAttribute('data-paste-error')).not.toBeNull();
    await screenshot(page, 'table-03-paste-refused');
    await expectAccessible(page, 'paste refused by the server');
    expect((await read('opportunity', deals['Deal Alpha']!.id)).amount).toEqual({ amount: 1000, currency: 'EUR' });
    await alert.getByRole('button', { name: 'Close' }).click();
  });

  it('should paste a block in one batch request, and undo it', async () => {
    const batches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/records/opportunity/batch')) batches.push(request.postData() ?? '');
    });
    await putOnClipboard('1500\tProposal\n2000 USD\tmeeting\n');
    await clickCell(cellOf('Deal Alpha', 1));
    await page.keyboard.press('Control+V');
    await page.getByText('4 cells pasted').first().waitFor();
    await rowOf('Deal Beta').getByText('Meeting').waitFor();
    expect(batches).toHaveLength(1);
    const [alpha, beta] = [await read('opportunity', deals['Deal Alpha']!.id), await read('opportunity', deals['Deal Beta']!.id)];
    expect([alpha.amount, alpha.stage]).toEqual([{ amount: 1500, currency: 'EUR' }, stages.Proposal]);
    expect([beta.amount, beta.stage]).toEqual([{ amount: 2000, currency: 'USD' }, stages.Meeting]);
    await screenshot(page, 'table-04-pasted');

    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Paste undone: 4 cells restored').waitFor();
    expect(batches).toHaveLength(2);
    const [alphaAgain, betaAgain] = [await read('opportunity', deals['Deal Alpha']!.id), await read('opportunity', deals['Deal Beta']!.id)];
    expect([alphaAgain.amount, alphaAgain.stage]).toEqual([{ amount: 1000, currency: 'EUR' }, stages.Qualification]);
    expect([betaAgain.amount, betaAgain.stage]).toEqual([{ amount: 2500, currency: 'EUR' }, stages.Qualification]);
    await rowOf('Deal Beta').getByText('Qualification').waitFor();
  });

  it('should paste related records by their names, refusing a name two records share or none has', async () => {
    // Two companies named alike: a pasted "Hooli" cannot say which.
    for (const name of ['Hooli', 'Hooli']) await json(call('POST', '/records/company', { name }), 201);
    await openDeals();
    const company = (await headerOrder()).indexOf('company') - 1;
    const before = { delta: await read('opportunity', deals['Deal Delta']!.id), gamma: await read('opportunity', deals['Deal Gamma']!.id) };

    // Rows by name: Alpha, Beta, Delta, Gamma. Delta gets an ambiguous name, Gamma an unknown one.
    await putOnClipboard('Hooli\nNo Such Company');
    await clickCell(cellOf('Deal Delta', company));
    await page.keyboard.press('Control+V');
    const alert = page.getByRole('alert').filter({ hasText: 'The paste was not saved' });
    await alert.getByText('Deal Delta · Company: Several records have this name: pick one in the cell instead.').waitFor();
    await alert.getByText('Deal Gamma · Company: No record has this name.').waitFor();
    await expect.poll(() => table().locator('td[data-paste-error]').count()).toBe(2);
    await screenshot(page, 'table-04b-relation-paste-refused');
    await expectAccessible(page, 'relation paste refused');
    expect((await read('opportunity', deals['Deal Delta']!.id)).version).toBe(before.delta.version);
    expect((await read('opportunity', deals['Deal Gamma']!.id)).version).toBe(before.gamma.version);
    await alert.getByRole('button', { name: 'Close' }).click();

    // Alpha (Initech) and Beta (Umbrella) swap companies: "umbrella" is found whatever its case.
    await putOnClipboard('umbrella\nInitech');
    await clickCell(cellOf('Deal Alpha', company));
    await page.keyboard.press('Control+V');
    await page.getByText('2 cells pasted').first().waitFor();
    await rowOf('Deal Alpha').getByRole('link', { name: 'Umbrella' }).waitFor();
    expect((await read('opportunity', deals['Deal Alpha']!.id)).company).toBe(companies.Umbrella!.id);
    expect((await read('opportunity', deals['Deal Beta']!.id)).company).toBe(companies.Initech!.id);
    await screenshot(page, 'table-04c-relation-pasted');

    // Undo writes the previous companies back (as ids).
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Paste undone: 2 cells restored').waitFor();
    expect((await read('opportunity', deals['Deal Alpha']!.id)).company).toBe(companies.Initech!.id);
    expect((await read('opportunity', deals['Deal Beta']!.id)).company).toBe(companies.Umbrella!.id);
  });

  it('should paste owners by name or email', async () => {
    const roles = (await json<{ data: { id: string; name: string }[] }>(call('GET', '/roles'))).data;
    const richard = await json<{ id: string }>(call('POST', '/users', { email: 'richard@piedpiper.test', name: 'Richard Hendricks', password: 'middle out compression rocks', roleId: roles[0]!.id }), 201);
    const gavin = (await json<{ id: string }>(call('GET', '/users/me'))).id;
    await openDeals();
    const owner = (await headerOrder()).indexOf('owner') - 1;

    await putOnClipboard('richard hendricks\nGAVIN@HOOLI.TEST\nNobody Here');
    await clickCell(cellOf('Deal Alpha', owner));
    await page.keyboard.press('Control+V');
    const alert = page.getByRole('alert').filter({ hasText: 'The paste was not saved' });
    await alert.getByText('Deal Delta · Owner: No member has this name or email.').waitFor();
    await alert.getByRole('button', { name: 'Close' }).click();

    await putOnClipboard('richard hendricks\nGAVIN@HOOLI.TEST');
    await clickCell(cellOf('Deal Alpha', owner));
    await page.keyboard.press('Control+V');
    await page.getByText('2 cells pasted').first().waitFor();
    await rowOf('Deal Alpha').getByText('Richard Hendricks').waitFor();
    expect((await read('opportunity', deals['Deal Alpha']!.id)).owner).toBe(richard.id);
    expect((await read('opportunity', deals['Deal Beta']!.id)).owner).toBe(gavin);
    await screenshot(page, 'table-04d-owner-pasted');
    await expectAccessible(page, 'owners pasted');
  });

  it('should paste a one-line address into its parts, as the cell shows it', async () => {
    await page.goto('/objects/company?sort=name');
    await expectTitle(page, 'Companies');
    const companiesTable = page.getByRole('region', { name: 'Companies' });
    const initech = companiesTable.getByRole('row').filter({ has: page.getByRole('link', { name: 'Initech', exact: true }) });
    await initech.waitFor();
    const columns = await companiesTable.locator('thead th[data-column]').evaluateAll((cells) => cells.map((cell) => (cell as unknown as { dataset: { column: string } }).dataset.column));
    const address = columns.indexOf('address') - 1;

    await putOnClipboard('12 rue de la Paix, 75002 Paris, Île-de-France, France');
    await clickCell(initech.locator(`td[data-col="${address}"]`));
    await page.keyboard.press('Control+V');
    await page.getByText('1 cell pasted').first().waitFor();
    await initech.getByText('12 rue de la Paix, 75002 Paris, Île-de-France, France').waitFor();
    expect((await read('company', companies.Initech!.id)).address).toMatchObject({ street: '12 rue de la Paix', postalCode: '75002', city: 'Paris', region: 'Île-de-France', country: 'FR' });
    await screenshot(page, 'table-04e-address-pasted');
  });

  it('should offer long text as a hidden column, and paste plain text into a rich-text cell as escaped text', async () => {
    const task = await json<Rec>(call('POST', '/records/task', { title: 'Ring Initech' }), 201);
    await page.goto('/objects/task?sort=title');
    await expectTitle(page, 'Tasks');
    const tasks = page.getByRole('region', { name: 'Tasks' });
    const row = tasks.getByRole('row').filter({ has: page.getByRole('link', { name: 'Ring Initech', exact: true }) });
    await row.waitFor();
    // Long bodies are not shown until asked for.
    expect(await tasks.getByRole('columnheader', { name: 'Description' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'Description' }).click();
    await page.keyboard.press('Escape');
    await tasks.getByRole('columnheader', { name: 'Description' }).waitFor();

    const columns = await tasks.locator('thead th[data-column]').evaluateAll((cells) => cells.map((cell) => (cell as unknown as { dataset: { column: string } }).dataset.column));
    await putOnClipboard('Ask about <b>the renewal</b> & the invoice');
    await clickCell(row.locator(`td[data-col="${columns.indexOf('body') - 1}"]`));
    await page.keyboard.press('Control+V');
    await page.getByText('1 cell pasted').first().waitFor();
    // Shown as its text, stored as one paragraph with the markup escaped.
    await row.getByText('Ask about <b>the renewal</b> & the invoice').waitFor();
    expect((await read('task', task.id)).body).toBe('<p>Ask about &lt;b&gt;the renewal&lt;/b&gt; &amp; the invoice</p>');
    await screenshot(page, 'table-04f-rich-text-pasted');
  });

  it('should filter by a related record picked by name', async () => {
    await openDeals();
    await page.getByRole('button', { name: 'Add filter' }).click();
    const popover = page.getByRole('dialog');
    await popover.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Company', exact: true }).click();
    await popover.getByRole('combobox', { name: 'Condition' }).click();
    await page.getByRole('option', { name: 'is', exact: true }).click();
    const picker = popover.getByRole('combobox', { name: 'Value' });
    await picker.click();
    await picker.fill('Umbr');
    await page.getByRole('option', { name: 'Umbrella' }).click();
    await screenshot(page, 'table-05-relation-filter');
    await popover.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('list', { name: 'Active filters' }).getByText('Company is Umbrella').waitFor();
    await rowOf('Deal Beta').waitFor();
    await expect.poll(() => rowOf('Deal Alpha').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('filter')).toContain(companies.Umbrella!.id);
    await expectAccessible(page, 'relation filter');
  });

  it('should let a person reorder their favourites, with the arrows and by keyboard drag', async () => {
    for (const name of ['Deal Alpha', 'Deal Beta', 'Deal Gamma']) await json(call('POST', '/favourites', { object: 'opportunity', recordId: deals[name]!.id }), 201);
    await openDeals();
    const favouriteLinks = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Deal (Alpha|Beta|Gamma)$/ });
    await expect.poll(() => favouriteLinks.count()).toBe(3);
    await page.getByRole('button', { name: 'Reorder favourites' }).click();
    const dialog = page.getByRole('dialog', { name: 'Order of your favourites' });
    await dialog.getByRole('button', { name: 'Move Deal Gamma up' }).click();
    // Drag with the keyboard: Space picks Deal Alpha up, the arrow moves it down, Space drops it.
    const handle = dialog.getByRole('button', { name: 'Drag Deal Alpha' });
    await handle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => handle.getAttribute('aria-pressed')).toBe('true');
    // dnd-kit measures the places to drop on in the frames after the pick-up: an arrow before that moves nothing.
    await page.waitForTimeout(300);
    await page.keyboard.press('ArrowDown');
    // The item slides to its new place before it is dropped there.
    await page.waitForTimeout(400);
    await page.keyboard.press('Space');
    await expect.poll(() => dialog.locator('[data-reorder-item]').evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { reorderItem: string } }).dataset.reorderItem))).toEqual(['Deal Gamma', 'Deal Alpha', 'Deal Beta']);
    await screenshot(page, 'table-06-reorder-favourites');
    await expectAccessible(page, 'reorder favourites');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Order saved').waitFor();

    const order = (await json<{ data: { record: { label: string } }[] }>(call('GET', '/favourites'))).data.map((favourite) => favourite.record.label);
    expect(order).toEqual(['Deal Gamma', 'Deal Alpha', 'Deal Beta']);
    await page.reload();
    // After a reload the app starts again: the navigation shows the favourites once it has read them.
    await expectTitle(page, 'Opportunities');
    await expect.poll(() => favouriteLinks.allTextContents(), { timeout: 15_000 }).toEqual(['Deal Gamma', 'Deal Alpha', 'Deal Beta']);
  });

  it('should reorder favourites by dragging them in the navigation, with the pointer and the keyboard', async () => {
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    const favouriteLinks = nav.getByRole('link', { name: /^Deal (Alpha|Beta|Gamma)$/ });
    await expect.poll(() => favouriteLinks.allTextContents()).toEqual(['Deal Gamma', 'Deal Alpha', 'Deal Beta']);
    const saved = () => json<{ data: { record: { label: string } }[] }>(call('GET', '/favourites')).then((result) => result.data.map((favourite) => favourite.record.label));

    // The pointer: Deal Beta's handle dragged above Deal Gamma.
    const beta = nav.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Deal Beta', exact: true }) });
    await beta.hover();
    await screenshot(page, 'table-06b-favourite-handle');
    const handle = (await nav.getByRole('button', { name: 'Drag Deal Beta' }).boundingBox())!;
    const gamma = (await nav.getByRole('link', { name: 'Deal Gamma', exact: true }).boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 - 10, { steps: 3 });
    await page.mouse.move(handle.x + handle.width / 2, gamma.y + 4, { steps: 12 });
    await screenshot(page, 'table-06c-favourite-dragging');
    await page.mouse.up();
    await expect.poll(() => favouriteLinks.allTextContents()).toEqual(['Deal Beta', 'Deal Gamma', 'Deal Alpha']);
    await expect.poll(saved).toEqual(['Deal Beta', 'Deal Gamma', 'Deal Alpha']);

    // The keyboard: Space picks Deal Alpha up, the arrow moves it up one place, Space drops it.
    const alphaHandle = nav.getByRole('button', { name: 'Drag Deal Alpha' });
    await alphaHandle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => alphaHandle.getAttribute('aria-pressed')).toBe('true');
    // dnd-kit measures the places to drop on in the frames after the pick-up: an arrow before that moves nothing.
    await page.waitForTimeout(300);
    await page.keyboard.press('ArrowUp');
    // Dropped only once the move has landed (the live region says so).
    await page.getByText('Deal Alpha is now at position 2 of 3.').waitFor({ state: 'attached', timeout: 5_000 });
    await page.keyboard.press('Space');
    await expect.poll(() => favouriteLinks.allTextContents()).toEqual(['Deal Beta', 'Deal Alpha', 'Deal Gamma']);
    await expect.poll(saved).toEqual(['Deal Beta', 'Deal Alpha', 'Deal Gamma']);
    await expectAccessible(page, 'favourites reordered in the navigation');

    // The handle in the dark theme.
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await beta.hover();
    await screenshot(page, 'table-06d-favourite-handle-dark');
    await expectAccessible(page, 'favourites in the navigation, dark theme');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await expect.poll(() => colorScheme(page)).toBe('light');

    await page.reload();
    await expectTitle(page, 'Opportunities');
    await expect.poll(() => favouriteLinks.allTextContents(), { timeout: 15_000 }).toEqual(['Deal Beta', 'Deal Alpha', 'Deal Gamma']);
  });

  it('should let an administrator put the navigation\'s objects in order for everyone', async () => {
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await page.getByRole('button', { name: 'Reorder objects' }).click();
    const dialog = page.getByRole('dialog', { name: 'Order of objects in the navigation' });
    const items = () => dialog.locator('[data-reorder-item]').evaluateAll((list) => list.map((item) => (item as unknown as { dataset: { reorderItem: string } }).dataset.reorderItem));
    const start = await items();
    const steps = start.indexOf('Opportunities');
    for (let step = 0; step < steps; step += 1) await dialog.getByRole('button', { name: 'Move Opportunities up' }).click();
    await expect.poll(async () => (await items())[0]).toBe('Opportunities');
    await screenshot(page, 'table-07-reorder-objects');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Order saved').waitFor();

    const objectLinks = nav.getByRole('link', { name: /^(People|Companies|Opportunities)$/ });
    await expect.poll(async () => (await objectLinks.allTextContents())[0]).toBe('Opportunities');
    const order = await json<{ objects: string[] }>(call('GET', '/navigation'));
    expect(order.objects[0]).toBe('opportunity');
    await page.reload();
    await expectTitle(page, 'Opportunities');
    await expect.poll(async () => (await objectLinks.allTextContents())[0], { timeout: 15_000 }).toBe('Opportunities');
  });

  it('should show notes and tasks once on a record page: in the activities panel, not again as related lists', async () => {
    await page.goto(`/objects/company/${companies.Initech!.id}`);
    await expectTitle(page, 'Initech');
    await page.getByRole('tab', { name: /Notes/ }).waitFor();
    await page.getByRole('tab', { name: /Tasks/ }).waitFor();
    // The other related lists stay: the company's opportunities.
    await page.getByRole('heading', { level: 2, name: 'Opportunities' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Notes', exact: true }).count()).toBe(0);
    expect(await page.getByRole('heading', { level: 2, name: 'Tasks', exact: true }).count()).toBe(0);
    await screenshot(page, 'table-08-record-page');
    await expectAccessible(page, 'record page');
    expect(pageErrors).toEqual([]);
  });

  it('should show key fields in the header, the totals of related opportunities and one timeline of changes, notes and tasks', async () => {
    const initech = companies.Initech!;
    await json(call('POST', '/records/opportunity', { name: 'Deal Omega', stage: stages.Meeting, amount: { amount: 300, currency: 'USD' }, company: initech.id }), 201);
    const owned = await json<{ data: Rec[] }>(call('POST', '/records/opportunity/query', { filter: { field: 'company', op: 'eq', value: initech.id }, limit: 100 }));
    const sumOf = (currency: string) => owned.data.reduce((sum, deal) => sum + ((deal.amount as { amount: number; currency: string } | null)?.currency === currency ? (deal.amount as { amount: number }).amount : 0), 0);
    const money = (amount: number, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
    // A note, then a change of the company: the timeline shows the change first (newest first).
    await json(call('POST', '/records/note', { company: initech.id, title: 'Met their CTO at the fair', body: '<p>Met their CTO at the fair</p>' }), 201);
    await json(call('POST', '/records/task', { company: initech.id, title: 'Send the proposal' }), 201);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await json(call('PATCH', `/records/company/${initech.id}`, { domain: 'initech.test' }));

    await page.goto(`/objects/company/${initech.id}`);
    await expectTitle(page, 'Initech');
    const header = page.locator('[data-page-title]').locator('xpath=..');
    await header.getByText('initech.test').waitFor();
    expect(await header.locator('dt').allTextContents()).toEqual(['Domain', 'Industry', 'Annual revenue', 'Owner']);

    const related = page.getByRole('region', { name: 'Opportunities' });
    await related.getByText('Total amount').waitFor();
    expect(await related.locator('dd').allTextContents()).toEqual([money(sumOf('EUR'), 'EUR'), money(sumOf('USD'), 'USD')]);
    expect(sumOf('USD')).toBe(300);

    const all = page.getByRole('tabpanel', { name: 'All' });
    await all.getByRole('link', { name: 'Met their CTO at the fair' }).waitFor();
    const titles = await all.getByRole('heading', { level: 3 }).allTextContents();
    expect(titles.slice(0, 3)).toEqual(['Domain changed', 'Task added', 'Note added']);
    expect(titles.at(-1)).toBe('Created');
    await all.getByRole('link', { name: 'Send the proposal' }).waitFor();
    await screenshot(page, 'table-09-record-header-timeline');
    await expectAccessible(page, 'record page with key fields, totals and timeline');

    await related.scrollIntoViewIfNeeded();
    await screenshot(page, 'table-10-related-list-totals');

    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('tabpanel', { name: 'History' }).getByRole('heading', { name: 'Domain changed', level: 3 }).waitFor();
    // On a phone the key fields wrap under the title.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-page-title]').scrollIntoViewIfNeeded();
    await screenshot(page, 'table-11-record-header-phone');
    await page.setViewportSize({ width: 1366, height: 860 });

    // An opportunity's header: amount, stage, close date and owner.
    await page.goto(`/objects/opportunity/${deals['Deal Gamma']!.id}`);
    await expectTitle(page, 'Deal Gamma');
    await header.getByText('Gavin Belson').waitFor();
    expect(await header.locator('dt').allTextContents()).toEqual(['Amount', 'Stage', 'Close date', 'Owner']);
    expect(pageErrors).toEqual([]);
  });
});
