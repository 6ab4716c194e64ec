import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.ts';
import type { JobHandler } from '../../engine/jobs/index.ts';
import type { MetadataCache } from '../../engine/metadata/metadata-store.ts';
import type { WorkspaceMeta } from '../../engine/metadata/types.ts';
import { createFullAccess } from '../../engine/permissions/access.ts';
import type { RecordBehaviour } from '../../engine/records/record-behaviours.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import { listWorkspaces } from '../../engine/workspaces/workspace.service.ts';
import { dealActivitySources } from './deal-activities.ts';
import { readStagesById } from './pipeline-store.ts';
import { getZonedToday } from '../../engine/query/relative-dates.ts';

export type StalledReason = 'noActivity' | 'longInStage' | 'closeDatePassed';

/** A pipeline's stalled-deal rules; an empty one is switched off. */
export interface StalledRules {
  daysWithoutActivity: number | null;
  daysInStage: number | null;
  closeDatePassed: boolean;
}

const DAY = 86_400_000;
const REASONS: StalledReason[] = ['noActivity', 'longInStage', 'closeDatePassed'];

/** Why an open deal needs attention today, in a fixed order. */
export const stalledReasonsOf = (deal: { lastActivityAt: string | null; createdAt: string; stageEnteredAt: string | null; closeDate: string | null }, rules: StalledRules, now: Date, today: string): StalledReason[] => {
  const reasons = new Set<StalledReason>();
  const lastActivity = Date.parse(deal.lastActivityAt ?? deal.createdAt);
  if (rules.daysWithoutActivity && now.getTime() - lastActivity > rules.daysWithoutActivity * DAY) reasons.add('noActivity');
  if (rules.daysInStage && now.getTime() - Date.parse(deal.stageEnteredAt ?? deal.createdAt) > rules.daysInStage * DAY) reasons.add('longInStage');
  if (rules.closeDatePassed && deal.closeDate !== null && deal.closeDate < today) reasons.add('closeDatePassed');
  return REASONS.filter((reason) => reasons.has(reason));
};


/**
 * A write clears at once what it ends: a deal that closes has nothing to attend to, a new stage is no longer "long in
 * stage", a close date moved to the future has not passed. What time brings (and new activity) the check below finds.
 */
export const stalledFlagRules: RecordBehaviour = {
  object: 'opportunity',
  async beforeWrite({ trx, workspace }, records) {
    // Only a flagged deal whose stage or close date this write changes can stop needing attention.
    const ending = records.filter((record) =>
      !record.isGiven('stalledReasons') && Array.isArray(record.after.stalledReasons) && record.after.stalledReasons.length > 0 &&
      (record.after.stage !== record.before?.stage || record.after.closeDate !== record.before?.closeDate));
    if (ending.length === 0) return [];
    const moved = ending.filter((record) => record.after.stage !== record.before?.stage);
    const stages = await readStagesById(trx, workspace, moved.map((record) => record.after.stage).filter((id): id is string => typeof id === 'string'));
    const today = getZonedToday(workspace.timezone, new Date());
    for (const record of ending) {
      const current = record.after.stalledReasons as StalledReason[];
      const stage = typeof record.after.stage === 'string' ? stages.get(record.after.stage) : undefined;
      const kept = stage && stage.kind !== 'open'
        ? []
        : current.filter((reason) =>
            reason === 'longInStage' ? record.after.stage === record.before?.stage
            : reason === 'closeDatePassed' ? typeof record.after.closeDate === 'string' && record.after.closeDate < today
            : true);
      if (kept.length !== current.length) record.set('stalledReasons', kept.length > 0 ? kept : null);
    }
    return [];
  },
};

/** Deals whose flags or last activity the check changes per run (the next run goes on). */
const BATCH = 2000;

interface CheckedDeal {
  id: string;
  reasons: StalledReason[] | null;
  lastActivityAt: string | null;
  changed: 'reasons' | 'activity' | 'both';
}

/**
 * Flags the open deals that match their pipeline's stalled-deal rules and clears the flag of those that no longer
 * do; keeps `lastActivityAt` as the latest task or note linked to the deal. Only deals whose flags or last activity
 * change are written, through the write path (history and events like any write), at most BATCH per run.
 */
