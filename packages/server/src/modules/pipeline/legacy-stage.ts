import { sql } from 'kysely';
import type { WorkspaceMeta } from '../../engine/metadata/types.ts';
import { deleteField, retireStandardField, type MetadataChange } from '../../engine/metadata/metadata.service.ts';
import { createFullAccess } from '../../engine/permissions/access.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import { DEFAULT_STAGES } from './default-pipeline.ts';
import { categoryOnEntering } from './forecast-categories.ts';
import { readDefaultPipeline, readStagesOfPipelines } from './pipeline-store.ts';

const LEGACY = 'legacyStage';

/**
 * Workspaces made before pipelines had `opportunity.stage` as a choice field. Before the upgrade adds the stage
 * relation under that name, the choice field moves out of the way (as `legacyStage`, data kept).
 */
export const moveLegacyStageAside = async (change: MetadataChange, workspace: WorkspaceMeta): Promise<string[]> => {
  const stage = workspace.objects.get('opportunity')?.fieldsByName.get('stage');
  if (!stage || stage.type !== 'select') return [];
  await retireStandardField({ ...change, objectName: 'opportunity', fieldName: 'stage', newName: LEGACY, newLabel: 'Stage (before pipelines)' });
  return ['opportunity.stage (a choice) moved aside as opportunity.legacyStage'];
};

/**
 * ...and after it, every deal gets the stage of the default pipeline its choice stood for (matched by value or
 * label; a choice no stage matches becomes a new stage), its pipeline, forecast category and time in stage; then
 * the old field goes to the trash, restorable for 30 days. One statement per workspace, without history: the
 * stage history of a converted deal starts with the conversion.
 */
export const convertLegacyStage = async (change: MetadataChange, workspace: WorkspaceMeta): Promise<string[]> => {
  const { db } = change;
  const opportunity = workspace.objects.get('opportunity');
  const legacy = opportunity?.fieldsByName.get(LEGACY);
  const stageObject = workspace.objects.get('pipelineStage');
  if (!opportunity || !legacy || legacy.type !== 'select' || !stageObject || opportunity.fieldsByName.get('stage')?.type !== 'relation') return [];
  const pipeline = await readDefaultPipeline(db, workspace);
  if (!pipeline) return [];
  const stages = await readStagesOfPipelines(db, workspace, [pipeline.id]);
  const choices = legacy.options?.choices ?? [];
  const mapping: { value: string; stage: string; category: string }[] = [];
  const missing: { value: string; label: string }[] = [];
  for (const choice of choices) {
    const known = DEFAULT_STAGES.find((stage) => stage.legacyValue === choice.value);
    const match = stages.find((stage) => [choice.value, choice.label, known?.name].some((name) => name?.toLowerCase() === stage.name.toLowerCase()));
    if (match) mapping.push({ value: choice.value, stage: match.id, category: categoryOnEntering(match) });
    else missing.push({ value: choice.value, label: choice.label ?? choice.value });
  }
  const done: string[] = [];
  if (missing.length > 0) {
    const last = stages.reduce((max, stage) => Math.max(max, stage.position), 0);
    const { data } = await saveRecords(
      { db, workspace, object: stageObject, actorId: null, access: createFullAccess(workspace) },
      { records: missing.map((choice, index) => ({ name: choice.label, pipeline: pipeline.id, position: last + index + 1, kind: 'open', forecastCategory: 'pipeline' })) },
    );
    data.forEach((stage, index) => mapping.push({ value: missing[index]!.value, stage: stage.id, category: 'pipeline' }));
    done.push(`stages added for choices no stage matched: ${missing.map((choice) => choice.label).join(', ')}`);
  }
  const first = stages.find((stage) => stage.kind === 'open') ?? stages[0];
  const column = (name: string) => sql.ref(`t.${opportunity.fieldsByName.get(name)!.column}`);
  const set = (name: string) => sql.id(opportunity.fieldsByName.get(name)!.column);
  const table = sql.id(workspace.schema, opportunity.table);
  const converted = await sql`
    update ${table} as t
    set ${set('stage')} = m.stage, ${set('pipeline')} = ${pipeline.id}::uuid,
      ${set('forecastCategory')} = coalesce(${column('forecastCategory')}, m.category),
      ${set('stageEnteredAt')} = coalesce(${column('stageEnteredAt')}, t.updated_at)
    from json_to_recordset(${JSON.stringify(mapping)}::json) as m(value text, stage uuid, category text)
    where m.value = ${column(LEGACY)} and ${column('stage')} is null`.execute(db);
  // Deals without a choice start in the pipeline's first stage.
  const rest = first
    ? await sql`
        update ${table} as t
        set ${set('stage')} = ${first.id}::uuid, ${set('pipeline')} = ${pipeline.id}::uuid,
          ${set('forecastCategory')} = coalesce(${column('forecastCategory')}, 'pipeline'), ${set('stageEnteredAt')} = coalesce(${column('stageEnteredAt')}, t.updated_at)
        where ${column('stage')} is null`.execute(db)
    : { numAffectedRows: 0n };
  const numAffectedRows = BigInt(converted.numAffectedRows ?? 0n) + BigInt(rest.numAffectedRows ?? 0n);
  done.push(`${Number(numAffectedRows ?? 0)} deals given the stage of pipeline “${pipeline.name}” their choice stood for`);
  await deleteField({ ...change, objectName: 'opportunity', fieldName: LEGACY });
  done.push('opportunity.legacyStage moved to the trash');
  return done;
};
