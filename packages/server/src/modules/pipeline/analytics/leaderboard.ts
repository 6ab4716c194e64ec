import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { conversionRate, findRateSource } from '../../../engine/currency/exchange-rates.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { columnOf, tableOf } from '../../../engine/query/sql-parts.ts';
import { roundMoney } from '@rapport/common/values/index';
import type { PointEvent } from '../point-rule.object.ts';
import { dealTables } from './deal-scope.ts';
import type { Period } from './periods.ts';

export interface LeaderboardEntry {
  userId: string;
  name: string;
  rank: number;
  points: number;
  /** What earned the points, per event. */
  counts: Record<PointEvent, number>;
  dealsWon: number;
  /** Won in the period, of the deals the caller may read (null: none of them). */
  revenueWon: number | null;
  badges: { key: 'topScorer' | 'closer' | 'firstWin'; label: string }[];
}

export interface Leaderboard {
  period: { key: string; start: string; end: string };
  currency: string;
  /** False when no point rule is active: gamification is switched off. */
  enabled: boolean;
  rules: { event: PointEvent; points: number }[];
  data: LeaderboardEntry[];
}

const CLOSER_WINS = 5;
const BADGE_LABELS = { topScorer: 'Top scorer', closer: `Closer: ${CLOSER_WINS} deals won`, firstWin: 'First win' } as const;

/** Who is on the board: a team's members, else everyone for those who read every record, else the caller's teams. */
const membersOf = async (db: Db, access: Access, teamId: string | undefined): Promise<{ id: string; name: string }[]> => {
  const workspaceId = access.workspace.id;
  const scope = teamId
    ? sql`and m.user_id in (select user_id from rapport.team_member where workspace_id = ${workspaceId} and team_id = ${teamId})`
    : access.readsEverything || access.isAdmin
      ? sql``
      : sql`and (m.user_id = ${access.userId} or m.user_id in (select tm.user_id from rapport.team_member tm where tm.workspace_id = ${workspaceId}
          and tm.team_id in (select team_id from rapport.team_member where workspace_id = ${workspaceId} and user_id = ${access.userId})))`;
  const { rows } = await sql<{ id: string; name: string }>`
    select u.id, coalesce(nullif(u.name, ''), u.email) as name from rapport.workspace_member m join rapport.user u on u.id = m.user_id
    where m.workspace_id = ${workspaceId} and m.status = 'active' ${scope} order by 2`.execute(db);
  return rows;
};

/**
 * Points per person for a period from the point rules: deals won (close date in the period) and created, tasks
 * completed (the history of their status) and notes added. Points and counts are the team's shared score and count
 * every record; revenue is summed over the deals the caller may read (the permission layer), in the workspace currency.
 */
