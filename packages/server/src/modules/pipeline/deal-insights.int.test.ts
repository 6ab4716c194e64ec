import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../../../../../tests/setup/engines.ts';
import { createTestApp, type TestApp } from '../../../../../tests/support/test-app.ts';
import { createTestUser } from '../../../../../tests/support/users.ts';
import { loadWorkspaceMeta } from '../../engine/metadata/metadata-store.ts';
import { checkStalledDeals } from './stalled-deals.ts';

describeEngines('deal insights, stalled deals and alerts', (engine) => {
  let t: TestApp;
  let stages: Record<string, string>;
  const table = () => sql.id(t.workspace.schema, 'opportunity');
  const db = () => t.testDatabase.database.db;

  beforeAll(async () => {
    t = await createTestApp(engine);
    stages = Object.fromEntries((await t.request('GET', '/api/v1/records/pipelineStage')).body.data.map((stage: { name: string; id: string }) => [stage.name, stage.id]));
  });
  afterAll(async () => t?.destroy());

  it('should say there is not enough history instead of guessing', async () => {
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Lonely deal', amount: { amount: 1000, currency: 'EUR' } })).body;
    const response = await t.request('GET', `/api/v1/records/opportunity/${deal.id}/insights`);
    expect(response.status).toBe(200);
    expect(response.body.winProbability).toEqual({ status: 'insufficientHistory', history: { closed: 0, won: 0, lost: 0 }, needed: { closed: 40, eachOutcome: 10 } });
    // A new deal with no contact person and a pipeline-stage start gets the matching hints only.
    expect(response.body.hints.map((hint: { code: string }) => hint.code)).toEqual(['noContactPerson']);
  });

  it('should learn from closed deals with a known signal, predict an open deal and name the factor', async () => {
    // Small deals were won, large ones lost: 30 of each.
    const eur = (amount: number) => ({ amount, currency: 'EUR' });
    const records = [
      ...Array.from({ length: 30 }, (_, i) => ({ name: `Small ${i}`, stage: stages.Won, amount: eur(1000 + i * 37), closeDate: '2026-06-01' })),
      ...Array.from({ length: 30 }, (_, i) => ({ name: `Large ${i}`, stage: stages.Lost, lossReason: 'price', amount: eur(80_000 + i * 991), closeDate: '2026-06-01' })),
    ];
    expect((await t.request('POST', '/api/v1/records/opportunity/batch', { records })).status).toBe(200);
    const trained = await t.request('POST', '/api/v1/win-probability/train');
    expect(trained.status).toBe(200);
    expect(trained.body).toMatchObject({ status: 'trained', history: { closed: 60, won: 30, lost: 30 } });
    expect(trained.body.evaluation.heldOut).toBe(12);
    expect(trained.body.evaluation.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(trained.body.model).toBeUndefined();
    const small = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Small open', amount: eur(1500) })).body;
    const large = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Large open', amount: eur(90_000) })).body;
    const smallInsight = (await t.request('GET', `/api/v1/records/opportunity/${small.id}/insights`)).body.winProbability;
    const largeInsight = (await t.request('GET', `/api/v1/records/opportunity/${large.id}/insights`)).body.winProbability;
    expect(smallInsight.status).toBe('trained');
    expect(smallInsight.probability).toBeGreaterThan(0.8);
    expect(largeInsight.probability).toBeLessThan(0.2);
    expect(smallInsight.factors[0]).toMatchObject({ feature: 'amount', label: 'Amount', direction: 'up' });
    expect(largeInsight.factors[0]).toMatchObject({ feature: 'amount', direction: 'down' });
    expect((await t.request('GET', '/api/v1/win-probability/model')).body).toMatchObject({ status: 'trained', history: { closed: 60 } });
  });

  it('should flag stalled deals by their pipeline rules and clear the flag when the condition ends', async () => {
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Sleepy deal', amount: { amount: 5000, currency: 'EUR' }, closeDate: '2030-01-01' })).body;
    // Created 40 days ago and in its stage for 70: the default pipeline flags 30 days without activity and 60 in a stage.
    await sql`update ${table()} set created_at = now() - interval '40 days', stage_entered_at = now() - interval '70 days', close_date = current_date - 1 where id = ${deal.id}`.execute(db());
    const workspace = await loadWorkspaceMeta(db(), t.workspace.id);
    const first = await checkStalledDeals(db(), workspace);
    expect(first.flagged).toBeGreaterThanOrEqual(1);
    const flagged = (await t.request('GET', `/api/v1/records/opportunity/${deal.id}`)).body;
    expect(flagged.stalledReasons).toEqual(['noActivity', 'longInStage', 'closeDatePassed']);
    const attention = await t.request('GET', `/api/v1/records/opportunity?filter=${encodeURIComponent(JSON.stringify({ field: 'stalledReasons', op: 'isNotEmpty' }))}&fields=name`);
    expect(attention.body.data.map((row: { name: string }) => row.name)).toContain('Sleepy deal');
    const hints = (await t.request('GET', `/api/v1/records/opportunity/${deal.id}/insights`)).body.hints.map((hint: { code: string }) => hint.code);
    expect(hints).toEqual(expect.arrayContaining(['noRecentContact', 'closeDatePassed', 'longInStage']));
    // A new close date clears its reason at once; a task about the deal clears "no activity" at the next check.
    const moved = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { closeDate: '2031-01-01' });
    expect(moved.body.stalledReasons).toEqual(['noActivity', 'longInStage']);
    await t.request('POST', '/api/v1/records/task', { title: 'Call the sleepy buyer', opportunity: deal.id });
    await checkStalledDeals(db(), workspace);
    const touched = (await t.request('GET', `/api/v1/records/opportunity/${deal.id}`)).body;
    expect(touched.stalledReasons).toEqual(['longInStage']);
    expect(Date.parse(touched.lastActivityAt)).toBeGreaterThan(Date.now() - 60_000);
    // Moving it on clears the rest; the deal's history shows who changed the flag.
    const next = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Meeting });
    expect(next.body.stalledReasons).toEqual([]);
    expect((await checkStalledDeals(db(), workspace)).flagged).toBe(0);
  });

  it('should alert on a rep whose activity dropped by more than half', async () => {
    const rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep', name: 'Quiet Quentin' });
    for (let i = 0; i < 8; i++) await t.request('POST', '/api/v1/records/note', { title: `Note ${i}` }, { authorization: `Bearer ${rep.token}` });
    // Six of the eight notes were written three weeks ago.
    await sql`update ${sql.id(t.workspace.schema, 'note')} set created_at = now() - interval '21 days' where created_by = ${rep.id} and id in (select id from ${sql.id(t.workspace.schema, 'note')} where created_by = ${rep.id} limit 6)`.execute(db());
    const response = await t.request('GET', '/api/v1/analytics/alerts?period=2026-Q4');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual(expect.arrayContaining([{ code: 'activityDrop', severity: 'warning', ownerId: rep.id, message: "Quiet Quentin's activity dropped 67% over the last two weeks (2 against 6)." }]));
  });

  it('should alert on pipeline coverage below the quota still to reach, and on a discount far above the usual', async () => {
    // A company quota for 2027-Q1 and one open deal of 40,000 closing in it: coverage 0.4.
    await t.request('POST', '/api/v1/records/goal', { kpi: 'revenueWon', period: '2027-Q1', target: 100_000, scope: 'company' });
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Next quarter', amount: { amount: 40_000, currency: 'EUR' }, closeDate: '2027-02-15', amountOverridden: true })).body;
    // Eleven lines at 5 % and one at 60 %: mean 9.6, standard deviation 15.9, so 60 % is past mean + 2 sd.
    const lines = [...Array.from({ length: 11 }, (_, i) => ({ name: `Seat ${i}`, discount: 5 })), { name: 'Friendly price', discount: 60 }];
    for (const line of lines) {
      expect((await t.request('POST', '/api/v1/records/opportunityLineItem', { opportunity: deal.id, quantity: 1, unitPrice: { amount: 100, currency: 'EUR' }, ...line })).status).toBe(201);
    }
    // Alerts look at the lines written since the period began: these as if written in January.
    await sql`update ${sql.id(t.workspace.schema, 'opportunity_line_item')} set created_at = '2027-01-10T10:00:00Z'`.execute(db());
    const response = await t.request('GET', '/api/v1/analytics/alerts?period=2027-Q1');
    expect(response.body.data).toEqual(expect.arrayContaining([
      { code: 'coverageBelowQuota', severity: 'warning', ownerId: null, message: 'Pipeline coverage is 0.4× the quota still to reach (2027-Q1).' },
      expect.objectContaining({ code: 'unusualDiscount', severity: 'info', message: 'A discount of 60% is far above the usual 10%.' }),
    ]));
  });
});
