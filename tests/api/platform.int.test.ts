import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueJob } from '../../packages/server/src/engine/jobs/index.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('workspaces, jobs and the change feed', (engine) => {
  let t: TestApp;
  let otherToken: string;
  let otherWorkspaceId: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const other = await createWorkspace({ db, name: 'Globex', standardObjects });
    otherWorkspaceId = other.id;
    otherToken = (await createApiKey(db, { workspaceId: other.id })).token;
  });
  afterAll(async () => t?.destroy());

  const asOther = (method: 'GET' | 'POST', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${otherToken}` });

  it('should keep each workspace to its own records, search, metadata and events', async () => {
    const mine = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Isolated' }))).body;
    expect((await asOther('GET', `/api/v1/records/person/${mine.id}`)).status).toBe(404);
    expect((await asOther('GET', '/api/v1/search?q=isolated')).body.data).toEqual([]);
    expect((await asOther('POST', '/api/v1/records/person/query', { filter: { field: 'lastName', op: 'eq', value: 'Isolated' } })).body.data).toEqual([]);
    await asOther('POST', '/api/v1/metadata/objects/person/fields', { name: 'globexOnly', type: 'text', label: 'Globex only' });
    const myPerson = (await t.request('GET', '/api/v1/metadata/objects/person')).body;
    expect(myPerson.fields.map((f: { name: string }) => f.name)).not.toContain('globexOnly');
    const theirEvents = (await asOther('GET', '/api/v1/events')).body.data;
    expect(theirEvents.map((e: { recordId: string }) => e.recordId)).not.toContain(mine.id);
  });

  it('should page through the change feed in commit order', async () => {
    const start = (await t.request('GET', '/api/v1/events?limit=1000')).body.pageInfo.nextAfter as number;
    const created = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;
    await t.request('PATCH', `/api/v1/records/person/${created.id}`, { jobTitle: 'Changed' });
    await t.request('DELETE', `/api/v1/records/person/${created.id}`);
    const first = await t.request('GET', `/api/v1/events?after=${start}&limit=2`);
    expect(first.body.data.map((e: { type: string }) => e.type)).toEqual(['record.created', 'record.updated']);
    expect(first.body.data[1]).toMatchObject({ object: 'person', recordId: created.id, changedFields: ['jobTitle'], payload: { jobTitle: 'Changed' } });
    const second = await t.request('GET', `/api/v1/events?after=${first.body.pageInfo.nextAfter}&limit=2`);
    expect(second.body.data.map((e: { type: string }) => e.type)).toEqual(['record.deleted']);
  });

  it('should show and cancel the workspace jobs, and hide other workspaces jobs', async () => {
    const db = t.testDatabase.database.db;
    const job = await enqueueJob(db, { type: 'test.later', workspaceId: t.workspace.id, delayMs: 3_600_000, payload: { n: 1 } });
    const foreign = await enqueueJob(db, { type: 'test.later', workspaceId: otherWorkspaceId, delayMs: 3_600_000 });
    const list = await t.request('GET', '/api/v1/jobs');
    expect(list.body.data.map((j: { id: string }) => j.id)).toContain(job.id);
    expect(list.body.data.map((j: { id: string }) => j.id)).not.toContain(foreign.id);
    expect((await t.request('GET', `/api/v1/jobs/${job.id}`)).body).toMatchObject({ status: 'queued', type: 'test.later', payload: { n: 1 } });
    expect((await t.request('GET', `/api/v1/jobs/${foreign.id}`)).status).toBe(404);
    const cancelled = await t.request('POST', `/api/v1/jobs/${job.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
  });
});
