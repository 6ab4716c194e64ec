import { describe, expect, it } from 'vitest';
import {
  chunksOf,
  dealMovesOf,
  fieldNamesOf,
  hasChanges,
  inOrder,
  newStageDraft,
  nextPosition,
  pipelineDraftOf,
  pipelineOrderWritesOf,
  pipelinePatchOf,
  positionIn,
  removedStagesOf,
  rebasePipelineDraft,
  reorderList,
  stageDraftOf,
  stageErrorsOf,
  stageWritesOf,
  withKind,
  withKeptStages,
  type PipelineRecord,
  type StageRecord,
} from './pipeline-model.ts';

const pipeline: PipelineRecord = {
  id: 'p1',
  version: 3,
  name: 'New business',
  description: null,
  position: 1,
  isActive: true,
  stalledAfterDaysWithoutActivity: 14,
  stalledAfterDaysInStage: null,
  stalledWhenCloseDatePassed: true,
};

const stage = (id: string, position: number, extra: Partial<StageRecord> = {}): StageRecord => ({
  id,
  version: 1,
  name: id.toUpperCase(),
  pipeline: 'p1',
  position,
  probability: position * 10,
  kind: 'open',
  forecastCategory: 'pipeline',
  requiredFields: [],
  ...extra,
});

const saved = [stage('a', 1), stage('b', 2, { requiredFields: ['amount', 'closeDate'] }), stage('c', 3, { kind: 'won', forecastCategory: 'closed' })];
const drafts = () => inOrder(saved).map(stageDraftOf);

