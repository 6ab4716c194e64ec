import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationJobHandlers } from '../../packages/server/src/background.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { listJobs, startWorker, type Job, type Worker } from '../../packages/server/src/engine/jobs/index.ts';
import { TASK_REMINDER_EMAIL_JOB } from '../../packages/server/src/modules/activities/calendar/task-reminder-email.job.ts';
import { moduleJobHandlers } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { startTestMailbox, type TestMailbox } from '../support/smtp.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

describeEngines('task reminders by email', (engine) => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let worker: Worker;
  let ann: TestUser; // assigns tasks
  let bob: TestUser; // keeps reminder emails on
  let carol: TestUser; // turns them off
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const db = () => t.testDatabase.database.db;
  const services = () => (t.app as unknown as { services: EngineServices }).services;
  const createTask = async (values: Body) => {
    const response = await as(ann)('POST', '/api/v1/records/task', values);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as Body;
  };
  const reminderJobsOf = async (task: Body): Promise<Job<Body>[]> =>
    ((await listJobs(db(), { type: TASK_REMINDER_EMAIL_JOB, workspaceId: t.workspace.id, limit: 1000 })) as Job<Body>[]).filter((job) => job.payload.taskId === task.id);
  const waitForJob = async (task: Body, status: string) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const job = (await reminderJobsOf(task)).find((candidate) => candidate.status === status);
      if (job) return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No ${status} reminder job for ${task.title}`);
  };

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    t = await createTestApp(engine, 'Reminder Co', { config: { smtpUrl: mailbox.url, mailFrom: 'Rapport <crm@reminder.example>', publicUrl: 'https://crm.reminder.example' } });
    ann = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Admin', name: 'Ann Assigner' });
    bob = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Admin', name: 'Bob Reminded' });
    carol = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Admin', name: 'Carol Quiet' });
    // The bell and the email, as the background process runs them.
    worker = startWorker({ db: db(), handlers: { ...notificationJobHandlers(services()), ...moduleJobHandlers(services()) }, pollIntervalMs: 50, engine });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.destroy();
    await mailbox?.close();
  });

  describe('preferences', () => {
    it('successful-get: should have reminder emails on by default', async () => {
      const response = await as(bob)('GET', '/api/v1/me/reminder-preferences');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ reminderEmails: true });
    });

    it('successful-update: should turn them off for the user only', async () => {
      const response = await as(carol)('PATCH', '/api/v1/me/reminder-preferences', { reminderEmails: false });

      expect(response.body).toEqual({ reminderEmails: false });
      expect((await as(carol)('GET', '/api/v1/me/reminder-preferences')).body).toEqual({ reminderEmails: false });
      expect((await as(bob)('GET', '/api/v1/me/reminder-preferences')).body).toEqual({ reminderEmails: true });
    });

    it('failing-update: should refuse an unknown preference, and a key without a user', async () => {
      expect((await as(bob)('PATCH', '/api/v1/me/reminder-preferences', { reminderSms: true })).status).toBe(400);
      expect((await t.request('GET', '/api/v1/me/reminder-preferences')).status).toBe(403);
    });
  });

  describe('delivery', () => {
    it('successful-reminder: should email the assignee at the reminder time, through the job queue', async () => {
      const reminderAt = new Date(Date.now() + 1500).toISOString();
      const task = await createTask({ title: 'Call Mrs Weber', assignee: bob.id, reminderAt, dueAt: '2030-01-07T09:00:00Z' });
      const [queued] = await reminderJobsOf(task);
      expect(new Date(queued!.runAt).getTime()).toBe(new Date(reminderAt).getTime());

      const mail = await mailbox.takeMailTo(bob.email);

      expect(Date.now()).toBeGreaterThanOrEqual(new Date(reminderAt).getTime());
      expect(mail.subject).toBe('Reminder: Call Mrs Weber');
      expect(mail.text).toContain('Due: Monday 7 January 2030, 09:00 (UTC)');
      expect(mail.text).toContain(`https://crm.reminder.example/objects/task/${task.id}`);
    });

    it('successful-reminder: should wait for a reminder days ahead, and send it when its time comes', async () => {
      const reminderAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const task = await createTask({ title: 'Renewal in two days', assignee: bob.id, reminderAt });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await reminderJobsOf(task)).map((job) => job.status)).toEqual(['queued']);
      expect(mailbox.messages.some((mail) => mail.subject === 'Reminder: Renewal in two days')).toBe(false);

      // Its time comes: the job's run_at is now.
      await sql`update rapport.job set run_at = now() where type = ${TASK_REMINDER_EMAIL_JOB} and payload->>'taskId' = ${task.id}`.execute(db());

      expect((await mailbox.takeMailTo(bob.email)).subject).toBe('Reminder: Renewal in two days');
    });

    it('successful-reminder: should not email about a task done, nor a reminder moved since, nor a user who turned emails off', async () => {
      const soon = new Date(Date.now() + 1000).toISOString();
      const done = await createTask({ title: 'Done already', assignee: bob.id, reminderAt: soon });
      await as(ann)('PATCH', `/api/v1/records/task/${done.id}`, { status: 'done' });
      const moved = await createTask({ title: 'Moved away', assignee: bob.id, reminderAt: soon });
      await as(ann)('PATCH', `/api/v1/records/task/${moved.id}`, { reminderAt: new Date(Date.now() + 86_400_000).toISOString() });
      const quiet = await createTask({ title: 'Carol\'s task', assignee: carol.id, reminderAt: soon });

      const outcomes = await Promise.all([done, moved, quiet].map(async (task) => (await waitForJob(task, 'completed')).result));

      expect(outcomes).toEqual([
        { sent: false, reason: 'no longer due' },
        { sent: false, reason: 'no longer due' },
        { sent: false, reason: 'reminder emails off' },
      ]);
      expect(mailbox.messages.filter((mail) => ['Reminder: Done already', 'Reminder: Moved away', 'Reminder: Carol\'s task'].includes(mail.subject))).toEqual([]);
    });

    it('successful-reminder: should still ring the bell for a user who turned emails off', async () => {
      let reminders: Body[] = [];
      for (let attempt = 0; attempt < 50 && reminders.length === 0; attempt++) {
        const response = await as(carol)('GET', '/api/v1/notifications');
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        reminders = (response.body.data as Body[]).filter((n) => n.kind === 'reminder');
        if (reminders.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }

      expect(reminders.map((n) => n.title)).toEqual(['Carol\'s task']);
    });
  });
});
