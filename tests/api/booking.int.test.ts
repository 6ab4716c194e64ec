import ICAL from 'ical.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { addPasswordUser, call, type PasswordUser } from '../support/identity.ts';
import { startTestMailbox, type ReceivedMail, type TestMailbox } from '../support/smtp.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;
// Every day 08:00–18:00 UTC: a test run at any hour finds the same slots a week ahead.
const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['08:00', '18:00']]]));
const dayAhead = (days: number) => new Date(Math.floor(Date.now() / DAY) * DAY + days * DAY).toISOString().slice(0, 10);
const at = (day: string, time: string) => `${day}T${time}:00.000Z`;

/** The VEVENT of a received invitation, read by ical.js. */
const invitationOf = (mail: ReceivedMail) => {
  expect(mail.calendars.length).toBeGreaterThan(0);
  const calendar = new ICAL.Component(ICAL.parse(mail.calendars[0]!));
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    status: calendar.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status'),
    attendees: calendar.getFirstSubcomponent('vevent')!.getAllProperties('attendee').map((property) => String(property.getFirstValue()).replace(/^mailto:/i, '').toLowerCase()),
  };
};

describeEngines('booking pages', (engine) => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let alice: PasswordUser;
  let bob: PasswordUser;
  let carol: PasswordUser;
  const day = dayAhead(7);

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    t = await createTestApp(engine, 'Booking Co', { config: { smtpUrl: mailbox.url, mailFrom: 'Rapport <crm@booking.example>', publicUrl: 'https://crm.booking.example' } });
    const db = t.testDatabase.database.db;
    alice = await addPasswordUser(db, { workspaceId: t.workspace.id, name: 'Alice Rep', email: `alice.${engine}@booking.example` });
    bob = await addPasswordUser(db, { workspaceId: t.workspace.id, name: 'Bob Rep', email: `bob.${engine}@booking.example` });
    carol = await addPasswordUser(db, { workspaceId: t.workspace.id, name: 'Carol Rep', email: `carol.${engine}@booking.example` });
  });
  afterAll(async () => {
    await t?.destroy();
    await mailbox?.close();
  });

  const createPage = async (values: Record<string, unknown>) => {
    const response = await t.request('POST', '/api/v1/records/bookingPage', { name: 'Intro call', timezone: 'UTC', availability: ALL_WEEK, minimumNoticeMinutes: 0, ...values });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string; slug: string };
  };
  const publicCall = (method: 'GET' | 'POST', url: string, body?: unknown, ip = '203.0.113.9') => call(t.app, method, url, body, { ip });
  const book = (slug: string, start: string, email: string, extra: Record<string, unknown> = {}) =>
    publicCall('POST', `/api/v1/public/booking/${slug}`, { start, name: 'Ada Lovelace', email, tz: 'Europe/London', ...extra });
  const meeting = async (id: string) => (await t.request('GET', `/api/v1/records/meeting/${id}`)).body;
  const meetingsAt = async (start: string) =>
    (await t.request('GET', `/api/v1/records/meeting?filter=${encodeURIComponent(JSON.stringify({ field: 'start', op: 'eq', value: start }))}`)).body.data as Record<string, any>[];

  describe('page rules', () => {
    it('failing-create: should refuse a bad slug, time zone, availability, member list and lengths with field errors', async () => {
      const response = await t.request('POST', '/api/v1/records/bookingPage', {
        name: 'Broken',
        slug: 'Not A Slug',
        timezone: 'Mars/Olympus',
        availability: { mon: [['09:00', '12:00'], ['11:00', '13:00']] },
        members: ['00000000-0000-4000-8000-000000000001'],
        durationOptions: [0],
      });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(Object.fromEntries(response.body.errors.map((error: { field: string; code: string }) => [error.field, error.code]))).toEqual({
        slug: 'invalidFormat',
        timezone: 'invalidTimezone',
        availability: 'invalidAvailability',
        members: 'relationNotFound',
        durationOptions: 'invalidDurations',
      });
    });

    it('should keep slugs unique across workspaces, freeing one when its page goes to the trash', async () => {
      const page = await createPage({ slug: `shared-${engine}` });
      const db = t.testDatabase.database.db;
      const other = await createWorkspace({ db, name: 'Other Co', standardObjects });
      const { token } = await createApiKey(db, { workspaceId: other.id, name: 'other' });
      const asOther = (method: 'POST', url: string, body: unknown) => call(t.app, method, url, body, { token });

      const taken = await asOther('POST', '/api/v1/records/bookingPage', { name: 'Mine', slug: `shared-${engine}`, timezone: 'UTC' });
      expect(taken.status).toBe(422);
      expect(taken.body.errors).toEqual([expect.objectContaining({ field: 'slug', code: 'slugTaken' })]);

      expect((await t.request('DELETE', `/api/v1/records/bookingPage/${page.id}`)).status).toBe(200);
      expect((await publicCall('GET', `/api/v1/public/booking/shared-${engine}`)).status).toBe(404);
      expect((await asOther('POST', '/api/v1/records/bookingPage', { name: 'Mine', slug: `shared-${engine}`, timezone: 'UTC' })).status).toBe(201);
      const restored = await t.request('POST', `/api/v1/records/bookingPage/${page.id}/restore`);
      expect(restored.status).toBe(422);
      expect(restored.body.errors).toEqual([expect.objectContaining({ code: 'slugTaken' })]);
    });
  });

  describe('slots and bookings', () => {
    it('successful-get: should show the page without its members, and slots around the members\' meetings', async () => {
      const page = await createPage({ slug: `team-${engine}`, description: 'A first talk.', durationMinutes: 30, durationOptions: [60], members: [alice.id, bob.id] });
      // Both busy 09:00–10:00; Alice also 11:00–12:00 with a secret title.
      for (const [owner, start, end] of [[alice.id, '09:00', '10:00'], [bob.id, '09:00', '10:00'], [alice.id, '11:00', '12:00']] as const) {
        expect((await t.request('POST', '/api/v1/records/meeting', { title: 'Secret merger talk', start: at(day, start), end: at(day, end), owner })).status).toBe(201);
      }
      const shown = await publicCall('GET', `/api/v1/public/booking/team-${engine}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual({ slug: `team-${engine}`, name: 'Intro call', description: 'A first talk.', durationMinutes: 30, durations: [30, 60], timezone: 'UTC' });

      const slots = await publicCall('GET', `/api/v1/public/booking/team-${engine}/slots?from=${day}&to=${day}&tz=UTC`);
      expect(slots.status).toBe(200);
      const starts = slots.body.slots.map((slot: { start: string }) => slot.start.slice(11, 16));
      expect(starts.slice(0, 6)).toEqual(['08:00', '08:30', '10:00', '10:30', '11:00', '11:30']);
      expect(starts).toHaveLength(18);
      expect(JSON.stringify(slots.body)).not.toContain('Secret');
      expect(JSON.stringify(slots.body)).not.toContain(alice.id);

      const hour = await publicCall('GET', `/api/v1/public/booking/team-${engine}/slots?from=${day}&to=${day}&tz=UTC&durationMinutes=60`);
      expect(hour.body.slots[1]).toEqual({ start: at(day, '10:00'), end: at(day, '11:00') });
    });

    it('failing-get: should answer problem+json for an unknown page, a bad time zone, a too wide window or a length the page does not offer', async () => {
      const unknown = await publicCall('GET', '/api/v1/public/booking/no-such-page/slots?from=2026-01-01&to=2026-01-02');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('BOOKING_PAGE_NOT_FOUND');
      expect((await publicCall('GET', `/api/v1/public/booking/team-${engine}/slots?from=${day}&to=${day}&tz=Nowhere/Land`)).body.code).toBe('VALIDATION_FAILED');
      expect((await publicCall('GET', `/api/v1/public/booking/team-${engine}/slots?from=${day}&to=${dayAhead(70)}`)).status).toBe(422);
      expect((await publicCall('GET', `/api/v1/public/booking/team-${engine}/slots?from=${day}&to=${day}&durationMinutes=45`)).status).toBe(422);
    });

    it('successful-book: should create the meeting with a new person and mail both sides an invitation', async () => {
      const email = `ada.${engine}@visitor.example`;
      const booked = await book(`team-${engine}`, at(day, '10:00'), email, { notes: 'About <pricing>' });
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      expect(booked.body).toEqual({ start: at(day, '10:00'), end: at(day, '10:30'), durationMinutes: 30, manageUrl: expect.stringMatching(/^https:\/\/crm\.booking\.example\/book\/manage\/[\w-]{40,}$/) });

      const [created] = await meetingsAt(at(day, '10:00'));
      expect(created).toMatchObject({ title: 'Intro call: Ada Lovelace', end: at(day, '10:30'), status: 'planned', agenda: '<p>About &#60;pricing&#62;</p>' });
      // Both are free at 10:00: round robin with no bookings yet takes the first in list order.
      expect(created!.owner).toBe(alice.id);
      const people = (await t.request('GET', `/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify({ field: 'email', op: 'eq', value: email }))}`)).body.data;
      expect(people).toHaveLength(1);
      expect(people[0]).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
      expect((created!.attendees as (string | { id: string })[]).map((attendee) => (typeof attendee === 'string' ? attendee : attendee.id))).toEqual([people[0].id]);
      expect(created!.person).toBe(people[0].id);

      const memberEmail = created!.owner === alice.id ? alice.email : bob.email;
      for (const mail of [await mailbox.takeMailTo(email), await mailbox.takeMailTo(memberEmail)]) {
        const invitation = invitationOf(mail);
        expect(invitation).toMatchObject({ method: 'REQUEST', sequence: 0, start: at(day, '10:00'), end: at(day, '10:30'), uid: `${created!.id}@rapport` });
        expect(invitation.attendees).toEqual(expect.arrayContaining([email.toLowerCase(), memberEmail.toLowerCase()]));
      }

      // The same visitor again: found by email, whatever its case.
      const again = await book(`team-${engine}`, at(day, '10:30'), email.toUpperCase().replace('@VISITOR.EXAMPLE', '@visitor.example'));
      expect(again.status).toBe(201);
      const second = (await meetingsAt(at(day, '10:30')))[0]!;
      expect(second.person).toBe(people[0].id);
    });

    it('failing-book: should refuse a start the page never offers and a missing field', async () => {
      const offHours = await book(`team-${engine}`, at(day, '19:00'), 'late@visitor.example');
      expect(offHours.status).toBe(422);
      expect(offHours.body.errors).toEqual([expect.objectContaining({ field: 'start', code: 'slotUnavailable' })]);
      const misaligned = await book(`team-${engine}`, at(day, '12:10'), 'odd@visitor.example');
      expect(misaligned.status).toBe(422);
      const missing = await publicCall('POST', `/api/v1/public/booking/team-${engine}`, { start: at(day, '12:00'), name: 'X', tz: 'UTC' });
      expect(missing.status).toBe(400);
      expect(missing.headers['content-type']).toContain('application/problem+json');
    });

    it('should book exactly once when several visitors take the same slot at the same time', async () => {
      await createPage({ slug: `solo-${engine}`, members: [carol.id] });
      const attempts = await Promise.all(Array.from({ length: 8 }, (_, index) => book(`solo-${engine}`, at(day, '14:00'), `racer${index}.${engine}@visitor.example`)));
      const statuses = attempts.map((attempt) => attempt.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      const refused = attempts.find((attempt) => attempt.status === 409)!;
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 409, code: 'SLOT_TAKEN' });
      expect((await meetingsAt(at(day, '14:00'))).filter((row) => row.owner === carol.id)).toHaveLength(1);
      const slots = await publicCall('GET', `/api/v1/public/booking/solo-${engine}/slots?from=${day}&to=${day}&tz=UTC`);
      expect(slots.body.slots.map((slot: { start: string }) => slot.start)).not.toContain(at(day, '14:00'));
    });

    it('should count all of a member\'s meetings of the day towards the page\'s daily maximum, not only its own bookings', async () => {
      const db = t.testDatabase.database.db;
      const dora = await addPasswordUser(db, { workspaceId: t.workspace.id, name: 'Dora Rep', email: `dora.${engine}@booking.example` });
      const [full, next] = [dayAhead(12), dayAhead(13)];
      await createPage({ slug: `capped-${engine}`, members: [dora.id], maximumPerDay: 2 });
      const slotsOn = async (date: string) => (await publicCall('GET', `/api/v1/public/booking/capped-${engine}/slots?from=${date}&to=${date}&tz=UTC`)).body.slots as { start: string }[];
      // Made in the CRM: one she organises, one she attends as a colleague; and one cancelled, which does not count.
      expect((await t.request('POST', '/api/v1/records/meeting', { title: 'Pipeline review', start: at(full, '08:00'), end: at(full, '08:30'), owner: dora.id })).status).toBe(201);
      const attended = await t.request('POST', '/api/v1/records/meeting', { title: 'Customer visit', start: at(full, '16:00'), end: at(full, '17:00'), owner: alice.id, userAttendees: [dora.id] });
      expect(attended.status).toBe(201);
      expect((await t.request('POST', '/api/v1/records/meeting', { title: 'Called off', start: at(next, '08:00'), end: at(next, '09:00'), owner: dora.id, status: 'cancelled' })).status).toBe(201);

      // Two meetings on that day: none of its free hours is offered, and a booking is refused.
      expect(await slotsOn(full)).toEqual([]);
      const refused = await book(`capped-${engine}`, at(full, '12:00'), `capped.${engine}@visitor.example`);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('SLOT_TAKEN');

      // The next day holds only the cancelled one: one booking through the page, then one CRM meeting, fill it.
      expect(await slotsOn(next)).toHaveLength(20);
      expect((await book(`capped-${engine}`, at(next, '10:00'), `capped.${engine}@visitor.example`)).status).toBe(201);
      expect((await slotsOn(next)).length).toBeGreaterThan(0);
      expect((await t.request('POST', '/api/v1/records/meeting', { title: 'One-to-one', start: at(next, '13:00'), end: at(next, '13:30'), owner: dora.id })).status).toBe(201);
      expect(await slotsOn(next)).toEqual([]);

      // A meeting that day cancelled in the CRM frees the day again.
      const patched = await t.request('PATCH', `/api/v1/records/meeting/${attended.body.id}`, { status: 'cancelled' });
      expect(patched.status).toBe(200);
      expect((await slotsOn(full)).map((slot) => slot.start)).toContain(at(full, '12:00'));
    });

    it('should share bookings evenly between a team\'s members when assignment is round robin', async () => {
      const teamDay = dayAhead(9);
      await createPage({ slug: `fair-${engine}`, members: [alice.id, bob.id, carol.id], bufferMinutes: 0 });
      const owners: string[] = [];
      for (const [index, time] of ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30'].entries()) {
        const response = await book(`fair-${engine}`, at(teamDay, time), `fair${index}.${engine}@visitor.example`);
        expect(response.status).toBe(201);
        owners.push((await meetingsAt(at(teamDay, time))).find((row) => [alice.id, bob.id, carol.id].includes(row.owner))!.owner);
      }
      expect([alice.id, bob.id, carol.id].map((member) => owners.filter((owner) => owner === member).length)).toEqual([2, 2, 2]);
    });
  });

  describe('erasure', () => {
    it('successful-erase: should take the visitor\'s name and email out of their bookings when their person is erased', async () => {
      const eraseDay = dayAhead(9);
      await createPage({ slug: `erase-me-${engine}`, members: [carol.id] });
      const email = `erin.${engine}@visitor.example`;
      expect((await book(`erase-me-${engine}`, at(eraseDay, '11:00'), email)).status).toBe(201);
      const [visitor] = (await t.request('GET', `/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify({ field: 'email', op: 'eq', value: email }))}`)).body.data;

      const erased = await t.request('POST', `/api/v1/records/person/${visitor.id}/erase`);

      expect(erased.status).toBe(200);
      const { rows } = await sql<{ name: string; email: string; start_at: Date }>`select name, email, start_at from rapport.booking where workspace_id = ${t.workspace.id} and start_at = ${at(eraseDay, '11:00')}::timestamptz`.execute(t.testDatabase.database.db);
      expect(rows.map((row) => [row.name, row.email])).toEqual([['Erased', '']]);
    });
  });

  describe('manage link', () => {
    it('should reschedule and then cancel a booking by its link, updating the meeting and mailing both sides', async () => {
      const manageDay = dayAhead(8);
      await createPage({ slug: `manage-me-${engine}`, members: [carol.id] });
      const email = `grace.${engine}@visitor.example`;
      const booked = await book(`manage-me-${engine}`, at(manageDay, '09:00'), email);
      expect(booked.status).toBe(201);
      await mailbox.takeMailTo(email);
      await mailbox.takeMailTo(carol.email);
      const token = String(booked.body.manageUrl).split('/').pop()!;
      const { rows } = await sql<{ token_hash: string }>`select token_hash from rapport.booking where email = ${email}`.execute(t.testDatabase.database.db);
      expect(rows[0]!.token_hash).not.toContain(token);

      const shown = await publicCall('GET', `/api/v1/public/booking/manage/${token}`);
      expect(shown.body).toMatchObject({ status: 'booked', start: at(manageDay, '09:00'), canReschedule: true, canCancel: true, page: { slug: `manage-me-${engine}` } });
      expect((await publicCall('GET', `/api/v1/public/booking/manage/${'x'.repeat(43)}`)).body.code).toBe('BOOKING_NOT_FOUND');

      const moved = await publicCall('POST', `/api/v1/public/booking/manage/${token}`, { action: 'reschedule', start: at(manageDay, '15:00'), tz: 'UTC' });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body).toEqual({ status: 'booked', start: at(manageDay, '15:00'), end: at(manageDay, '15:30') });
      const [record] = await meetingsAt(at(manageDay, '15:00'));
      expect(record).toMatchObject({ owner: carol.id, sequence: 1, status: 'planned' });
      const update = invitationOf(await mailbox.takeMailTo(email));
      expect(update).toMatchObject({ method: 'REQUEST', sequence: 1, start: at(manageDay, '15:00') });
      await mailbox.takeMailTo(carol.email);
      // The old time is free again, the new one taken.
      const slots = (await publicCall('GET', `/api/v1/public/booking/manage-me-${engine}/slots?from=${manageDay}&to=${manageDay}`)).body.slots.map((slot: { start: string }) => slot.start);
      expect(slots).toContain(at(manageDay, '09:00'));
      expect(slots).not.toContain(at(manageDay, '15:00'));

      const cancelled = await publicCall('POST', `/api/v1/public/booking/manage/${token}`, { action: 'cancel' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(await meeting(record!.id)).toMatchObject({ status: 'cancelled', sequence: 2 });
      const cancellation = invitationOf(await mailbox.takeMailTo(email));
      expect(cancellation).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', sequence: 2 });
      expect((await publicCall('POST', `/api/v1/public/booking/manage/${token}`, { action: 'cancel' })).body).toMatchObject({ status: 409, code: 'BOOKING_CLOSED' });
      expect((await publicCall('GET', `/api/v1/public/booking/manage/${token}`)).body).toMatchObject({ status: 'cancelled', canReschedule: false, canCancel: false });
    });

    it('should hand a moved meeting to another member when its own is busy then, and cancel it on their calendar', async () => {
      const moveDay = dayAhead(11);
      await createPage({ slug: `handover-${engine}`, members: [alice.id, bob.id], assignment: 'firstAvailable' });
      const email = `hand.${engine}@visitor.example`;
      const booked = await book(`handover-${engine}`, at(moveDay, '09:00'), email);
      expect(booked.status).toBe(201);
      const [record] = await meetingsAt(at(moveDay, '09:00'));
      expect(record!.owner).toBe(alice.id);
      expect((await t.request('POST', '/api/v1/records/meeting', { title: 'Board', start: at(moveDay, '11:00'), end: at(moveDay, '12:00'), owner: alice.id })).status).toBe(201);

      const token = String(booked.body.manageUrl).split('/').pop()!;
      const moved = await publicCall('POST', `/api/v1/public/booking/manage/${token}`, { action: 'reschedule', start: at(moveDay, '11:00'), tz: 'UTC' });
      expect(moved.status).toBe(200);
      expect(await meeting(record!.id)).toMatchObject({ owner: bob.id, start: at(moveDay, '11:00'), sequence: 1 });
      const uid = `${record!.id}@rapport`;
      // The mail of this meeting's revision 1 with this method, to this address.
      const isRevisionMail = (mail: ReceivedMail, address: string, method: string) =>
        mail.to.includes(address.toLowerCase()) && mail.calendars.some((text) => text.includes(uid) && text.includes(`METHOD:${method}`) && text.includes('SEQUENCE:1'));
      const mailFor = async (address: string, method: string) => {
        await expect.poll(() => mailbox.messages.some((mail) => isRevisionMail(mail, address, method))).toBe(true);
        return invitationOf(mailbox.messages.find((mail) => isRevisionMail(mail, address, method))!);
      };
      expect(await mailFor(bob.email, 'REQUEST')).toMatchObject({ sequence: 1, start: at(moveDay, '11:00') });
      expect(await mailFor(alice.email, 'CANCEL')).toMatchObject({ sequence: 1, status: 'CANCELLED' });
      expect(await mailFor(email, 'REQUEST')).toMatchObject({ sequence: 1 });
      expect(mailbox.messages.filter((mail) => mail.to.includes(email) && mail.calendars.some((text) => text.includes('METHOD:CANCEL')))).toEqual([]);
    });

    it('should answer 409 SLOT_TAKEN when rescheduling onto a time that was just taken', async () => {
      const raceDay = dayAhead(10);
      await createPage({ slug: `move-race-${engine}`, members: [carol.id] });
      const first = await book(`move-race-${engine}`, at(raceDay, '09:00'), `first.${engine}@visitor.example`);
      expect((await book(`move-race-${engine}`, at(raceDay, '10:00'), `second.${engine}@visitor.example`)).status).toBe(201);
      const token = String(first.body.manageUrl).split('/').pop()!;
      const moved = await publicCall('POST', `/api/v1/public/booking/manage/${token}`, { action: 'reschedule', start: at(raceDay, '10:00'), tz: 'UTC' });
      expect(moved.status).toBe(409);
      expect(moved.body.code).toBe('SLOT_TAKEN');
    });
  });
});

describeEngines('booking pages: rate limits', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Limits Co', { config: { rateLimits: { apiPerMinute: 0, ipPerMinute: 0, authPerMinute: 2 } } });
  });
  afterAll(async () => t?.destroy());

  it('should limit the public booking routes per IP', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await call(t.app, 'POST', '/api/v1/public/booking/nowhere', { start: '2030-01-01T09:00:00Z', name: 'A', email: 'a@b.example', tz: 'UTC' }, { ip: '198.51.100.7' })).status);
    expect(statuses).toEqual([404, 404, 429, 429]);
    // Another visitor is not held back.
    expect((await call(t.app, 'GET', '/api/v1/public/booking/nowhere', undefined, { ip: '198.51.100.8' })).status).toBe(404);
  });
});