describe('pipeline settings model', () => {
  it('should order by position, then name, with unplaced items last', () => {
    expect(inOrder([{ name: 'b', position: 2 }, { name: 'z', position: null }, { name: 'a', position: 2 }, { name: 'c', position: 1 }]).map((item) => item.name)).toEqual(['c', 'a', 'b', 'z']);
  });

  it('should read required fields given as a list, as JSON text, or not at all', () => {
    expect(fieldNamesOf(['amount', 3, 'closeDate'])).toEqual(['amount', 'closeDate']);
    expect(fieldNamesOf('["amount"]')).toEqual(['amount']);
    expect(fieldNamesOf('not json')).toEqual([]);
    expect(fieldNamesOf(null)).toEqual([]);
  });

  it('should patch only the pipeline fields that changed, an emptied description as null', () => {
    const draft = pipelineDraftOf({ ...pipeline, description: 'Old' });
    expect(pipelinePatchOf({ ...pipeline, description: 'Old' }, draft)).toBeNull();
    expect(pipelinePatchOf({ ...pipeline, description: 'Old' }, { ...draft, name: ' Renewals ', description: '  ', stalledAfterDaysWithoutActivity: null })).toEqual({
      name: 'Renewals',
      description: null,
      stalledAfterDaysWithoutActivity: null,
    });
    expect(pipelinePatchOf(pipeline, { ...pipelineDraftOf(pipeline), stalledAfterDaysInStage: 30, stalledWhenCloseDatePassed: false })).toEqual({ stalledAfterDaysInStage: 30, stalledWhenCloseDatePassed: false });
  });

  it('should write nothing for stages as they were saved, whatever the order of their required fields', () => {
    const list = drafts();
    list[1] = { ...list[1]!, requiredFields: ['closeDate', 'amount'] };
    expect(stageWritesOf('p1', saved, list)).toEqual([]);
    expect(hasChanges(pipeline, saved, pipelineDraftOf(pipeline), list)).toBe(false);
  });

  it('should update only the changed fields of a saved stage, at the version read', () => {
    const list = drafts();
    list[0] = { ...list[0]!, name: 'Discovery ', probability: 15 };
    list[2] = { ...list[2]!, requiredFields: ['amount'] };
    expect(stageWritesOf('p1', saved, list)).toEqual([
      { key: 'a', record: { id: 'a', version: 1, name: 'Discovery', probability: 15 } },
      { key: 'c', record: { id: 'c', version: 1, requiredFields: ['amount'] } },
    ]);
  });

  it('should renumber the positions after a move and write only the stages whose place changed', () => {
    const moved = reorderList(drafts(), (draft) => draft.key, 'c', 'a')!;
    expect(moved.map((draft) => draft.key)).toEqual(['c', 'a', 'b']);
    expect(stageWritesOf('p1', saved, moved)).toEqual([
      { key: 'c', record: { id: 'c', version: 1, position: 1 } },
      { key: 'a', record: { id: 'a', version: 1, position: 2 } },
      { key: 'b', record: { id: 'b', version: 1, position: 3 } },
    ]);
    const swapped = reorderList(drafts(), (draft) => draft.key, 'b', 'c')!;
    expect(stageWritesOf('p1', saved, swapped).map((write) => write.record)).toEqual([
      { id: 'c', version: 1, position: 2 },
      { id: 'b', version: 1, position: 3 },
    ]);
  });

  it('should create added stages in the pipeline at their place, and list removed ones for the trash', () => {
    const list = drafts().filter((draft) => draft.key !== 'b');
    list.splice(1, 0, { ...newStageDraft('new-1'), name: 'Quoted', probability: 40, requiredFields: ['amount'] });
    expect(stageWritesOf('p1', saved, list)).toEqual([
      { key: 'new-1', record: { name: 'Quoted', pipeline: 'p1', position: 2, probability: 40, kind: 'open', forecastCategory: 'pipeline', requiredFields: ['amount'] } },
    ]);
    expect(removedStagesOf(saved, list).map((removed) => removed.id)).toEqual(['b']);
    expect(hasChanges(pipeline, saved, pipelineDraftOf(pipeline), drafts().slice(0, 2))).toBe(true);
  });

  it('should not move anything when dropped on itself or outside the list', () => {
    expect(reorderList(['a', 'b'], (id) => id, 'a', 'a')).toBeUndefined();
    expect(reorderList(['a', 'b'], (id) => id, 'a', undefined)).toBeUndefined();
    expect(reorderList(['a', 'b'], (id) => id, 'x', 'b')).toBeUndefined();
    expect(positionIn(['a', 'b', 'c'], (id) => id, 'c')).toBe(3);
  });

  it('should save a new pipeline order with only the positions that change', () => {
    const list: PipelineRecord[] = [
      { ...pipeline, id: 'p2', version: 1, position: 2 },
      { ...pipeline, id: 'p1', position: 1 },
      { ...pipeline, id: 'p3', version: 5, position: 3 },
    ];
    expect(pipelineOrderWritesOf(list)).toEqual([
      { id: 'p2', version: 1, position: 1 },
      { id: 'p1', version: 3, position: 2 },
    ]);
    expect(nextPosition(list)).toBe(4);
    expect(nextPosition([])).toBe(1);
  });

  it('should put each batch field error at its stage and field, and the rest apart', () => {
    const writes = [
      { key: 'new-1', record: {} },
      { key: 'b', record: {} },
    ];
    const result = stageErrorsOf(
      [
        { field: 'records[0].name', code: 'required', message: 'Name is required.' },
        { field: 'records[1].requiredFields', code: 'unknownField', message: 'Opportunities have no field "shoeSize".' },
        { field: 'records[1].requiredFields', code: 'invalidType', message: 'A list.' },
        { field: 'records[7].name', code: 'required', message: 'Lost.' },
        { field: 'body', code: 'invalidType', message: 'Odd.' },
      ],
      writes,
      (error) => error.message,
    );
    expect(result.byStage).toEqual({ 'new-1': { name: 'Name is required.' }, b: { requiredFields: 'Opportunities have no field "shoeSize". A list.' } });
    expect(result.general).toEqual(['Lost.', 'Odd.']);
  });

  it('should move deals at the version read, in batches of at most 1,000', () => {
    expect(dealMovesOf([{ id: 'd1', version: 4 }], 's2')).toEqual([{ id: 'd1', version: 4, stage: 's2' }]);
    expect(chunksOf(Array.from({ length: 2500 }, (_, index) => index), 1000).map((chunk) => chunk.length)).toEqual([1000, 1000, 500]);
  });

  it('should keep the fields the person changed when the saved pipeline changes under the draft, and take the others', () => {
    const before = pipelineDraftOf(pipeline);
    const after = pipelineDraftOf({ ...pipeline, name: 'Sales', stalledAfterDaysInStage: 21 });
    const draft = { ...before, name: 'Renewals', stalledWhenCloseDatePassed: false };
    expect(rebasePipelineDraft(before, after, draft)).toEqual({ ...after, name: 'Renewals', stalledWhenCloseDatePassed: false });
  });

  it('should make a won stage certain and closed, a lost one 0% and omitted, and an open one back in the pipeline category', () => {
    const draft = { ...newStageDraft('k'), probability: 40, forecastCategory: 'commit' as const };
    expect(withKind(draft, 'won')).toMatchObject({ kind: 'won', probability: 100, forecastCategory: 'closed' });
    expect(withKind(draft, 'lost')).toMatchObject({ kind: 'lost', probability: 0, forecastCategory: 'omitted' });
    expect(withKind(draft, 'open')).toMatchObject({ kind: 'open', probability: 40, forecastCategory: 'commit' });
    expect(withKind(withKind(draft, 'won'), 'open')).toMatchObject({ kind: 'open', probability: 100, forecastCategory: 'pipeline' });
  });

  it('should put stages kept out of the trash back at their saved place, so their positions stay as they were', () => {
    const list = drafts().filter((draft) => draft.key !== 'b' && draft.key !== 'a');
    const back = withKeptStages(list, saved, [saved[1]!, saved[0]!]);
    expect(back.map((draft) => draft.key)).toEqual(['a', 'b', 'c']);
    expect(stageWritesOf('p1', saved, back)).toEqual([]);
  });
});
