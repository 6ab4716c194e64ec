import type { FieldError } from '../../api/types.ts';

/** The choices of `pipelineStage.kind` and `pipelineStage.forecastCategory` (the server's standard object). */
export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export const FORECAST_CATEGORIES = ['pipeline', 'bestCase', 'commit', 'closed', 'omitted'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** A `pipeline` record as `GET /records/pipeline` answers it (the members this screen uses). */
export interface PipelineRecord {
  id: string;
  version: number;
  name: string;
  description?: string | null;
  position?: number | null;
  isActive?: boolean | null;
  stalledAfterDaysWithoutActivity?: number | null;
  stalledAfterDaysInStage?: number | null;
  stalledWhenCloseDatePassed?: boolean | null;
}

/** A `pipelineStage` record. */
export interface StageRecord {
  id: string;
  version: number;
  name: string;
  pipeline: string;
  position?: number | null;
  probability?: number | null;
  kind?: StageKind | null;
  forecastCategory?: ForecastCategory | null;
  requiredFields?: string[] | null;
}

/** What the editor holds of a pipeline's own fields. */
export interface PipelineDraft {
  name: string;
  description: string;
  stalledAfterDaysWithoutActivity: number | null;
  stalledAfterDaysInStage: number | null;
  stalledWhenCloseDatePassed: boolean;
}

/** One stage being edited: `id` for a saved stage, none for one added here; `key` names it in the list either way. */
export interface StageDraft {
  key: string;
  id?: string | undefined;
  name: string;
  probability: number | null;
  kind: StageKind;
  forecastCategory: ForecastCategory;
  requiredFields: string[];
}

export const PIPELINE_FIELDS = ['name', 'description', 'stalledAfterDaysWithoutActivity', 'stalledAfterDaysInStage', 'stalledWhenCloseDatePassed'] as const;
export const STAGE_FIELDS = ['name', 'probability', 'kind', 'forecastCategory', 'requiredFields'] as const;

const byPosition = <T extends { position?: number | null; name: string }>(a: T, b: T) =>
  (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name);

/** Pipelines or stages in their order (by position, then by name). */
export const inOrder = <T extends { position?: number | null; name: string }>(list: readonly T[]): T[] => [...list].sort(byPosition);

const isKind = (value: unknown): value is StageKind => (STAGE_KINDS as readonly unknown[]).includes(value);
const isCategory = (value: unknown): value is ForecastCategory => (FORECAST_CATEGORIES as readonly unknown[]).includes(value);

/** A JSON list of field names, however the API gave it (a list, its JSON text, or nothing). */
export const fieldNamesOf = (value: unknown): string[] => {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value) as unknown;
    } catch {
      return [];
    }
  }
  return Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string') : [];
};

export const pipelineDraftOf = (pipeline: PipelineRecord): PipelineDraft => ({
  name: pipeline.name ?? '',
  description: pipeline.description ?? '',
  stalledAfterDaysWithoutActivity: pipeline.stalledAfterDaysWithoutActivity ?? null,
  stalledAfterDaysInStage: pipeline.stalledAfterDaysInStage ?? null,
  stalledWhenCloseDatePassed: pipeline.stalledWhenCloseDatePassed ?? false,
});

export const stageDraftOf = (stage: StageRecord): StageDraft => ({
  key: stage.id,
  id: stage.id,
  name: stage.name ?? '',
  probability: stage.probability ?? null,
  kind: isKind(stage.kind) ? stage.kind : 'open',
  forecastCategory: isCategory(stage.forecastCategory) ? stage.forecastCategory : 'pipeline',
  requiredFields: fieldNamesOf(stage.requiredFields),
});

/** A stage added in the editor: open, in the "pipeline" forecast category, nothing required. */
export const newStageDraft = (key: string): StageDraft => ({ key, name: '', probability: null, kind: 'open', forecastCategory: 'pipeline', requiredFields: [] });

