import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

describeEngines('recurring tasks', (engine) => {
  let t: TestApp;
  let ann: TestUser;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const setTimeZone = async (timezone: string) => expect((await t.request('PATCH', '/api/v1/workspace', { timezone })).status).toBe(200);
  const createTask = async (values: Body) => {
    const response = await as(ann)('POST', '/api/v1/records/task', { assignee: ann.id, ...values });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as Body;
  };
  const tasksTitled = async (title: string): Promise<Body[]> => {
    const response = await t.request('POST', '/api/v1/records/task/query', { filter: { field: 'title', op: 'eq', value: title }, sort: ['createdAt'] });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.data;
  };
  const complete = async (task: Body) => expect((await as(ann)('PATCH', `/api/v1/records/task/${task.id}`, { status: 'done' })).status).toBe(200);

  beforeAll(async () => {
    t = await createTestApp(engine, 'Recurring Co');
    ann = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Admin', name: 'Ann Planner' });
    await setTimeZone('Europe/Paris');
  });
  afterAll(async () => t?.destroy());

  describe('the rule', () => {
    it('successful-create: should store the rule in its canonical form', async () => {
      const task = await createTask({ title: 'Canonical', recurrence: 'rrule:freq=weekly;byday=mo,th' });

      expect(task.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,TH');
    });

    it.each([['FREQ=SOMETIMES'], ['BYDAY=MO'], ['FREQ=WEEKLY;BYDAY=XX'], ['FREQ=HOURLY'], ['FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z']])(
      'failing-create: should refuse %j with invalidRecurrence',
      async (recurrence) => {
        const response = await as(ann)('POST', '/api/v1/records/task', { title: 'Bad rule', recurrence });

        expect(response.status).toBe(422);
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'recurrence', code: 'invalidRecurrence' })]);
      },
    );

    it('failing-update: should refuse a bad rule on update too', async () => {
      const task = await createTask({ title: 'Later bad' });

      const response = await as(ann)('PATCH', `/api/v1/records/task/${task.id}`, { recurrence: 'FREQ=WEEKLY;FOO=1' });

      expect(response.status).toBe(422);
      expect(response.body.errors[0]).toMatchObject({ field: 'recurrence', code: 'invalidRecurrence' });
    });
  });

  describe('the next occurrence', () => {
    it('successful-done: should create the next one at the same local time after summer time starts in Paris', async () => {
      const person = (await as(ann)('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Weekly' }))).body;
      // Monday 23 March 2026 09:00 CET; reminded Sunday 22 March 17:00 CET.
      const task = await createTask({ title: 'Weekly report', body: '<p>Figures</p>', priority: 'high', dueAt: '2026-03-23T08:00:00Z', reminderAt: '2026-03-22T16:00:00Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO', person: person.id });

      await complete(task);

      const [done, next] = await tasksTitled('Weekly report');
      expect(done).toMatchObject({ id: task.id, status: 'done' });
      // Monday 30 March 09:00 CEST, reminded Sunday 29 March 17:00 CEST.
      expect(next).toMatchObject({
        status: 'todo',
        dueAt: '2026-03-30T07:00:00.000Z',
        reminderAt: '2026-03-29T15:00:00.000Z',
        recurrence: 'FREQ=WEEKLY;BYDAY=MO',
        assignee: ann.id,
        priority: 'high',
        body: '<p>Figures</p>',
        person: person.id,
        related: { object: 'person', id: person.id },
      });
    });

    it('successful-done: should keep the local time when summer time ends in Paris', async () => {
      const task = await createTask({ title: 'Autumn report', dueAt: '2026-10-19T07:00:00Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO' });

      await complete(task);

      expect((await tasksTitled('Autumn report'))[1]).toMatchObject({ dueAt: '2026-10-26T08:00:00.000Z', status: 'todo' });
    });

    it('successful-done: should make the next occurrence once, however often the task is reopened and done', async () => {
      const task = await createTask({ title: 'Reopened', dueAt: '2026-05-04T07:00:00Z', recurrence: 'FREQ=DAILY' });
      await complete(task);
      await as(ann)('PATCH', `/api/v1/records/task/${task.id}`, { status: 'todo' });
      await complete(task);

      expect((await tasksTitled('Reopened')).map((one) => one.dueAt)).toEqual(['2026-05-04T07:00:00.000Z', '2026-05-05T07:00:00.000Z']);
    });

    it('successful-done: should count down COUNT and stop after the last occurrence', async () => {
      const first = await createTask({ title: 'Three times', dueAt: '2026-06-01T07:00:00Z', recurrence: 'FREQ=DAILY;COUNT=3' });
      await complete(first);
      const second = (await tasksTitled('Three times'))[1]!;
      expect(second).toMatchObject({ dueAt: '2026-06-02T07:00:00.000Z', recurrence: 'FREQ=DAILY;COUNT=2' });
      await complete(second);
      const third = (await tasksTitled('Three times'))[2]!;
      expect(third).toMatchObject({ dueAt: '2026-06-03T07:00:00.000Z', recurrence: 'FREQ=DAILY;COUNT=1' });

      await complete(third);

      expect(await tasksTitled('Three times')).toHaveLength(3);
    });

    it('successful-done: should make nothing past UNTIL', async () => {
      const task = await createTask({ title: 'Until Friday', dueAt: '2026-06-05T07:00:00Z', recurrence: 'FREQ=DAILY;UNTIL=20260605T220000Z' });

      await complete(task);

      expect(await tasksTitled('Until Friday')).toHaveLength(1);
    });

    it('successful-done: should make nothing for a task without a rule, nor for one created done', async () => {
      await complete(await createTask({ title: 'One-off', dueAt: '2026-06-05T07:00:00Z' }));
      await createTask({ title: 'Born done', dueAt: '2026-06-05T07:00:00Z', status: 'done', recurrence: 'FREQ=DAILY' });

      expect(await tasksTitled('One-off')).toHaveLength(1);
      expect(await tasksTitled('Born done')).toHaveLength(1);
    });
  });

  describe('in the southern hemisphere', () => {
    beforeAll(() => setTimeZone('Australia/Sydney'));
    afterAll(() => setTimeZone('Europe/Paris'));

    it('successful-done: should keep Monday 09:00 in Sydney when daylight saving ends in April and starts in October', async () => {
      // Monday 30 March 2026 09:00 AEDT (UTC+11) → Monday 6 April 09:00 AEST (UTC+10).
      await complete(await createTask({ title: 'Sydney April', dueAt: '2026-03-29T22:00:00Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO' }));
      // Monday 28 September 09:00 AEST → Monday 5 October 09:00 AEDT.
      await complete(await createTask({ title: 'Sydney October', dueAt: '2026-09-27T23:00:00Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO' }));

      expect((await tasksTitled('Sydney April'))[1]).toMatchObject({ dueAt: '2026-04-05T23:00:00.000Z' });
      expect((await tasksTitled('Sydney October'))[1]).toMatchObject({ dueAt: '2026-10-04T22:00:00.000Z' });
    });
  });
});
