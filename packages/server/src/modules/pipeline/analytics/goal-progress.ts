import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { conversionRate, findRateSource } from '../../../engine/currency/exchange-rates.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { columnOf, tableOf } from '../../../engine/query/sql-parts.ts';
import { roundMoney } from '@rapport/common/values/index';
import { listTeams } from '../../../engine/permissions/team.service.ts';
import type { GoalKpi } from '../goal.object.ts';
import { dealConditions, dealTables } from './deal-scope.ts';
import type { Period } from './periods.ts';

export interface GoalProgress {
  id: string;
  name: string;
  kpi: GoalKpi;
  period: string;
  scope: 'company' | 'team' | 'rep';
  ownerId: string | null;
  teamId: string | null;
  pipeline: string | null;
  target: number;
  actual: number;
  /** actual ÷ target, 0..∞ (null for a target of 0). */
  progress: number | null;
  currency: string;
}

/**
 * Activities a goal counts (`callsMade`: outbound calls by when they started; `meetingsHeld`: meetings marked held, by
 * when they started), of the goal's reps, on the days of its period in the workspace's time zone, among those the
 * caller may read. A pipeline does not narrow them: a call is not made in a pipeline.
 */
const countActivities = async (db: Db, access: Access, goal: { kpi: 'callsMade' | 'meetingsHeld'; start: string; end: string }, ownerIds: string[] | undefined): Promise<number> => {
  const name = goal.kpi === 'callsMade' ? 'call' : 'meeting';
  const object = access.workspace.objects.get(name);
  if (!object || !access.view.objects.has(name)) return 0;
  const c = (field: string) => columnOf('t0', object.fieldsByName.get(field)!.column);
  const readable = access.rows.predicate({ object, alias: 't0', mode: 'read' });
  const day = sql`(${c(goal.kpi === 'callsMade' ? 'startedAt' : 'start')} at time zone ${access.workspace.timezone})::date`;
  const kind = goal.kpi === 'callsMade' ? sql`${c('direction')} = 'outbound'` : sql`${c('status')} = 'held'`;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${tableOf(access.workspace, object)} as t0
    where t0.deleted_at is null and ${kind} and ${day} >= ${goal.start}::date and ${day} < ${goal.end}::date
      ${ownerIds ? sql`and ${c('owner')} = any(${ownerIds}::uuid[])` : sql``} ${readable ? sql`and ${readable}` : sql``}`.execute(db);
  return rows[0]?.n ?? 0;
};

/**
 * The goals whose period overlaps `period`, as the caller may read them, each with what was reached in the goal's
 * own period and scope: revenue won and deals won (close date), new deals and pipeline created (creation date), over
 * the deals the caller may read, amounts in the workspace currency; calls made and meetings held (countActivities).
 */
export const computeGoalProgress = async (db: Db, access: Access, period: Period): Promise<GoalProgress[]> => {
  const goals = access.workspace.objects.get('goal');
  if (!goals || !access.view.objects.has('goal')) return [];
  const g = (name: string) => columnOf('t0', goals.fieldsByName.get(name)!.column);
  const readable = access.rows.predicate({ object: goals, alias: 't0', mode: 'read' });
  const { rows } = await sql<{ id: string; name: string; kpi: GoalKpi; period: string; scope: GoalProgress['scope']; owner: string | null; team: string | null; pipeline: string | null; target: number; start: string; end: string }>`
    select t0.id, ${g('name')} as name, ${g('kpi')} as kpi, ${g('period')} as period, ${g('scope')} as scope, ${g('owner')} as owner,
      ${g('team')} as team, ${g('pipeline')} as pipeline, ${g('target')}::float8 as target,
      ${g('periodStart')}::text as start, (${g('periodEnd')} + 1)::text as end
    from ${tableOf(access.workspace, goals)} as t0
    where t0.deleted_at is null and ${g('periodStart')} < ${period.end}::date and ${g('periodEnd')} >= ${period.start}::date ${readable ? sql`and ${readable}` : sql``}
    order by ${g('periodStart')}, ${g('scope')}, ${g('name')} limit 200`.execute(db);
  if (rows.length === 0) return [];
  const tables = dealTables(access);
  const { columns, workspace } = tables;
  const tz = workspace.timezone;
  const rate = conversionRate({ source: findRateSource(workspace), defaultCurrency: workspace.defaultCurrency, currency: columns.currency, day: columns.closeDate });
  const results: GoalProgress[] = [];
  const teams = rows.some((goal) => goal.scope === 'team') ? new Map((await listTeams(db, workspace.id)).map((team) => [team.id, team.memberIds])) : new Map<string, string[]>();
  for (const goal of rows) {
    let ownerIds: string[] | undefined;
    if (goal.scope === 'rep') ownerIds = goal.owner ? [goal.owner] : [];
    if (goal.scope === 'team') ownerIds = teams.get((goal.team ?? '').toLowerCase()) ?? [];
    const activityKpi = goal.kpi === 'callsMade' || goal.kpi === 'meetingsHeld' ? goal.kpi : undefined;
    const where = dealConditions(access, tables, { ...(goal.pipeline ? { pipelineId: goal.pipeline } : {}), ...(ownerIds ? { ownerIds } : {}) });
    const closing = sql`${columns.closeDate} >= ${goal.start}::date and ${columns.closeDate} < ${goal.end}::date`;
    const createdDay = sql`(${columns.createdAt} at time zone ${tz})::date`;
    const created = sql`${createdDay} >= ${goal.start}::date and ${createdDay} < ${goal.end}::date`;
    const measure =
      goal.kpi === 'revenueWon' ? sql`coalesce(sum(${columns.amount} / ${rate}) filter (where ${tables.stage.kind} = 'won' and ${closing}), 0)`
      : goal.kpi === 'dealsWon' ? sql`count(*) filter (where ${tables.stage.kind} = 'won' and ${closing})`
      : goal.kpi === 'newDeals' ? sql`count(*) filter (where ${created})`
      : sql`coalesce(sum(${columns.amount} / ${rate}) filter (where ${created}), 0)`;
    const { rows: [reached] } = activityKpi
      ? { rows: [{ actual: await countActivities(db, access, { kpi: activityKpi, start: goal.start, end: goal.end }, ownerIds) }] }
      : await sql<{ actual: number }>`
          select (${measure})::float8 as actual from ${tables.table} as t0 left join ${tables.stageTable} as s on s.id = ${columns.stage}
          where ${where} and ((${closing}) or (${created}))`.execute(db);
    const actual = goal.kpi === 'revenueWon' || goal.kpi === 'pipelineCreated' ? roundMoney(reached?.actual ?? 0) : (reached?.actual ?? 0);
    results.push({
      id: goal.id,
      name: goal.name,
      kpi: goal.kpi,
      period: goal.period,
      scope: goal.scope,
      ownerId: goal.owner,
      teamId: goal.team,
      pipeline: goal.pipeline,
      target: goal.target,
      actual,
      progress: goal.target > 0 ? Math.round((actual / goal.target) * 1000) / 1000 : null,
      currency: workspace.defaultCurrency,
    });
  }
  return results;
};