/** The pipeline's fields that differ from the saved record, as a PATCH body; null when nothing changed. */
export const pipelinePatchOf = (saved: PipelineRecord, draft: PipelineDraft): Partial<Record<(typeof PIPELINE_FIELDS)[number], unknown>> | null => {
  const before = pipelineDraftOf(saved);
  const patch: Partial<Record<(typeof PIPELINE_FIELDS)[number], unknown>> = {};
  const name = draft.name.trim();
  if (name !== before.name) patch.name = name;
  const description = draft.description.trim();
  if (description !== before.description.trim()) patch.description = description === '' ? null : description;
  if (draft.stalledAfterDaysWithoutActivity !== before.stalledAfterDaysWithoutActivity) patch.stalledAfterDaysWithoutActivity = draft.stalledAfterDaysWithoutActivity;
  if (draft.stalledAfterDaysInStage !== before.stalledAfterDaysInStage) patch.stalledAfterDaysInStage = draft.stalledAfterDaysInStage;
  if (draft.stalledWhenCloseDatePassed !== before.stalledWhenCloseDatePassed) patch.stalledWhenCloseDatePassed = draft.stalledWhenCloseDatePassed;
  return Object.keys(patch).length > 0 ? patch : null;
};

const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** One item of `POST /records/pipelineStage/batch`, and the stage (draft key) it writes. */
export interface StageWrite {
  key: string;
  record: Record<string, unknown>;
}

/**
 * What saving the stages writes, as one batch: each stage added here is created, each saved stage whose
 * fields or place changed is updated with only those fields (at the version it was read, so a change made
 * meanwhile by someone else is refused rather than overwritten). Positions are 1, 2, 3… in the list's order.
 */
export const stageWritesOf = (pipelineId: string, saved: readonly StageRecord[], drafts: readonly StageDraft[]): StageWrite[] => {
  const savedById = new Map(saved.map((stage) => [stage.id, stage]));
  const writes: StageWrite[] = [];
  drafts.forEach((draft, index) => {
    const position = index + 1;
    const name = draft.name.trim();
    const original = draft.id ? savedById.get(draft.id) : undefined;
    if (!original) {
      writes.push({
        key: draft.key,
        record: { name, pipeline: pipelineId, position, probability: draft.probability, kind: draft.kind, forecastCategory: draft.forecastCategory, requiredFields: draft.requiredFields },
      });
      return;
    }
    const before = stageDraftOf(original);
    const changed: Record<string, unknown> = {};
    if (name !== before.name) changed.name = name;
    if ((original.position ?? null) !== position) changed.position = position;
    if (draft.probability !== before.probability) changed.probability = draft.probability;
    if (draft.kind !== before.kind) changed.kind = draft.kind;
    if (draft.forecastCategory !== before.forecastCategory) changed.forecastCategory = draft.forecastCategory;
    if (!sameNames(draft.requiredFields, before.requiredFields)) changed.requiredFields = draft.requiredFields;
    if (Object.keys(changed).length > 0) writes.push({ key: draft.key, record: { id: original.id, version: original.version, ...changed } });
  });
  return writes;
};

/** The saved stages the editor removed: each goes to the trash when saving. */
export const removedStagesOf = (saved: readonly StageRecord[], drafts: readonly StageDraft[]): StageRecord[] => {
  const kept = new Set(drafts.map((draft) => draft.id).filter((id): id is string => id !== undefined));
  return saved.filter((stage) => !kept.has(stage.id));
};

/** Whether the editor holds anything to save. */
export const hasChanges = (pipeline: PipelineRecord, saved: readonly StageRecord[], draft: PipelineDraft, stages: readonly StageDraft[]): boolean =>
  pipelinePatchOf(pipeline, draft) !== null || stageWritesOf(pipeline.id, saved, stages).length > 0 || removedStagesOf(saved, stages).length > 0;

/**
 * The list after one item is dropped on another's place (dnd-kit's `active` and `over`), or undefined when
 * nothing moves (dropped on itself, outside the list, or an id the list does not hold).
 */
export const reorderList = <T>(list: readonly T[], idOf: (item: T) => string, activeId: string, overId: string | undefined): T[] | undefined => {
  const from = list.findIndex((item) => idOf(item) === activeId);
  const to = overId === undefined ? -1 : list.findIndex((item) => idOf(item) === overId);
  if (from < 0 || to < 0 || from === to) return undefined;
  const next = [...list];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved as T);
  return next;
};

