import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { opportunityFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const READ = { create: false, read: true, update: false, delete: false, export: false, import: false };
const PERMISSIONS = { person: ALL, opportunity: ALL, task: ALL, note: ALL, actionTemplate: READ };

describeEngines('action templates: one-click tasks, reminders, notes and email drafts', (engine) => {
  let t: TestApp;
  let rep: TestUser; // own records only
  let colleague: TestUser;
  let person: Body;
  let templates: Body[];
  const as = (user: { token: string }) => (method: 'GET' | 'POST', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const template = (name: string) => templates.find((item) => item.name === name)!;
  const apply = (user: TestUser, name: string, object: string, recordId: string) => as(user)('POST', `/api/v1/action-templates/${template(name).id}/apply`, { object, recordId });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: PERMISSIONS, recordAccess: 'own' })).body;
    rep = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Rita Rep' });
    colleague = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Colin Colleague' });
    person = (await as(rep)('POST', '/api/v1/records/person', { firstName: 'Ada', lastName: 'Byron', email: 'ada@analytical.example' })).body;
    templates = (await as(rep)('GET', '/api/v1/action-templates?object=person')).body.data;
  });
  afterAll(async () => t?.destroy());

  it('successful-list: should offer the workspace\'s starting templates in their order', () => {
    expect(templates.map((item) => [item.name, item.action])).toEqual([
      ['Call back tomorrow', 'task'],
      ['Remind me in a week', 'reminder'],
      ['Follow-up email', 'followUpEmail'],
      ['Meeting notes', 'note'],
    ]);
  });

  it('successful-create: should make a task about the record, filled from it, assigned to me and due tomorrow at the set time', async () => {
    const before = Date.now();
    const response = await apply(rep, 'Call back tomorrow', 'person', person.id);

    expect(response.status).toBe(201);
    const task = response.body.created.record;
    expect(response.body).toMatchObject({ action: 'task', created: { object: 'task' } });
    expect(task).toMatchObject({ title: 'Call Ada Byron back', assignee: rep.id, person: person.id, related: { object: 'person', id: person.id }, status: 'todo', priority: 'normal', reminderAt: null });
    // The workspace is on UTC: tomorrow at 10:00.
    const tomorrow = new Date(before + 86_400_000).toISOString().slice(0, 10);
    expect(task.dueAt).toBe(`${tomorrow}T10:00:00.000Z`);
  });

  it('successful-create: should make a reminder as a task reminded at its due time, and a note in rich text', async () => {
    const reminder = (await apply(rep, 'Remind me in a week', 'person', person.id)).body;
    const note = (await apply(rep, 'Meeting notes', 'person', person.id)).body;

    expect(reminder.created.record.reminderAt).toBe(reminder.created.record.dueAt);
    expect(reminder.created.record.title).toBe('Check in on Ada Byron');
    expect(note).toMatchObject({ action: 'note', created: { object: 'note', record: { title: 'Meeting notes: Ada Byron', body: '<p>Attendees:</p><p>Discussed:</p><p>Next steps:</p>', person: person.id } } });
  });

  it('successful-draft: should draft a follow-up email to the record\'s person without storing or sending anything', async () => {
    const deal = (await as(rep)('POST', '/api/v1/records/opportunity', opportunityFactory.build({ name: 'Engines' }))).body;
    const tasksBefore = (await t.request('GET', '/api/v1/records/task?count=true&limit=1')).body.total;

    const toPerson = (await apply(rep, 'Follow-up email', 'person', person.id)).body;
    const toNobody = (await apply(rep, 'Follow-up email', 'opportunity', deal.id)).body;

    expect(toPerson.draft).toMatchObject({ to: 'ada@analytical.example', subject: 'Following up' });
    expect(toPerson.draft.mailto).toMatch(/^mailto:ada%40analytical\.example\?subject=Following%20up&body=Hello%2C%0A%0AThank%20you/);
    expect(toNobody.draft.to).toBeNull();
    expect((await t.request('GET', '/api/v1/records/task?count=true&limit=1')).body.total).toBe(tasksBefore);
  });

  it('validation-error: should not apply a template on an object it is not offered on, and not list it there', async () => {
    const dealsOnly = (await t.request('POST', '/api/v1/records/actionTemplate', { name: 'Send the contract', action: 'task', title: 'Contract for {{title}}', objects: ['opportunity'], position: 9 })).body;

    const response = await as(rep)('POST', `/api/v1/action-templates/${dealsOnly.id}/apply`, { object: 'person', recordId: person.id });
    const forPeople = (await as(rep)('GET', '/api/v1/action-templates?object=person')).body.data.map((item: Body) => item.name);
    const forDeals = (await as(rep)('GET', '/api/v1/action-templates?object=opportunity')).body.data.map((item: Body) => item.name);

    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'object', code: 'templateNotOffered' });
    expect(forPeople).not.toContain('Send the contract');
    expect(forDeals).toContain('Send the contract');
  });

  it('validation-error: should refuse objects that are not a list of the workspace\'s objects and a due time that is not HH:MM, beside each field', async () => {
    const response = await t.request('POST', '/api/v1/records/actionTemplate', { name: 'Broken', action: 'task', title: 'Broken', objects: ['person', 'spaceship'], dueTime: '25:61' });
    const notAList = await t.request('POST', '/api/v1/records/actionTemplate', { name: 'Broken', action: 'task', title: 'Broken', objects: { person: true } });

    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'objects', code: 'unknownObject', message: expect.stringContaining('"spaceship"') }),
      expect.objectContaining({ field: 'dueTime', code: 'invalidTime' }),
    ]);
    expect(notAList.body.errors).toEqual([expect.objectContaining({ field: 'objects', code: 'invalidObjectList' })]);
  });

  it('successful-update: should store the objects once each, in order, and an emptied list as everywhere', async () => {
    const created = await t.request('POST', '/api/v1/records/actionTemplate', { name: 'Qualify', action: 'note', title: 'Qualification of {{title}}', objects: ['company', ' person', 'company'], dueTime: '08:15' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ objects: ['company', 'person'], dueTime: '08:15' });

    const everywhere = await t.request('PATCH', `/api/v1/records/actionTemplate/${created.body.id}`, { objects: [] });

    expect(everywhere.status).toBe(200);
    expect(everywhere.body.objects).toBeNull();
    expect((await as(rep)('GET', '/api/v1/action-templates?object=opportunity')).body.data.map((item: Body) => item.name)).toContain('Qualify');
  });

  it('not-found: should not apply a template on a record the person may not read', async () => {
    const hidden = (await as(colleague)('POST', '/api/v1/records/person', { firstName: 'Charles', lastName: 'Babbage' })).body;

    const response = await apply(rep, 'Call back tomorrow', 'person', hidden.id);

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('RECORD_NOT_FOUND');
  });
});
