import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../packages/server/src/engine/db/database.ts';
import { createTestDatabase, describeEngines, type TestDatabase } from './engines.ts';

describeEngines('prepared statements', (engine) => {
  const opened: { test: TestDatabase; single?: Database }[] = [];
  afterAll(async () => {
    for (const { test, single } of opened) {
      await single?.close();
      await test.destroy();
    }
  });

  // One connection, so that every statement runs on the session that prepared it.
  const openSingleSession = async () => {
    const test = await createTestDatabase(engine);
    const single = test.databaseUrl ? await openDatabase({ databaseUrl: test.databaseUrl, poolSize: 1 }) : undefined;
    opened.push({ test, single });
    return (single ?? test.database).db;
  };

  it('should read the new column when a table changes under a statement already run', async () => {
    const db = await openSingleSession();
    await sql`create table public.gadget (id int primary key, name text)`.execute(db);
    await sql`insert into public.gadget values (1, 'one')`.execute(db);
    const read = () => sql<Record<string, unknown>>`select * from public.gadget where id = ${1}`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, name: 'one' }]);
    expect((await read()).rows).toEqual([{ id: 1, name: 'one' }]);

    await sql`alter table public.gadget add column colour text default 'red'`.execute(db);

    expect((await read()).rows).toEqual([{ id: 1, name: 'one', colour: 'red' }]);
    expect((await read()).rows).toEqual([{ id: 1, name: 'one', colour: 'red' }]);
  });

  it('should prepare statements outside transactions only, on both engines', async () => {
    const db = await openSingleSession();
    const prepared = async () => (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like '%rapport_probe%'`.execute(db)).rows[0]!.n;
    await sql`select ${1}::int as rapport_probe_outside`.execute(db);
    await db.transaction().execute(async (trx) => {
      await sql`select ${1}::int as rapport_probe_inside`.execute(trx);
    });

    // Only the statement with parameters outside the transaction (the count has none: it runs unnamed).
    expect(await prepared()).toBe(1);
  });

  it('should keep working after a statement fails the first time it is prepared', async () => {
    const db = await openSingleSession();
    await sql`create table public.widget (id int primary key)`.execute(db);
    const insert = (id: number) => sql`insert into public.widget (id) values (${id})`.execute(db);
    await insert(1);
    // A new text whose first run fails (a duplicate key): the name it was prepared under must not linger.
    const copy = (id: number) => sql`insert into public.widget (id) select ${id}::int`.execute(db);
    await expect(copy(1)).rejects.toMatchObject({ code: '23505' });
    await expect(copy(1)).rejects.toMatchObject({ code: '23505' });
    await copy(2);
    await copy(3).then(() => sql`delete from public.widget where id = ${3}`.execute(db));
    const { rows } = await sql<{ id: number }>`select id from public.widget where id > ${0} order by id`.execute(db);
    expect(rows.map((row) => row.id)).toEqual([1, 2]);
  });
});
