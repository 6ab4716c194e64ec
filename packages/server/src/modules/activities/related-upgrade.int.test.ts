import type { StandardObject } from '../../engine/metadata/standard-objects.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import { loadWorkspaceMeta } from '../../engine/metadata/metadata-store.ts';
import { upgradeStandardObjects } from '../../engine/metadata/standard-upgrade.ts';
import { createFullAccess } from '../../engine/permissions/access.ts';
import { listRecords } from '../../engine/records/read-records.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import { createWorkspace, type WorkspaceSummary } from '../../engine/workspaces/workspace.service.ts';
import { standardObjects } from '../index.ts';

const ACTIVITIES = ['task', 'note', 'meeting', 'call', 'comment'];

// The activities as the version before the reference type shipped them: `related` a JSON field.
const olderStandardObjects: StandardObject[] = standardObjects.map((standard): StandardObject => {
  const { upgrade: _upgrade, ...rest } = standard;
  if (!ACTIVITIES.includes(standard.definition.name)) return rest;
  const fields = standard.definition.fields.map((field) => (field.name === 'related' ? { ...field, type: 'json' as const, options: {} } : field));
  return { ...rest, definition: { ...standard.definition, fields } };
});

describeEngines('upgrade of activities whose related was JSON', (engine) => {
  let testDatabase: TestDatabase;
  let workspace: WorkspaceSummary;
  const db = () => testDatabase.database.db;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    workspace = await createWorkspace({ db: db(), name: 'Before references', standardObjects: olderStandardObjects });
    const meta = await loadWorkspaceMeta(db(), workspace.id);
    const save = async (object: string, records: Record<string, unknown>[]) =>
      (await saveRecords({ db: db(), workspace: meta, object: meta.objects.get(object)!, actorId: null, access: createFullAccess(meta) }, { records })).data;
    const [person] = await save('person', [{ firstName: 'Ada', lastName: 'Byron' }]);
    const [company] = await save('company', [{ name: 'Analytical Engines' }]);
    ids.person = person!.id;
    ids.company = company!.id;
    // As the JSON field held them: an object, and values the reference cannot take (left empty, not guessed).
    await save('task', [
      { title: 'About Ada', related: { object: 'person', id: person!.id } },
      { title: 'About the company', related: { object: 'company', id: company!.id } },
      { title: 'Broken', related: { object: 'person', id: 'not-a-uuid' } },
      { title: 'A list', related: ['person'] },
      { title: 'Nothing' },
      // Written before `related` existed: only a typed link says what it is about.
      { title: 'Typed link only', company: company!.id },
    ]);
    await save('comment', [{ body: '<p>Hello</p>', related: { object: 'company', id: company!.id } }]);
    // The write path fills the JSON related from the link: empty it, as it was before `related` existed.
    const task = meta.objects.get('task')!;
    await sql`update ${sql.id(workspace.schema, task.table)} set ${sql.ref(task.fieldsByName.get('related')!.column)} = null
      where ${sql.ref(task.fieldsByName.get('title')!.column)} = 'Typed link only'`.execute(db());
  });
  afterAll(async () => testDatabase?.destroy());

  it('should copy each {object, id} into the reference, put the JSON field in the trash, make it filterable, and do nothing twice', async () => {
    const [result] = (await upgradeStandardObjects({ db: db(), standardObjects })).filter((entry) => entry.workspaceId === workspace.id);

    expect(result!.skipped).toEqual([]);
    expect(result!.addedFields).toEqual(expect.arrayContaining(ACTIVITIES.map((name) => `${name}.related`)));
    expect(result!.converted).toEqual(
      expect.arrayContaining([
        'task.related (JSON) moved aside as task.legacyRelated',
        "2 task records' related copied into the reference",
        "1 task records' related taken from their typed links",
        'task.legacyRelated moved to the trash',
        "1 comment records' related copied into the reference",
        "0 meeting records' related copied into the reference",
      ]),
    );
    const meta = await loadWorkspaceMeta(db(), workspace.id);
    const task = meta.objects.get('task')!;
    expect(task.fieldsByName.get('related')).toMatchObject({ type: 'reference', isStandard: true });
    expect(task.fieldsByName.has('legacyRelated')).toBe(false);
    const list = async (object: string, filter: unknown, sort = ['createdAt']) =>
      (await listRecords({ db: db(), workspace: meta, object: meta.objects.get(object)!, access: createFullAccess(meta) }, { filter: filter as never, sort })).data;
    const aboutAda = await list('task', { field: 'related.id', op: 'eq', value: ids.person }, ['title']);
    const aboutCompanies = await list('comment', { field: 'related.object', op: 'eq', value: 'company' });
    const tasksAboutCompany = await list('task', { field: 'related', op: 'eq', value: ids.company }, ['title']);
    const empty = await list('task', { field: 'related', op: 'isEmpty' }, ['title']);
    expect(aboutAda.map((record) => [record.title, record.related])).toEqual([['About Ada', { object: 'person', id: ids.person }]]);
    expect(aboutCompanies.map((record) => record.related)).toEqual([{ object: 'company', id: ids.company }]);
    expect(tasksAboutCompany.map((record) => record.title)).toEqual(['About the company', 'Typed link only']);
    expect(empty.map((record) => record.title)).toEqual(['A list', 'Broken', 'Nothing']);

    const [again] = (await upgradeStandardObjects({ db: db(), standardObjects })).filter((entry) => entry.workspaceId === workspace.id);
    expect(again).toMatchObject({ addedObjects: [], addedFields: [], converted: [], skipped: [] });
  });
});
