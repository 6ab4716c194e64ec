import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationJobHandlers } from '../../packages/server/src/background.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { startWorker, type Worker } from '../../packages/server/src/engine/jobs/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const PERMISSIONS = { person: ALL, note: ALL, task: ALL };
const mention = (user: TestUser, name: string) => `<span data-type="mention" data-id="${user.id}" data-label="${name}">@${name}</span>`;

describeEngines('notifications: mentions, assignments and reminders', (engine) => {
  let t: TestApp;
  let alice: TestUser; // rep: own records
  let bob: TestUser; // sees every record
  let carol: TestUser; // rep: own records, so not Alice's notes
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const notificationsOf = async (user: TestUser, query = '') => {
    const response = await as(user)('GET', `/api/v1/notifications${query}`);
    expect(response.status).toBe(200);
    return response.body as { data: Body[]; unreadCount: number };
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const rep = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: PERMISSIONS, recordAccess: 'own' })).body;
    const lead = (await t.request('POST', '/api/v1/roles', { name: 'Lead', permissions: PERMISSIONS, recordAccess: 'all' })).body;
    alice = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Alice Martin' });
    bob = await createTestUser(db, { workspaceId: t.workspace.id, role: lead.id, name: 'Bob Stone' });
    carol = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Carol Diaz' });
  });
  afterAll(async () => t?.destroy());

  describe('mentions', () => {
    let note: Body;

    beforeAll(async () => {
      const person = (await as(alice)('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Mentioned' }))).body;
      const body = `<p>Call back tomorrow, ${mention(bob, 'Bob Stone')} and ${mention(carol, 'Carol Diaz')} &amp; ${mention(alice, 'Alice Martin')}.</p>`;
      const response = await as(alice)('POST', '/api/v1/records/note', { title: 'Follow-up', body, person: person.id });
      expect(response.status).toBe(201);
      note = response.body;
    });

    it('successful-list: should tell a mentioned user who may read the note, with the author and the text', async () => {
      const { data, unreadCount } = await notificationsOf(bob);

      expect(unreadCount).toBe(1);
      expect(data).toEqual([
        expect.objectContaining({ kind: 'mention', object: 'note', recordId: note.id, actorId: alice.id, actorName: 'Alice Martin', title: 'Follow-up', readAt: null }),
      ]);
      expect(data[0]!.excerpt).toBe('Call back tomorrow, @Bob Stone and @Carol Diaz & @Alice Martin.');
    });

    it('successful-list: should not tell a user who may not read the note, nor the author about themselves', async () => {
      expect((await notificationsOf(carol)).data).toEqual([]);
      expect((await notificationsOf(alice)).data).toEqual([]);
    });

    it('successful-list: should tell a mentioned user once however often the note is edited', async () => {
      await as(alice)('PATCH', `/api/v1/records/note/${note.id}`, { body: `${note.body}<p>Edited</p>` });

      expect((await notificationsOf(bob)).data.filter((n) => n.kind === 'mention')).toHaveLength(1);
    });

    it('successful-stream: should put the notification in the change feed of its user only', async () => {
      const bobs = (await as(bob)('GET', '/api/v1/events?limit=1000')).body.data as Body[];
      const alices = (await as(alice)('GET', '/api/v1/events?limit=1000')).body.data as Body[];

      expect(bobs.filter((event) => event.type === 'notification.created').map((event) => event.payload)).toEqual([
        expect.objectContaining({ userId: bob.id, kind: 'mention', object: 'note', recordId: note.id }),
      ]);
      expect(alices.some((event) => event.type === 'notification.created')).toBe(false);
    });
  });

  describe('assignments', () => {
    it('successful-list: should tell a user a record was given to them, by a person or by a key', async () => {
      const person = (await as(alice)('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Handed', owner: alice.id }))).body;
      await as(alice)('PATCH', `/api/v1/records/person/${person.id}`, { owner: bob.id });
      const task = (await t.request('POST', '/api/v1/records/task', { title: 'Send the quote', assignee: bob.id })).body;

      const assignments = (await notificationsOf(bob)).data.filter((n) => n.kind === 'assignment');
      expect(assignments.map((n) => [n.object, n.recordId, n.actorId])).toEqual([
        ['task', task.id, null],
        ['person', person.id, alice.id],
      ]);
      expect(assignments[0]!.title).toBe('Send the quote');
    });

    it('successful-list: should not tell someone about what they gave themselves', async () => {
      await as(bob)('POST', '/api/v1/records/task', { title: 'My own task', assignee: bob.id });

      expect((await notificationsOf(bob)).data.some((n) => n.title === 'My own task')).toBe(false);
    });
  });

  describe('reminders', () => {
    let worker: Worker;

    beforeAll(() => {
      const services = (t.app as unknown as { services: EngineServices }).services;
      worker = startWorker({ db: t.testDatabase.database.db, handlers: notificationJobHandlers(services), pollIntervalMs: 100, engine });
    });
    afterAll(async () => worker?.stop());

    it('successful-reminder: should remind the assignee at the reminder time through the job queue, unless the task is done', async () => {
      const soon = new Date(Date.now() + 1500).toISOString();
      const due = (await t.request('POST', '/api/v1/records/task', { title: 'Call Mrs Weber', assignee: bob.id, reminderAt: soon })).body;
      const done = (await t.request('POST', '/api/v1/records/task', { title: 'Already done', assignee: bob.id, reminderAt: soon })).body;
      await t.request('PATCH', `/api/v1/records/task/${done.id}`, { status: 'done' });
      // The consumer turns the task events into reminder jobs.
      await notificationsOf(bob);
      expect((await notificationsOf(bob)).data.some((n) => n.kind === 'reminder')).toBe(false);

      let reminders: Body[] = [];
      for (let attempt = 0; attempt < 60 && reminders.length === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        reminders = (await notificationsOf(bob)).data.filter((n) => n.kind === 'reminder');
      }
      expect(reminders.map((n) => [n.recordId, n.title])).toEqual([[due.id, 'Call Mrs Weber']]);
      expect(Date.now()).toBeGreaterThanOrEqual(new Date(soon).getTime());
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await notificationsOf(bob)).data.filter((n) => n.kind === 'reminder' && n.recordId === done.id)).toEqual([]);
    });
  });

  describe('reading', () => {
    it('successful-read: should mark one read, then all, and count what is left', async () => {
      const before = await notificationsOf(bob);
      expect(before.unreadCount).toBeGreaterThan(1);
      const first = before.data[0]!;

      const read = await as(bob)('POST', `/api/v1/notifications/${first.id}/read`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: first.id, readAt: expect.any(String) });
      expect((await notificationsOf(bob)).unreadCount).toBe(before.unreadCount - 1);
      expect((await notificationsOf(bob, '?unread=true')).data.map((n) => n.id)).not.toContain(first.id);

      const all = await as(bob)('POST', '/api/v1/notifications/read-all');
      expect(all.body).toEqual({ updated: before.unreadCount - 1 });
      expect((await notificationsOf(bob)).unreadCount).toBe(0);
    });

    it('failing-read: should answer 404 for another user\'s notification, 403 for a key without a user, 400 for a bad id', async () => {
      const bobs = (await notificationsOf(bob)).data[0]!;
      const stolen = await as(alice)('POST', `/api/v1/notifications/${bobs.id}/read`);
      const keyed = await t.request('GET', '/api/v1/notifications');
      const bad = await as(bob)('POST', '/api/v1/notifications/not-an-id/read');

      expect(stolen.status).toBe(404);
      expect(stolen.headers['content-type']).toContain('application/problem+json');
      expect(stolen.body.code).toBe('NOTIFICATION_NOT_FOUND');
      expect(keyed.status).toBe(403);
      expect(keyed.body.code).toBe('FORBIDDEN');
      expect(bad.status).toBe(400);
    });
  });
});
