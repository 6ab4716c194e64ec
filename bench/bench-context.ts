import type { FastifyInstance } from 'fastify';
import type { Database } from '../packages/server/src/engine/db/database.ts';
import type { WorkspaceMeta } from '../packages/server/src/engine/metadata/types.ts';
import type { HttpClient } from './http-client.ts';
import type { RawQueries } from './raw-sql.ts';
import type { PlanSummary, SqlCapture } from './sql-capture.ts';
import type { Summary } from './stats.ts';

/** Everything a scenario needs: the in-process app (over HTTP and inject), the raw database, a diagnostic app. */
export interface BenchContext {
  engine: Database['engine'];
  database: Database;
  workspace: WorkspaceMeta;
  token: string;
  raw: RawQueries;
  http: HttpClient;
  app: FastifyInstance;
  /** Same app over a database that records its SQL: used once per scenario to EXPLAIN what the API ran. */
  diagnostic: { app: FastifyInstance; capture: SqlCapture };
  log(message: string): void;
}

export interface ScenarioResult {
  name: string;
  target?: string;
  /** undefined: no target for this engine, or not measurable. */
  pass?: boolean;
  api?: string;
  inject?: string;
  raw?: string;
  ratio?: string;
  notes: string[];
  plans: PlanSummary[];
}

export const latency = (summary: Summary, format: (ms: number) => string) => `p50 ${format(summary.p50)} · p95 ${format(summary.p95)} (n=${summary.n})`;

export const ratioOf = (api: number, raw: number) => (raw > 0 && Number.isFinite(api) && Number.isFinite(raw) ? `×${(api / raw).toFixed(1)}` : '—');