export const computeLeaderboard = async (db: Db, access: Access, options: { period: Period; teamId?: string }): Promise<Leaderboard> => {
  const { period } = options;
  const workspace = access.workspace;
  const rulesObject = workspace.objects.get('pointRule');
  const rules: { event: PointEvent; points: number }[] = [];
  if (rulesObject) {
    const r = (name: string) => columnOf('t0', rulesObject.fieldsByName.get(name)!.column);
    const { rows } = await sql<{ event: PointEvent; points: number }>`
      select ${r('event')} as event, sum(${r('points')})::float8 as points from ${tableOf(workspace, rulesObject)} as t0
      where t0.deleted_at is null and ${r('isActive')} is not false and ${r('event')} is not null group by 1`.execute(db);
    rules.push(...rows);
  }
  const members = await membersOf(db, access, options.teamId);
  const ids = members.map((member) => member.id);
  const empty = (): Record<PointEvent, number> => ({ dealWon: 0, dealCreated: 0, taskCompleted: 0, noteAdded: 0, callMade: 0, meetingHeld: 0 });
  const counts = new Map(ids.map((id) => [id, empty()]));
  const revenue = new Map<string, number>();
  const firstWins = new Set<string>();
  const tz = workspace.timezone;
  const from = sql`(${period.start}::date::timestamp at time zone ${tz})`;
  const to = sql`(${period.end}::date::timestamp at time zone ${tz})`;
  const add = (rows: { user_id: string; n: number }[], event: PointEvent) => rows.forEach((row) => { const c = counts.get(row.user_id); if (c) c[event] += row.n; });

  const tables = workspace.objects.get('opportunity') ? dealTables(access) : undefined;
  if (tables && ids.length > 0) {
    const { columns } = tables;
    const kind = sql`${tables.stage.kind}`;
    const mine = sql`${columns.owner} = any(${ids}::uuid[])`;
    const closing = sql`${columns.closeDate} >= ${period.start}::date and ${columns.closeDate} < ${period.end}::date`;
    const won = await sql<{ user_id: string; n: number; first: string }>`
      select ${columns.owner} as user_id, count(*) filter (where ${closing})::int as n, min(${columns.closeDate})::text as first
      from ${tables.table} as t0 join ${tables.stageTable} as s on s.id = ${columns.stage}
      where t0.deleted_at is null and ${kind} = 'won' and ${mine} group by 1`.execute(db);
    add(won.rows, 'dealWon');
    won.rows.filter((row) => row.first >= period.start && row.first < period.end).forEach((row) => firstWins.add(row.user_id));
    const created = await sql<{ user_id: string; n: number }>`
      select ${columns.owner} as user_id, count(*)::int as n from ${tables.table} as t0
      where t0.deleted_at is null and ${mine} and t0.created_at >= ${from} and t0.created_at < ${to} group by 1`.execute(db);
    add(created.rows, 'dealCreated');
    // Revenue: only what the caller may read.
    const readable = access.rows.predicate({ object: tables.deals, alias: 't0', mode: 'read' });
    const rate = conversionRate({ source: findRateSource(workspace), defaultCurrency: workspace.defaultCurrency, currency: sql`g.currency`, day: sql`g.day` });
    const amounts = await sql<{ user_id: string; amount: number; rate: number | null }>`
      with grouped as (
        select ${columns.owner} as user_id, ${columns.currency} as currency, ${columns.closeDate} as day, sum(${columns.amount})::float8 as amount
        from ${tables.table} as t0 join ${tables.stageTable} as s on s.id = ${columns.stage}
        where t0.deleted_at is null and ${kind} = 'won' and ${mine} and ${closing} and ${columns.amount} is not null ${readable ? sql`and ${readable}` : sql``}
        group by 1, 2, 3)
      select g.user_id, g.amount, ${rate}::float8 as rate from grouped as g`.execute(db);
    for (const row of amounts.rows) if (row.rate) revenue.set(row.user_id, (revenue.get(row.user_id) ?? 0) + row.amount / row.rate);
  }
  const task = workspace.objects.get('task');
  if (task?.fieldsByName.get('assignee') && task.fieldsByName.get('status') && ids.length > 0) {
    const assignee = columnOf('t', task.fieldsByName.get('assignee')!.column);
    const { rows } = await sql<{ user_id: string; n: number }>`
      select ${assignee} as user_id, count(distinct h.record_id)::int as n from ${sql.id(workspace.schema, '_history')} as h
      join ${tableOf(workspace, task)} as t on t.id = h.record_id
      where h.object_name = 'task' and h.field = 'status' and h.new_value = '"done"'::jsonb and h.occurred_at >= ${from} and h.occurred_at < ${to}
        and t.deleted_at is null and ${assignee} = any(${ids}::uuid[]) group by 1`.execute(db);
    add(rows, 'taskCompleted');
  }
  const note = workspace.objects.get('note');
  if (note && ids.length > 0) {
    const { rows } = await sql<{ user_id: string; n: number }>`
      select created_by as user_id, count(*)::int as n from ${tableOf(workspace, note)} as t0
      where t0.deleted_at is null and created_by = any(${ids}::uuid[]) and t0.created_at >= ${from} and t0.created_at < ${to} group by 1`.execute(db);
    add(rows, 'noteAdded');
  }
  // Outbound calls by when they started, meetings marked held by when they started: the rep is their owner.
  for (const [objectName, timeField, condition, event] of [
    ['call', 'startedAt', ['direction', 'outbound'], 'callMade'],
    ['meeting', 'start', ['status', 'held'], 'meetingHeld'],
  ] as const) {
    const object = workspace.objects.get(objectName);
    const owner = object?.fieldsByName.get('owner');
    const time = object?.fieldsByName.get(timeField);
    const kind = object?.fieldsByName.get(condition[0]);
    if (!object || !owner || !time || !kind || ids.length === 0) continue;
    const { rows } = await sql<{ user_id: string; n: number }>`
      select ${columnOf('t0', owner.column)} as user_id, count(*)::int as n from ${tableOf(workspace, object)} as t0
      where t0.deleted_at is null and ${columnOf('t0', kind.column)} = ${condition[1]} and ${columnOf('t0', owner.column)} = any(${ids}::uuid[])
        and ${columnOf('t0', time.column)} >= ${from} and ${columnOf('t0', time.column)} < ${to} group by 1`.execute(db);
    add(rows, event);
  }

  const pointsOf = (c: Record<PointEvent, number>) => rules.reduce((sum, rule) => sum + rule.points * c[rule.event], 0);
  const entries = members.map((member) => {
    const c = counts.get(member.id)!;
    return { userId: member.id, name: member.name, points: pointsOf(c), counts: c, dealsWon: c.dealWon, revenueWon: revenue.has(member.id) ? roundMoney(revenue.get(member.id)!) : null };
  });
  entries.sort((a, b) => b.points - a.points || b.dealsWon - a.dealsWon || a.name.localeCompare(b.name));
  let rank = 0;
  const data: LeaderboardEntry[] = entries.map((entry, index) => {
    // Ties share a rank (1, 2, 2, 4).
    if (index === 0 || entry.points !== entries[index - 1]!.points) rank = index + 1;
    const badges: LeaderboardEntry['badges'] = [];
    if (rank === 1 && entry.points > 0) badges.push({ key: 'topScorer', label: BADGE_LABELS.topScorer });
    if (entry.dealsWon >= CLOSER_WINS) badges.push({ key: 'closer', label: BADGE_LABELS.closer });
    if (firstWins.has(entry.userId)) badges.push({ key: 'firstWin', label: BADGE_LABELS.firstWin });
    return { ...entry, rank, badges };
  });
  return { period: { key: period.key, start: period.start, end: period.end }, currency: workspace.defaultCurrency, enabled: rules.some((rule) => rule.points !== 0), rules, data };
};
