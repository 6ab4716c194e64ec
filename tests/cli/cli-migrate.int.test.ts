import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Db } from '../../packages/server/src/engine/db/database.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { prepareCliDatabase, runCli, type CliDatabase } from '../support/cli-database.ts';

// A standard field as a version that did not ship it left the workspace: no metadata row, no column
// (dropping the column drops the composite index over it too).
const removeStandardField = async (db: Db, schema: string, object: string, field: string) => {
  const { rows } = await sql<{ id: string; column_name: string; table_name: string }>`
    select f.id, f.column_name, o.table_name from ${sql.id(schema, '_field')} f join ${sql.id(schema, '_object')} o on o.id = f.object_id
    where o.name = ${object} and f.name = ${field}`.execute(db);
  const row = rows[0]!;
  await sql`delete from ${sql.id(schema, '_field')} where id = ${row.id}`.execute(db);
  await sql`alter table ${sql.id(schema, row.table_name)} drop column ${sql.id(row.column_name)}`.execute(db);
};

/** The composite indexes of a table, built and usable or not. */
const compositeIndexes = async (db: Db, schema: string, table: string) =>
  (
    await sql<{ name: string; isValid: boolean; definition: string }>`
      select c.relname as name, i.indisvalid as "isValid", pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = ${schema} and t.relname = ${table} and c.relname like '%\\_cidx' order by c.relname`.execute(db)
  ).rows;

describeEngines('rapport migrate: standard objects, fields and indexes of older workspaces', (engine) => {
  let cli: CliDatabase | undefined;
  let schema: string;

  const run = (...args: string[]) => runCli(cli!.env, ...args);

  beforeAll(async () => {
    cli = await prepareCliDatabase(engine, 'cli-migrate-');
    await cli.withDatabase(async ({ db }) => {
      const workspace = await createWorkspace({ db, name: 'Made Long Ago', standardObjects });
      schema = workspace.schema;
      // As an earlier version made it: no opportunity.closeDate (nor the stage/close date index over it),
      // no task.reminderAt, no composite index on people or opportunities, and no index noted in the objects' metadata.
      await removeStandardField(db, schema, 'opportunity', 'closeDate');
      await removeStandardField(db, schema, 'task', 'reminderAt');
      for (const table of ['person', 'opportunity']) for (const index of await compositeIndexes(db, schema, table)) await sql`drop index ${sql.id(schema, index.name)}`.execute(db);
      await sql`update ${sql.id(schema, '_object')} set indexes = '[]'::jsonb where name in ('person', 'opportunity')`.execute(db);
      expect(await compositeIndexes(db, schema, 'person')).toEqual([]);
      expect(await compositeIndexes(db, schema, 'opportunity')).toEqual([]);
    });
  }, 120_000);
  afterAll(async () => {
    await cli?.destroy();
  });

  it('successful-migrate: should add the missing standard fields and build their composite indexes, saying what it added', () => {
    const migrated = run('migrate');

    expect(migrated.status, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('The database is up to date.');
    expect(migrated.stdout).toContain('Made Long Ago: added fields opportunity.closeDate, task.reminderAt; indexes on person (address.country, lastName), opportunity (stage, closeDate), opportunity (pipeline, owner), opportunity (closeDate, stage, probability, amount, amount.currency, forecastCategory, managerForecastCategory, pipeline, owner).');
  }, 240_000);

  it('successful-migrate: should leave the fields usable and the indexes built, over the right columns', async () => {
    await cli!.withDatabase(async ({ db }) => {
      const [person] = await compositeIndexes(db, schema, 'person');
      const opportunity = (await compositeIndexes(db, schema, 'opportunity')).find((index) => index.name.startsWith('opportunity_stage_id'));
      expect(person).toMatchObject({ isValid: true, definition: expect.stringMatching(/\(address_country, last_name, id\) WHERE \(deleted_at IS NULL\)/) });
      expect(opportunity).toMatchObject({ isValid: true, definition: expect.stringMatching(/\(stage_id, close_date\w*, id\) WHERE \(deleted_at IS NULL\)/) });
      const { rows } = await sql<{ name: string; indexes: unknown }>`select name, indexes from ${sql.id(schema, '_object')} where name in ('person', 'opportunity') order by name`.execute(db);
      expect(rows).toEqual([
        { name: 'opportunity', indexes: [{ fields: ['stage', 'closeDate'] }, { fields: ['pipeline', 'owner'] }, { fields: ['closeDate', 'stage', 'probability', 'amount', 'amount.currency', 'forecastCategory', 'managerForecastCategory', 'pipeline', 'owner'] }] },
        { name: 'person', indexes: [{ fields: ['address.country', 'lastName'] }] },
      ]);
      const { rows: fields } = await sql<{ name: string; type: string; is_standard: boolean }>`
        select o.name || '.' || f.name as name, f.type, f.is_standard from ${sql.id(schema, '_field')} f join ${sql.id(schema, '_object')} o on o.id = f.object_id
        where (o.name, f.name) in (('opportunity', 'closeDate'), ('task', 'reminderAt')) order by 1`.execute(db);
      expect(fields).toEqual([
        { name: 'opportunity.closeDate', type: 'date', is_standard: true },
        { name: 'task.reminderAt', type: 'datetime', is_standard: true },
      ]);
    });
  });

  it('successful-migrate: should do nothing the second time, and say so in JSON', () => {
    const again = run('migrate', '--json');

    expect(again.status, again.stderr).toBe(0);
    expect(again.json()).toEqual({
      applied: [],
      workspaces: [{ workspace: 'Made Long Ago', workspaceId: expect.any(String), addedObjects: [], addedFields: [], addedIndexes: [], skipped: [], converted: [] }],
    });
    const human = run('migrate');
    expect(human.stdout).toContain('Standard objects, fields and indexes are up to date in the workspace.');
  }, 240_000);
});
