import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../../../../../tests/setup/engines.ts';
import { createTestApp, type TestApp } from '../../../../../tests/support/test-app.ts';

interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: string;
  requiredFields: string[];
  pipeline: string;
}

describeEngines('pipelines and stages', (engine) => {
  let t: TestApp;
  let stages: Record<string, Stage>;
  let pipelineId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const pipelines = await t.request('GET', '/api/v1/records/pipeline');
    pipelineId = pipelines.body.data[0].id;
    const list = await t.request('GET', `/api/v1/records/pipelineStage?sort=position&filter=${encodeURIComponent(JSON.stringify({ field: 'pipeline', op: 'eq', value: pipelineId }))}`);
    stages = Object.fromEntries(list.body.data.map((stage: Stage) => [stage.name, stage]));
  });
  afterAll(async () => t?.destroy());

  it('should start a workspace with the "New business" pipeline and its six stages in order', async () => {
    const pipelines = await t.request('GET', '/api/v1/records/pipeline');
    expect(pipelines.body.data.map((pipeline: { name: string }) => pipeline.name)).toEqual(['New business']);
    expect(Object.values(stages).sort((a, b) => a.position - b.position).map((stage) => [stage.name, stage.probability, stage.kind])).toEqual([
      ['Qualification', 10, 'open'],
      ['Meeting', 25, 'open'],
      ['Proposal', 50, 'open'],
      ['Negotiation', 75, 'open'],
      ['Won', 100, 'won'],
      ['Lost', 0, 'lost'],
    ]);
    expect(stages.Proposal!.requiredFields).toEqual(['amount', 'closeDate']);
  });

  it('should put a new deal in the first stage of the default pipeline with its probability and forecast category', async () => {
    const response = await t.request('POST', '/api/v1/records/opportunity', { name: 'Starter deal' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ pipeline: pipelineId, stage: stages.Qualification!.id, probability: 10, forecastCategory: 'pipeline' });
    expect(Date.parse(response.body.stageEnteredAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('should refuse to enter a stage without its required fields, naming each one, and write nothing', async () => {
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Needs numbers' })).body;
    const refused = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Proposal!.id });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors).toEqual(expect.arrayContaining([
      { field: 'amount', code: 'requiredByStage', message: 'Amount is required to enter the stage “Proposal”.' },
      { field: 'closeDate', code: 'requiredByStage', message: 'Close date is required to enter the stage “Proposal”.' },
    ]));
    expect((await t.request('GET', `/api/v1/records/opportunity/${deal.id}`)).body).toMatchObject({ version: 1, stage: stages.Qualification!.id });
    const moved = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Proposal!.id, amount: { amount: 5000, currency: 'EUR' }, closeDate: '2026-12-31' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ stage: stages.Proposal!.id, probability: 50, forecastCategory: 'bestCase' });
  });

  it('should require a loss reason to lose a deal, and close it at 0% with today as its close date', async () => {
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Slipping away' })).body;
    const refused = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Lost!.id });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ field: 'lossReason', code: 'requiredByStage', message: 'Loss reason is required to enter the stage “Lost”.' }]);
    const lost = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Lost!.id, lossReason: 'competitor' });
    expect(lost.body).toMatchObject({ probability: 0, forecastCategory: 'omitted', lossReason: 'competitor' });
    expect(lost.body.closeDate).toBe(new Date().toISOString().slice(0, 10));
  });

  it('should keep a probability or category given with the move, and leave them alone on writes that keep the stage', async () => {
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Confident', stage: stages.Meeting!.id, probability: 40, forecastCategory: 'commit' })).body;
    expect(deal).toMatchObject({ stage: stages.Meeting!.id, probability: 40, forecastCategory: 'commit' });
    const renamed = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { name: 'Confident deal' });
    expect(renamed.body).toMatchObject({ probability: 40, forecastCategory: 'commit', stageEnteredAt: deal.stageEnteredAt });
  });

  it('should refuse a stage of another pipeline and follow the stage when only the stage is given', async () => {
    const renewals = (await t.request('POST', '/api/v1/records/pipeline', { name: 'Renewals', position: 2 })).body;
    const due = (await t.request('POST', '/api/v1/records/pipelineStage', { name: 'Due', pipeline: renewals.id, position: 1, probability: 60 })).body;
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Yearly renewal', stage: due.id })).body;
    expect(deal).toMatchObject({ pipeline: renewals.id, stage: due.id, probability: 60 });
    const mixed = await t.request('POST', '/api/v1/records/opportunity', { name: 'Mixed up', pipeline: pipelineId, stage: due.id });
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors).toEqual([{ field: 'stage', code: 'stageNotInPipeline', message: "The stage “Due” is not a stage of this deal's pipeline." }]);
    // Moved to another pipeline without a stage: that pipeline's first stage.
    const moved = await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { pipeline: pipelineId });
    expect(moved.body).toMatchObject({ pipeline: pipelineId, stage: stages.Qualification!.id });
  });

  it('should refuse required fields that opportunities do not have', async () => {
    const response = await t.request('POST', '/api/v1/records/pipelineStage', { name: 'Odd', pipeline: pipelineId, position: 9, requiredFields: ['amount', 'shoeSize'] });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ field: 'requiredFields', code: 'unknownField', message: 'Opportunities have no field "shoeSize".' }]);
  });

  it('should refuse to trash a stage that deals are in', async () => {
    const response = await t.request('DELETE', `/api/v1/records/pipelineStage/${stages.Qualification!.id}`);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('RECORD_REFERENCED');
  });

  it('should give the stage history with the time spent in each stage and the cycle once closed', async () => {
    const deal = (await t.request('POST', '/api/v1/records/opportunity', { name: 'Travelled', amount: { amount: 900, currency: 'EUR' }, closeDate: '2026-12-01' })).body;
    await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Meeting!.id });
    await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Proposal!.id });
    await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { name: 'Travelled far' });
    // Times set back in the history so the durations are known: created 10 days ago, Meeting 7 days ago, Proposal 2 days ago.
    const db = t.testDatabase.database.db;
    const history = sql.id(t.workspace.schema, '_history');
    for (const [days, where] of [[10, sql`change_type = 'created'`], [7, sql`field = 'stage' and new_value = ${JSON.stringify(stages.Meeting!.id)}::jsonb`], [2, sql`field = 'stage' and new_value = ${JSON.stringify(stages.Proposal!.id)}::jsonb`]] as const) {
      await sql`update ${history} set occurred_at = now() - make_interval(days => ${days}) where record_id = ${deal.id} and ${where}`.execute(db);
    }
    await sql`update ${sql.id(t.workspace.schema, 'opportunity')} set created_at = now() - interval '10 days' where id = ${deal.id}`.execute(db);
    const open = await t.request('GET', `/api/v1/records/opportunity/${deal.id}/stage-history`);
    expect(open.status).toBe(200);
    expect(open.body.data.map((spell: { stage: { name: string }; durationDays: number; leftAt: string | null }) => [spell.stage.name, Math.round(spell.durationDays * 10) / 10, spell.leftAt === null])).toEqual([
      ['Qualification', 3, false],
      ['Meeting', 5, false],
      ['Proposal', 2, true],
    ]);
    expect(open.body.cycle).toMatchObject({ closedAt: null, days: null });
    await t.request('PATCH', `/api/v1/records/opportunity/${deal.id}`, { stage: stages.Won!.id });
    const won = await t.request('GET', `/api/v1/records/opportunity/${deal.id}/stage-history`);
    expect(won.body.data.at(-1)).toMatchObject({ stage: { name: 'Won', kind: 'won' }, leftAt: null });
    expect(Math.round(won.body.cycle.days)).toBe(10);
  });

  it('should answer 404 for the stage history of a deal that does not exist', async () => {
    const response = await t.request('GET', '/api/v1/records/opportunity/00000000-0000-4000-8000-000000000000/stage-history');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('RECORD_NOT_FOUND');
  });
});
