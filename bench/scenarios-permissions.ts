import type { AddressInfo } from 'node:net';
import type { Db } from '../packages/server/src/engine/db/database.ts';
import { createApiKey } from '../packages/server/src/engine/identity/api-key.service.ts';
import { ensureDemoSalesOrg } from '../packages/server/src/modules/demo/demo-sales-org.ts';
import { latency, type BenchContext, type ScenarioResult } from './bench-context.ts';
import { createHttpClient } from './http-client.ts';
import { explainApiCall, injectOk, pagePath } from './scenarios-read.ts';
import { formatMs, summarize, timeSequential } from './stats.ts';

const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'BR'];
const REQUESTS = 300;
const SCENARIO_MAX_MS = 120_000;
/** The target: a rep with team-and-subordinates access within 1.5× the admin's time. */
const MAX_RATIO = 1.5;

interface BenchOrg {
  managerToken: string;
  ownerCount: number;
  /** Owners the manager sees: themself, their team and the reps below their role. */
  visibleIds: Set<string>;
}

/**
 * The seeder's sales organisation owns every seeded record (dealt while seeding, in the COPY data):
 * the EMEA sales manager (team and subordinates) sees their team of six, about a third of the records.
 */
const findBenchOrg = async (db: Db, workspaceId: string): Promise<BenchOrg> => {
  const org = await ensureDemoSalesOrg(db, workspaceId);
  const manager = org.members.find((member) => member.role === 'manager' && member.region === 'EMEA');
  if (!manager) throw new Error('The demo sales organisation has no EMEA sales manager.');
  const { token } = await createApiKey(db, { workspaceId, userId: manager.id, scopes: ['admin'], name: 'bench manager' });
  const visibleIds = new Set(org.members.filter((member) => member.region === 'EMEA').map((member) => member.id));
  return { managerToken: token, ownerCount: org.ownerIds.length, visibleIds };
};

/**
 * The permission layer's price on the busiest list: a sales manager (team and subordinates: 30% of
 * the owners) asks for the same filtered, sorted first page as the admin. Both are timed alternately
 * over HTTP; the target is the manager's p50 within 1.5× the admin's.
 */
export const runPermissionScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { database, workspace, http, app, token, engine, log } = context;
  const notes: string[] = [];
  const org = await findBenchOrg(database.db, workspace.id);
  notes.push(`owners dealt by the seeder to ${org.ownerCount} users; the manager sees ${org.visibleIds.size} of them`);
  log(`  manager sees ${org.visibleIds.size} of ${org.ownerCount} owners`);
  const port = (app.server.address() as AddressInfo).port;
  const manager = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, token: org.managerToken });
  try {
    const path = (index: number) => pagePath(COUNTRIES[index % COUNTRIES.length]!);
    for (let index = 0; index < 20; index++) {
      await http.json('GET', path(index));
      await manager.json('GET', path(index));
    }
    const sample = await manager.json<{ data: { owner: string | null }[] }>('GET', path(0));
    const outside = sample.data.data.filter((record) => !record.owner || !org.visibleIds.has(record.owner)).length;
    if (outside > 0) notes.push(`❗ ${outside} records of the manager's first page belong to owners they should not see`);
    if (sample.data.data.length !== 50) notes.push(`the manager's first page has ${sample.data.data.length} rows, expected 50`);
    // Alternate blocks so that drift on a shared machine hits both sides alike.
    const adminTimes: number[] = [];
    const managerTimes: number[] = [];
    for (let block = 0; block < 6; block++) {
      adminTimes.push(...(await timeSequential({ count: REQUESTS / 6, maxMs: SCENARIO_MAX_MS / 6, fn: (index) => http.json('GET', path(index)) })));
      managerTimes.push(...(await timeSequential({ count: REQUESTS / 6, maxMs: SCENARIO_MAX_MS / 6, fn: (index) => manager.json('GET', path(index)) })));
    }
    const managerInject = summarize(await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => injectOk(app, org.managerToken, 'GET', path(index)) }));
    const adminInject = summarize(await timeSequential({ count: REQUESTS, maxMs: SCENARIO_MAX_MS, fn: (index) => injectOk(app, token, 'GET', path(index)) }));
    const admin = summarize(adminTimes);
    const rep = summarize(managerTimes);
    const ratio = rep.p50 / admin.p50;
    notes.push(`admin in process: ${latency(adminInject, formatMs)}; manager ÷ admin in process ×${(managerInject.p50 / adminInject.p50).toFixed(2)} p50`);
    const plans = (await explainApiCall(context, 'person', (diagnostic) => injectOk(diagnostic, org.managerToken, 'GET', path(0)))).map((plan) => ({
      ...plan,
      path: `manager: ${plan.path}${plan.hasSeqScan ? ' (SEQ SCAN)' : ''}`,
    }));
    return {
      name: 'Permissions: first page as a sales manager (team and subordinates, 30% of owners) vs the admin',
      target: `p50 ≤ ${MAX_RATIO}× the admin's`,
      pass: ratio <= MAX_RATIO,
      api: `manager ${latency(rep, formatMs)}`,
      inject: `manager ${latency(managerInject, formatMs)}`,
      raw: `admin (API) ${latency(admin, formatMs)}`,
      ratio: `manager ÷ admin ×${ratio.toFixed(2)} p50, ×${(rep.p95 / admin.p95).toFixed(2)} p95`,
      notes: [...notes, `engine ${engine}: the "Raw SQL" column holds the admin's API time here, the baseline of this target`],
      plans,
    };
  } finally {
    manager.close();
  }
};
