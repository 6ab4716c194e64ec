import { sql } from 'kysely';
import { AppError } from '../../engine/errors.ts';
import { getRecord, type ReadContext } from '../../engine/records/read-records.ts';
import { isUuid } from '../../engine/fields/types/relation.field.ts';
import { getReadableObject } from '../../engine/permissions/assert-access.ts';
import { readStagesById } from './pipeline-store.ts';

export interface StageSpell {
  stage: { id: string; name: string | null; kind: 'open' | 'won' | 'lost' | null };
  enteredAt: string;
  /** null while the deal is still in the stage. */
  leftAt: string | null;
  /** Time in the stage up to `leftAt`, or up to now for the current stage. */
  durationSeconds: number;
  durationDays: number;
  /** Who moved the deal into the stage. */
  actorId: string | null;
}

export interface StageHistory {
  data: StageSpell[];
  /** From creation to entering a won or lost stage (the last time it did); null while open. */
  cycle: { createdAt: string; closedAt: string | null; days: number | null };
}

const DAY = 86_400;
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * A deal's stages, oldest first: read from the field history the write path keeps (the `stage` changes and the
 * created snapshot), so times in stage and the cycle are exact. The caller must be able to read the deal and its
 * stage field (the permission layer's view); stage names need read access to pipeline stages.
 */
export const readStageHistory = async (context: ReadContext, id: string, now = new Date()): Promise<StageHistory> => {
  const object = getReadableObject(context.access, 'opportunity');
  if (!object.fieldsByName.has('stage')) throw new AppError('FORBIDDEN', "Your role does not show the opportunity's stage.");
  const record = await getRecord(context, { id, fields: ['id', 'stage', 'stageEnteredAt'] });
  const { rows } = await sql<{ change_type: string; field: string | null; new_value: unknown; actor_id: string | null; occurred_at: string }>`
    select change_type, field, new_value, actor_id, occurred_at from ${sql.id(context.workspace.schema, '_history')}
    where object_name = 'opportunity' and record_id = ${id} and (change_type = 'created' or field = 'stage')
    order by id`.execute(context.db);
  const entries: { stage: string; enteredAt: string; actorId: string | null }[] = [];
  for (const row of rows) {
    const stage = row.change_type === 'created' ? (row.new_value as Record<string, unknown> | null)?.stage : row.new_value;
    // A snapshot from before pipelines holds a choice, not a stage id.
    if (!isUuid(stage)) continue;
    if (entries.at(-1)?.stage === stage) continue;
    entries.push({ stage, enteredAt: new Date(row.occurred_at).toISOString(), actorId: row.actor_id });
  }
  // A deal converted from the choice field has no stage in its history yet: its current stage since it entered it.
  const current = record.stage as string | null;
  if (current && entries.at(-1)?.stage !== current) {
    entries.push({ stage: current, enteredAt: new Date(String(record.stageEnteredAt ?? record.createdAt)).toISOString(), actorId: null });
  }
  const canReadStages = context.access.view.objects.has('pipelineStage');
  const stages = canReadStages ? await readStagesById(context.db, context.workspace, entries.map((entry) => entry.stage), { withDeleted: true }) : new Map();
  const data: StageSpell[] = entries.map((entry, index) => {
    const leftAt = entries[index + 1]?.enteredAt ?? null;
    const seconds = Math.max(0, ((leftAt ? Date.parse(leftAt) : now.getTime()) - Date.parse(entry.enteredAt)) / 1000);
    const stage = stages.get(entry.stage);
    return {
      stage: { id: entry.stage, name: stage?.name ?? null, kind: stage?.kind ?? null },
      enteredAt: entry.enteredAt,
      leftAt,
      durationSeconds: round(seconds, 3),
      durationDays: round(seconds / DAY, 4),
      actorId: entry.actorId,
    };
  });
  const createdAt = new Date(String(record.createdAt)).toISOString();
  const closing = data.at(-1)?.stage.kind === 'won' || data.at(-1)?.stage.kind === 'lost' ? data.at(-1)! : undefined;
  const closedAt = closing?.enteredAt ?? null;
  return { data, cycle: { createdAt, closedAt, days: closedAt ? round((Date.parse(closedAt) - Date.parse(createdAt)) / 1000 / DAY, 4) : null } };
};
