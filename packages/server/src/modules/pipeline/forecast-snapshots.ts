import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.ts';
import type { JobHandler } from '../../engine/jobs/index.ts';
import type { MetadataCache } from '../../engine/metadata/metadata-store.ts';
import type { WorkspaceMeta } from '../../engine/metadata/types.ts';
import type { Access } from '../../engine/permissions/access.ts';
import { createFullAccess } from '../../engine/permissions/access.ts';
import { columnOf, tableOf } from '../../engine/query/sql-parts.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import { listWorkspaces } from '../../engine/workspaces/workspace.service.ts';
import type { DealScope } from './analytics/deal-scope.ts';
import { computeForecast } from './analytics/forecast.ts';
import { periodOf, type Period } from './analytics/periods.ts';
import { getZonedToday } from '../../engine/query/relative-dates.ts';


const nextQuarter = (period: Period): Period => periodOf('quarter', period.end);

/**
 * This week's forecast snapshots of a workspace: the current and next quarter, for the company and for each member
 * who owns open deals, written as `forecastSnapshot` records (engine access: the job sees every deal). A second
 * run on the same day adds nothing.
 */
export const takeForecastSnapshots = async (db: Db, workspace: WorkspaceMeta, now = new Date()): Promise<number> => {
  const snapshots = workspace.objects.get('forecastSnapshot');
  const deals = workspace.objects.get('opportunity');
  if (!snapshots || !deals?.fieldsByName.get('owner')) return 0;
  const today = getZonedToday(workspace.timezone, now);
  const taken = columnOf('t0', snapshots.fieldsByName.get('takenOn')!.column);
  const { rows: done } = await sql`select 1 from ${tableOf(workspace, snapshots)} as t0 where t0.deleted_at is null and ${taken} = ${today}::date limit 1`.execute(db);
  if (done.length > 0) return 0;
  const access = createFullAccess(workspace);
  const current = periodOf('quarter', today);
  const { rows: owners } = await sql<{ id: string; name: string }>`
    select u.id, coalesce(nullif(u.name, ''), u.email) as name from rapport.workspace_member m join rapport.user u on u.id = m.user_id
    where m.workspace_id = ${workspace.id} and m.status = 'active'
      and exists (select 1 from ${tableOf(workspace, deals)} as t0 where t0.deleted_at is null and ${columnOf('t0', deals.fieldsByName.get('owner')!.column)} = u.id)
    order by u.id`.execute(db);
  const records: Record<string, unknown>[] = [];
  for (const period of [current, nextQuarter(current)]) {
    const scopes: { scope: DealScope; owner?: { id: string; name: string } }[] = [
      { scope: { period } },
      ...owners.map((owner) => ({ scope: { period, ownerIds: [owner.id], ownerId: owner.id }, owner })),
    ];
    for (const { scope, owner } of scopes) {
      const figures = await computeForecast(db, access as Access, scope);
      records.push({
        name: `${period.key} · ${owner?.name ?? 'company'} · ${today}`,
        period: period.key,
        takenOn: today,
        scope: owner ? 'rep' : 'company',
        owner: owner?.id ?? null,
        quota: figures.quota,
        closedWon: figures.closedWon,
        commit: figures.commit,
        bestCase: figures.bestCase,
        weightedPipeline: figures.weightedPipeline,
        worstCase: figures.worstCase,
        bestOutcome: figures.bestOutcome,
        currency: figures.currency,
      });
    }
  }
  for (let start = 0; start < records.length; start += 1000) {
    await saveRecords({ db, workspace, object: snapshots, actorId: null, access }, { records: records.slice(start, start + 1000) });
  }
  return records.length;
};

/** Snapshots of a period for one scope, oldest first, as the caller may read them. */
export const readForecastTrend = async (db: Db, access: Access, scope: DealScope): Promise<{ takenOn: string; commit: number; bestCase: number; closedWon: number; weightedPipeline: number; quota: number | null }[]> => {
  const snapshots = access.workspace.objects.get('forecastSnapshot');
  if (!snapshots || !access.view.objects.has('forecastSnapshot') || scope.teamId || scope.pipelineId) return [];
  const c = (name: string) => columnOf('t0', snapshots.fieldsByName.get(name)!.column);
  const who = scope.ownerId ? sql`${c('scope')} = 'rep' and ${c('owner')} = ${scope.ownerId}::uuid` : sql`${c('scope')} = 'company'`;
  const readable = access.rows.predicate({ object: snapshots, alias: 't0', mode: 'read' });
  const { rows } = await sql<{ takenOn: string; commit: number; bestCase: number; closedWon: number; weightedPipeline: number; quota: number | null }>`
    select ${c('takenOn')}::text as "takenOn", ${c('commit')}::float8 as commit, ${c('bestCase')}::float8 as "bestCase", ${c('closedWon')}::float8 as "closedWon",
      ${c('weightedPipeline')}::float8 as "weightedPipeline", ${c('quota')}::float8 as quota
    from ${tableOf(access.workspace, snapshots)} as t0
    where t0.deleted_at is null and ${c('period')} = ${scope.period.key} and ${c('pipeline')} is null and ${who} ${readable ? sql`and ${readable}` : sql``}
    order by ${c('takenOn')} limit 60`.execute(db);
  return rows;
};

export const FORECAST_SNAPSHOT_JOB = 'pipeline.forecastSnapshots';
/** Every Monday morning. */
export const FORECAST_SNAPSHOT_CRON = '0 5 * * 1';

export const createForecastSnapshotJobHandler = ({ metadata }: { metadata: MetadataCache }): JobHandler => async ({ db, signal }) => {
  let taken = 0;
  for (const { id } of await listWorkspaces(db)) {
    if (signal.aborted) break;
    taken += await takeForecastSnapshots(db, await metadata.get(id));
  }
  return { taken };
};
