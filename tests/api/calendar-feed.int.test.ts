import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const PERMISSIONS = { person: ALL, meeting: ALL, task: ALL };
const PUBLIC_URL = 'https://crm.feed.example';

const inDays = (days: number, hour: number) => {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
};

/** A feed as an independent parser (ical.js) reads it. */
const parseFeed = (text: string) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    method: calendar.getFirstPropertyValue('method'),
    events: calendar.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        summary: event.summary,
        sequence: event.sequence,
        start: event.startDate.isDate ? event.startDate.toString() : event.startDate.toJSDate().toISOString(),
        isAllDay: event.startDate.isDate,
        status: vevent.getFirstPropertyValue('status'),
        rrule: vevent.getFirstPropertyValue('rrule')?.toString() ?? null,
      };
    }),
  };
};

describeEngines('calendar feed', (engine) => {
  let t: TestApp;
  let ann: TestUser; // rep: own records
  let bob: TestUser; // rep: own records
  let carol: TestUser; // lead: reads every record
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const feedUrlOf = async (user: TestUser): Promise<string> => {
    const response = await as(user)('GET', '/api/v1/me/calendar-feed');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['url']);
    return response.body.url;
  };
  // The feed as a calendar app fetches it: no credential but the address.
  const fetchFeed = (url: string, ip = '198.51.100.7') => t.app.inject({ method: 'GET', url: url.replace(PUBLIC_URL, ''), remoteAddress: ip });
  const meeting = async (user: TestUser, values: Body) => {
    const response = await as(user)('POST', '/api/v1/records/meeting', { start: inDays(5, 9), end: inDays(5, 10), owner: user.id, ...values });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as Body;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, 'Feed Co', { config: { publicUrl: PUBLIC_URL } });
    const db = t.testDatabase.database.db;
    const rep = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: PERMISSIONS, recordAccess: 'own' })).body;
    const lead = (await t.request('POST', '/api/v1/roles', { name: 'Lead', permissions: PERMISSIONS, recordAccess: 'all' })).body;
    ann = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Ann Rep' });
    bob = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Bob Rep' });
    carol = await createTestUser(db, { workspaceId: t.workspace.id, role: lead.id, name: 'Carol Lead' });
  });
  afterAll(async () => t?.destroy());

  describe('the address', () => {
    it('successful-get: should give the same unguessable https address until it is revoked', async () => {
      const first = await feedUrlOf(ann);
      const again = await feedUrlOf(ann);

      expect(first).toMatch(new RegExp(`^${PUBLIC_URL}/api/v1/public/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
      expect(again).toBe(first);
      expect(await feedUrlOf(bob)).not.toBe(first);
    });

    it('failing-get: should refuse a workspace key, which belongs to no user', async () => {
      const response = await t.request('GET', '/api/v1/me/calendar-feed');

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('successful-revoke: should make the old address answer 404 and give a new one', async () => {
      const old = await feedUrlOf(ann);
      expect((await fetchFeed(old)).statusCode).toBe(200);

      expect((await as(ann)('DELETE', '/api/v1/me/calendar-feed')).status).toBe(204);

      const gone = await fetchFeed(old);
      expect(gone.statusCode).toBe(404);
      expect(gone.headers['content-type']).toContain('application/problem+json');
      const fresh = await feedUrlOf(ann);
      expect(fresh).not.toBe(old);
      expect((await fetchFeed(fresh)).statusCode).toBe(200);
    });

    it('failing-read: should answer 404 for an address that was never given', async () => {
      expect((await fetchFeed(`/api/v1/public/calendar/${'x'.repeat(43)}.ics`)).statusCode).toBe(404);
      expect((await fetchFeed('/api/v1/public/calendar/not-a-feed')).statusCode).toBe(404);
    });
  });

  describe('the calendar', () => {
    let annsMeeting: Body;
    let bobsPrivate: Body;
    let bobsWithCarol: Body;
    let recurring: Body;

    beforeAll(async () => {
      annsMeeting = await meeting(ann, { title: 'Ann demo', location: 'Lyon' });
      await as(ann)('PATCH', `/api/v1/records/meeting/${annsMeeting.id}`, { start: inDays(6, 9), end: inDays(6, 10) });
      bobsPrivate = await meeting(bob, { title: 'Bob private' });
      bobsWithCarol = await meeting(bob, { title: 'Bob with Carol', userAttendees: [carol.id] });
      await meeting(ann, { title: 'Ann long ago', start: inDays(-200, 9), end: inDays(-200, 10) });
      recurring = (await as(ann)('POST', '/api/v1/records/task', { title: 'Weekly report', assignee: ann.id, dueAt: inDays(2, 8), recurrence: 'FREQ=WEEKLY;BYDAY=MO' })).body;
      await as(ann)('POST', '/api/v1/records/task', { title: 'Ann done task', assignee: ann.id, dueAt: inDays(2, 8), status: 'done' });
      await as(ann)('POST', '/api/v1/records/task', { title: 'Ann undated task', assignee: ann.id });
      await as(bob)('POST', '/api/v1/records/task', { title: 'Bob task', assignee: bob.id, dueAt: inDays(2, 8) });
    });

    it('successful-read: should serve text/calendar with the user\'s meetings and open dated tasks, and nobody else\'s', async () => {
      const response = await fetchFeed(await feedUrlOf(ann));

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/calendar/);
      const feed = parseFeed(response.body);
      expect(feed.method).toBe('PUBLISH');
      expect(feed.events.map((event) => event.summary).sort()).toEqual(['Ann demo', 'Task: Weekly report']);
      expect(feed.events.find((event) => event.summary === 'Ann demo')).toMatchObject({ uid: `${annsMeeting.id}@rapport`, sequence: 1, start: inDays(6, 9), isAllDay: false, status: 'CONFIRMED' });
      const task = feed.events.find((event) => event.summary === 'Task: Weekly report')!;
      expect(task).toMatchObject({ uid: `task-${recurring.id}@rapport`, isAllDay: true, start: inDays(2, 8).slice(0, 10), rrule: 'FREQ=WEEKLY;BYDAY=MO' });
      expect(response.body).not.toContain(bobsPrivate.id);
    });

    it('successful-read: should show a colleague the meetings they attend, not the others they may read', async () => {
      const feed = parseFeed((await fetchFeed(await feedUrlOf(carol))).body);

      expect(feed.events.map((event) => event.uid)).toEqual([`${bobsWithCarol.id}@rapport`]);
    });

    it('successful-read: should read as the user: a meeting they attend but may not read stays out', async () => {
      await meeting(bob, { title: 'Bob with Ann', userAttendees: [ann.id] });

      const feed = parseFeed((await fetchFeed(await feedUrlOf(ann))).body);

      // Ann's role reads her own records only: the permission layer leaves Bob's meeting out.
      expect(feed.events.map((event) => event.summary)).not.toContain('Bob with Ann');
    });

    it('successful-read: should show a cancelled meeting as cancelled', async () => {
      const cancelled = await meeting(ann, { title: 'Ann cancelled' });
      await as(ann)('PATCH', `/api/v1/records/meeting/${cancelled.id}`, { status: 'cancelled' });

      const feed = parseFeed((await fetchFeed(await feedUrlOf(ann))).body);

      expect(feed.events.find((event) => event.summary === 'Ann cancelled')).toMatchObject({ status: 'CANCELLED', sequence: 1 });
    });
  });

  describe('limits', () => {
    it('failing-read: should answer 429 when one address is polled too often', async () => {
      const url = await feedUrlOf(bob);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 32; attempt++) statuses.push((await fetchFeed(url, `203.0.113.${attempt}`)).statusCode);

      expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    });
  });

  describe('description', () => {
    it('should describe the feed paths in the OpenAPI document', async () => {
      const document = (await t.request('GET', '/api/v1/openapi.json')).body;

      expect(document.paths['/api/v1/me/calendar-feed']).toHaveProperty('get');
      expect(document.paths['/api/v1/me/calendar-feed']).toHaveProperty('delete');
      expect(document.paths['/api/v1/public/calendar/{feed}'].get.security).toEqual([]);
      expect(document.paths['/api/v1/me/reminder-preferences']).toHaveProperty('patch');
    });
  });
});
