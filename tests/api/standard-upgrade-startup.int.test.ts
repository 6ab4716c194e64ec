import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { loadConfig } from '../../packages/server/src/config/config.ts';
import { type Db } from '../../packages/server/src/engine/db/database.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { startServer } from '../../packages/server/src/server.ts';
import { describeEngines } from '../setup/engines.ts';
import { prepareCliDatabase } from '../support/cli-database.ts';

// The workspace as a version without task.reminderAt made it: neither the metadata row nor the column.
const removeReminderField = async (db: Db, schema: string) => {
  const { rows } = await sql<{ id: string; column_name: string }>`
    select f.id, f.column_name from ${sql.id(schema, '_field')} f join ${sql.id(schema, '_object')} o on o.id = f.object_id
    where o.name = 'task' and f.name = 'reminderAt'`.execute(db);
  await sql`delete from ${sql.id(schema, '_field')} where id = ${rows[0]!.id}`.execute(db);
  await sql`alter table ${sql.id(schema, 'task')} drop column ${sql.id(rows[0]!.column_name)}`.execute(db);
};

describeEngines('metadata upgrade when the server starts', (engine) => {
  it('should add the standard fields a workspace lacks before the server answers', { timeout: 120_000 }, async () => {
    // The data folder on both engines: the server keeps its key file there.
    const prepared = await prepareCliDatabase(engine, 'upgrade-');
    // The embedded database has one user at a time: closed here, the server opens it next.
    const { token } = await prepared.withDatabase(async (database) => {
      const workspace = await createWorkspace({ db: database.db, name: 'Made Long Ago', standardObjects });
      await removeReminderField(database.db, workspace.schema);
      return createApiKey(database.db, { workspaceId: workspace.id, name: 'tests' });
    });

    const server = await startServer(loadConfig({ ...prepared.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RAPPORT_WORKER: 'off' }));
    try {
      const answer = await server.app.inject({ method: 'GET', url: '/api/v1/metadata/objects/task', headers: { authorization: `Bearer ${token}` } });
      expect(answer.statusCode).toBe(200);
      const fields = (answer.json() as { fields: { name: string; type: string; isStandard: boolean }[] }).fields;
      expect(fields.find((field) => field.name === 'reminderAt')).toMatchObject({ type: 'datetime', isStandard: true });
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/v1/records/task',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ title: 'Renew the lease', reminderAt: '2027-01-04T08:00:00.000Z' }),
      });
      expect(created.statusCode).toBe(201);
      expect((created.json() as { reminderAt: string }).reminderAt).toBe('2027-01-04T08:00:00.000Z');
    } finally {
      await server.close();
      await prepared.destroy();
    }
  });
});
