import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import { loadWorkspaceMeta } from '../../engine/metadata/metadata-store.ts';
import type { StandardObject } from '../../engine/metadata/standard-objects.ts';
import { upgradeStandardObjects } from '../../engine/metadata/standard-upgrade.ts';
import { createFullAccess } from '../../engine/permissions/access.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import { createWorkspace, type WorkspaceSummary } from '../../engine/workspaces/workspace.service.ts';
import { standardObjects } from '../index.ts';

// Objects that came with pipelines (or point at them).
const PIPELINE_ERA = ['pipeline', 'pipelineStage', 'goal', 'pointRule', 'forecastSnapshot'];
const NEW_FIELDS = ['pipeline', 'stage', 'forecastCategory', 'lossReason', 'stageEnteredAt', 'stalledReasons', 'lastActivityAt'];

// The opportunity as versions before pipelines shipped it: the stage a choice field (one custom choice added by the workspace).
const oldStage: FieldDefinition = {
  name: 'stage',
  type: 'select',
  label: 'Stage',
  required: true,
  defaultValue: 'qualification',
  options: {
    choices: ['qualification', 'meeting', 'proposal', 'negotiation', 'won', 'lost', 'onHold'].map((value) => ({ value, label: value === 'onHold' ? 'On hold' : value[0]!.toUpperCase() + value.slice(1) })),
  },
};
const olderStandardObjects: StandardObject[] = standardObjects
  .filter((standard) => !PIPELINE_ERA.includes(standard.definition.name))
  .map((standard): StandardObject => {
    if (standard.definition.name !== 'opportunity') return { definition: standard.definition, ...(standard.indexes ? { indexes: standard.indexes } : {}) };
    const fields = standard.definition.fields.filter((field) => !NEW_FIELDS.includes(field.name));
    const definition: ObjectDefinition = { ...standard.definition, fields: [fields[0]!, fields[1]!, oldStage, ...fields.slice(2)] };
    return { definition, indexes: [{ fields: ['stage', 'closeDate'] }] };
  });

describeEngines('upgrade of deals made before pipelines', (engine) => {
  let testDatabase: TestDatabase;
  let workspace: WorkspaceSummary;
  const db = () => testDatabase.database.db;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    workspace = await createWorkspace({ db: db(), name: 'Before pipelines', standardObjects: olderStandardObjects });
    const meta = await loadWorkspaceMeta(db(), workspace.id);
    await saveRecords(
      { db: db(), workspace: meta, object: meta.objects.get('opportunity')!, actorId: null, access: createFullAccess(meta) },
      { records: [
        { name: 'Early', stage: 'qualification' },
        { name: 'Pitched', stage: 'proposal', amount: { amount: 5000, currency: 'EUR' } },
        { name: 'Signed', stage: 'won', amount: { amount: 900, currency: 'EUR' } },
        { name: 'Parked', stage: 'onHold' },
      ] },
    );
  });
  afterAll(async () => testDatabase?.destroy());

  it('should give every deal the stage record its choice stood for, keep the old field in the trash, and do nothing twice', async () => {
    const [result] = (await upgradeStandardObjects({ db: db(), standardObjects })).filter((entry) => entry.workspaceId === workspace.id);
    expect(result!.addedObjects).toEqual(expect.arrayContaining(['pipeline', 'pipelineStage', 'goal', 'pointRule', 'forecastSnapshot']));
    expect(result!.addedFields).toEqual(expect.arrayContaining(['opportunity.pipeline', 'opportunity.stage', 'opportunity.forecastCategory']));
    expect(result!.skipped).toEqual([]);
    expect(result!.converted).toEqual([
      'opportunity.stage (a choice) moved aside as opportunity.legacyStage',
      'created 1 pipeline',
      'created 6 pipelineStage',
      'created 4 pointRule',
      'stages added for choices no stage matched: On hold',
      '4 deals given the stage of pipeline “New business” their choice stood for',
      'opportunity.legacyStage moved to the trash',
    ]);
    const meta = await loadWorkspaceMeta(db(), workspace.id);
    const deals = meta.objects.get('opportunity')!;
    expect(deals.fieldsByName.get('stage')).toMatchObject({ type: 'relation', isStandard: true });
    expect(deals.fieldsByName.has('legacyStage')).toBe(false);
    const stageColumn = deals.fieldsByName.get('stage')!.column;
    const stageNames = meta.objects.get('pipelineStage')!.fieldsByName.get('name')!.column;
    const { rows } = await sql<{ name: string; stage: string; category: string }>`
      select o.name, s.${sql.ref(stageNames)} as stage, o.forecast_category as category from ${sql.id(workspace.schema, deals.table)} o
      join ${sql.id(workspace.schema, 'pipeline_stage')} s on s.id = o.${sql.ref(stageColumn)} order by o.name`.execute(db());
    expect(rows).toEqual([
      { name: 'Early', stage: 'Qualification', category: 'pipeline' },
      { name: 'Parked', stage: 'On hold', category: 'pipeline' },
      { name: 'Pitched', stage: 'Proposal', category: 'bestCase' },
      { name: 'Signed', stage: 'Won', category: 'closed' },
    ]);
    // The old values are still there, restorable with their field for 30 days.
    const { rows: kept } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, '_field')} where name = 'legacyStage' and deleted_at is not null`.execute(db());
    expect(kept[0]!.n).toBe(1);
    const [again] = (await upgradeStandardObjects({ db: db(), standardObjects })).filter((entry) => entry.workspaceId === workspace.id);
    expect(again).toMatchObject({ addedObjects: [], addedFields: [], converted: [], skipped: [] });
  });
});
