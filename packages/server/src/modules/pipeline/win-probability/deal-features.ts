import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { conversionRate, findRateSource } from '../../../engine/currency/exchange-rates.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import type { FeatureValue, WinFeatureSpec } from './win-model.ts';
import { dealActivitySources } from '../deal-activities.ts';

/** What the model reads of a deal, as it stood when it closed (or now, for an open deal). */
export const WIN_FEATURES: (WinFeatureSpec & { label: string })[] = [
  { name: 'stageReached', kind: 'category', label: 'Stage' },
  { name: 'amount', kind: 'logNumber', label: 'Amount' },
  { name: 'ageDays', kind: 'logNumber', label: 'Age' },
  { name: 'activityCount', kind: 'logNumber', label: 'Activities' },
  { name: 'daysSinceActivity', kind: 'logNumber', label: 'Days since the last activity' },
  { name: 'industry', kind: 'category', label: 'Industry' },
  { name: 'pipeline', kind: 'category', label: 'Pipeline' },
];

export interface DealFeatures {
  id: string;
  won: boolean | null;
  features: Record<string, FeatureValue>;
}

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/**
 * Features of deals, computed in one statement: the stage a closed deal last stood in before it was won or lost
 * (from the stage history; its current stage for an open one), its amount in the workspace currency, its age, the
 * tasks and notes about it before that moment and the days since the last of them, its company's industry and its
 * pipeline. `which` picks closed deals (the newest `limit` by close date: the training set) or given deals.
 */
export const readDealFeatures = async (db: Db, workspace: WorkspaceMeta, which: { closed: number } | { ids: string[] }): Promise<DealFeatures[]> => {
  const deals = workspace.objects.get('opportunity');
  const stages = workspace.objects.get('pipelineStage');
  if (!deals || !stages) return [];
  const d = (name: string) => ref('t0', deals.fieldsByName.get(name)!.column);
  const kind = ref('s', stages.fieldsByName.get('kind')!.column);
  const stageName = stages.fieldsByName.get('name')!.column;
  const [amountColumn, currencyColumn] = [`${deals.fieldsByName.get('amount')!.column}_amount`, `${deals.fieldsByName.get('amount')!.column}_currency`];
  const company = workspace.objects.get('company');
  const industry = company?.fieldsByName.get('industry') && deals.fieldsByName.get('company')
    ? sql`(select ${ref('c', company.fieldsByName.get('industry')!.column)} from ${sql.id(workspace.schema, company.table)} as c where c.id = ${d('company')})`
    : sql`null::text`;
  const pipelines = workspace.objects.get('pipeline');
  const pipelineName = pipelines
    ? sql`(select ${ref('p', pipelines.fieldsByName.get('name')!.column)} from ${sql.id(workspace.schema, pipelines.table)} as p where p.id = ${d('pipeline')})`
    : sql`null::text`;
  // The moment the features describe: when the deal closed, or now.
  const moment = sql`case when ${kind} in ('won', 'lost') then coalesce(${d('stageEnteredAt')}, ${d('closeDate')}::timestamptz) else now() end`;
  const activities = dealActivitySources(workspace).map(({ table, dealColumn }) => sql`select a.created_at from ${table} as a where a.deleted_at is null and ${ref('a', dealColumn)} = t0.id`);
  const activitySource: RawBuilder<unknown> = activities.length > 0 ? sql.join(activities, sql` union all `) : sql`select null::timestamptz as created_at where false`;
  const rate = conversionRate({ source: findRateSource(workspace), defaultCurrency: workspace.defaultCurrency, currency: sql`${ref('t0', currencyColumn)}::text`, day: d('closeDate') });
  const selection = 'closed' in which
    ? sql`${kind} in ('won', 'lost') order by ${d('closeDate')} desc nulls last, t0.id limit ${which.closed}`
    : sql`t0.id = any(${which.ids}::uuid[])`;
  const { rows } = await sql<{ id: string; kind: string | null; stage_reached: string | null; amount: number | null; age_days: number; activity_count: number; days_since_activity: number; industry: string | null; pipeline: string | null }>`
    select t0.id, ${kind} as kind,
      case when ${kind} in ('won', 'lost')
        then (select ${ref('ps', stageName)} from ${sql.id(workspace.schema, stages.table)} as ps where ps.id = (
          select (h.old_value #>> '{}')::uuid from ${sql.id(workspace.schema, '_history')} as h
          where h.object_name = 'opportunity' and h.record_id = t0.id and h.field = 'stage' and jsonb_typeof(h.old_value) = 'string'
          order by h.id desc limit 1))
        else ${ref('s', stageName)} end as stage_reached,
      (${ref('t0', amountColumn)} / ${rate})::float8 as amount,
      greatest(extract(epoch from (m.at - t0.created_at)) / 86400.0, 0)::float8 as age_days,
      a.n::int as activity_count,
      greatest(extract(epoch from (m.at - coalesce(a.last, t0.created_at))) / 86400.0, 0)::float8 as days_since_activity,
      ${industry} as industry, ${pipelineName} as pipeline
    from ${sql.id(workspace.schema, deals.table)} as t0
      left join ${sql.id(workspace.schema, stages.table)} as s on s.id = ${d('stage')}
      cross join lateral (select ${moment} as at) as m
      cross join lateral (select count(*) as n, max(x.created_at) as last from (${activitySource}) as x where x.created_at <= m.at) as a
    where t0.deleted_at is null and ${selection}`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    won: row.kind === 'won' ? true : row.kind === 'lost' ? false : null,
    features: {
      stageReached: row.stage_reached,
      amount: row.amount,
      // To the hour: finer differences are noise (a deal created and closed in one write is minutes old, not 1e-7 days).
      ageDays: Math.round(row.age_days * 24) / 24,
      activityCount: row.activity_count,
      daysSinceActivity: Math.round(row.days_since_activity * 24) / 24,
      industry: row.industry,
      pipeline: row.pipeline,
    },
  }));
};