/** 1-based place of an item in the list, for announcements ("position 2 of 5"); 0 when absent. */
export const positionIn = <T>(list: readonly T[], idOf: (item: T) => string, id: string | number | undefined): number => list.findIndex((item) => idOf(item) === String(id)) + 1;

/** The pipelines whose position changes when they are put in this order: a batch of `{id, version, position}`. */
export const pipelineOrderWritesOf = (ordered: readonly PipelineRecord[]): { id: string; version: number; position: number }[] =>
  ordered.flatMap((pipeline, index) => ((pipeline.position ?? null) === index + 1 ? [] : [{ id: pipeline.id, version: pipeline.version, position: index + 1 }]));

/** The position a new pipeline takes: after the last one. */
export const nextPosition = (list: readonly { position?: number | null }[]): number => list.reduce((max, item) => Math.max(max, item.position ?? 0), 0) + 1;

/**
 * A batch's field errors (`records[3].name`) by the stage (draft key) of the item they are about, then by field;
 * errors about no known stage field are returned apart, for an alert above the list.
 */
export const stageErrorsOf = (
  errors: readonly FieldError[],
  writes: readonly StageWrite[],
  messageOf: (error: FieldError) => string,
): { byStage: Record<string, Record<string, string>>; general: string[] } => {
  const byStage: Record<string, Record<string, string>> = {};
  const general: string[] = [];
  const stageFields = new Set<string>(STAGE_FIELDS);
  for (const error of errors) {
    const match = /^records\[(\d+)\]\.(\w+)/.exec(error.field);
    const write = match ? writes[Number(match[1])] : undefined;
    const field = match?.[2];
    const message = messageOf(error);
    if (!write || !field || !stageFields.has(field)) {
      general.push(message);
      continue;
    }
    const fields = (byStage[write.key] ??= {});
    fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
  }
  return { byStage, general };
};

/** Writes that move deals to another stage: one batch item per deal, at the version read. */
export const dealMovesOf = (deals: readonly { id: string; version: number }[], stageId: string): { id: string; version: number; stage: string }[] =>
  deals.map((deal) => ({ id: deal.id, version: deal.version, stage: stageId }));

/** A list cut into pieces of at most `size` (the API takes 1,000 records per batch). */
export const chunksOf = <T>(list: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let index = 0; index < list.length; index += size) chunks.push(list.slice(index, index + size));
  return chunks;
};

/**
 * The draft once the saved pipeline changed under it (its active switch, or someone else's save): fields the person
 * did not touch take the new saved value, fields they changed keep their value.
 */
export const rebasePipelineDraft = (before: PipelineDraft, after: PipelineDraft, draft: PipelineDraft): PipelineDraft => {
  const next = { ...draft };
  for (const field of PIPELINE_FIELDS) if (draft[field] === before[field]) (next as Record<string, unknown>)[field] = after[field];
  return next;
};

/** A stage given another kind: a won stage is certain and closed, a lost one at 0% and omitted, as deals entering them will be. */
export const withKind = (draft: StageDraft, kind: StageKind): StageDraft => {
  if (kind === 'won') return { ...draft, kind, probability: 100, forecastCategory: 'closed' };
  if (kind === 'lost') return { ...draft, kind, probability: 0, forecastCategory: 'omitted' };
  return { ...draft, kind, forecastCategory: draft.kind === 'open' ? draft.forecastCategory : 'pipeline' };
};

/** The stages with those the API kept out of the trash put back at their saved place (their index among the saved stages). */
export const withKeptStages = (drafts: readonly StageDraft[], saved: readonly StageRecord[], kept: readonly StageRecord[]): StageDraft[] => {
  const next = [...drafts];
  const ordered = inOrder(saved);
  for (const stage of inOrder(kept)) next.splice(Math.min(Math.max(ordered.findIndex((each) => each.id === stage.id), 0), next.length), 0, stageDraftOf(stage));
  return next;
};
