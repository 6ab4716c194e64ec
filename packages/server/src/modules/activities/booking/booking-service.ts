import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { AppError, validationFailed } from '../../../engine/errors.ts';
import { hashToken, newLinkToken } from '../../../engine/identity/tokens.ts';
import type { Mailer } from '../../../engine/mail/mailer.ts';
import type { MetadataCache } from '../../../engine/metadata/metadata-store.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { createFullAccess } from '../../../engine/permissions/access.ts';
import { listRecords } from '../../../engine/records/read-records.ts';
import { saveRecords } from '../../../engine/records/save-records.ts';
import { tableOf } from '../../../engine/query/sql-parts.ts';
import { bookingMessages, type BookingInvitation } from './booking-mail.ts';
import { isValidTimezone } from './booking-settings.ts';
import { computeSlots, pickMember, windowOf, type Interval } from './booking-slots.ts';
import {
  getPublishedPage,
  insertBooking,
  lockMembers,
  meetingObjectOf,
  readAssignmentStats,
  readCalendars,
  type PublishedPage,
} from './booking-store.ts';

const MINUTE = 60_000;
/** The widest window one slots request may ask for: six weeks and a day (a visitor's whole-day bounds). */
export const MAX_WINDOW_DAYS = 43;

export interface BookingServices {
  db: Db;
  metadata: MetadataCache;
  mailer: Mailer;
  /** Base of the manage links (RAPPORT_PUBLIC_URL). */
  publicUrl: string;
  onMailError(error: unknown): void;
  now?: () => number;
}

export const nowOf = (services: BookingServices) => services.now?.() ?? Date.now();

/** What a visitor may know of a page: never its members or their calendars. */
export const describePage = (page: PublishedPage) => ({
  slug: page.slug,
  name: page.name,
  description: page.description,
  durationMinutes: page.settings.durationMinutes,
  durations: page.settings.durations,
  timezone: page.settings.timezone,
});

const chosenDuration = (page: PublishedPage, durationMinutes: number | undefined, field = 'durationMinutes') => {
  const duration = durationMinutes ?? page.settings.durationMinutes;
  if (!page.settings.durations.includes(duration)) {
    throw validationFailed([{ field, code: 'invalidChoice', message: `This page offers meetings of ${page.settings.durations.join(', ')} minutes.` }]);
  }
  return duration;
};

export const checkTimezone = (zone: string, field: string) => {
  if (!isValidTimezone(zone)) throw validationFailed([{ field, code: 'invalidTimezone', message: 'Expected an IANA time zone, e.g. Europe/Paris.' }]);
};

export const toIso = (interval: Interval) => ({ start: new Date(interval.start).toISOString(), end: new Date(interval.end).toISOString() });

export interface SlotsQuery {
  from: string;
  to: string;
  tz?: string;
  durationMinutes?: number;
}

/** The free slots of a page between two dates or instants, as UTC instants. */
export const listSlots = async (services: BookingServices, slug: string, query: SlotsQuery) => {
  const page = await getPublishedPage({ ...services, slug });
  const zone = query.tz ?? page.settings.timezone;
  checkTimezone(zone, 'tz');
  const duration = chosenDuration(page, query.durationMinutes);
  const window = windowOf({ from: query.from, to: query.to, zone });
  if (!window || window.end <= window.start) throw validationFailed([{ field: 'from', code: 'invalidDate', message: 'Expected from before to, each a date (YYYY-MM-DD) or an ISO instant.' }]);
  if (window.end - window.start > MAX_WINDOW_DAYS * 1440 * MINUTE) throw validationFailed([{ field: 'to', code: 'tooLarge', message: `Ask for at most ${MAX_WINDOW_DAYS - 1} days at a time.` }]);
  const calendars = await readCalendars(services.db, { page, window });
  const slots = computeSlots({ settings: page.settings, calendars, durationMinutes: duration, from: window.start, to: window.end, now: nowOf(services) });
  return { timezone: zone, durationMinutes: duration, slots: slots.map(toIso) };
};

/** The members free for exactly `slot`, read inside the caller's transaction (after `lockMembers`). */
export const freeMembersFor = async (trx: Db, page: PublishedPage, slot: Interval, now: number, exceptMeetingId?: string) => {
  const calendars = await readCalendars(trx, { page, window: slot, ...(exceptMeetingId ? { exceptMeetingId } : {}) });
  const durationMinutes = (slot.end - slot.start) / MINUTE;
  return computeSlots({ settings: page.settings, calendars, durationMinutes, from: slot.start, to: slot.end, now }).find((candidate) => candidate.start === slot.start)?.freeMembers ?? [];
};

/** Refuses a start the page never offers (outside its hours, off its step, too soon), whatever calendars say. */
export const assertOffered = (page: PublishedPage, slot: Interval, now: number) => {
  const durationMinutes = (slot.end - slot.start) / MINUTE;
  const offered = computeSlots({ settings: { ...page.settings, members: ['any'] }, calendars: [], durationMinutes, from: slot.start, to: slot.end, now });
  if (!offered.some((candidate) => candidate.start === slot.start)) {
    throw validationFailed([{ field: 'start', code: 'slotUnavailable', message: 'This page does not offer a meeting at that time: pick one of its slots.' }]);
  }
};

export const slotTaken = () => new AppError('SLOT_TAKEN', 'Someone booked this time a moment ago: pick another slot.');

