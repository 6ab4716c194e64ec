import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { loadWorkspaceMeta } from '../../packages/server/src/engine/metadata/metadata-store.ts';
import { RETENTION_JOB, createRetentionJobHandler } from '../../packages/server/src/engine/privacy/retention.job.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

describeEngines('retention rules API', (engine) => {
  let t: TestApp;
  let rep: TestUser;
  let otherToken: string;
  const ids: Record<string, string> = {};
  const db = () => t.testDatabase.database.db;
  const age = async (table: string, id: string, column: 'created_at' | 'updated_at', days: number) =>
    sql`update ${sql.id(t.workspace.schema, table)} set ${sql.id(column)} = now() - make_interval(days => ${days}) where id = ${id}`.execute(db());

  beforeAll(async () => {
    t = await createTestApp(engine, 'Retention Co');
    rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
    const other = await createWorkspace({ db: db(), name: 'Other Retention Co', standardObjects });
    otherToken = (await createApiKey(db(), { workspaceId: other.id })).token;
    for (const [firstName, lastName, jobTitle, days] of [
      ['Old', 'Lead', 'Lead', 400],
      ['Older', 'Lead', 'Lead', 800],
      ['New', 'Lead', 'Lead', 5],
      ['Old', 'Customer', 'Customer', 900],
    ] as const) {
      const created = await t.request('POST', '/api/v1/records/person', { firstName, lastName: `${lastName} ${firstName}`, jobTitle, email: `${firstName}.${lastName}@retention.example`.toLowerCase() });
      expect(created.status).toBe(201);
      ids[`${firstName} ${lastName}`] = created.body.id;
      await age('person', created.body.id, 'created_at', days);
    }
  });
  afterAll(async () => t?.destroy());

  const rule = { name: 'Anonymise leads after a year', object: 'person', basisField: 'createdAt', afterDays: 365, action: 'anonymise', filter: { field: 'jobTitle', op: 'eq', value: 'Lead' } };

  it('should preview a rule, then anonymise exactly the records due, once, and audit the run without data', async () => {
    const created = await t.request('POST', '/api/v1/retention-rules', rule);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/retention-rules/${created.body.id}`);
    expect(created.body).toMatchObject({ ...rule, enabled: true, lastRun: null });
    const id = created.body.id as string;

    const preview = await t.request('POST', `/api/v1/retention-rules/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(2);
    expect(preview.body.sample.map((item: { id: string }) => item.id)).toEqual([ids['Older Lead'], ids['Old Lead']]);
    // A preview changes nothing.
    expect((await t.request('GET', `/api/v1/records/person/${ids['Old Lead']}`)).body.firstName).toBe('Old');

    const run = await t.request('POST', `/api/v1/retention-rules/${id}/run`);
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ processed: 2, hasMore: false });
    for (const name of ['Old Lead', 'Older Lead']) {
      const erased = (await t.request('GET', `/api/v1/records/person/${ids[name]}`)).body;
      expect(erased).toMatchObject({ firstName: null, email: null, jobTitle: null });
      const history = (await t.request('GET', `/api/v1/records/person/${ids[name]}/history`)).body.data as { oldValue: unknown; newValue: unknown }[];
      expect(history.every((item) => item.oldValue === null)).toBe(true);
    }
    expect((await t.request('GET', `/api/v1/records/person/${ids['New Lead']}`)).body.firstName).toBe('New');
    expect((await t.request('GET', `/api/v1/records/person/${ids['Old Customer']}`)).body.firstName).toBe('Old');
    // Search no longer finds them.
    expect((await t.request('GET', '/api/v1/search?q=older')).body.data ?? []).toEqual([]);

    // Erased records are not erased again; the rule's last run says so.
    expect((await t.request('POST', `/api/v1/retention-rules/${id}/run`)).body).toEqual({ processed: 0, hasMore: false });
    const after = (await t.request('GET', `/api/v1/retention-rules/${id}`)).body;
    expect(after.lastRun).toMatchObject({ count: 0, error: null });

    const audit = (await t.request('GET', '/api/v1/audit?action=retention.applied&limit=5')).body.data as { details: Record<string, unknown> }[];
    expect(audit.map((entry) => entry.details.records)).toEqual([0, 2]);
    expect(JSON.stringify(audit)).not.toContain('Older');
  });

  it('should move due records to the trash with a delete rule, run by the daily job', async () => {
    const company = (await t.request('POST', '/api/v1/records/company', { name: 'Dormant Ltd' })).body;
    const active = (await t.request('POST', '/api/v1/records/company', { name: 'Busy Ltd' })).body;
    await age('company', company.id, 'updated_at', 40);
    const created = await t.request('POST', '/api/v1/retention-rules', { name: 'Drop dormant companies', object: 'company', basisField: 'updatedAt', afterDays: 30, action: 'delete' });
    expect(created.status).toBe(201);
    // A disabled rule does not run every day.
    expect((await t.request('PATCH', `/api/v1/retention-rules/${created.body.id}`, { enabled: false })).body.enabled).toBe(false);

    const handler = createRetentionJobHandler({ metadata: { get: (workspaceId) => loadWorkspaceMeta(db(), workspaceId) } });
    const run = (job: Record<string, unknown>) => handler({ db: db(), job: { id: 1, type: RETENTION_JOB, payload: {}, ...job } } as never);
    await run({});
    expect((await t.request('GET', `/api/v1/records/company/${company.id}`)).status).toBe(200);

    await t.request('PATCH', `/api/v1/retention-rules/${created.body.id}`, { enabled: true });
    const result = (await run({})) as { rules: number; processed: number; failed: number };
    expect(result).toMatchObject({ processed: 1, failed: 0 });
    expect((await t.request('GET', `/api/v1/records/company/${company.id}`)).status).toBe(404);
    expect((await t.request('GET', `/api/v1/records/company/${company.id}?deleted=true`)).body.name).toBe('Dormant Ltd');
    expect((await t.request('GET', `/api/v1/records/company/${active.id}`)).status).toBe(200);
  });

  it('should refuse bad rules with per-field problems', async () => {
    const badBasis = await t.request('POST', '/api/v1/retention-rules', { ...rule, basisField: 'jobTitle' });
    expect(badBasis.status).toBe(422);
    expect(badBasis.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'basisField', code: 'invalidChoice' }] });
    const badFilter = await t.request('POST', '/api/v1/retention-rules', { ...rule, filter: { field: 'shoeSize', op: 'eq', value: 1 } });
    expect(badFilter.body).toMatchObject({ errors: [{ field: 'filter', code: 'invalidQuery' }] });
    const badObject = await t.request('POST', '/api/v1/retention-rules', { ...rule, object: 'spaceship' });
    expect(badObject.body).toMatchObject({ errors: [{ field: 'object', code: 'invalidChoice' }] });
    const badDays = await t.request('POST', '/api/v1/retention-rules', { ...rule, afterDays: 0 });
    expect(badDays.status).toBe(400);
    expect(badDays.body.code).toBe('INVALID_REQUEST');
  });

  it('should keep retention rules to administrators of their own workspace', async () => {
    const { body } = await t.request('GET', '/api/v1/retention-rules');
    expect(body.data.map((item: { name: string }) => item.name)).toEqual(['Anonymise leads after a year', 'Drop dormant companies']);
    const id = body.data[0].id as string;
    const asRep = { authorization: `Bearer ${rep.token}` };
    expect((await t.request('GET', '/api/v1/retention-rules', undefined, asRep)).status).toBe(403);
    expect((await t.request('POST', `/api/v1/retention-rules/${id}/run`, undefined, asRep)).status).toBe(403);
    const asOther = { authorization: `Bearer ${otherToken}` };
    expect((await t.request('GET', `/api/v1/retention-rules/${id}`, undefined, asOther)).status).toBe(404);
    expect((await t.request('GET', '/api/v1/retention-rules', undefined, asOther)).body.data).toEqual([]);
    expect((await t.request('DELETE', `/api/v1/retention-rules/${id}`)).status).toBe(204);
    expect((await t.request('GET', `/api/v1/retention-rules/${id}`)).status).toBe(404);
  });
});
