// The sales targets of issue 6: the forecast of a quarter, and the list query of a pipeline board filtered to a rep
// (its end-to-end time in the browser is in scenarios-browser.ts). Each beside its raw SQL (raw-sql.ts).
import { sql, type RawBuilder } from 'kysely';
import { latency, ratioOf, type BenchContext, type ScenarioResult } from './bench-context.ts';
import { createSalesRawQueries } from './raw-sql.ts';
import { explainApiCall, injectOk } from './scenarios-read.ts';
import { explainQueries, type PlanSummary } from './sql-capture.ts';
import { formatMs, summarize, timeSequential, type Summary } from './stats.ts';
import { ensureDemoSalesOrg } from '../packages/server/src/modules/demo/demo-sales-org.ts';
import { periodOf } from '../packages/server/src/modules/pipeline/analytics/periods.ts';
import { readDefaultPipeline } from '../packages/server/src/modules/pipeline/pipeline-store.ts';
import { dealHistoryFeatures, generateDealHistory } from '../packages/server/src/modules/pipeline/win-probability/synthetic-history.ts';
import { trainWinModel } from '../packages/server/src/modules/pipeline/win-probability/win-model.ts';

const FORECAST_RUNS = 30;
const BOARD_RUNS = 100;
const MAX_MS = 120_000;
/** The web app's page size (packages/web/src/api/queries.ts, useRecordPages). */
export const BOARD_PAGE_SIZE = 100;

/** What the sales scenarios look at: the current quarter, the default pipeline, and the rep with most deals in it. */
export interface SalesScope {
  period: { key: string; start: string; end: string };
  pipelineId: string;
  ownerId: string;
  ownerName: string;
  /** The deals of that rep in that pipeline (all of them; the board shows the first page). */
  boardDeals: number;
  /** The body the board sends for its first page (as packages/web builds it: filter, count, includes). */
  boardBody: Record<string, unknown>;
  /** Raw SQL of the board's first page and count, p50 (ms): the browser figure is compared with it. */
  boardRawP50?: number;
  /** A shared kanban view of that board (owner = the rep, pipeline = the default one), made by the browser scenarios. */
  boardViewId?: string;
}

const explainRaw = (context: BenchContext, query: RawBuilder<unknown>) =>
  explainQueries(context.database.db, [query.compile(context.database.db)], () => true);

const describe = (label: string, plans: PlanSummary[]) => plans.map((plan) => ({ ...plan, path: `${label}: ${plan.path}${plan.hasSeqScan ? ' (SEQ SCAN)' : ''}` }));

/** Relations the web app's list asks to include: the first ten many-to-one and many-to-many fields in field order (web metadata.ts includesOf). */
const boardIncludes = (context: BenchContext): string[] => {
  const deal = context.workspace.objects.get('opportunity')!;
  return [...deal.fieldsByName.values()]
    .filter((field) => field.type === 'relation' && (field.options?.kind === 'manyToOne' || field.options?.kind === 'manyToMany') && !field.isSystem)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .slice(0, 10)
    .map((field) => field.name);
};

export const readSalesScope = async (context: BenchContext): Promise<SalesScope> => {
  const { database, workspace } = context;
  const pipeline = await readDefaultPipeline(database.db, workspace);
  if (!pipeline) throw new Error('the seeded workspace has no pipeline');
  const org = await ensureDemoSalesOrg(database.db, workspace.id);
  const reps = org.members.filter((member) => member.role === 'rep');
  const deal = workspace.objects.get('opportunity')!;
  const owner = sql.ref(deal.fieldsByName.get('owner')!.column);
  const { rows } = await sql<{ owner: string; deals: number }>`
    select ${owner}::text as owner, count(*)::int as deals from ${sql.id(workspace.schema, deal.table)}
    where deleted_at is null and ${sql.ref(deal.fieldsByName.get('pipeline')!.column)} = ${pipeline.id}::uuid and ${owner} = any(${reps.map((rep) => rep.id)}::uuid[])
    group by 1 order by 2 desc limit 1`.execute(database.db);
  const top = rows[0];
  if (!top) throw new Error('no rep owns a deal of the default pipeline');
  const rep = reps.find((member) => member.id === top.owner)!;
  const period = periodOf('quarter', new Date().toISOString().slice(0, 10));
  // The board's list: the URL's owner rule, then the pipeline condition the board appends (kanban-model.ts withCondition).
  const boardBody = {
    limit: BOARD_PAGE_SIZE,
    count: true,
    filter: { and: [{ field: 'owner', op: 'eq', value: rep.id }, { field: 'pipeline', op: 'eq', value: pipeline.id }] },
    include: boardIncludes(context),
  };
  return { period: { key: period.key, start: period.start, end: period.end }, pipelineId: pipeline.id, ownerId: rep.id, ownerName: rep.name, boardDeals: top.deals, boardBody };
};