/** The person with this email, or a new one owned by the member who got the meeting. */
const findOrCreatePerson = async (trx: Db, workspace: WorkspaceMeta, { name, email, ownerId }: { name: string; email: string; ownerId: string }) => {
  const object = workspace.objects.get('person')!;
  const access = createFullAccess(workspace);
  const field = object.fieldsByName.get('email')!;
  // Emails match whatever their case; an encrypted email is found through its blind index (exact match).
  const found = field.options?.encrypted
    ? (await listRecords({ db: trx, workspace, object, access }, { filter: { field: 'email', op: 'eq', value: email }, limit: 1, fields: ['id'] })).data[0]?.id
    : (await sql<{ id: string }>`select id from ${tableOf(workspace, object)} where deleted_at is null and lower(${sql.ref(field.column)}) = ${email.toLowerCase()} order by created_at limit 1`.execute(trx)).rows[0]?.id;
  if (found) return found;
  const words = name.trim().split(/\s+/);
  const lastName = words.length > 1 ? words.pop()! : words[0]!;
  const firstName = words.length > 0 && words[0] !== lastName ? words.join(' ') : null;
  const saved = await saveRecords({ db: trx, workspace, object, actorId: null, access }, { records: [{ firstName, lastName, email, owner: ownerId }] });
  return saved.data[0]!.id;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const agendaOf = (notes: string) => `<p>${escapeHtml(notes).replace(/\n/g, '<br>')}</p>`;

export interface BookInput {
  start: string;
  name: string;
  email: string;
  tz: string;
  durationMinutes?: number;
  notes?: string;
}

/**
 * Books a slot: under the members' locks, the slot is checked against their calendars as they are now, a member
 * picked, the visitor found or added as a person, the meeting written through the write path (as the engine, not a
 * user) and the booking kept with the hash of its manage link. SLOT_TAKEN when no member is free any more.
 */
export const bookSlot = async (services: BookingServices, slug: string, input: BookInput) => {
  const page = await getPublishedPage({ ...services, slug });
  checkTimezone(input.tz, 'tz');
  const duration = chosenDuration(page, input.durationMinutes);
  const start = Date.parse(input.start);
  if (!Number.isFinite(start)) throw validationFailed([{ field: 'start', code: 'invalidDate', message: 'Expected an ISO instant, e.g. 2026-03-02T09:00:00Z.' }]);
  const slot = { start, end: start + duration * MINUTE };
  const now = nowOf(services);
  assertOffered(page, slot, now);
  const email = input.email.trim();
  const name = input.name.trim();
  const notes = input.notes?.trim() || null;
  const token = newLinkToken();
  const { workspace, settings } = page;
  const meetingObject = meetingObjectOf(workspace);

  const booked = await services.db.transaction().execute(async (trx) => {
    await lockMembers(trx, settings.members);
    const free = await freeMembersFor(trx, page, slot, now);
    const member = pickMember({ assignment: settings.assignment, members: settings.members, free, stats: await readAssignmentStats(trx, page) });
    if (!member) throw slotTaken();
    const personId = await findOrCreatePerson(trx, workspace, { name, email, ownerId: member });
    const saved = await saveRecords(
      { db: trx, workspace, object: meetingObject, actorId: null, access: createFullAccess(workspace) },
      {
        records: [{
          title: `${page.name}: ${name}`,
          ...toIso(slot),
          owner: member,
          attendees: [personId],
          person: personId,
          ...(notes ? { agenda: agendaOf(notes) } : {}),
        }],
      },
    );
    const meeting = saved.data[0]!;
    await insertBooking(trx, { id: randomUUID(), workspace_id: workspace.id, page_id: page.id, meeting_id: meeting.id, member_id: member, ...startEnd(slot), name, email: email.toLowerCase(), tokenHash: hashToken(token) });
    return { meeting, member, onCommitted: saved.onCommitted };
  });
  booked.onCommitted();
  const manageUrl = manageUrlOf(services, token);
  await sendInvitations(services, { kind: 'booked', page, meetingId: booked.meeting.id, sequence: 0, slot, memberId: booked.member, visitor: { name, email, timezone: input.tz }, manageUrl, notes });
  return { ...toIso(slot), durationMinutes: duration, manageUrl, manageToken: token };
};

export const startEnd = (slot: Interval) => ({ start_at: new Date(slot.start).toISOString(), end_at: new Date(slot.end).toISOString() });

export const manageUrlOf = (services: Pick<BookingServices, 'publicUrl'>, token: string) => `${services.publicUrl}/book/manage/${token}`;

/** Mails go out after the commit and never fail the booking: the meeting is in the CRM either way. */
export const sendInvitations = async (
  services: BookingServices,
  options: {
    kind: BookingInvitation['kind'];
    page: PublishedPage;
    meetingId: string;
    sequence: number;
    slot: Interval;
    memberId: string;
    visitor: BookingInvitation['visitor'];
    manageUrl: string;
    notes: string | null;
    /** Only the member's mail (a member taken off a moved meeting gets its cancellation alone). */
    isMemberOnly?: boolean;
  },
) => {
  try {
    const { rows } = await sql<{ name: string | null; email: string }>`select name, email from rapport.user where id = ${options.memberId}`.execute(services.db);
    const user = rows[0];
    if (!user) return;
    const messages = bookingMessages({
      kind: options.kind,
      meetingId: options.meetingId,
      sequence: options.sequence,
      title: `${options.page.name}: ${options.visitor.name}`,
      pageName: options.page.name,
      start: new Date(options.slot.start),
      end: new Date(options.slot.end),
      visitor: options.visitor,
      member: { name: user.name || user.email, email: user.email, timezone: options.page.settings.timezone },
      manageUrl: options.manageUrl,
      notes: options.notes,
      agenda: options.notes ? agendaOf(options.notes) : null,
    });
    for (const message of options.isMemberOnly ? messages.slice(1) : messages) services.mailer.send(message).catch(services.onMailError);
  } catch (error) {
    services.onMailError(error);
  }
};
