import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { conversionRate, findRateSource } from '../../../engine/currency/exchange-rates.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { roundMoney } from '@rapport/common/values/index';
import { dealConditions, dealTables, type DealScope } from './deal-scope.ts';
import { readQuota } from './forecast.ts';
import { previousPeriod, type Period } from './periods.ts';

export interface SalesKpis {
  /** Won ÷ (won + lost) of the deals closed in the period; null when none closed. */
  winRate: number | null;
  /** Of the deals created in the period, the share won since. */
  conversionRate: number | null;
  /** Mean amount of the deals won in the period. */
  averageDealSize: number | null;
  /** Mean days from creation to the win, of the deals won in the period. */
  salesCycleDays: number | null;
  /** Open deals × win rate × average deal size ÷ sales cycle: the revenue the pipeline brings in per day. */
  pipelineVelocity: number | null;
  /** Open pipeline closing in the period ÷ the quota still to reach; null without a quota or once it is reached. */
  coverage: number | null;
  closedWon: number;
  openPipeline: number;
  quota: number | null;
  counts: { won: number; lost: number; created: number; createdWon: number; open: number };
}

export interface SalesKpisAnswer extends SalesKpis {
  period: { key: string; start: string; end: string };
  pipeline: string | null;
  ownerId: string | null;
  teamId: string | null;
  currency: string;
  /** The same figures for the period before, for trends. */
  previous: SalesKpis & { period: { key: string; start: string; end: string } };
}

const ratio = (a: number, b: number, places = 4) => (b > 0 ? Math.round((a / b) * 10 ** places) / 10 ** places : null);

const computeFor = async (db: Db, access: Access, scope: DealScope, period: Period): Promise<SalesKpis> => {
  const tables = dealTables(access);
  const { columns, workspace } = tables;
  const base = dealConditions(access, tables, scope);
  const kind = sql`coalesce(${tables.stage.kind}, 'open')`;
  const closing = sql`${columns.closeDate} >= ${period.start}::date and ${columns.closeDate} < ${period.end}::date`;
  const createdDay = sql`(${columns.createdAt} at time zone ${workspace.timezone})::date`;
  const created = sql`${createdDay} >= ${period.start}::date and ${createdDay} < ${period.end}::date`;
  const { rows: [counts] } = await sql<{ won: number; lost: number; created: number; createdWon: number; open: number; cycle: number | null }>`
    select count(*) filter (where ${kind} = 'won' and ${closing})::int as won,
      count(*) filter (where ${kind} = 'lost' and ${closing})::int as lost,
      count(*) filter (where ${created})::int as created,
      count(*) filter (where ${created} and ${kind} = 'won')::int as "createdWon",
      count(*) filter (where ${kind} = 'open')::int as open,
      avg(extract(epoch from (coalesce(${columns.stageEnteredAt}, ${columns.closeDate}::timestamptz) - ${columns.createdAt})) / 86400.0)
        filter (where ${kind} = 'won' and ${closing})::float8 as cycle
    from ${tables.table} as t0 left join ${tables.stageTable} as s on s.id = ${columns.stage}
    where ${base} and ((${closing}) or (${created}) or ${kind} = 'open')`.execute(db);
  // Amounts per currency and day, converted at the rate of their close date.
  const rate = conversionRate({ source: findRateSource(workspace), defaultCurrency: workspace.defaultCurrency, currency: sql`g.currency`, day: sql`g.day` });
  const { rows: amounts } = await sql<{ bucket: 'won' | 'open'; amount: number; rate: number | null }>`
    with grouped as (
      select case when ${kind} = 'won' then 'won' else 'open' end as bucket, ${columns.currency} as currency, ${columns.closeDate} as day, sum(${columns.amount})::float8 as amount
      from ${tables.table} as t0 left join ${tables.stageTable} as s on s.id = ${columns.stage}
      where ${base} and ${closing} and ${columns.amount} is not null
        and (${kind} = 'won' or (${kind} = 'open' and coalesce(${columns.managerForecastCategory}, ${columns.forecastCategory}, 'pipeline') <> 'omitted'))
      group by 1, 2, 3)
    select g.bucket, g.amount, ${rate}::float8 as rate from grouped as g`.execute(db);
  let closedWon = 0;
  let openPipeline = 0;
  for (const row of amounts) {
    if (row.rate === null || row.rate <= 0) continue;
    if (row.bucket === 'won') closedWon += row.amount / row.rate;
    else openPipeline += row.amount / row.rate;
  }
  const { won, lost, created: createdCount, createdWon, open, cycle } = counts!;
  const winRate = ratio(won, won + lost);
  const averageDealSize = won > 0 ? roundMoney(closedWon / won) : null;
  const salesCycleDays = cycle === null ? null : Math.round(cycle * 10) / 10;
  const pipelineVelocity = winRate !== null && averageDealSize !== null && salesCycleDays ? roundMoney((open * winRate * averageDealSize) / Math.max(salesCycleDays, 1)) : null;
  const quota = await readQuota(db, access, { ...scope, period });
  const remaining = quota === null ? 0 : quota - closedWon;
  return {
    winRate,
    conversionRate: ratio(createdWon, createdCount),
    averageDealSize,
    salesCycleDays,
    pipelineVelocity,
    coverage: quota !== null && remaining > 0 ? Math.round((openPipeline / remaining) * 100) / 100 : null,
    closedWon: roundMoney(closedWon),
    openPipeline: roundMoney(openPipeline),
    quota,
    counts: { won, lost, created: createdCount, createdWon, open },
  };
};

const periodOut = (period: Period) => ({ key: period.key, start: period.start, end: period.end });

/** The sales KPIs of a period for a scope, and those of the period before. */
export const computeSalesKpis = async (db: Db, access: Access, scope: DealScope): Promise<SalesKpisAnswer> => {
  const before = previousPeriod(scope.period);
  const [current, previous] = [await computeFor(db, access, scope, scope.period), await computeFor(db, access, scope, before)];
  return {
    period: periodOut(scope.period),
    pipeline: scope.pipelineId ?? null,
    ownerId: scope.ownerId ?? null,
    teamId: scope.teamId ?? null,
    currency: access.workspace.defaultCurrency,
    ...current,
    previous: { period: periodOut(before), ...previous },
  };
};
