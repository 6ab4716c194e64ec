import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../../../../../tests/setup/engines.ts';
import { createTestApp, type TestApp } from '../../../../../tests/support/test-app.ts';
import { createTestUser, type TestUser } from '../../../../../tests/support/users.ts';
import { loadWorkspaceMeta } from '../../engine/metadata/metadata-store.ts';
import { takeForecastSnapshots } from './forecast-snapshots.ts';

// A quarter's deals whose figures are worked out by hand below (EUR is the workspace currency).
describeEngines('forecast', (engine) => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  let stages: Record<string, string>;
  let pipeline: string;
  const as = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    ann = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Sales rep', name: 'Ann' });
    bob = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Sales rep', name: 'Bob' });
    pipeline = (await t.request('GET', '/api/v1/records/pipeline')).body.data[0].id;
    stages = Object.fromEntries((await t.request('GET', '/api/v1/records/pipelineStage')).body.data.map((stage: { name: string; id: string }) => [stage.name, stage.id]));
    // USD: 1.25 per euro from 1 October, 1.10 from 1 November.
    for (const [rate, date] of [[1.25, '2026-10-01'], [1.1, '2026-11-01']] as const) {
      expect((await t.request('POST', '/api/v1/records/exchangeRate', { currency: 'USD', rate, date })).status).toBe(201);
    }
    const deal = (name: string, fields: Record<string, unknown>) => ({ name, owner: ann.id, ...fields });
    const eur = (amount: number) => ({ amount, currency: 'EUR' });
    const response = await t.request('POST', '/api/v1/records/opportunity/batch', {
      records: [
        // Won: 1,000 EUR and 200 USD at 1.10 (its close date is in November) = 181.82 EUR.
        deal('W1', { stage: stages.Won, amount: eur(1000), closeDate: '2026-10-10' }),
        deal('W2', { stage: stages.Won, amount: { amount: 200, currency: 'USD' }, closeDate: '2026-11-05' }),
        // Lost: counts nowhere.
        deal('L1', { stage: stages.Lost, lossReason: 'price', amount: eur(5000), closeDate: '2026-10-20' }),
        // Four open deals of 1,000 at 50%: two committed, one best case, one pipeline.
        deal('O1', { stage: stages.Proposal, amount: eur(1000), closeDate: '2026-12-15', forecastCategory: 'commit' }),
        deal('O2', { stage: stages.Proposal, amount: eur(1000), closeDate: '2026-12-16', forecastCategory: 'commit' }),
        deal('O3', { stage: stages.Proposal, amount: eur(1000), closeDate: '2026-12-17' }),
        deal('O4', { stage: stages.Proposal, amount: eur(1000), closeDate: '2026-12-18', forecastCategory: 'pipeline' }),
        // Omitted, and outside the quarter: count nowhere.
        deal('O5', { stage: stages.Proposal, amount: eur(3000), closeDate: '2026-12-19', forecastCategory: 'omitted' }),
        deal('X1', { stage: stages.Negotiation, amount: eur(7000), closeDate: '2027-01-15' }),
        // Bob's: 500 won in the quarter.
        { name: 'B1', owner: bob.id, stage: stages.Won, amount: eur(500), closeDate: '2026-11-11' },
      ],
    });
    expect(response.status).toBe(200);
    // Quotas: the company's for the quarter; Ann's as three monthly goals.
    await t.request('POST', '/api/v1/records/goal/batch', {
      records: [
        { kpi: 'revenueWon', period: '2026-Q4', target: 10_000, scope: 'company' },
        { kpi: 'revenueWon', period: '2026-10', target: 1000, scope: 'rep', owner: ann.id },
        { kpi: 'revenueWon', period: '2026-11', target: 2000, scope: 'rep', owner: ann.id },
        { kpi: 'revenueWon', period: '2026-12', target: 3000, scope: 'rep', owner: ann.id },
      ],
    });
  });
  afterAll(async () => t?.destroy());

  it('should compute a rep\'s quarter by hand: closed won, cumulative categories, weighted pipeline and the range', async () => {
    const response = await t.request('GET', `/api/v1/forecast?period=2026-Q4&pipeline=${pipeline}&ownerId=${ann.id}`);
    expect(response.status).toBe(200);
    // closedWon 1,000 + 181.82; commit adds O1 and O2; best case adds O3 (Proposal's category); weighted 4 × 500.
    // The range: 4 deals of 1,000 at 50% are Binomial(4, ½) × 1,000, whose 10% and 90% quantiles are 1,000 and 3,000.
    expect(response.body).toMatchObject({
      currency: 'EUR',
      quota: 6000,
      closedWon: 1181.82,
      commit: 3181.82,
      bestCase: 4181.82,
      weightedPipeline: 2000,
      expected: 3181.82,
      worstCase: 2181.82,
      bestOutcome: 4181.82,
      rangeMethod: 'monteCarlo',
      deals: { won: 2, lost: 1, open: 5 },
      unconverted: [],
      period: { key: '2026-Q4', start: '2026-10-01', end: '2027-01-01' },
    });
  });

  it('should give the company forecast with the company quota, and a month with no quota', async () => {
    const company = await t.request('GET', '/api/v1/forecast?period=2026-Q4');
    expect(company.body).toMatchObject({ quota: 10_000, closedWon: 1681.82, deals: { won: 3 } });
    const october = await t.request('GET', `/api/v1/forecast?period=2026-10&ownerId=${ann.id}`);
    expect(october.body).toMatchObject({ quota: 1000, closedWon: 1000, commit: 1000, weightedPipeline: 0, rangeMethod: 'exact' });
  });

  it('should show a rep only what they may see', async () => {
    const bobsView = await t.request('GET', '/api/v1/forecast?period=2026-Q4', undefined, as(bob));
    expect(bobsView.status).toBe(200);
    expect(bobsView.body).toMatchObject({ closedWon: 500, commit: 500, deals: { won: 1, lost: 0, open: 0 } });
  });

  it('should give the KPIs of the quarter: win rate, conversion, deal size, cycle, velocity and coverage', async () => {
    // Dates set so the figures do not depend on the day the test runs: W1 created 10 September and won 10 October
    // (30 days), W2 created 26 October and won 5 November (10 days), every other deal of Ann's created 1 November.
    const db = t.testDatabase.database.db;
    const table = sql.id(t.workspace.schema, 'opportunity');
    await sql`update ${table} set created_at = '2026-11-01T12:00:00Z' where name not in ('W1', 'W2', 'B1')`.execute(db);
    await sql`update ${table} set created_at = '2026-09-10T12:00:00Z', stage_entered_at = '2026-10-10T12:00:00Z' where name = 'W1'`.execute(db);
    await sql`update ${table} set created_at = '2026-10-26T12:00:00Z', stage_entered_at = '2026-11-05T12:00:00Z' where name = 'W2'`.execute(db);
    const response = await t.request('GET', `/api/v1/analytics/kpis?period=2026-Q4&ownerId=${ann.id}`);
    expect(response.status).toBe(200);
    // 2 won, 1 lost: 0.6667. Created in the quarter: 8 (all but W1), 1 of them won (W2): 0.125. 1,181.82 won over
    // 2 deals: 590.91. Cycles 30 and 10 days: 20. Open now: O1–O5 and X1, 6 deals: velocity 6 × 0.6667 × 590.91 ÷ 20
    // = 118.19 a day. Coverage: O1–O4's 4,000 ÷ (6,000 − 1,181.82) = 0.83.
    expect(response.body).toMatchObject({
      currency: 'EUR',
      winRate: 0.6667,
      conversionRate: 0.125,
      averageDealSize: 590.91,
      salesCycleDays: 20,
      pipelineVelocity: 118.19,
      coverage: 0.83,
      closedWon: 1181.82,
      openPipeline: 4000,
      quota: 6000,
      counts: { won: 2, lost: 1, created: 8, createdWon: 1, open: 6 },
      // The quarter before: W1 was created in it and won after it.
      previous: { period: { key: '2026-Q3' }, winRate: null, closedWon: 0, conversionRate: 1, counts: { created: 1, createdWon: 1 } },
    });
  });

  it('should rank the quarter\'s leaderboard by the point rules, with badges, and show a rep only their own board', async () => {
    const db = t.testDatabase.database.db;
    await sql`update ${sql.id(t.workspace.schema, 'opportunity')} set created_at = '2026-11-01T12:00:00Z' where name = 'B1'`.execute(db);
    const response = await t.request('GET', '/api/v1/leaderboard?period=2026-Q4');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ enabled: true, currency: 'EUR' });
    // Default rules: 50 a deal won, 10 a deal created. Ann: W1 and W2 won (100), 8 deals created this quarter (80).
    // Bob: B1 won and created (60).
    const [first, second] = response.body.data;
    expect(first).toMatchObject({ userId: ann.id, name: 'Ann', rank: 1, points: 180, dealsWon: 2, revenueWon: 1181.82, counts: { dealWon: 2, dealCreated: 8 } });
    expect(first.badges.map((badge: { key: string }) => badge.key)).toEqual(['topScorer', 'firstWin']);
    expect(second).toMatchObject({ userId: bob.id, rank: 2, points: 60, dealsWon: 1, revenueWon: 500 });
    const bobs = await t.request('GET', '/api/v1/leaderboard?period=2026-Q4', undefined, as(bob));
    expect(bobs.body.data.map((entry: { userId: string }) => entry.userId)).toEqual([bob.id]);
    // Switched off: no active rule.
    const rules = (await t.request('GET', '/api/v1/records/pointRule')).body.data;
    await t.request('POST', '/api/v1/records/pointRule/batch', { records: rules.map((rule: { id: string }) => ({ id: rule.id, isActive: false })) });
    expect((await t.request('GET', '/api/v1/leaderboard?period=2026-Q4')).body).toMatchObject({ enabled: false, rules: [] });
  });

  it('should keep a goal\'s period days and name, and refuse a bad period or a team goal without its team', async () => {
    const goal = await t.request('POST', '/api/v1/records/goal', { kpi: 'dealsWon', period: '2027-q1', target: 12, scope: 'company' });
    expect(goal.status).toBe(201);
    expect(goal.body).toMatchObject({ period: '2027-Q1', periodStart: '2027-01-01', periodEnd: '2027-03-31', name: 'Deals won · 2027-Q1 · company' });
    const bad = await t.request('POST', '/api/v1/records/goal', { kpi: 'dealsWon', period: 'next year', target: 12, scope: 'team' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: 'period', code: 'invalidFormat', message: 'A year, quarter or month: 2026, 2026-Q4 or 2026-11.' }]);
    const teamless = await t.request('POST', '/api/v1/records/goal', { kpi: 'dealsWon', period: '2027', target: 12, scope: 'team' });
    expect(teamless.body.errors).toEqual([{ field: 'team', code: 'required', message: 'A team goal names its team.' }]);
  });

  it('should count a deal where its manager puts it, which its rep may not change, and keep weekly snapshots', async () => {
    const o4 = (await t.request('GET', `/api/v1/records/opportunity?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'O4' }))}`)).body.data[0];
    const refused = await t.request('PATCH', `/api/v1/records/opportunity/${o4.id}`, { managerForecastCategory: 'commit' }, as(ann));
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('READ_ONLY_FIELD');
    const before = (await t.request('GET', `/api/v1/forecast?period=2026-Q4&ownerId=${ann.id}`)).body;
    expect((await t.request('PATCH', `/api/v1/records/opportunity/${o4.id}`, { managerForecastCategory: 'commit' })).status).toBe(200);
    const after = (await t.request('GET', `/api/v1/forecast?period=2026-Q4&ownerId=${ann.id}`)).body;
    // O4 (1,000, pipeline) now counts in commit; weighted and the range do not change.
    expect(after.commit).toBe(before.commit + 1000);
    expect(after.weightedPipeline).toBe(before.weightedPipeline);
    // A snapshot taken in the quarter: the forecast shows it as its trend, and a second run the same day adds none.
    const workspace = await loadWorkspaceMeta(t.testDatabase.database.db, t.workspace.id);
    const inQuarter = new Date('2026-11-16T08:00:00Z');
    expect(await takeForecastSnapshots(t.testDatabase.database.db, workspace, inQuarter)).toBeGreaterThan(0);
    expect(await takeForecastSnapshots(t.testDatabase.database.db, workspace, inQuarter)).toBe(0);
    const trended = (await t.request('GET', `/api/v1/forecast?period=2026-Q4&ownerId=${ann.id}`)).body;
    expect(trended.trend).toEqual([{ takenOn: '2026-11-16', commit: after.commit, bestCase: after.bestCase, closedWon: after.closedWon, weightedPipeline: after.weightedPipeline, quota: 6000 }]);
    // Ann sees her own snapshots, not the company's.
    expect((await t.request('GET', '/api/v1/forecast?period=2026-Q4', undefined, as(ann))).body.trend).toEqual([]);
    expect((await t.request('GET', `/api/v1/forecast?period=2026-Q4&ownerId=${ann.id}`, undefined, as(ann))).body.trend).toHaveLength(1);
  });

  it('should give each goal of the quarter its progress: Ann\'s monthly quotas and the company\'s', async () => {
    const response = await t.request('GET', '/api/v1/analytics/goals?period=2026-Q4');
    expect(response.status).toBe(200);
    const byName = Object.fromEntries(response.body.data.map((goal: { name: string; actual: number; progress: number }) => [goal.name, [goal.actual, goal.progress]]));
    // October: W1 (1,000); November: W2 (181.82) and Bob's B1 is not Ann's; December: nothing won yet. The company: all three.
    expect(byName).toMatchObject({
      'Revenue won · 2026-10 · rep': [1000, 1],
      'Revenue won · 2026-11 · rep': [181.82, 0.091],
      'Revenue won · 2026-12 · rep': [0, 0],
      'Revenue won · 2026-Q4 · company': [1681.82, 0.168],
    });
  });

  it('should refuse a bad period or id with per-field errors', async () => {
    const response = await t.request('GET', '/api/v1/forecast?period=Q4-2026&ownerId=ann');
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['ownerId', 'period']);
    expect((await t.request('GET', '/api/v1/forecast')).body.errors).toEqual([{ field: 'period', code: 'required', message: 'A period: 2026, 2026-Q4, 2026-11 or 2026-W48.' }]);
  });
});