export const checkStalledDeals = async (db: Db, workspace: WorkspaceMeta, now = new Date()): Promise<{ flagged: number; cleared: number; activity: number }> => {
  const deals = workspace.objects.get('opportunity');
  const pipelines = workspace.objects.get('pipeline');
  const stages = workspace.objects.get('pipelineStage');
  if (!deals?.fieldsByName.has('stalledReasons') || !pipelines || !stages) return { flagged: 0, cleared: 0, activity: 0 };
  const d = (name: string) => sql.ref(`t0.${deals.fieldsByName.get(name)!.column}`);
  const p = (name: string) => sql.ref(`p.${pipelines.fieldsByName.get(name)!.column}`);
  const kind = sql.ref(`s.${stages.fieldsByName.get('kind')!.column}`);
  // Activities: tasks and notes pointing at the deal (each module's objects that have an `opportunity` relation).
  const activitySources = dealActivitySources(workspace).map(({ table, dealColumn }) =>
    sql`select ${sql.ref(dealColumn)} as deal, max(updated_at) as at from ${table} where deleted_at is null and ${sql.ref(dealColumn)} is not null group by 1`);
  const activity = activitySources.length > 0 ? sql`(select deal, max(at) as at from (${sql.join(activitySources, sql` union all `)}) as a group by deal)` : sql`(select null::uuid as deal, null::timestamptz as at where false)`;
  const today = getZonedToday(workspace.timezone, now);
  const { rows } = await sql<{ id: string; reasons: string[]; stored: string[] | null; last: string | null; storedLast: string | null }>`
    with activity as ${activity},
    judged as (
      select t0.id, ${d('stalledReasons')} as stored, ${d('lastActivityAt')} as "storedLast", a.at as last,
        array_remove(array[
          case when ${kind} = 'open' and ${p('stalledAfterDaysWithoutActivity')} > 0
            and coalesce(a.at, t0.created_at) < ${now.toISOString()}::timestamptz - make_interval(days => ${p('stalledAfterDaysWithoutActivity')}::int) then 'noActivity' end,
          case when ${kind} = 'open' and ${p('stalledAfterDaysInStage')} > 0
            and coalesce(${d('stageEnteredAt')}, t0.created_at) < ${now.toISOString()}::timestamptz - make_interval(days => ${p('stalledAfterDaysInStage')}::int) then 'longInStage' end,
          case when ${kind} = 'open' and ${p('stalledWhenCloseDatePassed')} is true and ${d('closeDate')} < ${today}::date then 'closeDatePassed' end
        ], null) as reasons
      from ${sql.id(workspace.schema, deals.table)} as t0
        left join ${sql.id(workspace.schema, stages.table)} as s on s.id = ${d('stage')}
        left join ${sql.id(workspace.schema, pipelines.table)} as p on p.id = ${d('pipeline')}
        left join activity as a on a.deal = t0.id
      where t0.deleted_at is null and (${kind} = 'open' or cardinality(coalesce(${d('stalledReasons')}, '{}')) > 0))
    select id, reasons, stored, last, "storedLast" from judged
    where reasons is distinct from coalesce(stored, '{}') or last is distinct from "storedLast"
    limit ${BATCH}`.execute(db);
  if (rows.length === 0) return { flagged: 0, cleared: 0, activity: 0 };
  const same = (a: string | null, b: string | null) => (a === null || b === null ? a === b : Date.parse(a) === Date.parse(b));
  const checked: CheckedDeal[] = rows.map((row) => {
    const reasonsChanged = JSON.stringify(row.reasons) !== JSON.stringify(row.stored ?? []);
    const activityChanged = !same(row.last ? new Date(row.last).toISOString() : null, row.storedLast ? new Date(row.storedLast).toISOString() : null);
    const changed: CheckedDeal['changed'] = reasonsChanged && activityChanged ? 'both' : reasonsChanged ? 'reasons' : 'activity';
    return { id: row.id, reasons: row.reasons.length > 0 ? (row.reasons as StalledReason[]) : null, lastActivityAt: row.last ? new Date(row.last).toISOString() : null, changed };
  });
  if (checked.length > 0) {
    await saveRecords(
      { db, workspace, object: deals, actorId: null, access: createFullAccess(workspace) },
      { records: checked.map((deal) => ({ id: deal.id, stalledReasons: deal.reasons, lastActivityAt: deal.lastActivityAt })) },
    );
  }
  const reasonChanges = checked.filter((deal) => deal.changed !== 'activity');
  return {
    flagged: reasonChanges.filter((deal) => deal.reasons !== null).length,
    cleared: reasonChanges.filter((deal) => deal.reasons === null).length,
    activity: checked.filter((deal) => deal.changed !== 'reasons').length,
  };
};

export const STALLED_DEALS_JOB = 'pipeline.stalledDeals';
/** Every ten minutes: a flag appears or clears within that time of its condition changing. */
export const STALLED_DEALS_CRON = '*/10 * * * *';

export const createStalledDealsJobHandler = ({ metadata }: { metadata: MetadataCache }): JobHandler => async ({ db, signal }) => {
  const totals = { flagged: 0, cleared: 0, activity: 0 };
  for (const { id } of await listWorkspaces(db)) {
    if (signal.aborted) break;
    const result = await checkStalledDeals(db, await metadata.get(id));
    totals.flagged += result.flagged;
    totals.cleared += result.cleared;
    totals.activity += result.activity;
  }
  return totals;
};
