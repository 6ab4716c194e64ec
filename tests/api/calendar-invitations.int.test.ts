import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { listJobs, startWorker, type Worker } from '../../packages/server/src/engine/jobs/index.ts';
import type { Mailer } from '../../packages/server/src/engine/mail/mailer.ts';
import { createMeetingInvitationJobHandler, MEETING_INVITATION_JOB } from '../../packages/server/src/modules/activities/calendar/meeting-invitation.job.ts';
import { moduleJobHandlers } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { startTestMailbox, type ReceivedMail, type TestMailbox } from '../support/smtp.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

/** The invitation of a received mail as an independent parser (ical.js) reads it. */
const invitationOf = (mail: ReceivedMail) => {
  expect(mail.calendars.length).toBeGreaterThan(0);
  const calendar = new ICAL.Component(ICAL.parse(mail.calendars[0]!));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    isUtc: event.startDate.zone === ICAL.Timezone.utcTimezone && event.endDate.zone === ICAL.Timezone.utcTimezone,
    status: vevent.getFirstPropertyValue('status'),
    summary: event.summary,
    location: event.location,
    description: event.description,
    url: vevent.getFirstPropertyValue('url'),
    organizer: String(vevent.getFirstPropertyValue('organizer')).replace(/^mailto:/i, '').toLowerCase(),
    attendees: vevent.getAllProperties('attendee').map((property) => ({
      email: String(property.getFirstValue()).replace(/^mailto:/i, '').toLowerCase(),
      partstat: property.getParameter('partstat'),
      rsvp: property.getParameter('rsvp'),
    })),
  };
};

const inDays = (days: number, hour: number) => {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
};

