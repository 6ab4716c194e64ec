import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { conversionRate, findRateSource } from '../../../engine/currency/exchange-rates.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { tableOf, columnOf } from '../../../engine/query/sql-parts.ts';
import { inverseNormal, simulateForecastRange } from '../forecasting/forecast-range.ts';
import { roundMoney } from '@rapport/common/values/index';
import { dealConditions, dealTables, type DealScope, type DealTables } from './deal-scope.ts';

export interface Forecast {
  period: { key: string; start: string; end: string };
  pipeline: string | null;
  ownerId: string | null;
  teamId: string | null;
  currency: string;
  /** The revenue goals of the scope for the period (null: none set). */
  quota: number | null;
  closedWon: number;
  commit: number;
  bestCase: number;
  weightedPipeline: number;
  /** closedWon + the low (10%) quantile of what the open deals bring in; `bestOutcome` the high (90%) one. */
  worstCase: number;
  bestOutcome: number;
  expected: number;
  /** How the range was computed: simulated deal by deal, or the normal approximation of the same sum. */
  rangeMethod: 'exact' | 'monteCarlo' | 'normal';
  deals: { won: number; lost: number; open: number };
  /** Amounts in currencies without any exchange rate: left out of every figure. */
  unconverted: { currency: string; count: number }[];
}

/** Open deals up to which the range is simulated deal by deal; above, the normal approximation of the same sum. */
const SIMULATED_DEALS = 2000;

interface GroupRow {
  kind: 'open' | 'won' | 'lost';
  category: string;
  currency: string | null;
  rate: number | null;
  deals: number;
  amount: number | null;
  weighted: number | null;
  variance: number | null;
  uncertain: number;
}

// A deal's chance, 0..1: its own probability, else its stage's.
const chanceOf = (tables: DealTables) => sql`least(greatest(coalesce(${tables.columns.probability}, ${tables.stage.probability}, 0) / 100.0, 0), 1)`;

/**
 * The forecast of a period: deals whose close date falls in it, as the caller may read them, amounts converted to
 * the workspace currency at the rate of their close date. Categories are cumulative (commit includes closed won,
 * best case includes commit). The range (worst case, best outcome) treats each open deal that is not omitted as won
 * or lost independently with its probability: simulated (10,000 runs, seeded) up to 2,000 such deals, beyond that
 * the normal approximation (mean Σ a·p, variance Σ a²·p·(1−p)), which is within a fraction of a percent there.
 * Deals are summed in the database per currency, day, stage kind and category, so a quarter of a million-deal
 * workspace crosses the wire as a few thousand rows.
 */
