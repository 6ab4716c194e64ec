import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Vandelay Industries', name: 'Art Vandelay', email: 'art@vandelay.test', password: 'importer exporter of latex' };

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

// The opportunity board of one pipeline at a time: its stages as columns, switching pipelines, a move a stage's
// required fields refuse (filled in the dialog, then moved), and a rep's filter, on data made through the public API.
describe.skipIf(!hasChromium())('pipeline board: stages as columns, pipelines, required fields (Chromium)', { timeout: 120_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];
  /** Bodies of the board's list requests (`POST /records/opportunity/query`). */
  const listQueries: { filter?: unknown; limit?: number }[] = [];
  const stages: Record<string, string> = {};
  const deals: Record<string, Rec> = {};
  let sales: Rec;
  let renewals: Rec;
  let rep: { id: string };

  const read = (id: string) => json<Rec>(call('GET', `/records/opportunity/${id}`));

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?pipeline-board-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    const roles = (await json<{ data: { id: string }[] }>(call('GET', '/roles'))).data;
    rep = await json<{ id: string }>(call('POST', '/users', { email: 'kramer@vandelay.test', name: 'Cosmo Kramer', password: 'giddy up, the coffee table book', roleId: roles[0]!.id }), 201);
    const me = (await json<{ id: string }>(call('GET', '/users/me'))).id;

    // The workspace's own pipeline, and a second one with two stages of its own.
    sales = (await json<{ data: Rec[] }>(call('GET', '/records/pipeline'))).data[0]!;
    renewals = await json<Rec>(call('POST', '/records/pipeline', { name: 'Renewals', position: 2 }), 201);
    await json(call('POST', '/records/pipelineStage', { name: 'Due', pipeline: renewals.id, position: 1, probability: 60 }), 201);
    await json(call('POST', '/records/pipelineStage', { name: 'Renewed', pipeline: renewals.id, position: 2, probability: 100, kind: 'won' }), 201);
    for (const stage of (await json<{ data: Rec[] }>(call('GET', '/records/pipelineStage?sort=position&limit=100'))).data) stages[stage.name as string] = stage.id;

    for (const [name, stage, amount, owner] of [
      ['Acme expansion', 'Qualification', 1000, me],
      ['Globex pilot', 'Qualification', null, me],
      ['Initech rollout', 'Meeting', 3000, rep.id],
      ['Hooli platform', 'Won', 5000, rep.id],
      ['Acme renewal', 'Due', 800, rep.id],
    ] as const) {
      deals[name] = await json<Rec>(call('POST', '/records/opportunity', { name, stage: stages[stage], owner, ...(amount ? { amount: { amount, currency: 'EUR' } } : {}) }), 201);
    }

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/records/opportunity/query')) listQueries.push(JSON.parse(request.postData() ?? '{}'));
    });
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-pipeline-board-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const board = () => page.getByRole('region', { name: 'Opportunities by Stage' });
  const column = (name: string) => page.getByRole('region', { name, exact: true });
  const card = (name: string) => page.locator('[data-record-id]').filter({ has: page.getByRole('link', { name, exact: true }) });
  const titles = () => board().getByRole('heading', { level: 2 }).allTextContents();
  const pipelineSelect = () => page.getByRole('combobox', { name: 'Pipeline', exact: true });
  const choose = async (select: Locator, option: string) => {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  /** Drags a card by the pointer onto a column. */
  const drag = async (name: string, to: string) => {
    const from = (await card(name).boundingBox())!;
    const target = (await column(to).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height - 8);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height, { steps: 4 });
    await page.mouse.move(target.x + target.width / 2, target.y + 120, { steps: 12 });
    await page.mouse.up();
  };

  it('should show the stages of the default pipeline as columns, with probabilities, totals and days in stage', async () => {
    await page.goto('/objects/opportunity');
    await expectTitle(page, 'Opportunities');
    // The table lists every deal; from here on, the board's requests.
    await page.getByRole('region', { name: 'Opportunities' }).getByRole('link', { name: 'Acme renewal' }).waitFor();
    listQueries.length = 0;
    await page.getByText('Board', { exact: true }).click();
    await board().waitFor();
    await expect.poll(() => pipelineSelect().inputValue(), { timeout: 15_000 }).toBe('New business');
    await expect.poll(titles, { timeout: 15_000 }).toEqual(['Qualification', 'Meeting', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    // Only this pipeline's deals: the renewal is in the other one.
    await card('Acme expansion').waitFor();
    expect(await card('Acme renewal').count()).toBe(0);
    await column('Qualification').getByText('2 records').waitFor();
    await column('Won').getByLabel('Total Amount: €5,000.00').waitFor();
    expect(await column('Proposal').getByLabel('Probability 50%').textContent()).toBe('50%');
    expect(await column('Won').getAttribute('data-outcome')).toBe('won');
    expect(await column('Lost').getAttribute('data-outcome')).toBe('lost');
    expect(await column('Meeting').getAttribute('data-outcome')).toBeNull();
    // A card: the deal's probability and its days in the stage.
    await card('Acme expansion').getByLabel('Probability 10%').waitFor();
    await card('Acme expansion').getByText('0 d in stage').waitFor();
    await screenshot(page, 'pipeline-board-01-default');
    await expectAccessible(page, 'pipeline board');
    // Every list request of the board asked for this pipeline's deals, a page at a time.
    expect(listQueries.length).toBeGreaterThan(0);
    for (const query of listQueries) {
      expect(JSON.stringify(query.filter)).toContain(JSON.stringify({ field: 'pipeline', op: 'eq', value: sales.id }));
      expect(query.limit).toBe(100);
    }
  });

  it('should switch to another pipeline, its own stages and deals, kept in the address', async () => {
    await choose(pipelineSelect(), 'Renewals');
    await expect.poll(titles, { timeout: 15_000 }).toEqual(['Due', 'Renewed']);
    await card('Acme renewal').waitFor();
    expect(await card('Acme expansion').count()).toBe(0);
    await column('Due').getByText('1 record', { exact: true }).waitFor();
    await column('Due').getByLabel('Total Amount: €800.00').waitFor();
    expect(new URL(page.url()).searchParams.get('pipeline')).toBe(renewals.id);
    await screenshot(page, 'pipeline-board-02-renewals');

    await page.reload();
    await expect.poll(titles, { timeout: 15_000 }).toEqual(['Due', 'Renewed']);
    await expect.poll(() => pipelineSelect().inputValue(), { timeout: 15_000 }).toBe('Renewals');
    await choose(pipelineSelect(), 'New business');
    await expect.poll(titles, { timeout: 15_000 }).toEqual(['Qualification', 'Meeting', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    await card('Globex pilot').waitFor();
  });

  it('should refuse a move into Proposal without amount and close date, ask for them, and move with them', async () => {
    await drag('Globex pilot', 'Proposal');
    const dialog = page.getByRole('dialog', { name: 'Entering Proposal needs: Amount and Close date' });
    await dialog.waitFor();
    // Rolled back meanwhile: the card is where it was, and the server kept the stage.
    await column('Qualification').getByRole('link', { name: 'Globex pilot' }).waitFor();
    expect(await column('Proposal').getByRole('link', { name: 'Globex pilot' }).count()).toBe(0);
    await screenshot(page, 'pipeline-board-03-required-fields');
    await expectAccessible(page, 'required fields dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await read(deals['Globex pilot']!.id)).stage).toBe(stages.Qualification);

    await drag('Globex pilot', 'Proposal');
    await dialog.waitFor();
    // Move without filling them: the dialog says what is missing, nothing is sent.
    await dialog.getByRole('button', { name: 'Move' }).click();
    await dialog.getByText('This field is required.').first().waitFor();
    await dialog.getByLabel(/^Amount/).fill('12000');
    await dialog.getByLabel(/^Currency/).fill('EUR');
    await dialog.getByLabel(/^Close date/).fill('2026-12-31');
    await dialog.getByRole('button', { name: 'Move' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Globex pilot moved to Proposal').waitFor();
    await column('Proposal').getByRole('link', { name: 'Globex pilot' }).waitFor();
    await column('Proposal').getByLabel('Total Amount: €12,000.00').waitFor();
    await column('Qualification').getByText('1 record', { exact: true }).waitFor();
    const moved = await read(deals['Globex pilot']!.id);
    expect(moved).toMatchObject({ stage: stages.Proposal, amount: { amount: 12000, currency: 'EUR' }, closeDate: '2026-12-31', probability: 50 });
    await card('Globex pilot').getByLabel('Probability 50%').waitFor();
  });

  it('should narrow the board to one rep\'s deals with an owner filter, counts and sums included', async () => {
    const filter = JSON.stringify([{ field: 'owner', op: 'eq', value: rep.id }]);
    listQueries.length = 0;
    await page.goto(`/objects/opportunity?filter=${encodeURIComponent(filter)}`);
    await board().waitFor();
    await card('Initech rollout').waitFor();
    await card('Hooli platform').waitFor();
    expect(await card('Acme expansion').count()).toBe(0);
    expect(await card('Globex pilot').count()).toBe(0);
    // The rep's renewal is in the other pipeline: not counted here.
    await column('Qualification').getByText('0 records').waitFor();
    await column('Meeting').getByText('1 record', { exact: true }).waitFor();
    await column('Won').getByLabel('Total Amount: €5,000.00').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Opportunities' }).locator('xpath=..').getByLabel('2 records').waitFor();
    for (const query of listQueries) {
      expect(JSON.stringify(query.filter)).toContain(JSON.stringify({ field: 'owner', op: 'eq', value: rep.id }));
      expect(JSON.stringify(query.filter)).toContain(JSON.stringify({ field: 'pipeline', op: 'eq', value: sales.id }));
    }
    await screenshot(page, 'pipeline-board-04-rep');
    // The filter says whose deals: the rep's name, not an id.
    await page.getByText('Owner is Cosmo Kramer').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('should open a rep\'s board of the renewals from its saved view in the navigation, asking only for its deals', async () => {
    const view = await json<{ id: string }>(
      call('POST', '/views', {
        object: 'opportunity',
        name: 'Kramer renewals',
        type: 'kanban',
        visibility: 'shared',
        kanbanField: 'stage',
        filter: { and: [{ field: 'owner', op: 'eq', value: rep.id }, { field: 'pipeline', op: 'eq', value: renewals.id }] },
      }),
      201,
    );
    // Someone who last looked at the table: the view sets the board, its pipeline and its filter.
    await page.goto('/objects/person');
    await page.evaluate("localStorage.setItem('rapport.view.opportunity', 'table')");
    await page.reload();
    await expectTitle(page, 'People');
    listQueries.length = 0;
    const link = page.getByRole('navigation').getByRole('link', { name: 'Kramer renewals' });
    await link.click();
    await expect.poll(titles, { timeout: 15_000 }).toEqual(['Due', 'Renewed']);
    await card('Acme renewal').waitFor();
    expect(await card('Initech rollout').count()).toBe(0);
    await expect.poll(() => pipelineSelect().inputValue()).toBe('Renewals');
    await page.getByText('Owner is Cosmo Kramer').waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBe(view.id);
    // Only the rep's renewals were asked for, once (when the link was pressed): nothing for the table, all records or
    // another pipeline first, and not again as the page mounted.
    expect(listQueries).toHaveLength(1);
    for (const query of listQueries) expect(query).toMatchObject({ filter: { and: [{ field: 'owner', op: 'eq', value: rep.id }, { field: 'pipeline', op: 'eq', value: renewals.id }] }, limit: 100 });
    // "Move to…" opens its menu on first use.
    await card('Acme renewal').getByRole('button', { name: 'Move Acme renewal to…' }).click();
    await page.getByRole('menuitem', { name: 'Renewed' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem', { name: 'Renewed' }).waitFor({ state: 'hidden' });
    await screenshot(page, 'pipeline-board-05-saved-view');
    expect(pageErrors).toEqual([]);
  });
});
