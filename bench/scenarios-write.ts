import { randomBytes } from 'node:crypto';
import { latency, ratioOf, type BenchContext, type ScenarioResult } from './bench-context.ts';
import { formatMs, summarize, timeSequential } from './stats.ts';

const CREATES = 500;
const BATCH_SIZE = 1000;
const BATCH_REPEATS = 5;

const personBody = (tag: string, index: number) => ({
  firstName: 'Bench',
  lastName: `Writer ${index}`,
  email: `bench.${tag}.${index}@example.com`,
  phone: '+33 6 12 34 56 78',
  jobTitle: 'Load tester',
  address: { city: 'Lyon', country: 'FR' },
});

export const runCreateScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { http, raw, database } = context;
  const tag = randomBytes(4).toString('hex');
  for (let index = 0; index < 10; index++) await http.json('POST', '/api/v1/records/person', personBody(`${tag}w`, index));
  const overHttp = summarize(await timeSequential({ count: CREATES, maxMs: 120_000, fn: (index) => http.json('POST', '/api/v1/records/person', personBody(tag, index)) }));
  const rawSql = summarize(await timeSequential({ count: CREATES, maxMs: 120_000, fn: (index) => raw.insertPeople(1, `${tag}.${index}`).execute(database.db) }));
  return {
    name: 'Create one person at a time (sequential, 500 creates)',
    target: 'p50 < 7 ms',
    pass: overHttp.p50 < 7,
    api: latency(overHttp, formatMs),
    raw: latency(rawSql, formatMs),
    ratio: ratioOf(overHttp.p50, rawSql.p50),
    notes: ['raw: one single-row INSERT in autocommit, no history, no events, no validation'],
    plans: [],
  };
};

export const runBatchScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { http, raw, database } = context;
  const apiTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let repeat = 0; repeat < BATCH_REPEATS; repeat++) {
    const tag = randomBytes(4).toString('hex');
    const records = Array.from({ length: BATCH_SIZE }, (_, index) => personBody(tag, index));
    const { data, ms } = await http.json<{ meta: { created: number } }>('POST', '/api/v1/records/person/batch', { records });
    if (data.meta.created !== BATCH_SIZE) throw new Error(`batch created ${data.meta.created} of ${BATCH_SIZE}`);
    apiTimes.push(ms);
    const started = performance.now();
    await raw.insertPeople(BATCH_SIZE, `raw${tag}`).execute(database.db);
    rawTimes.push(performance.now() - started);
  }
  const overHttp = summarize(apiTimes);
  const rawSql = summarize(rawTimes);
  return {
    name: `Batch create of ${BATCH_SIZE} people (POST …/person/batch, ${BATCH_REPEATS} repeats)`,
    target: 'median < 0.35 s',
    pass: overHttp.p50 < 350,
    api: `median ${formatMs(overHttp.p50)} · min ${formatMs(overHttp.min)} · max ${formatMs(overHttp.max)}`,
    raw: `median ${formatMs(rawSql.p50)} · min ${formatMs(rawSql.min)} · max ${formatMs(rawSql.max)}`,
    ratio: ratioOf(overHttp.p50, rawSql.p50),
    notes: ['raw: one multi-row INSERT of 1000 rows (7 columns)'],
    plans: [],
  };
};