describeEngines('calendar invitations (RFC 5545/5546) by email', (engine) => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let worker: Worker | undefined;
  let ann: TestUser; // organiser
  let bob: TestUser; // colleague attending
  let carol: TestUser; // colleague attending, later removed
  let person: Body;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const services = () => (t.app as unknown as { services: EngineServices }).services;
  // Nothing more to this address after `since` (a count of messages received), once the queue had time to run.
  const expectNoMailTo = async (address: string, since: number) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(mailbox.messages.slice(since).filter((mail) => mail.to.includes(address.toLowerCase()))).toEqual([]);
  };

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    t = await createTestApp(engine, 'Calendar Co', { config: { smtpUrl: mailbox.url, mailFrom: 'Rapport <crm@calendar.example>', publicUrl: 'https://crm.calendar.example' } });
    const db = t.testDatabase.database.db;
    ann = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Admin', name: 'Ann Organiser' });
    bob = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Admin', name: 'Bob Colleague' });
    carol = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Admin', name: 'Carol Colleague' });
    person = (await as(ann)('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Petra', lastName: 'Client', email: `petra.${engine}@client.example` }))).body;
    worker = startWorker({ db, handlers: moduleJobHandlers(services()), pollIntervalMs: 50, engine });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.destroy();
    await mailbox?.close();
  });

  describe('a meeting\'s life', () => {
    let meeting: Body;
    const start = inDays(10, 9);
    const end = inDays(10, 10);

    it('successful-create: should invite the contacts and colleagues attending, not the organiser who made it', async () => {
      const since = mailbox.messages.length;
      const response = await as(ann)('POST', '/api/v1/records/meeting', {
        title: 'Pricing review',
        start,
        end,
        owner: ann.id,
        attendees: [person.id],
        userAttendees: [bob.id, carol.id],
        location: 'Room 4, Lyon office',
        videoUrl: 'https://meet.example/pricing',
        agenda: '<p>Prices &amp; terms</p><ul><li>Discounts</li></ul>',
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      meeting = response.body;

      const toPetra = await mailbox.takeMailTo(person.email);
      const toBob = await mailbox.takeMailTo(bob.email);
      await mailbox.takeMailTo(carol.email);
      const invitation = invitationOf(toPetra);
      expect(invitation).toMatchObject({
        method: 'REQUEST',
        uid: `${meeting.id}@rapport`,
        sequence: 0,
        start,
        end,
        isUtc: true,
        status: 'CONFIRMED',
        summary: 'Pricing review',
        location: 'Room 4, Lyon office',
        url: 'https://meet.example/pricing',
        organizer: ann.email,
      });
      expect(invitation.description).toContain('Prices & terms');
      expect(invitation.description).toContain('- Discounts');
      expect(invitation.description).not.toContain('<');
      expect(invitation.attendees.map((attendee) => attendee.email).sort()).toEqual([bob.email, carol.email, person.email].sort());
      expect(invitation.attendees.every((attendee) => attendee.partstat === 'NEEDS-ACTION' && attendee.rsvp === 'TRUE')).toBe(true);
      expect(toPetra.subject).toContain('Invitation: Pricing review');
      expect(toPetra.text).toContain('Room 4, Lyon office');
      expect(invitationOf(toBob).uid).toBe(invitation.uid);
      await expectNoMailTo(ann.email, since);
    });

    it('successful-update: should send the change with SEQUENCE + 1 and the same UID', async () => {
      const moved = { start: inDays(11, 14), end: inDays(11, 15) };
      const response = await as(ann)('PATCH', `/api/v1/records/meeting/${meeting.id}`, moved);
      expect(response.status).toBe(200);
      expect(response.body.sequence).toBe(1);

      const update = invitationOf(await mailbox.takeMailTo(person.email));
      expect(update).toMatchObject({ method: 'REQUEST', uid: `${meeting.id}@rapport`, sequence: 1, start: moved.start, end: moved.end });
      expect(invitationOf(await mailbox.takeMailTo(bob.email)).sequence).toBe(1);
      await mailbox.takeMailTo(carol.email);
    });

    it('successful-update: should leave a booked meeting\'s own mails to the booking page, and send a change made in the CRM', async () => {
      const booked = (await as(ann)('POST', '/api/v1/records/meeting', { title: 'Booked intro', start: inDays(12, 9), end: inDays(12, 10), attendees: [person.id] })).body;
      expect(invitationOf(await mailbox.takeMailTo(person.email)).uid).toBe(`${booked.id}@rapport`);
      await sql`insert into rapport.booking (id, workspace_id, page_id, meeting_id, member_id, start_at, end_at, name, email, token_hash)
        values (${randomUUID()}, ${t.workspace.id}, ${randomUUID()}, ${booked.id}, ${ann.id}, ${inDays(12, 9)}, ${inDays(12, 10)}, 'Petra Client', ${person.email}, ${randomUUID()})`.execute(t.testDatabase.database.db);
      const since = mailbox.messages.length;

      // The booking module writes without an actor (the visitor's link): it sends its own mail.
      await t.request('PATCH', `/api/v1/records/meeting/${booked.id}`, { location: 'Moved by the page' });
      await expectNoMailTo(person.email, since);
      // A person in the CRM moves it: the visitor hears of it like any attendee.
      await as(ann)('PATCH', `/api/v1/records/meeting/${booked.id}`, { location: 'Room 9' });
      expect(invitationOf(await mailbox.takeMailTo(person.email))).toMatchObject({ uid: `${booked.id}@rapport`, sequence: 2, location: 'Room 9' });
    });

    it('successful-update: should not send the change to the colleague who made it', async () => {
      const since = mailbox.messages.length;
      await as(bob)('PATCH', `/api/v1/records/meeting/${meeting.id}`, { location: 'Room 5' });

      expect(invitationOf(await mailbox.takeMailTo(person.email))).toMatchObject({ sequence: 2, location: 'Room 5' });
      await mailbox.takeMailTo(carol.email);
      await expectNoMailTo(bob.email, since);
    });

    it('successful-update: should cancel the meeting for a colleague taken off it, and nobody else hears of it', async () => {
      await as(ann)('PATCH', `/api/v1/records/meeting/${meeting.id}`, { userAttendees: [bob.id] });

      const toCarol = invitationOf(await mailbox.takeMailTo(carol.email));
      expect(toCarol).toMatchObject({ method: 'CANCEL', uid: `${meeting.id}@rapport`, sequence: 2 });
      expect(toCarol.attendees.map((attendee) => attendee.email)).toEqual([carol.email]);
      // The others get the same revision again (same UID and SEQUENCE: their calendars keep one entry).
      expect(invitationOf(await mailbox.takeMailTo(person.email))).toMatchObject({ method: 'REQUEST', sequence: 2 });
    });

    it('successful-cancel: should send METHOD:CANCEL when the meeting is cancelled', async () => {
      await mailbox.takeMailTo(bob.email).catch(() => undefined);
      const response = await as(ann)('PATCH', `/api/v1/records/meeting/${meeting.id}`, { status: 'cancelled' });
      expect(response.body.sequence).toBe(3);

      const cancel = invitationOf(await mailbox.takeMailTo(person.email));
      expect(cancel).toMatchObject({ method: 'CANCEL', uid: `${meeting.id}@rapport`, sequence: 3, status: 'CANCELLED' });
      expect((await mailbox.takeMailTo(bob.email)).subject).toContain('Cancelled: Pricing review');
    });

    it('successful-delete: should cancel a deleted meeting one revision past the last one sent', async () => {
      const other = (await as(ann)('POST', '/api/v1/records/meeting', { title: 'Kick-off', start, end, owner: ann.id, attendees: [person.id] })).body;
      expect(invitationOf(await mailbox.takeMailTo(person.email))).toMatchObject({ method: 'REQUEST', sequence: 0 });

      expect([200, 204]).toContain((await as(ann)('DELETE', `/api/v1/records/meeting/${other.id}`)).status);

      expect(invitationOf(await mailbox.takeMailTo(person.email))).toMatchObject({ method: 'CANCEL', uid: `${other.id}@rapport`, sequence: 1 });
    });

    it('successful-update: should send nothing for a change attendees do not see', async () => {
      const quiet = (await as(ann)('POST', '/api/v1/records/meeting', { title: 'Quiet', start, end, owner: ann.id, attendees: [person.id] })).body;
      await mailbox.takeMailTo(person.email);
      const since = mailbox.messages.length;

      await as(ann)('PATCH', `/api/v1/records/meeting/${quiet.id}`, { outcome: '<p>Went well</p>' });

      await expectNoMailTo(person.email, since);
    });
  });

  describe('meetings already over', () => {
    it('successful-create: should send nothing for a meeting that has ended (an import of past meetings)', async () => {
      const since = mailbox.messages.length;

      await as(ann)('POST', '/api/v1/records/meeting', { title: 'Last week', start: inDays(-7, 9), end: inDays(-7, 10), owner: ann.id, attendees: [person.id] });

      await expectNoMailTo(person.email, since);
    });
  });

  describe('delivery', () => {
    it('successful-retry: should send again through the job queue when the mail server refused', async () => {
      await worker?.stop();
      worker = undefined;
      let refusals = 1;
      const flaky: Mailer = {
        isDelivering: true,
        async send(message) {
          if (refusals-- > 0) throw new Error('421 try again later');
          await services().identity.mailer.send(message);
        },
        close: () => undefined,
      };
      const db = t.testDatabase.database.db;
      const retrying = startWorker({ db, handlers: { [MEETING_INVITATION_JOB]: createMeetingInvitationJobHandler({ metadata: services().metadata, mailer: flaky }) }, pollIntervalMs: 50, backoffMs: () => 100, engine });
      try {
        const meeting = (await as(ann)('POST', '/api/v1/records/meeting', { title: 'Retried', start: inDays(3, 8), end: inDays(3, 9), owner: ann.id, attendees: [person.id] })).body;

        expect(invitationOf(await mailbox.takeMailTo(person.email))).toMatchObject({ uid: `${meeting.id}@rapport`, sequence: 0 });
        const jobs = await listJobs(db, { type: MEETING_INVITATION_JOB, workspaceId: t.workspace.id, limit: 1000 });
        const job = jobs.find((candidate) => (candidate.payload as Body).meetingId === meeting.id)!;
        expect(job).toMatchObject({ status: 'completed', attempts: 2 });
      } finally {
        await retrying.stop();
      }
    });
  });
});
