import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { columnOf, tableOf } from '../../../engine/query/sql-parts.ts';
import type { DealScope } from './deal-scope.ts';
import { computeSalesKpis } from './kpis.ts';

export interface SalesAlert {
  code: 'coverageBelowQuota' | 'activityDrop' | 'unusualDiscount';
  severity: 'info' | 'warning';
  message: string;
  ownerId: string | null;
  recordId?: string;
}

const DAY = 86_400_000;
/** Two weeks against the two before: a drop of more than half, from at least this many activities, is an alert. */
const ACTIVITY_WINDOW_DAYS = 14;
const ACTIVITY_FLOOR = 5;
/** Coverage below this share of the quota still to reach is an alert (3× is the usual target). */
const COVERAGE_ALERT = 1;

/**
 * What a manager should look at: pipeline coverage below the quota still to reach; reps whose activity (tasks and
 * notes they created) fell by more than half over two weeks; discounts of line items far above the usual (more than
 * two standard deviations over the mean, when the products module's line items exist). Figures go through the
 * permission layer: deals and line items as the caller may read them, activity only of reps whose deals they may read.
 */
export const computeSalesAlerts = async (db: Db, access: Access, scope: DealScope, now = new Date()): Promise<SalesAlert[]> => {
  const alerts: SalesAlert[] = [];
  const kpis = await computeSalesKpis(db, access, scope);
  if (kpis.coverage !== null && kpis.coverage < COVERAGE_ALERT) {
    alerts.push({ code: 'coverageBelowQuota', severity: 'warning', ownerId: scope.ownerId ?? null, message: `Pipeline coverage is ${kpis.coverage}× the quota still to reach (${kpis.period.key}).` });
  }
  const workspace = access.workspace;
  const tasks = workspace.objects.get('task');
  const notes = workspace.objects.get('note');
  const sources = [tasks, notes].filter((object) => object !== undefined);
  if (sources.length > 0) {
    const since = new Date(now.getTime() - 2 * ACTIVITY_WINDOW_DAYS * DAY).toISOString();
    const middle = new Date(now.getTime() - ACTIVITY_WINDOW_DAYS * DAY).toISOString();
    const union = sql.join(sources.map((object) => sql`select created_by, created_at from ${tableOf(workspace, object!)} where deleted_at is null and created_at >= ${since}::timestamptz`), sql` union all `);
    const owners = scope.ownerIds ? sql`and created_by = any(${scope.ownerIds}::uuid[])` : sql``;
    const { rows } = await sql<{ user_id: string; name: string; before: number; after: number }>`
      select a.created_by as user_id, coalesce(nullif(u.name, ''), u.email) as name,
        count(*) filter (where a.created_at < ${middle}::timestamptz)::int as before,
        count(*) filter (where a.created_at >= ${middle}::timestamptz)::int as after
      from (${union}) as a join rapport.user u on u.id = a.created_by
      where a.created_by is not null ${owners} group by 1, 2`.execute(db);
    const visible = access.readsEverything || access.isAdmin ? undefined : new Set(await readableOwners(db, access));
    for (const row of rows) {
      if (row.before < ACTIVITY_FLOOR || row.after * 2 >= row.before) continue;
      if (visible && !visible.has(row.user_id)) continue;
      const drop = Math.round((1 - row.after / row.before) * 100);
      alerts.push({ code: 'activityDrop', severity: 'warning', ownerId: row.user_id, message: `${row.name}'s activity dropped ${drop}% over the last two weeks (${row.after} against ${row.before}).` });
    }
  }
  const lines = workspace.objects.get('opportunityLineItem');
  const discount = lines?.fieldsByName.get('discount');
  if (lines && discount && access.view.objects.get('opportunityLineItem')?.fieldsByName.has('discount')) {
    const column = columnOf('t0', discount.column);
    const readable = access.rows.predicate({ object: lines, alias: 't0', mode: 'read' });
    const { rows } = await sql<{ id: string; discount: number; mean: number; sd: number }>`
      with stats as (select avg(${column})::float8 as mean, stddev_samp(${column})::float8 as sd, count(*) as n from ${tableOf(workspace, lines)} as t0 where t0.deleted_at is null and ${column} is not null)
      select t0.id, ${column}::float8 as discount, stats.mean, stats.sd from ${tableOf(workspace, lines)} as t0, stats
      where t0.deleted_at is null and stats.n >= 10 and stats.sd > 0 and ${column} > stats.mean + 2 * stats.sd
        and t0.created_at >= ${scope.period.start}::date ${readable ? sql`and ${readable}` : sql``}
      order by ${column} desc limit 20`.execute(db);
    for (const row of rows) {
      alerts.push({ code: 'unusualDiscount', severity: 'info', ownerId: null, recordId: row.id, message: `A discount of ${Math.round(row.discount)}% is far above the usual ${Math.round(row.mean)}%.` });
    }
  }
  return alerts;
};

// The owners whose deals the caller's role covers (their row access), for per-rep alerts.
const readableOwners = async (db: Db, access: Access): Promise<string[]> => {
  const deals = access.workspace.objects.get('opportunity');
  const owner = deals?.fieldsByName.get('owner');
  if (!deals || !owner) return access.userId ? [access.userId] : [];
  const readable = access.rows.predicate({ object: deals, alias: 't0', mode: 'read' });
  const { rows } = await sql<{ id: string }>`
    select distinct ${columnOf('t0', owner.column)} as id from ${tableOf(access.workspace, deals)} as t0
    where t0.deleted_at is null and ${columnOf('t0', owner.column)} is not null ${readable ? sql`and ${readable}` : sql``}`.execute(db);
  return [...rows.map((row) => row.id), ...(access.userId ? [access.userId] : [])];
};
