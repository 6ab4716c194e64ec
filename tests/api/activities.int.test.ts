import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, opportunityFactory, personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const PERMISSIONS = { person: ALL, company: ALL, opportunity: ALL, task: ALL, note: ALL, meeting: ALL, call: ALL, comment: ALL, goal: ALL, pointRule: ALL };

describeEngines('activities: what they are about, meetings and comments', (engine) => {
  let t: TestApp;
  let rep: TestUser; // own records only
  let colleague: TestUser;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.request(method, url, body, { ...headers, authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.testDatabase.database.db;
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: PERMISSIONS, recordAccess: 'own' })).body;
    rep = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Rita Rep' });
    colleague = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Colin Colleague' });
  });
  afterAll(async () => t?.destroy());

  describe('related', () => {
    it('successful-create: should fill the typed link of the record an activity is about', async () => {
      const person = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;

      const response = await t.request('POST', '/api/v1/records/task', { title: 'Send the offer', related: { object: 'person', id: person.id } });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ related: { object: 'person', id: person.id }, person: person.id });
      const tasks = (await t.request('GET', `/api/v1/records/task?filter=${encodeURIComponent(JSON.stringify({ field: 'person', op: 'eq', value: person.id }))}`)).body;
      expect(tasks.data.map((task: Body) => task.id)).toEqual([response.body.id]);
    });

    it('successful-create: should take related from a typed link given alone, and follow it when the link moves', async () => {
      const [first, second] = [(await t.request('POST', '/api/v1/records/company', companyFactory.build())).body, (await t.request('POST', '/api/v1/records/company', companyFactory.build())).body];

      const created = (await t.request('POST', '/api/v1/records/call', { subject: 'Intro', company: first.id })).body;
      const moved = (await t.request('PATCH', `/api/v1/records/call/${created.id}`, { company: second.id }, { 'if-match': `"${created.version}"` })).body;

      expect(created.related).toEqual({ object: 'company', id: first.id });
      expect(moved.related).toEqual({ object: 'company', id: second.id });
    });

    it('successful-create: should keep an explicit related beside other links', async () => {
      const deal = (await t.request('POST', '/api/v1/records/opportunity', opportunityFactory.build())).body;
      const person = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;

      const note = (await t.request('POST', '/api/v1/records/note', { title: 'Call notes', person: person.id, related: { object: 'opportunity', id: deal.id } })).body;

      expect(note).toMatchObject({ related: { object: 'opportunity', id: deal.id }, opportunity: deal.id, person: person.id });
    });

    it('validation-error: should refuse a related that is not {object, id}, names no object, or a record that does not exist', async () => {
      const shapes = [{ object: 'person' }, 'person', { object: 'nothing', id: '00000000-0000-4000-8000-000000000001' }, { object: 'person', id: '00000000-0000-4000-8000-000000000001' }];

      const responses = await Promise.all(shapes.map((related) => t.request('POST', '/api/v1/records/task', { title: 'Bad link', related })));

      expect(responses.map((response) => response.status)).toEqual([422, 422, 422, 422]);
      expect(responses.map((response) => response.body.errors[0].code)).toEqual(['invalidType', 'invalidType', 'relationNotFound', 'relationNotFound']);
      expect(responses.every((response) => response.body.errors[0].field === 'related')).toBe(true);
    });

    it('permission-denied: should not let a rep link an activity to a record hidden from them, nor learn whether it exists', async () => {
      const hidden = (await as(colleague)('POST', '/api/v1/records/person', personFactory.build())).body;
      const before = (await t.request('GET', '/api/v1/records/task?count=true&limit=1')).body.total;

      const response = await as(rep)('POST', '/api/v1/records/task', { title: 'Snoop', related: { object: 'person', id: hidden.id } });

      expect(response.status).toBe(422);
      expect(response.body.errors[0]).toMatchObject({ field: 'related', code: 'relationNotFound' });
      expect((await t.request('GET', '/api/v1/records/task?count=true&limit=1')).body.total).toBe(before);
    });

    it('successful-create: should comment on any record, a custom one too, with related required', async () => {
      const deal = (await t.request('POST', '/api/v1/records/opportunity', opportunityFactory.build())).body;

      const comment = await t.request('POST', '/api/v1/records/comment', { body: '<p>Legal is on it.</p>', related: { object: 'opportunity', id: deal.id } });
      const missing = await t.request('POST', '/api/v1/records/comment', { body: '<p>About nothing</p>' });

      expect(comment.status).toBe(201);
      expect(comment.body.related).toEqual({ object: 'opportunity', id: deal.id });
      expect(missing.status).toBe(422);
      expect(missing.body.errors.map((error: Body) => error.field)).toContain('related');
    });
  });

  describe('calls', () => {
    it('successful-create: should name a call logged without a subject after its direction and person', async () => {
      const person = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Ada', lastName: 'Byron' }))).body;

      const withPerson = (await t.request('POST', '/api/v1/records/call', { direction: 'inbound', person: person.id })).body;
      const alone = (await t.request('POST', '/api/v1/records/call', {})).body;
      const named = (await t.request('POST', '/api/v1/records/call', { subject: 'Renewal', person: person.id })).body;

      expect([withPerson.subject, alone.subject, named.subject]).toEqual(['Inbound call with Ada Byron', 'Outbound call', 'Renewal']);
    });
  });

  describe('meetings', () => {
    it('successful-create: should store attendees from people and users, and raise the revision on changes attendees see', async () => {
      const person = (await t.request('POST', '/api/v1/records/person', personFactory.build())).body;
      const meeting = (
        await as(rep)('POST', '/api/v1/records/meeting', {
          title: 'Demo',
          start: '2026-12-10T14:00:00Z',
          end: '2026-12-10T15:00:00Z',
          attendees: [person.id],
          userAttendees: [colleague.id.toUpperCase(), colleague.id],
          videoUrl: 'https://meet.example.com/demo',
        })
      ).body;

      const outcome = (await as(rep)('PATCH', `/api/v1/records/meeting/${meeting.id}`, { outcome: '<p>Went well</p>' }, { 'if-match': `"${meeting.version}"` })).body;
      const moved = (await as(rep)('PATCH', `/api/v1/records/meeting/${meeting.id}`, { start: '2026-12-11T14:00:00Z', end: '2026-12-11T15:00:00Z' }, { 'if-match': `"${outcome.version}"` })).body;

      expect(meeting).toMatchObject({ owner: rep.id, attendees: [person.id], userAttendees: [colleague.id], sequence: 0, status: 'planned' });
      // About its first attendee unless told otherwise: it shows on their page.
      expect(meeting).toMatchObject({ person: person.id, related: { object: 'person', id: person.id } });
      expect(outcome.sequence).toBe(0);
      expect(moved.sequence).toBe(1);
    });

    it('successful-update: should keep a visit check-in, its time and position, without a new invitation revision', async () => {
      const meeting = (await as(rep)('POST', '/api/v1/records/meeting', { title: 'Site visit', start: '2026-12-10T09:00:00Z', end: '2026-12-10T10:00:00Z' })).body;

      const response = await as(rep)('PATCH', `/api/v1/records/meeting/${meeting.id}`, { checkedInAt: '2026-12-10T08:57:00Z', checkInLocation: { lat: 48.85837, lng: 2.29448 } }, { 'if-match': `"${meeting.version}"` });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ checkedInAt: '2026-12-10T08:57:00.000Z', checkInLocation: { lat: 48.85837, lng: 2.29448 }, sequence: 0 });
    });

    it('validation-error: should refuse a meeting that ends before it starts, and colleagues who are not users', async () => {
      const response = await t.request('POST', '/api/v1/records/meeting', {
        title: 'Backwards',
        start: '2026-12-10T15:00:00Z',
        end: '2026-12-10T14:00:00Z',
        userAttendees: ['00000000-0000-4000-8000-000000000002'],
      });

      expect(response.status).toBe(422);
      expect(response.body.errors.map((error: Body) => [error.field, error.code]).sort()).toEqual([
        ['end', 'endBeforeStart'],
        ['userAttendees', 'relationNotFound'],
      ]);
    });
  });

  describe('goals on calls and meetings', () => {
    it('successful-read: should count a rep\'s outbound calls and held meetings in the goal\'s period, on the workspace\'s days', async () => {
      const calls = [
        { direction: 'outbound', startedAt: '2027-02-03T10:00:00Z' },
        { direction: 'outbound', startedAt: '2027-02-27T16:00:00Z' },
        { direction: 'inbound', startedAt: '2027-02-10T10:00:00Z' },
        { direction: 'outbound', startedAt: '2027-03-01T00:30:00Z' },
      ];
      for (const call of calls) expect((await as(rep)('POST', '/api/v1/records/call', call)).status).toBe(201);
      expect((await as(colleague)('POST', '/api/v1/records/call', { direction: 'outbound', startedAt: '2027-02-04T10:00:00Z' })).status).toBe(201);
      for (const [status, day] of [['held', '05'], ['held', '12'], ['planned', '19'], ['cancelled', '20']] as const) {
        expect((await as(rep)('POST', '/api/v1/records/meeting', { title: `Visit ${day}`, status, start: `2027-02-${day}T09:00:00Z`, end: `2027-02-${day}T10:00:00Z` })).status).toBe(201);
      }
      for (const goal of [
        { kpi: 'callsMade', period: '2027-02', target: 4, scope: 'rep', owner: rep.id },
        { kpi: 'meetingsHeld', period: '2027-02', target: 4, scope: 'rep', owner: rep.id },
        { kpi: 'callsMade', period: '2027-02', target: 10, scope: 'company' },
      ]) {
        expect((await t.request('POST', '/api/v1/records/goal', goal)).status).toBe(201);
      }

      const progress = (await t.request('GET', '/api/v1/analytics/goals?period=2027-02')).body.data as Body[];
      const of = (kpi: string, scope: string) => progress.find((goal) => goal.kpi === kpi && goal.scope === scope)!;

      expect(of('callsMade', 'rep')).toMatchObject({ actual: 2, progress: 0.5 });
      expect(of('meetingsHeld', 'rep')).toMatchObject({ actual: 2, progress: 0.5 });
      expect(of('callsMade', 'company')).toMatchObject({ actual: 3 });
    });

    it('successful-read: should give leaderboard points for calls made and meetings held', async () => {
      for (const rule of [
        { name: 'Call made', event: 'callMade', points: 3 },
        { name: 'Meeting held', event: 'meetingHeld', points: 7 },
      ]) {
        expect((await t.request('POST', '/api/v1/records/pointRule', rule)).status).toBe(201);
      }

      const board = (await t.request('GET', '/api/v1/leaderboard?period=2027-02')).body.data as Body[];
      const entry = board.find((item) => item.userId === rep.id)!;

      expect(entry.counts).toMatchObject({ callMade: 2, meetingHeld: 2 });
      expect(entry.points).toBe(2 * 3 + 2 * 7);
    });
  });

  describe('mentions in comments', () => {
    it('successful-notify: should tell the users and the members of the teams a comment mentions, each once, who may read the record', async () => {
      const db = t.testDatabase.database.db;
      const leadRole = (await t.request('POST', '/api/v1/roles', { name: 'Lead', permissions: PERMISSIONS, recordAccess: 'all' })).body;
      const lead = await createTestUser(db, { workspaceId: t.workspace.id, role: leadRole.id, name: 'Lea Lead' });
      const team = (await t.request('POST', '/api/v1/teams', { name: 'Key accounts', memberIds: [rep.id, colleague.id, lead.id] })).body;
      const person = (await as(rep)('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Mentioned' }))).body;
      const mention = (id: string, label: string) => `<span data-type="mention" data-id="${id}" data-label="${label}">@${label}</span>`;

      const comment = await as(rep)('POST', '/api/v1/records/comment', { body: `<p>${mention(team.id, 'Key accounts')} and ${mention(lead.id, 'Lea Lead')}: can you help?</p>`, related: { object: 'person', id: person.id } });
      const mentionsOf = async (user: TestUser) => ((await as(user)('GET', '/api/v1/notifications?kind=mention')).body.data as Body[]).filter((item) => item.recordId === comment.body.id);

      expect(comment.status).toBe(201);
      expect(await mentionsOf(lead)).toEqual([expect.objectContaining({ kind: 'mention', object: 'comment', actorId: rep.id, excerpt: '@Key accounts and @Lea Lead: can you help?' })]);
      // The colleague only reads their own records; the author is never told of their own comment.
      expect(await mentionsOf(colleague)).toEqual([]);
      expect(await mentionsOf(rep)).toEqual([]);
    });
  });
});