const pass = (engine: BenchContext['engine'], summary: Summary, limitMs: number) => (engine === 'postgres' ? summary.p95 < limitMs : undefined);

/** `GET /forecast?period=<this quarter>` for the company and for one rep, as the administrator (the bench's API key). */
export const runForecastScenarios = async (context: BenchContext, scope: SalesScope): Promise<ScenarioResult[]> => {
  const { http, app, token, database, engine, workspace } = context;
  const raw = createSalesRawQueries(workspace);
  const results: ScenarioResult[] = [];
  for (const ownerId of [undefined, scope.ownerId]) {
    const path = `/api/v1/forecast?period=${scope.period.key}${ownerId ? `&ownerId=${ownerId}` : ''}`;
    const check = await http.json<{ quota: number | null; deals: { won: number; lost: number; open: number }; rangeMethod: string; expected: number; commit: number }>('GET', path);
    // Warm: the quarter's part of the covering index read into shared buffers, as on a server in use.
    for (let index = 0; index < 10; index++) await http.json('GET', path);
    const overHttp = summarize(await timeSequential({ count: FORECAST_RUNS, maxMs: MAX_MS, fn: () => http.json('GET', path) }));
    const inProcess = summarize(await timeSequential({ count: FORECAST_RUNS, maxMs: MAX_MS, fn: () => injectOk(app, token, 'GET', path) }));
    const query = raw.forecast(scope.period, ownerId);
    const rawSql = summarize(await timeSequential({ count: FORECAST_RUNS, maxMs: MAX_MS, fn: () => query.execute(database.db) }));
    const { rows: groups } = await query.execute(database.db);
    const plans = [
      ...describe('API', await explainApiCall(context, undefined, (diagnostic) => injectOk(diagnostic, token, 'GET', path))),
      ...describe('raw', await explainRaw(context, query)),
    ];
    const deals = check.data.deals;
    results.push({
      name: `Forecast of ${scope.period.key} (\`GET /forecast\`, ${ownerId ? `one rep: ${scope.ownerName}` : 'the company'}, as admin)`,
      target: engine === 'postgres' ? '< 500 ms' : 'none (PostgreSQL target: < 500 ms)',
      pass: pass(engine, overHttp, 500),
      api: latency(overHttp, formatMs),
      inject: latency(inProcess, formatMs),
      raw: latency(rawSql, formatMs),
      ratio: `${ratioOf(overHttp.p50, rawSql.p50)} p50, ${ratioOf(overHttp.p95, rawSql.p95)} p95`,
      notes: [
        `${(deals.won + deals.lost + deals.open).toLocaleString('en-US')} deals close in ${scope.period.key} (${deals.won} won, ${deals.lost} lost, ${deals.open} open) in ${groups.length.toLocaleString('en-US')} groups; quota ${check.data.quota ?? 'none'}, commit ${check.data.commit}, expected ${check.data.expected}, range ${check.data.rangeMethod}`,
        'raw SQL: the grouped query alone (no exchange-rate lookup, no quota, no range); target judged on the HTTP p95',
      ],
      plans,
    });
  }
  return results;
};

