import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.ts';
import type { WorkspaceMeta } from '../../engine/metadata/types.ts';
import { createFullAccess } from '../../engine/permissions/access.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import { periodOf, previousPeriod } from '../pipeline/analytics/periods.ts';
import { DEMO_LOCALES } from './demo-locales.ts';
import type { DemoSalesOrg } from './demo-sales-org.ts';

/** The demo's second pipeline, beside the default one: renewals of existing accounts. */
export const RENEWALS_PIPELINE = 'Renewals';

const RENEWAL_STAGES = [
  { name: 'Renewal due', probability: 60, kind: 'open', forecastCategory: 'pipeline' },
  { name: 'Renewal negotiation', probability: 85, kind: 'open', forecastCategory: 'commit' },
  { name: 'Renewed', probability: 100, kind: 'won', forecastCategory: 'closed' },
  { name: 'Churned', probability: 0, kind: 'lost', forecastCategory: 'omitted' },
] as const;

/**
 * The "Renewals" pipeline with its four stages, created when the workspace has no pipeline of that name (a
 * second seed reuses it), through the write path like any pipeline an administrator adds. Without it every
 * deal would sit in one pipeline, and a board or forecast filtered to a pipeline would filter nothing.
 */
export const ensureRenewalsPipeline = async (db: Db, workspace: WorkspaceMeta): Promise<void> => {
  const pipelines = workspace.objects.get('pipeline');
  const stages = workspace.objects.get('pipelineStage');
  if (!pipelines || !stages) return;
  const name = sql.ref(`t.${pipelines.fieldsByName.get('name')!.column}`);
  const { rows } = await sql<{ id: string }>`select t.id from ${sql.id(workspace.schema, pipelines.table)} as t where t.deleted_at is null and ${name} = ${RENEWALS_PIPELINE}`.execute(db);
  if (rows.length > 0) return;
  const access = createFullAccess(workspace);
  const { data } = await saveRecords(
    { db, workspace, object: pipelines, actorId: null, access },
    { records: [{ name: RENEWALS_PIPELINE, position: 2, isActive: true, stalledAfterDaysWithoutActivity: 45, stalledAfterDaysInStage: 90, stalledWhenCloseDatePassed: true }] },
  );
  const pipeline = data[0]!.id;
  await saveRecords(
    { db, workspace, object: stages, actorId: null, access },
    { records: RENEWAL_STAGES.map((stage, index) => ({ ...stage, position: index + 1, pipeline, requiredFields: [] })) },
  );
};

/**
 * Revenue goals for the current and the previous quarter (the forecast's quota): one per rep and one for the
 * company, each only when that scope has no revenue goal for that quarter yet. `perQuarter` is the revenue the
 * company is expected to win in a quarter; each rep's quota is their share of it, the company's 10% above.
 */
export const ensureDemoGoals = async (db: Db, workspace: WorkspaceMeta, org: DemoSalesOrg, perQuarter: number, today: number): Promise<number> => {
  const goals = workspace.objects.get('goal');
  if (!goals || perQuarter <= 0) return 0;
  const column = (field: string) => sql.ref(`t.${goals.fieldsByName.get(field)!.column}`);
  const current = periodOf('quarter', new Date(today).toISOString().slice(0, 10));
  const periods = [previousPeriod(current), current];
  const { rows } = await sql<{ period: string; scope: string; owner: string | null }>`
    select ${column('period')} as period, ${column('scope')} as scope, ${column('owner')}::text as owner from ${sql.id(workspace.schema, goals.table)} as t
    where t.deleted_at is null and ${column('kpi')} = 'revenueWon' and ${column('period')} = any(${periods.map((period) => period.key)}::text[])`.execute(db);
  const taken = new Set(rows.map((row) => `${row.period}|${row.scope}|${row.scope === 'rep' ? row.owner : ''}`));
  const reps = org.members.filter((member) => member.role === 'rep');
  const repQuota = Math.round(perQuarter / Math.max(1, reps.length) / 1000) * 1000;
  const records: Record<string, unknown>[] = [];
  for (const period of periods) {
    if (!taken.has(`${period.key}|company|`)) records.push({ kpi: 'revenueWon', period: period.key, scope: 'company', target: Math.round((perQuarter * 1.1) / 1000) * 1000 });
    for (const rep of reps) {
      if (!taken.has(`${period.key}|rep|${rep.id}`)) records.push({ kpi: 'revenueWon', period: period.key, scope: 'rep', owner: rep.id, target: repQuota });
    }
  }
  if (records.length === 0) return 0;
  await saveRecords({ db, workspace, object: goals, actorId: null, access: createFullAccess(workspace) }, { records });
  return records.length;
};

/**
 * An exchange rate for each currency of the demo's markets that the workspace has none for, from the markets' own
 * rates to the US dollar, valid from five years before today: every demo amount counts in forecasts and totals
 * instead of being left out as unconvertible. Nothing when the default currency is none of the markets'.
 */
export const ensureDemoExchangeRates = async (db: Db, workspace: WorkspaceMeta, today: number): Promise<number> => {
  const rates = workspace.objects.get('exchangeRate');
  const perUsd = new Map(DEMO_LOCALES.map((locale) => [locale.currency, locale.usdRate]));
  const defaultPerUsd = perUsd.get(workspace.defaultCurrency);
  if (!rates || defaultPerUsd === undefined) return 0;
  const column = sql.ref(`t.${rates.fieldsByName.get('currency')!.column}`);
  const { rows } = await sql<{ currency: string }>`select distinct ${column} as currency from ${sql.id(workspace.schema, rates.table)} as t where t.deleted_at is null`.execute(db);
  const known = new Set(rows.map((row) => row.currency));
  const from = `${new Date(today).getUTCFullYear() - 5}-01-01`;
  const records = [...perUsd]
    .filter(([currency]) => currency !== workspace.defaultCurrency && !known.has(currency))
    .map(([currency, usdRate]) => ({ currency, rate: Math.round((usdRate / defaultPerUsd) * 1_000_000) / 1_000_000, date: from, source: 'Demo data' }));
  if (records.length === 0) return 0;
  await saveRecords({ db, workspace, object: rates, actorId: null, access: createFullAccess(workspace) }, { records });
  return records.length;
};