export const computeForecast = async (db: Db, access: Access, scope: DealScope): Promise<Forecast> => {
  const tables = dealTables(access);
  const { columns } = tables;
  const workspace = tables.workspace;
  const where = sql`${dealConditions(access, tables, scope)} and ${columns.closeDate} >= ${scope.period.start}::date and ${columns.closeDate} < ${scope.period.end}::date`;
  const chance = chanceOf(tables);
  // A manager's category, when set, counts instead of the owner's.
  const category = sql`coalesce(${columns.managerForecastCategory}, ${columns.forecastCategory}, 'pipeline')`;
  const kind = sql`coalesce(${tables.stage.kind}, 'open')`;
  const rate = conversionRate({ source: findRateSource(workspace), defaultCurrency: workspace.defaultCurrency, currency: sql`g.currency`, day: sql`g.day` });
  const { rows } = await sql<GroupRow>`
    with grouped as (
      select ${kind} as kind, ${category} as category, ${columns.currency} as currency, ${columns.closeDate} as day, count(*)::int as deals,
        sum(${columns.amount})::float8 as amount, sum(${columns.amount} * ${chance})::float8 as weighted,
        sum(${columns.amount} * ${columns.amount} * ${chance} * (1 - ${chance}))::float8 as variance,
        count(*) filter (where ${chance} > 0 and ${chance} < 1 and ${columns.amount} is not null)::int as uncertain
      from ${tables.table} as t0 left join ${tables.stageTable} as s on s.id = ${columns.stage}
      where ${where}
      group by 1, 2, 3, 4)
    select g.kind, g.category, g.currency, ${rate}::float8 as rate, g.deals, g.amount, g.weighted, g.variance, g.uncertain from grouped as g`.execute(db);

  let closedWon = 0;
  let committed = 0;
  let upside = 0;
  let weightedPipeline = 0;
  let variance = 0;
  let uncertain = 0;
  const counts = { won: 0, lost: 0, open: 0 };
  const unconverted = new Map<string, number>();
  for (const row of rows) {
    counts[row.kind] += row.deals;
    if (row.amount === null) continue;
    if (row.rate === null || row.rate <= 0) {
      unconverted.set(row.currency ?? '', (unconverted.get(row.currency ?? '') ?? 0) + row.deals);
      continue;
    }
    const amount = row.amount / row.rate;
    if (row.kind === 'won') closedWon += amount;
    if (row.kind !== 'open' || row.category === 'omitted') continue;
    if (row.category === 'commit' || row.category === 'closed') committed += amount;
    else if (row.category === 'bestCase') upside += amount;
    weightedPipeline += (row.weighted ?? 0) / row.rate;
    variance += (row.variance ?? 0) / (row.rate * row.rate);
    uncertain += row.uncertain;
  }

  let range: { low: number; high: number; method: Forecast['rangeMethod'] };
  if (uncertain === 0) range = { low: 0, high: 0, method: 'exact' };
  else if (uncertain <= SIMULATED_DEALS) {
    const { rows: open } = await sql<{ amount: number; probability: number }>`
      select (${columns.amount} / ${conversionRate({ source: findRateSource(workspace), defaultCurrency: workspace.defaultCurrency, currency: columns.currency, day: columns.closeDate })})::float8 as amount,
        ${chance}::float8 as probability
      from ${tables.table} as t0 left join ${tables.stageTable} as s on s.id = ${columns.stage}
      where ${where} and ${kind} = 'open' and ${category} <> 'omitted' and ${columns.amount} is not null`.execute(db);
    const simulated = simulateForecastRange(open.filter((deal) => deal.amount !== null), { method: 'monteCarlo' });
    range = { low: simulated.worstCase, high: simulated.bestCase, method: simulated.method };
  } else {
    const sd = Math.sqrt(variance);
    range = { low: Math.max(0, weightedPipeline + inverseNormal(0.1) * sd), high: weightedPipeline + inverseNormal(0.9) * sd, method: 'normal' };
  }
  const commit = closedWon + committed;
  return {
    period: { key: scope.period.key, start: scope.period.start, end: scope.period.end },
    pipeline: scope.pipelineId ?? null,
    ownerId: scope.ownerId ?? null,
    teamId: scope.teamId ?? null,
    currency: workspace.defaultCurrency,
    quota: await readQuota(db, access, scope),
    closedWon: roundMoney(closedWon),
    commit: roundMoney(commit),
    bestCase: roundMoney(commit + upside),
    weightedPipeline: roundMoney(weightedPipeline),
    worstCase: roundMoney(closedWon + range.low),
    bestOutcome: roundMoney(closedWon + range.high),
    expected: roundMoney(closedWon + weightedPipeline),
    rangeMethod: range.method,
    deals: counts,
    unconverted: [...unconverted].map(([currency, count]) => ({ currency, count })),
  };
};

/**
 * The quota of a scope for a period: its revenue goals for exactly that period, else the sum of its goals for
 * shorter periods inside it (three monthly quotas make a quarter's); a pipeline's goals, else those of every pipeline. A rep's goals are theirs (scope rep, owner),
 * a team's name the team, the company's have scope company. Goals are read as the caller may read them.
 */
export const readQuota = async (db: Db, access: Access, scope: DealScope): Promise<number | null> => {
  const goals = access.view.objects.get('goal');
  const full = access.workspace.objects.get('goal');
  if (!goals || !full) return null;
  const column = (name: string) => columnOf('t0', full.fieldsByName.get(name)!.column);
  const who = scope.ownerId
    ? sql`${column('scope')} = 'rep' and ${column('owner')} = ${scope.ownerId}::uuid`
    : scope.teamId
      ? sql`${column('scope')} = 'team' and ${column('team')} = ${scope.teamId}`
      : sql`${column('scope')} = 'company'`;
  const readable = access.rows.predicate({ object: full, alias: 't0', mode: 'read' });
  // A pipeline's forecast takes that pipeline's goals, else the goals of every pipeline.
  const { rows } = await sql<{ exact: number | null; inside: number | null; anyExact: number | null; anyInside: number | null }>`
    select sum(${column('target')}) filter (where ${column('period')} = ${scope.period.key} and ${column('pipeline')} is not distinct from ${scope.pipelineId ?? null}::uuid)::float8 as exact,
      sum(${column('target')}) filter (where ${column('period')} <> ${scope.period.key} and ${column('pipeline')} is not distinct from ${scope.pipelineId ?? null}::uuid)::float8 as inside,
      sum(${column('target')}) filter (where ${column('period')} = ${scope.period.key} and ${column('pipeline')} is null)::float8 as "anyExact",
      sum(${column('target')}) filter (where ${column('period')} <> ${scope.period.key} and ${column('pipeline')} is null)::float8 as "anyInside"
    from ${tableOf(access.workspace, full)} as t0
    where t0.deleted_at is null and ${column('kpi')} = 'revenueWon' and ${who}
      and ${column('periodStart')} >= ${scope.period.start}::date and ${column('periodEnd')} < ${scope.period.end}::date
      ${readable ? sql`and ${readable}` : sql``}`.execute(db);
  const row = rows[0];
  return row?.exact ?? row?.inside ?? row?.anyExact ?? row?.anyInside ?? null;
};
