import type { FastifyInstance } from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import { latency, ratioOf, type BenchContext, type ScenarioResult } from './bench-context.ts';
import { columnOf } from './raw-sql.ts';
import { explainQueries, type PlanSummary } from './sql-capture.ts';
import { formatMs, summarize, timeSequential } from './stats.ts';

const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'BR'];
const REQUESTS = 300;
const SCENARIO_MAX_MS = 120_000;

interface Page {
  data: Record<string, unknown>[];
  pageInfo: { nextCursor: string | null; hasNextPage: boolean };
}

export const pagePath = (country: string, cursor?: string) =>
  `/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify({ field: 'address.country', op: 'eq', value: country }))}&sort=lastName&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

export const injectOk = async (app: FastifyInstance, token: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const response = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`${method} ${url.slice(0, 200)} → ${response.statusCode}: ${response.body.slice(0, 500)}`);
  return response;
};

/** EXPLAIN ANALYZE of the statements one API call ran against `table` (every object table when omitted). */
export const explainApiCall = async (context: BenchContext, table: string | undefined, call: (app: FastifyInstance) => Promise<unknown>): Promise<PlanSummary[]> => {
  const { queries } = await context.diagnostic.capture.record(() => call(context.diagnostic.app));
  return explainQueries(context.database.db, queries, (text) => (table ? text.includes(`"${table}"`) : text.includes(`"${context.workspace.schema}"`)));
};

const explainRaw = (context: BenchContext, query: RawBuilder<unknown>) => explainQueries(context.database.db, [query.compile(context.database.db)], () => true);

const describePlans = (label: string, plans: PlanSummary[]) =>
  plans.map((plan) => ({ ...plan, path: `${label}: ${plan.path}${plan.hasSeqScan ? ' (SEQ SCAN)' : ''}` }));

export const runPageScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { http, app, token, raw, database, engine } = context;
  const path = (index: number) => pagePath(COUNTRIES[index % COUNTRIES.length]!);
  for (let index = 0; index < 20; index++) await http.json('GET', path(index));
  const first = await http.json<Page>('GET', path(0));
  const notes: string[] = [];
  if (first.data.data.length !== 50) notes.push(`first page has ${first.data.data.length} rows, expected 50`);
  const overHttp = summarize(await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => http.json('GET', path(index)) }));
  const inProcess = summarize(await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => injectOk(app, token, 'GET', path(index)) }));
  const rawSql = summarize(await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => raw.page(COUNTRIES[index % COUNTRIES.length]!).execute(database.db) }));
  const plans = [
    ...describePlans('API', await explainApiCall(context, 'person', (diagnostic) => injectOk(diagnostic, token, 'GET', path(0)))),
    ...describePlans('raw', await explainRaw(context, raw.page('FR'))),
  ];
  return {
    name: 'Filtered, sorted first page (50 people, country = X, sort lastName)',
    target: engine === 'postgres' ? 'p95 < 20 ms' : 'none (PostgreSQL target: p95 < 20 ms)',
    pass: engine === 'postgres' ? overHttp.p95 < 20 : undefined,
    api: latency(overHttp, formatMs),
    inject: latency(inProcess, formatMs),
    raw: latency(rawSql, formatMs),
    ratio: `${ratioOf(overHttp.p50, rawSql.p50)} p50, ${ratioOf(overHttp.p95, rawSql.p95)} p95`,
    notes,
    plans,
  };
};

const DEEP_PAGES = 100;

export const runDeepCursorScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { http, raw, database, token } = context;
  const lastPages: number[] = [];
  const notes: string[] = [];
  let deepest: { country: string; cursor: string; lastName: string; id: string } | undefined;
  for (const country of ['US', 'DE', 'FR']) {
    let cursor: string | undefined;
    let pages = 0;
    for (; pages < DEEP_PAGES; pages++) {
      const page = await http.json<Page>('GET', pagePath(country, cursor));
      if (pages >= DEEP_PAGES - 10) lastPages.push(page.ms);
      const last = page.data.data.at(-1);
      if (pages === DEEP_PAGES - 2 && cursor !== undefined && last && page.data.pageInfo.nextCursor) {
        deepest = { country, cursor: page.data.pageInfo.nextCursor, lastName: String(last.lastName), id: String(last.id) };
      }
      if (!page.data.pageInfo.nextCursor) break;
      cursor = page.data.pageInfo.nextCursor;
    }
    if (pages < DEEP_PAGES) notes.push(`${country}: only ${pages + 1} pages of data`);
  }
  const overHttp = summarize(lastPages);
  const rawSql = deepest
    ? summarize(await timeSequential({ count: 30, maxMs: SCENARIO_MAX_MS, fn: () => raw.pageAfter(deepest.country, deepest.lastName, deepest.id).execute(database.db) }))
    : undefined;
  const plans = deepest
    ? [
        ...describePlans('API page 100', await explainApiCall(context, 'person', (diagnostic) => injectOk(diagnostic, token, 'GET', pagePath(deepest.country, deepest.cursor)))),
        ...describePlans('raw page 100', await explainRaw(context, raw.pageAfter(deepest.country, deepest.lastName, deepest.id))),
      ]
    : [];
  return {
    name: 'Deep cursor page (pages 91–100 following nextCursor, 3 countries)',
    target: 'none (compare with the first page)',
    api: `p50 ${formatMs(overHttp.p50)} · max ${formatMs(overHttp.max)} (n=${overHttp.n})`,
    raw: rawSql ? latency(rawSql, formatMs) : '—',
    ratio: rawSql ? ratioOf(overHttp.p50, rawSql.p50) : '—',
    notes,
    plans,
  };
};

interface SearchTerm {
  kind: string;
  q: string;
}

/** Terms drawn from the data: frequent and rare names, a prefix, a typo, other scripts, an email, a phone. */
export const pickSearchTerms = async (context: BenchContext): Promise<SearchTerm[]> => {
  const { workspace, database } = context;
  const person = workspace.objects.get('person')!;
  const table = sql.id(workspace.schema, person.table);
  const last = sql.ref(columnOf(person, 'lastName'));
  const first = sql.ref(columnOf(person, 'firstName'));
  const country = sql.ref(columnOf(person, 'address.country'));
  const one = async (query: ReturnType<typeof sql<{ value: string }>>) => (await query.execute(database.db)).rows[0]?.value;
  // A sample keeps these lookups cheap at a million rows.
  const sample = sql`(select * from ${table} where deleted_at is null limit 50000) s`;
  const commonLast = (await one(sql<{ value: string }>`select ${last} as value from ${sample} where ${country} in ('US','DE','FR') group by 1 order by count(*) desc limit 1`)) ?? 'Smith';
  const commonFirst = (await one(sql<{ value: string }>`select ${first} as value from ${sample} group by 1 order by count(*) desc limit 1`)) ?? 'Anna';
  const cjk = (await one(sql<{ value: string }>`select ${last} || ${first} as value from ${sample} where ${country} in ('CN','JP') limit 1`)) ?? '王伟';
  const cyrillic = (await one(sql<{ value: string }>`select ${last} as value from ${sample} where ${country} = 'RU' limit 1`)) ?? 'Иванов';
  const email = (await one(sql<{ value: string }>`select ${sql.ref(columnOf(person, 'email'))} as value from ${sample} offset 777 limit 1`)) ?? 'someone@example.com';
  const phone = (await one(sql<{ value: string }>`select ${sql.ref(columnOf(person, 'phone'))} as value from ${sample} where ${sql.ref(columnOf(person, 'phone'))} is not null offset 333 limit 1`)) ?? '+33612345678';
  const swap = (word: string) => (word.length >= 4 ? `${word.slice(0, 1)}${word[2]}${word[1]}${word.slice(3)}` : `${word}x`);
  return [
    { kind: 'common last name', q: commonLast },
    { kind: 'first-name prefix (3 letters)', q: commonFirst.slice(0, 3) },
    { kind: 'typo in a common last name', q: swap(commonLast) },
    { kind: 'full name', q: `${commonFirst} ${commonLast}` },
    { kind: 'rare: exact email', q: email },
    { kind: 'phone number', q: phone },
    { kind: 'CJK name', q: cjk },
    { kind: 'Cyrillic name', q: cyrillic },
    { kind: 'two letters', q: commonLast.slice(0, 2) },
    { kind: 'no match', q: 'zzqxv' },
  ];
};

export const runSearchScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { http, app, token, raw, database } = context;
  const terms = await pickSearchTerms(context);
  const path = (index: number) => `/api/v1/search?q=${encodeURIComponent(terms[index % terms.length]!.q)}`;
  const hits: number[] = [];
  for (let index = 0; index < terms.length; index++) hits.push((await http.json<{ data: unknown[] }>('GET', path(index))).data.data.length);
  const httpTimes = await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => http.json('GET', path(index)) });
  const injectTimes = await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => injectOk(app, token, 'GET', path(index)) });
  const rawTimes = await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => raw.search(database.db, terms[index % terms.length]!.q) });
  const overHttp = summarize(httpTimes);
  const rawSql = summarize(rawTimes);
  const notes = terms.map((term, termIndex) => {
    const of = (times: number[]) => summarize(times.filter((_, index) => index % terms.length === termIndex));
    return `${term.kind} "${term.q}" (${hits[termIndex]} hits): HTTP p95 ${formatMs(of(httpTimes).p95)}, raw p95 ${formatMs(of(rawTimes).p95)}`;
  });
  const plans: PlanSummary[] = [];
  for (const term of [terms[0]!, terms[2]!, terms[8]!]) {
    plans.push(...describePlans(`API "${term.q}"`, await explainApiCall(context, undefined, (diagnostic) => injectOk(diagnostic, token, 'GET', `/api/v1/search?q=${encodeURIComponent(term.q)}`))));
  }
  return {
    name: 'Global search (10 terms: common, rare, prefix, typo, CJK, Cyrillic, email, phone, 2 letters, no match)',
    target: 'p95 < 50 ms',
    pass: overHttp.p95 < 50,
    api: latency(overHttp, formatMs),
    inject: latency(summarize(injectTimes), formatMs),
    raw: latency(rawSql, formatMs),
    ratio: `${ratioOf(overHttp.p50, rawSql.p50)} p50, ${ratioOf(overHttp.p95, rawSql.p95)} p95`,
    notes,
    plans,
  };
};

export const runAggregateScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { http, app, token, raw, database } = context;
  const body = { groupBy: ['address.country'], metrics: [{ op: 'count' }] };
  const path = '/api/v1/records/person/aggregate';
  const check = await http.json<{ data: unknown[] }>('POST', path, body);
  const notes = [`${check.data.data.length} groups`];
  const overHttp = summarize(await timeSequential({ count: 30, maxMs: 60_000, fn: () => http.json('POST', path, body) }));
  const inProcess = summarize(await timeSequential({ count: 30, maxMs: 60_000, fn: () => injectOk(app, token, 'POST', path, body) }));
  const rawSql = summarize(await timeSequential({ count: 30, maxMs: 60_000, fn: () => raw.aggregateByCountry().execute(database.db) }));
  const plans = [
    ...describePlans('API', await explainApiCall(context, 'person', (diagnostic) => injectOk(diagnostic, token, 'POST', path, body))),
    ...describePlans('raw', await explainRaw(context, raw.aggregateByCountry())),
  ];
  return {
    name: 'Aggregate: count of people by country',
    target: 'none',
    api: latency(overHttp, formatMs),
    inject: latency(inProcess, formatMs),
    raw: latency(rawSql, formatMs),
    ratio: ratioOf(overHttp.p50, rawSql.p50),
    notes,
    plans,
  };
};
