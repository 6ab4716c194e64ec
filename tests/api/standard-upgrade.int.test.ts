import type { ObjectDefinition } from '@rapport/common';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { upgradeStandardObjects } from '../../packages/server/src/engine/metadata/standard-upgrade.ts';
import type { StandardObject } from '../../packages/server/src/engine/metadata/standard-objects.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('metadata upgrade: standard objects and fields added after a workspace was made', (engine) => {
  let t: TestApp;

  const db = () => t.testDatabase.database.db;
  // After a change made beside the API, the app reads the metadata again (as the server's own hook does).
  const refreshMetadata = (id: string) => (t.app as unknown as { services: EngineServices }).services.onMetadataChanged(id);
  const upgrade = (objects: StandardObject[] = standardObjects) => upgradeStandardObjects({ db: db(), standardObjects: objects, onChanged: refreshMetadata });
  const resultOf = async (objects?: StandardObject[]) => (await upgrade(objects)).find((result) => result.workspaceId === t.workspace.id)!;
  const metadataVersion = async () => (await sql<{ v: number }>`select metadata_version::int as v from rapport.workspace where id = ${t.workspace.id}`.execute(db())).rows[0]!.v;
  const fieldsOf = async (object: string) => ((await t.request('GET', `/api/v1/metadata/objects/${object}`)).body as ObjectDefinition).fields;

  beforeAll(async () => {
    t = await createTestApp(engine, 'Old Co');
  });
  afterAll(async () => t?.destroy());

  it('should add task.reminderAt to a workspace made before the field existed, and do nothing the second time', async () => {
    // The workspace as an earlier version made it: no reminderAt field, no column.
    const schema = t.workspace.schema;
    const { rows } = await sql<{ id: string; column_name: string }>`
      select f.id, f.column_name from ${sql.id(schema, '_field')} f join ${sql.id(schema, '_object')} o on o.id = f.object_id
      where o.name = 'task' and f.name = 'reminderAt'`.execute(db());
    await sql`delete from ${sql.id(schema, '_field')} where id = ${rows[0]!.id}`.execute(db());
    await sql`alter table ${sql.id(schema, 'task')} drop column ${sql.id(rows[0]!.column_name)}`.execute(db());
    refreshMetadata(t.workspace.id);
    expect((await fieldsOf('task')).map((field) => field.name)).not.toContain('reminderAt');
    const refused = await t.request('POST', '/api/v1/records/task', { title: 'Call back', reminderAt: '2026-12-01T09:00:00.000Z' });
    expect(refused.status).toBe(422);

    const result = await resultOf();

    expect(result).toEqual({ workspaceId: t.workspace.id, addedObjects: [], addedFields: ['task.reminderAt'], addedIndexes: [], skipped: [], converted: [] });
    expect((await fieldsOf('task')).find((field) => field.name === 'reminderAt')).toMatchObject({ type: 'datetime', label: 'Reminder', isStandard: true });
    const created = await t.request('POST', '/api/v1/records/task', { title: 'Call back', reminderAt: '2026-12-01T09:00:00.000Z' });
    expect(created.status).toBe(201);
    expect((await t.request('GET', `/api/v1/records/task/${created.body.id}`)).body.reminderAt).toBe('2026-12-01T09:00:00.000Z');

    const version = await metadataVersion();
    expect(await resultOf()).toEqual({ workspaceId: t.workspace.id, addedObjects: [], addedFields: [], addedIndexes: [], skipped: [], converted: [] });
    expect(await metadataVersion()).toBe(version);
  });

  it('should add objects and relation fields a later version ships, leaving names the workspace took as they are', async () => {
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'nickname', type: 'text', label: 'Nick' })).status).toBe(201);
    const person = standardObjects.find((standard) => standard.definition.name === 'person')!;
    const later: StandardObject[] = [
      ...standardObjects.filter((standard) => standard !== person),
      {
        ...person,
        definition: {
          ...person.definition,
          fields: [...person.definition.fields, { name: 'nickname', type: 'text', label: 'Nickname' }, { name: 'pronouns', type: 'text', label: 'Pronouns' }],
        },
      },
      {
        definition: {
          name: 'contract',
          labelSingular: 'Contract',
          labelPlural: 'Contracts',
          labelField: 'name',
          fields: [
            { name: 'name', type: 'text', label: 'Name', required: true },
            { name: 'company', type: 'relation', label: 'Company', options: { target: 'company', kind: 'manyToOne', inverseName: 'contracts', inverseLabel: 'Contracts' } },
          ],
        },
      },
    ];

    const result = await resultOf(later);

    expect(result.addedObjects).toEqual(['contract']);
    expect(result.addedFields).toEqual(['person.pronouns']);
    expect(result.skipped).toEqual([{ name: 'person.nickname', reason: expect.stringContaining('custom field') }]);
    expect((await fieldsOf('person')).find((field) => field.name === 'nickname')).toMatchObject({ label: 'Nick', isStandard: false });
    expect((await fieldsOf('company')).find((field) => field.name === 'contracts')).toMatchObject({ type: 'relation' });
    const company = await t.request('POST', '/api/v1/records/company', { name: 'Initrode' });
    const contract = await t.request('POST', '/api/v1/records/contract', { name: 'Support 2027', company: company.body.id });
    expect(contract.status).toBe(201);
    expect((await t.request('GET', `/api/v1/records/contract/${contract.body.id}`)).body.company).toBe(company.body.id);

    const again = await resultOf(later);
    expect(again.addedObjects).toEqual([]);
    expect(again.addedFields).toEqual([]);
  });
  it('should build the composite indexes an older workspace lacks only when asked (rapport migrate), rebuilding one left invalid', async () => {
    const schema = t.workspace.schema;
    const compositeIndexes = async (table: string) =>
      (
        await sql<{ name: string; isValid: boolean }>`
          select c.relname as name, i.indisvalid as "isValid" from pg_index i join pg_class c on c.oid = i.indexrelid
          join pg_class r on r.oid = i.indrelid join pg_namespace n on n.oid = r.relnamespace
          where n.nspname = ${schema} and r.relname = ${table} and c.relname like '%\\_cidx'`.execute(db())
      ).rows;
    // Opportunities have three: (stage, closeDate) is the one dropped here; (pipeline, owner) and the forecast's stay.
    const opportunityIndex = (await compositeIndexes('opportunity')).find((index) => index.name.startsWith('opportunity_stage_id'));
    const otherIndexes = (await compositeIndexes('opportunity')).filter((index) => index.name !== opportunityIndex?.name);
    const [personIndex] = await compositeIndexes('person');
    expect(opportunityIndex).toMatchObject({ isValid: true });
    // One missing (made before it shipped), one left invalid (a concurrent build that was interrupted).
    await sql`drop index ${sql.id(schema, opportunityIndex!.name)}`.execute(db());
    await sql`update pg_index set indisvalid = false where indexrelid = ${`"${schema}"."${personIndex!.name}"`}::regclass`.execute(db());

    expect((await resultOf()).addedIndexes).toEqual([]);
    expect(await compositeIndexes('opportunity')).toEqual(otherIndexes);

    const upgraded = (await upgradeStandardObjects({ db: db(), standardObjects, onChanged: refreshMetadata, indexes: { isConcurrent: engine === 'postgres' } })).find((result) => result.workspaceId === t.workspace.id)!;

    expect(upgraded.addedIndexes).toEqual(['person (address.country, lastName)', 'opportunity (stage, closeDate)']);
    expect(await compositeIndexes('opportunity')).toEqual(expect.arrayContaining([{ name: opportunityIndex!.name, isValid: true }, ...otherIndexes]));
    expect(await compositeIndexes('person')).toEqual([{ name: personIndex!.name, isValid: true }]);
    const again = (await upgradeStandardObjects({ db: db(), standardObjects, indexes: { isConcurrent: engine === 'postgres' } })).find((result) => result.workspaceId === t.workspace.id)!;
    expect(again.addedIndexes).toEqual([]);
  });
});
