import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../packages/server/src/app.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { openEventStream } from '../support/event-stream.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };

describeEngines('change feed: events as each caller may see them', (engine) => {
  let t: TestApp;
  let alice: TestUser; // rep: own records, jobTitle hidden, no opportunities
  let bob: TestUser; // rep like Alice
  let start = 0;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const rep = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: { person: ALL, task: ALL, note: ALL }, fields: { person: { jobTitle: 'hidden' } }, recordAccess: 'own' })).body;
    alice = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Alice' });
    bob = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Bob' });
    start = (await t.request('GET', '/api/v1/events?limit=1000')).body.pageInfo.nextAfter;
  });
  afterAll(async () => t?.destroy());

  describe('GET /events', () => {
    let alices: Body;
    let bobs: Body;

    beforeAll(async () => {
      alices = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Aliceowned', owner: alice.id, jobTitle: 'Secret title' }))).body;
      bobs = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Bobowned', owner: bob.id, jobTitle: 'Other secret' }))).body;
      await t.request('POST', '/api/v1/records/opportunity', { name: 'Big deal' });
      await t.request('PATCH', `/api/v1/records/person/${alices.id}`, { jobTitle: 'Even more secret' });
      await t.request('PATCH', `/api/v1/records/person/${alices.id}`, { firstName: 'Alicia' });
      await t.request('PATCH', `/api/v1/records/person/${bobs.id}`, { firstName: 'Robert' });
    });

    it('successful-read: should give a rep only the events of records they may read, without hidden fields', async () => {
      const response = await as(alice)('GET', `/api/v1/events?after=${start}`);

      expect(response.status).toBe(200);
      const events = response.body.data as Body[];
      expect(events.map((event) => [event.type, event.recordId, event.changedFields])).toEqual([
        ['record.created', alices.id, expect.not.arrayContaining(['jobTitle'])],
        ['record.updated', alices.id, expect.arrayContaining(['firstName'])],
      ]);
      for (const event of events) {
        expect(event.payload).not.toHaveProperty('jobTitle');
        expect(event.payload.lastName).toBe('Aliceowned');
      }
      expect(JSON.stringify(response.body)).not.toContain('secret');
      expect(response.body.pageInfo).toEqual({ hasNextPage: false, nextAfter: expect.any(Number) });
    });

    it('successful-read: should give an admin every event with every field', async () => {
      const events = (await t.request('GET', `/api/v1/events?after=${start}`)).body.data as Body[];

      expect(events.map((event) => event.type)).toEqual(['record.created', 'record.created', 'record.created', 'record.updated', 'record.updated', 'record.updated']);
      expect(events[3]).toMatchObject({ recordId: alices.id, changedFields: ['jobTitle'], payload: { jobTitle: 'Even more secret' } });
    });

    it('successful-read: should follow the record as it is now: a record given to another rep leaves the old owner\'s feed', async () => {
      await t.request('PATCH', `/api/v1/records/person/${bobs.id}`, { owner: alice.id });
      const aliceSees = (await as(alice)('GET', `/api/v1/events?after=${start}`)).body.data as Body[];
      const bobSees = (await as(bob)('GET', `/api/v1/events?after=${start}`)).body.data as Body[];

      expect(aliceSees.filter((event) => event.recordId === bobs.id).map((event) => event.type)).toEqual(['record.created', 'record.updated', 'record.updated']);
      expect(bobSees).toEqual([]);
      await t.request('PATCH', `/api/v1/records/person/${bobs.id}`, { owner: bob.id });
    });

    it('successful-read: should page past events the caller cannot see', async () => {
      const first = await as(bob)('GET', `/api/v1/events?after=${start}&limit=1`);
      const second = await as(bob)('GET', `/api/v1/events?after=${first.body.pageInfo.nextAfter}&limit=1`);

      expect(first.body.data.map((event: Body) => event.recordId)).toEqual([bobs.id]);
      expect(first.body.pageInfo.hasNextPage).toBe(true);
      expect(second.body.data.every((event: Body) => event.recordId === bobs.id)).toBe(true);
    });

    it('failing-read: should answer 400 problem+json for a bad cursor and 401 without a credential', async () => {
      const bad = await t.request('GET', '/api/v1/events?after=-1');
      const anonymous = await t.request('GET', '/api/v1/events', undefined, { authorization: '' });

      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.body.code).toBe('INVALID_REQUEST');
      expect(anonymous.status).toBe(401);
    });
  });

  describe('GET /events/stream', () => {
    let server: FastifyInstance;
    let baseUrl: string;

    beforeAll(async () => {
      // A second server over the same database, listening on a port, with a short heartbeat.
      server = await buildApp({ database: t.testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, eventStream: { heartbeatMs: 200 } });
      baseUrl = await server.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => server?.close());

    it('successful-stream: should push a change to a reader at once, filtered for them, with heartbeats', async () => {
      const aliceStream = await openEventStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${alice.token}` });
      const bobStream = await openEventStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${bob.token}` });
      try {
        expect(aliceStream.status).toBe(200);
        expect(aliceStream.contentType).toContain('text/event-stream');
        await aliceStream.waitFor((message) => message.comments.includes('connected'));
        await bobStream.waitFor((message) => message.comments.includes('connected'));
        // Written through the other app: the change crosses servers as it would behind a load balancer.
        const created = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Streamed', owner: alice.id, jobTitle: 'Hidden from the stream' }))).body;
        const began = Date.now();

        // Typically a few hundred milliseconds; the bound leaves room for a loaded test machine (the browser journey holds the one-second promise).
        const message = await aliceStream.waitFor((m) => m.event === 'record.created' && m.data!.includes(created.id), 2000);
        expect(Date.now() - began).toBeLessThan(2000);
        const event = JSON.parse(message.data!);
        expect(event).toMatchObject({ type: 'record.created', object: 'person', recordId: created.id, payload: { lastName: 'Streamed' } });
        expect(event.payload).not.toHaveProperty('jobTitle');
        expect(message.id).toBe(String(event.id));
        await aliceStream.waitFor((m) => m.comments.includes('heartbeat'), 2000);
        // Bob may read none of Alice's records; what reaches him is his own notifications only (e.g. the
        // assignment of the record an earlier test gave him, raised when the hub woke the consumer).
        const bobEvents = bobStream.messages.filter((m) => m.event !== undefined).map((m) => JSON.parse(m.data!));
        expect(bobEvents.filter((e) => e.type !== 'notification.created')).toEqual([]);
        expect(bobEvents.every((e) => e.payload.userId === bob.id)).toBe(true);
        expect(bobEvents.some((e) => e.recordId === created.id || e.payload.recordId === created.id)).toBe(false);
      } finally {
        aliceStream.close();
        bobStream.close();
      }
    });

    it('successful-stream: should resume after Last-Event-ID', async () => {
      const before = (await as(alice)('GET', '/api/v1/events?limit=1000&after=0')).body.pageInfo.nextAfter as number;
      const created = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Missed', owner: alice.id }))).body;
      const stream = await openEventStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${alice.token}`, 'last-event-id': String(before) });
      try {
        const message = await stream.waitFor((m) => m.event === 'record.created');
        expect(JSON.parse(message.data!).recordId).toBe(created.id);
      } finally {
        stream.close();
      }
    });

    it('successful-stream: should never carry another workspace\'s events, even to its administrator', async () => {
      const db = t.testDatabase.database.db;
      const other = await createWorkspace({ db, name: 'Initech', standardObjects });
      const { token: otherToken } = await createApiKey(db, { workspaceId: other.id });
      const theirs = await openEventStream(`${baseUrl}/api/v1/events/stream?after=0`, { authorization: `Bearer ${otherToken}` });
      const ours = await openEventStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${t.token}` });
      try {
        await theirs.waitFor((m) => m.comments.includes('connected'));
        await ours.waitFor((m) => m.comments.includes('connected'));
        const created = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Acmeonly' }))).body;
        await ours.waitFor((m) => m.event === 'record.created' && m.data!.includes(created.id));
        await new Promise((resolve) => setTimeout(resolve, 300));

        // Their own events only: the records a new workspace starts with (its action templates, pipeline, stages and point rules).
        const carried = theirs.messages.filter((m) => m.data !== undefined).map((m) => JSON.parse(m.data!) as { workspaceId: string; object: string });
        expect(carried.map((event) => event.object).sort()).toEqual([...Array<string>(4).fill('actionTemplate'), 'pipeline', ...Array<string>(6).fill('pipelineStage'), ...Array<string>(4).fill('pointRule')]);
        expect(carried.every((event) => event.workspaceId === other.id)).toBe(true);
        expect(JSON.stringify(theirs.messages)).not.toContain('Acmeonly');
      } finally {
        theirs.close();
        ours.close();
      }
    });

    it('failing-stream: should answer 401 problem+json without a credential and 400 for a bad Last-Event-ID', async () => {
      const anonymous = await fetch(`${baseUrl}/api/v1/events/stream`);
      const bad = await fetch(`${baseUrl}/api/v1/events/stream`, { headers: { authorization: `Bearer ${alice.token}`, 'last-event-id': 'yesterday' } });

      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { code: string }).code).toBe('INVALID_REQUEST');
    });
  });
});
