import type { FieldError } from '@rapport/common';
import type { RecordBehaviour, RecordInWrite } from '../../engine/records/record-behaviours.ts';
import { categoryOnEntering, probabilityOnEntering } from './forecast-categories.ts';
import { readDefaultPipeline, readStagesById, readStagesOfPipelines, type StageRecord } from './pipeline-store.ts';
import { getZonedToday } from '../../engine/query/relative-dates.ts';

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);


/** The stage a deal starts in: the pipeline's first open stage (its first stage if all are closed). */
const firstStageOf = (stages: StageRecord[], pipelineId: string) => {
  const own = stages.filter((stage) => stage.pipeline === pipelineId);
  return own.find((stage) => stage.kind === 'open') ?? own[0];
};


/**
 * An opportunity's pipeline and stage, kept by the write path for every writer (API, kanban, import, workflow):
 * - a new deal without a stage starts in the first open stage of its pipeline (the default pipeline if none is
 *   given); a deal moved to another pipeline without a stage goes to that pipeline's first stage;
 * - the stage must belong to the deal's pipeline (`pipeline` follows the stage when only the stage is given);
 * - entering a stage requires its `requiredFields` (and a loss reason for a lost stage): `requiredByStage` errors;
 * - entering a stage sets the stage's probability and forecast category (unless the same write gives them), the
 *   time it entered (`stageEnteredAt`, from which the stage history's durations are exact), and today's date as the
 *   close date of a deal closed without one.
 */
export const opportunityStageRules: RecordBehaviour = {
  object: 'opportunity',
  async beforeWrite({ trx, workspace, object }, written) {
    const errors: FieldError[] = [];
    // An update that leaves stage and pipeline alone keeps both valid: no stage is read for it (imports, renames).
    const records = written.filter((record) => record.isCreate || record.isGiven('stage') || record.isGiven('pipeline'));
    if (records.length === 0) return errors;
    const given = records.map((record) => record.after.stage).filter((id): id is string => typeof id === 'string');
    const stages = await readStagesById(trx, workspace, given);
    // Deals that need a pipeline's first stage: no stage, or moved to a pipeline their stage is not part of.
    const needsFirst = (record: RecordInWrite) => {
      const stage = typeof record.after.stage === 'string' ? stages.get(record.after.stage) : undefined;
      if (typeof record.after.stage === 'string' && !stage) return false;
      if (!stage) return true;
      const movedPipeline = !record.isCreate && record.isGiven('pipeline') && !record.isGiven('stage') && record.after.pipeline !== record.before?.pipeline;
      return movedPipeline && typeof record.after.pipeline === 'string' && stage.pipeline !== record.after.pipeline;
    };
    const starting = records.filter(needsFirst);
    const defaultPipeline = starting.some((record) => typeof record.after.pipeline !== 'string') ? await readDefaultPipeline(trx, workspace) : undefined;
    const pipelineOf = (record: RecordInWrite) => (typeof record.after.pipeline === 'string' ? record.after.pipeline : defaultPipeline?.id);
    const firstStages = await readStagesOfPipelines(trx, workspace, starting.map(pipelineOf).filter((id): id is string => id !== undefined));
    const now = new Date();
    const today = getZonedToday(workspace.timezone, now);

    for (const record of records) {
      const error = (field: string, code: string, message: string) => errors.push({ field: `${record.path}${field}`, code, message });
      let stage = typeof record.after.stage === 'string' ? stages.get(record.after.stage) : undefined;
      // A stage id that is not a live stage: the reference check reports it.
      if (typeof record.after.stage === 'string' && !stage) continue;
      if (starting.includes(record)) {
        const pipelineId = pipelineOf(record);
        if (!pipelineId) {
          error('pipeline', 'required', 'There is no active pipeline: create one with its stages first.');
          continue;
        }
        stage = firstStageOf(firstStages, pipelineId);
        if (!stage) {
          error('stage', 'required', 'This pipeline has no stages yet: add its stages first.');
          continue;
        }
        record.set('stage', stage.id);
      }
      if (!stage) continue;
      if (typeof record.after.pipeline !== 'string') record.set('pipeline', stage.pipeline);
      else if (record.after.pipeline !== stage.pipeline) {
        error('stage', 'stageNotInPipeline', `The stage “${stage.name}” is not a stage of this deal's pipeline.`);
        continue;
      }
      const entered = record.isCreate || record.before?.stage !== stage.id;
      if (!entered) continue;
      if (!record.isGiven('probability')) {
        const probability = probabilityOnEntering(stage);
        if (probability !== null) record.set('probability', probability);
      }
      if (!record.isGiven('forecastCategory')) {
        record.set('forecastCategory', categoryOnEntering(stage));
      }
      if (!record.isGiven('stageEnteredAt')) record.set('stageEnteredAt', now.toISOString());
      if (stage.kind !== 'open' && isEmpty(record.after.closeDate)) record.set('closeDate', today);
      const required = new Set(stage.requiredFields);
      if (stage.kind === 'lost') required.add('lossReason');
      for (const name of required) {
        const field = object.fieldsByName.get(name);
        if (field && isEmpty(record.after[name])) error(name, 'requiredByStage', `${field.label} is required to enter the stage “${stage.name}”.`);
      }
    }
    return errors;
  },
};

// A JSON field given in the write holds its JSON text until it is stored.
const jsonOf = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/** A stage's required fields must name fields that opportunities have. */
export const pipelineStageRules: RecordBehaviour = {
  object: 'pipelineStage',
  beforeWrite({ workspace }, records) {
    const opportunity = workspace.objects.get('opportunity');
    const errors: FieldError[] = [];
    for (const record of records) {
      const required = jsonOf(record.after.requiredFields);
      if (required === null || required === undefined) continue;
      if (!Array.isArray(required) || !required.every((name) => typeof name === 'string')) {
        errors.push({ field: `${record.path}requiredFields`, code: 'invalidType', message: 'A list of opportunity field names, e.g. ["amount", "closeDate"].' });
        continue;
      }
      const unknown = required.filter((name) => !opportunity?.fieldsByName.has(name));
      if (unknown.length > 0) errors.push({ field: `${record.path}requiredFields`, code: 'unknownField', message: `Opportunities have no field ${unknown.map((name) => `"${name}"`).join(', ')}.` });
    }
    return errors;
  },
};