/** The board's first page (`POST /records/opportunity/query`, the body the web app sends) against its raw SQL. */
export const runBoardQueryScenario = async (context: BenchContext, scope: SalesScope): Promise<ScenarioResult> => {
  const { http, app, token, database, workspace } = context;
  const raw = createSalesRawQueries(workspace);
  const path = '/api/v1/records/opportunity/query';
  const check = await http.json<{ data: unknown[]; totalCount?: number; pageInfo?: { totalCount?: number } }>('POST', path, scope.boardBody);
  for (let index = 0; index < 10; index++) await http.json('POST', path, scope.boardBody);
  const overHttp = summarize(await timeSequential({ count: BOARD_RUNS, maxMs: MAX_MS, fn: () => http.json('POST', path, scope.boardBody) }));
  const inProcess = summarize(await timeSequential({ count: BOARD_RUNS, maxMs: MAX_MS, fn: () => injectOk(app, token, 'POST', path, scope.boardBody) }));
  const page = raw.boardPage(scope.pipelineId, scope.ownerId, BOARD_PAGE_SIZE);
  const count = raw.boardCount(scope.pipelineId, scope.ownerId);
  const rawSql = summarize(await timeSequential({ count: BOARD_RUNS, maxMs: MAX_MS, fn: async () => {
    await page.execute(database.db);
    await count.execute(database.db);
  } }));
  scope.boardRawP50 = rawSql.p50;
  const plans = [
    ...describe('API', await explainApiCall(context, 'opportunity', (diagnostic) => injectOk(diagnostic, token, 'POST', path, scope.boardBody))),
    ...describe('raw page', await explainRaw(context, page)),
    ...describe('raw count', await explainRaw(context, count)),
  ];
  return {
    name: `Pipeline board's list query (one pipeline, one rep: first ${BOARD_PAGE_SIZE} deals with their count and includes)`,
    target: 'none (the board end to end in the browser: < 300 ms)',
    api: latency(overHttp, formatMs),
    inject: latency(inProcess, formatMs),
    raw: latency(rawSql, formatMs),
    ratio: `${ratioOf(overHttp.p50, rawSql.p50)} p50, ${ratioOf(overHttp.p95, rawSql.p95)} p95`,
    notes: [
      `${check.data.data.length} deals on the page of ${scope.boardDeals.toLocaleString('en-US')} (${scope.ownerName} in the default pipeline; count ${check.data.totalCount ?? check.data.pageInfo?.totalCount ?? '—'}); body ${JSON.stringify(scope.boardBody)}`,
      `raw SQL: the page (\`order by created_at desc, id desc limit ${BOARD_PAGE_SIZE + 1}\`) then the count, without the includes' lookups`,
    ],
    plans,
  };
};

/**
 * The win-probability model (issue 6, P7) on a generated history with a known signal (synthetic-history.ts): its
 * held-out accuracy and AUC against always answering the commoner outcome, and how long 20,000 deals take to train.
 */
export const runWinModelScenario = (): ScenarioResult => {
  const examples = generateDealHistory({ count: 20_000, seed: 7 });
  const started = performance.now();
  const result = trainWinModel(examples, { features: dealHistoryFeatures });
  const ms = performance.now() - started;
  if (result.status !== 'trained') return { name: 'Win probability on 20,000 generated deals', pass: false, api: `not trained: ${result.status}`, notes: [], plans: [] };
  const { accuracy, auc, brier, baselineAccuracy, heldOut } = result.evaluation;
  return {
    name: 'Win probability on 20,000 generated deals (known signal, 20% held out)',
    target: 'held-out accuracy ≥ 0.75 and AUC ≥ 0.80, above the baseline',
    pass: accuracy >= 0.75 && auc >= 0.8 && accuracy > baselineAccuracy,
    api: `accuracy ${accuracy.toFixed(3)} · AUC ${auc.toFixed(3)} · Brier ${brier.toFixed(3)} (n=${heldOut})`,
    raw: `baseline accuracy ${baselineAccuracy.toFixed(3)}`,
    notes: [`trained (held-out fit, then the refit on all deals) in ${formatMs(ms)}`, 'features: stage reached, days since the last activity, activity count, amount, industry (signal) and three noise features'],
    plans: [],
  };
};
