import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from './engines.ts';

describeEngines('test harness', (engine) => {
  const created: TestDatabase[] = [];
  const create = async () => {
    const testDatabase = await createTestDatabase(engine);
    created.push(testDatabase);
    return testDatabase;
  };

  afterAll(async () => {
    await Promise.all(created.map((testDatabase) => testDatabase.destroy()));
  });

  it('should have the system migrations applied when a database is created', async () => {
    const { database } = await create();

    const { rows } = await sql<{ name: string }>`select name from rapport.migration`.execute(database.db);

    expect(database.engine).toBe(engine);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('should read Cyrillic and CJK as letters when pg_trgm splits text into trigrams', async () => {
    const { database } = await create();

    const { rows } = await sql<{ cyrillic: number; cjk: number }>`
      select cardinality(show_trgm('Нестеров')) as cyrillic, cardinality(show_trgm('小谷大輔')) as cjk`.execute(database.db);

    expect(rows[0]).toEqual({ cyrillic: 9, cjk: 5 });
  });

  it('should isolate databases from each other when two are created at once', async () => {
    const [first, second] = await Promise.all([create(), create()]);

    await sql`create table public.only_in_first (id int)`.execute(first!.database.db);

    const tableIn = async ({ database }: TestDatabase) =>
      (await sql`select 1 from information_schema.tables where table_name = 'only_in_first'`.execute(database.db)).rows.length;
    expect(await tableIn(first!)).toBe(1);
    expect(await tableIn(second!)).toBe(0);
  });
});
