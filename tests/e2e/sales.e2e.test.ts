import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './support/browser.ts';
import { clearScreenshots, expectAccessible, expectTitle, json, screenshot, signInPage, signUpAdmin, type ApiCall } from './support/journey.ts';
import { startE2eServer, type E2eServer } from './support/server.ts';
import { ensureWebBuild } from './support/web-build.ts';

const isCi = process.env.CI === 'true';
if (!hasChromium() && isCi) throw new Error(`${CHROMIUM_PATH} is missing: CI runs the browser journeys (.ci/run installs the chromium package).`);

const admin = { workspaceName: 'Vandelay Industries', name: 'Art Vandelay', email: 'art@vandelay.test', password: 'importer exporter of latex' };
const PERIOD = '2026-Q4';

interface Rec {
  id: string;
  version: number;
  [field: string]: unknown;
}

interface Forecast {
  currency: string;
  quota: number | null;
  closedWon: number;
  commit: number;
  bestCase: number;
  weightedPipeline: number;
  worstCase: number;
  bestOutcome: number;
  expected: number;
  trend?: { takenOn: string; commit: number; bestCase: number; closedWon: number }[];
}

// The sales screens on deals and goals made through the public API: the forecast's figures are the API's, for the
// company and for one rep; a rep moves a deal to Commit and commit follows; the dashboard's KPIs and chart; the
// leaderboard; the "Needs attention" preset and flags; the insights panel of a deal. Axe on each screen.
describe.skipIf(!hasChromium())('sales: forecast, dashboard, leaderboard, needs attention (Chromium)', { timeout: 180_000 }, () => {
  let app: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  const pageErrors: string[] = [];
  const stages: Record<string, string> = {};
  const deals: Record<string, Rec> = {};
  let rep: { id: string };
  let currency = 'EUR';
  let money: (value: number) => string;

  const forecastOf = (query = '') => json<Forecast>(call('GET', `/forecast?period=${PERIOD}${query}`));

  beforeAll(async () => {
    ensureWebBuild();
    clearScreenshots(/^(failed-)?sales-/);
    [app, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    ({ call } = await signUpAdmin(app, admin));
    currency = (await json<{ defaultCurrency: string }>(call('GET', '/workspace'))).defaultCurrency;
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 });
    money = (value) => format.format(value);
    const roles = (await json<{ data: { id: string }[] }>(call('GET', '/roles'))).data;
    rep = await json<{ id: string }>(call('POST', '/users', { email: 'kramer@vandelay.test', name: 'Cosmo Kramer', password: 'giddy up, the coffee table book', roleId: roles[0]!.id }), 201);
    const me = (await json<{ id: string }>(call('GET', '/users/me'))).id;
    await json(call('POST', '/teams', { name: 'East coast', memberIds: [me, rep.id] }), 201);
    for (const stage of (await json<{ data: Rec[] }>(call('GET', '/records/pipelineStage?sort=position&limit=100'))).data) stages[stage.name as string] = stage.id;

    for (const [name, stage, amount, closeDate, owner] of [
      ['Acme expansion', 'Meeting', 10_000, '2026-11-15', me],
      ['Hooli platform', 'Won', 5_000, '2026-10-20', me],
      ['Initech rollout', 'Proposal', 20_000, '2026-12-10', rep.id],
      ['Globex pilot', 'Negotiation', 8_000, '2026-11-30', rep.id],
      ['Kramerica deal', 'Won', 12_000, '2026-11-02', rep.id],
    ] as const) {
      deals[name] = await json<Rec>(call('POST', '/records/opportunity', { name, stage: stages[stage], owner, closeDate, amount: { amount, currency } }), 201);
    }
    // The company's quota for the quarter, and the rep's.
    await json(call('POST', '/records/goal', { kpi: 'revenueWon', period: PERIOD, target: 60_000, scope: 'company', owner: me }), 201);
    await json(call('POST', '/records/goal', { kpi: 'revenueWon', period: PERIOD, target: 30_000, scope: 'rep', owner: rep.id }), 201);

    context = await browser.newContext({ baseURL: app.url, locale: 'en-US', viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    page = await signInPage(context, admin, pageErrors);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) await screenshot(page, `failed-sales-${task.name.slice(0, 50).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const figure = (name: string) => page.locator(`[data-figure="${name}"] [data-value]`);
  const figures = async () => ({
    quota: await figure('quota').textContent(),
    closedWon: await figure('closedWon').textContent(),
    commit: await figure('commit').textContent(),
    bestCase: await figure('bestCase').textContent(),
    weightedPipeline: await figure('weightedPipeline').textContent(),
  });
  const expected = (forecast: Forecast) => ({
    quota: forecast.quota === null ? 'No quota' : money(forecast.quota),
    closedWon: money(forecast.closedWon),
    commit: money(forecast.commit),
    bestCase: money(forecast.bestCase),
    weightedPipeline: money(forecast.weightedPipeline),
  });
  const choose = async (select: Locator, option: string) => {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  it('should show the quarter\'s forecast with the API\'s figures, its range and a row per rep', async () => {
    await page.goto('/');
    // The navigation's Sales group leads to the forecast.
    await page.getByRole('navigation').getByRole('list', { name: 'Sales' }).getByRole('link', { name: 'Forecast', exact: true }).click();
    await expectTitle(page, 'Forecast');
    // A weekly snapshot of the company's forecast (the Monday job's), for "How the forecast moved".
    const snapshot = { takenOn: '2026-10-05', quota: 60_000, closedWon: 5_000, commit: 9_000, bestCase: 21_000, weightedPipeline: 14_000, worstCase: 6_000, bestOutcome: 40_000 };
    await json(call('POST', '/records/forecastSnapshot', { name: `Company ${PERIOD} ${snapshot.takenOn}`, period: PERIOD, scope: 'company', currency, ...snapshot }), 201);
    await page.goto(`/sales/forecast?period=${PERIOD}`);
    await expectTitle(page, 'Forecast');
    const company = await forecastOf();
    expect(company.trend).toEqual([expect.objectContaining({ takenOn: snapshot.takenOn, closedWon: 5_000, commit: 9_000, bestCase: 21_000 })]);
    const trendSection = page.getByRole('region', { name: 'How the forecast moved' });
    const trendRow = trendSection.getByRole('table').locator(`[data-snapshot="${snapshot.takenOn}"]`);
    await trendRow.waitFor();
    expect(await trendRow.getByRole('rowheader').textContent()).toBe('Oct 5, 2026');
    expect(await trendRow.locator('td').allTextContents()).toEqual([snapshot.closedWon, snapshot.commit, snapshot.bestCase].map(money));
    expect(company.closedWon).toBe(17_000);
    expect(company.quota).toBe(60_000);
    await expect.poll(figures, { timeout: 15_000 }).toEqual(expected(company));
    await page.getByText('28% of quota reached').waitFor();
    const range = page.locator('[data-range]');
    expect(await range.getAttribute('aria-label')).toBe(`Likely between ${money(company.worstCase)} and ${money(company.bestOutcome)}, expected ${money(company.expected)}, quota ${money(60_000)}`);
    await page.getByRole('heading', { name: 'How this is computed' }).waitFor();

    // The rep table asks each rep's forecast once it is on screen.
    const repForecast = await forecastOf(`&ownerId=${rep.id}`);
    const kramer = page.locator(`[data-rep="${rep.id}"]`);
    await kramer.scrollIntoViewIfNeeded();
    await expect.poll(async () => (await kramer.locator('td').allTextContents()).slice(0, 5), { timeout: 15_000 }).toEqual(
      [repForecast.quota!, repForecast.closedWon, repForecast.commit, repForecast.bestCase, repForecast.weightedPipeline].map(money),
    );
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'sales-01-forecast');
    await expectAccessible(page, 'forecast');
  });

  it('should switch to one rep and follow a deal moved to Commit', async () => {
    await choose(page.getByRole('combobox', { name: 'Rep', exact: true }), 'Cosmo Kramer');
    await expect.poll(() => new URL(page.url()).searchParams.get('rep')).toBe(rep.id);
    const before = await forecastOf(`&ownerId=${rep.id}`);
    expect(before.quota).toBe(30_000);
    await expect.poll(figures, { timeout: 15_000 }).toEqual(expected(before));
    // Only the rep's open deals are listed.
    const dealsTable = page.locator('[data-deals-table]');
    await dealsTable.getByRole('link', { name: 'Initech rollout' }).waitFor();
    expect(await dealsTable.getByRole('link', { name: 'Acme expansion' }).count()).toBe(0);

    const category = page.getByRole('combobox', { name: 'Forecast category of Initech rollout' });
    expect(await category.inputValue()).toBe('Best case');
    await choose(category, 'Commit');
    await page.getByText('Initech rollout is now in Commit').waitFor();
    await expect.poll(async () => (await json<Rec>(call('GET', `/records/opportunity/${deals['Initech rollout']!.id}`))).forecastCategory, { timeout: 10_000 }).toBe('commit');
    const after = await forecastOf(`&ownerId=${rep.id}`);
    expect(after.commit).toBe(before.commit + 20_000);
    await expect.poll(() => figure('commit').textContent(), { timeout: 15_000 }).toBe(money(after.commit));
    await expect.poll(figures, { timeout: 15_000 }).toEqual(expected(after));
    await expectAccessible(page, 'forecast of one rep');
  });

  it('should show the dashboard\'s KPIs with trends, closed won against quota and the alerts', async () => {
    await page.goto(`/sales?period=${PERIOD}`);
    await expectTitle(page, 'Sales dashboard');
    const kpis = await json<{ winRate: number | null; averageDealSize: number | null }>(call('GET', `/analytics/kpis?period=${PERIOD}`));
    const winRate = kpis.winRate === null ? '—' : `${Math.round(kpis.winRate * 100)}%`;
    await expect.poll(() => figure('winRate').textContent(), { timeout: 15_000 }).toBe(winRate);
    expect(await figure('averageDealSize').textContent()).toBe(kpis.averageDealSize === null ? '—' : money(kpis.averageDealSize));
    for (const name of ['Win rate', 'Conversion', 'Average deal size', 'Sales cycle', 'Pipeline velocity', 'Pipeline coverage']) await page.getByRole('region', { name, exact: true }).waitFor();
    await page.locator('[data-chart="closed-won"] svg').waitFor();
    // The chart's figures, for screen readers.
    const chartTable = page.getByRole('table', { name: 'Closed won vs quota' });
    await expect.poll(() => chartTable.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Q4 2026' }) }).locator('td').allTextContents(), { timeout: 15_000 }).toEqual([
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(17_000),
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(60_000),
    ]);
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    // The company's quarter goal: 17,000 won of 60,000.
    await page.getByRole('progressbar', { name: `Revenue won · ${PERIOD} · company: 28 % reached` }).waitFor();
    await screenshot(page, 'sales-02-dashboard');
    await expectAccessible(page, 'sales dashboard');
  });

  it('should show the leaderboard, or say why it does not', async () => {
    await page.goto(`/sales/leaderboard?period=${PERIOD}`);
    await expectTitle(page, 'Leaderboard');
    const answer = await call('GET', `/leaderboard?period=${PERIOD}`);
    if (answer.status === 404) {
      await page.getByText('The leaderboard is not available on this server yet.').waitFor();
    } else {
      const board = (await answer.json()) as { enabled: boolean; data: { name: string; points: number }[] };
      if (!board.enabled) await page.locator('[data-leaderboard-disabled]').waitFor();
      else if (board.data.length === 0) await page.getByText('No points yet').waitFor();
      else for (const row of board.data) await page.locator('[data-leaderboard]').getByRole('rowheader', { name: row.name, exact: true }).waitFor();
    }
    await screenshot(page, 'sales-03-leaderboard');
    await expectAccessible(page, 'leaderboard');
  });

  it('should show the point rules\' events in the interface language', async () => {
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('rapport.language', 'fr'));
    try {
      await page.goto('/objects/pointRule');
      await expectTitle(page, 'Règles de points');
      const table = page.getByRole('table').first();
      await table.getByRole('columnheader', { name: /Quand/ }).waitFor();
      await table.getByText('Une affaire est gagnée', { exact: true }).first().waitFor();
      await table.getByText('Une tâche est terminée', { exact: true }).first().waitFor();
      expect(await table.getByText('A deal is won', { exact: true }).count()).toBe(0);
      await screenshot(page, 'sales-03b-point-rules-fr');
    } finally {
      await page.evaluate(() => (globalThis as unknown as { localStorage: { removeItem(key: string): void } }).localStorage.removeItem('rapport.language'));
    }
  });

  it('should list the deals that need attention in one click, flagged with their reasons', async () => {
    // The stalled-deal check sets the reasons; as an administrator, the test sets them itself when the API lets it.
    const deal = await json<Rec>(call('GET', `/records/opportunity/${deals['Globex pilot']!.id}`));
    const set = await call('PATCH', `/records/opportunity/${deal.id}`, { stalledReasons: ['closeDatePassed', 'noActivity'] });
    await page.goto('/objects/opportunity');
    await expectTitle(page, 'Opportunities');
    const preset = page.getByRole('button', { name: 'Needs attention', exact: true });
    await preset.click();
    await expect.poll(() => JSON.parse(new URL(page.url()).searchParams.get('filter') ?? '[]')).toMatchObject([{ field: 'stalledReasons', op: 'isNotEmpty' }]);
    await expect.poll(() => preset.getAttribute('aria-pressed')).toBe('true');
    if (set.ok) {
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Globex pilot', exact: true }) });
      await row.getByRole('img', { name: 'Needs attention: no recent activity, close date passed' }).waitFor();
      expect(await page.getByRole('link', { name: 'Acme expansion', exact: true }).count()).toBe(0);
    }
    await expectAccessible(page, 'opportunities that need attention');
    if (set.ok) {
      // The board flags the same deal on its card.
      await page.getByText('Board', { exact: true }).click();
      const card = page.locator('[data-record-id]').filter({ has: page.getByRole('link', { name: 'Globex pilot', exact: true }) });
      await card.getByRole('img', { name: 'Needs attention: no recent activity, close date passed' }).waitFor();
      expect(await card.locator('[data-stalled]').getAttribute('data-stalled')).toBe('red');
      await expectAccessible(page, 'board of the deals that need attention');
      await page.getByText('Table', { exact: true }).click();
      await page.getByRole('region', { name: 'Opportunities' }).waitFor();
    }
    await preset.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('filter')).toBeNull();
  });

  it('should say a deal\'s win probability needs more history, then show it with its factors once trained', async () => {
    const id = deals['Acme expansion']!.id;
    await page.goto(`/objects/opportunity/${id}`);
    await expectTitle(page, 'Acme expansion');
    const early = await call('GET', `/records/opportunity/${id}/insights`);
    if (!early.ok) {
      // A server without insights: the record page has no panel.
      await page.getByRole('heading', { name: 'Details' }).first().waitFor();
      expect(await page.getByRole('heading', { name: 'Deal insights' }).count()).toBe(0);
      return;
    }
    await page.getByRole('heading', { name: 'Deal insights' }).waitFor();
    expect(((await early.json()) as { winProbability: { status: string } }).winProbability.status).toBe('insufficientHistory');
    await page.getByText(/^Not enough history yet: the win probability needs \d+ closed deals, and \d+ are closed so far\.$/).waitFor();
    await expectAccessible(page, 'deal insights without history');

    // A closed history of 2025 (outside the quarter shown above): 24 won, 20 lost, then the model is trained.
    const history = Array.from({ length: 44 }, (_, index) => {
      const isWon = index < 24;
      return {
        name: `History ${index + 1}`,
        stage: stages[isWon ? 'Won' : 'Lost'],
        owner: index % 2 === 0 ? rep.id : undefined,
        closeDate: `2025-${String((index % 12) + 1).padStart(2, '0')}-15`,
        amount: { amount: isWon ? 4_000 + index * 150 : 15_000 + index * 400, currency },
        ...(isWon ? {} : { lossReason: 'price' }),
      };
    });
    await json(call('POST', '/records/opportunity/batch', { records: history }));
    const trained = await call('POST', '/win-probability/train');
    const status = trained.ok ? ((await trained.json()) as { status: string }).status : 'none';
    const insights = await json<{ winProbability: { status: string; probability?: number; factors?: { label: string }[] } }>(call('GET', `/records/opportunity/${id}/insights`));
    await page.reload();
    await page.getByRole('heading', { name: 'Deal insights' }).waitFor();
    if (status === 'trained' && insights.winProbability.status === 'trained') {
      const percent = `${Math.round(insights.winProbability.probability! * 100)}%`;
      const panel = page.locator('[data-win-probability]');
      await panel.getByText(percent, { exact: true }).waitFor();
      await page.getByText('What moves it most').waitFor();
      expect(await panel.locator('[data-factor]').count()).toBe(Math.min(3, insights.winProbability.factors!.length));
      for (const factor of insights.winProbability.factors!.slice(0, 3)) await panel.getByText(factor.label, { exact: false }).first().waitFor();
      await panel.getByText(/^Model trained /).waitFor();

      // An administrator retrains the model from the panel: the insights are asked again and still show the probability.
      const retrained = page.waitForResponse((response) => response.url().endsWith('/api/v1/win-probability/train') && response.request().method() === 'POST');
      const refetched = page.waitForResponse((response) => response.url().includes(`/records/opportunity/${id}/insights`));
      await page.getByRole('button', { name: 'Retrain the model' }).click();
      expect((await retrained).status()).toBe(200);
      expect((await refetched).status()).toBe(200);
      await panel.getByText(/^\d+%$/).waitFor();
      await panel.getByText(/^Model trained /).waitFor();
      expect(await page.locator('#deal-insights-title').locator('xpath=..').getByRole('alert').count()).toBe(0);
    } else {
      await page.getByText(/^Not enough history yet/).waitFor();
    }
    await expectAccessible(page, 'deal insights');
  });

  it('should show a sales summary on the home screen', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: /^Sales in Q\d \d{4}$/ }).waitFor();
    await page.locator('#home-sales-title').locator('xpath=../..').locator('[data-figure="winRate"]').waitFor();
    await expectAccessible(page, 'home with the sales summary');
    expect(pageErrors).toEqual([]);
  });
});
