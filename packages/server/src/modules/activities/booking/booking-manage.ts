import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { AppError, validationFailed } from '../../../engine/errors.ts';
import { hashToken } from '../../../engine/identity/tokens.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { createFullAccess } from '../../../engine/permissions/access.ts';
import { tableOf } from '../../../engine/query/sql-parts.ts';
import { saveRecords } from '../../../engine/records/save-records.ts';
import { assertOffered, checkTimezone, describePage, freeMembersFor, manageUrlOf, nowOf, sendInvitations, slotTaken, startEnd, toIso, type BookingServices } from './booking-service.ts';
import { pickMember, type Interval } from './booking-slots.ts';
import { findBookingByTokenHash, findPage, lockMembers, meetingObjectOf, readAssignmentStats, updateBooking, type BookingRow, type PublishedPage } from './booking-store.ts';

const isMeetingLive = async (trx: Db, workspace: WorkspaceMeta, meetingId: string) =>
  (await sql`select 1 from ${tableOf(workspace, meetingObjectOf(workspace))} where id = ${meetingId} and deleted_at is null`.execute(trx)).rows.length > 0;

const bookingNotFound = () => new AppError('BOOKING_NOT_FOUND', 'This link does not name a booking: it may have been mistyped.');

/** What the manage link shows: the meeting's time and page, and what can still be done. */
export const describeBooking = async (services: BookingServices, token: string) => {
  const booking = await findBookingByTokenHash(services.db, hashToken(token));
  if (!booking) throw bookingNotFound();
  const page = await findPage({ ...services, workspaceId: booking.workspace_id, pageId: booking.page_id });
  return {
    status: booking.status,
    start: new Date(booking.start_at).toISOString(),
    end: new Date(booking.end_at).toISOString(),
    page: page ? describePage(page) : null,
    // Rescheduling needs the page still published; cancelling works while the meeting is ahead.
    canReschedule: booking.status === 'booked' && page?.isActive === true && Date.parse(booking.start_at) > nowOf(services),
    canCancel: booking.status === 'booked' && Date.parse(booking.end_at) > nowOf(services),
  };
};

export type ManageInput = { action: 'cancel'; tz?: string } | { action: 'reschedule'; start: string; tz: string };

/**
 * Cancels or moves a booking by its link. A move keeps the member when they are free at the new time, else picks
 * another free member of the page as a booking would; the meeting changes through the write path (its invitation
 * revision goes up) and both sides get the updated invitation.
 */
export const manageBooking = async (services: BookingServices, token: string, input: ManageInput) => {
  const tokenHash = hashToken(token);
  const known = await findBookingByTokenHash(services.db, tokenHash);
  if (!known) throw bookingNotFound();
  const page = await findPage({ ...services, workspaceId: known.workspace_id, pageId: known.page_id });
  if (!page) throw bookingNotFound();
  const { workspace } = page;
  const meetingObject = meetingObjectOf(workspace);
  const now = nowOf(services);
  const access = createFullAccess(workspace);
  const zone = input.tz ?? page.settings.timezone;
  checkTimezone(zone, 'tz');

  if (input.action === 'cancel') {
    const result = await services.db.transaction().execute(async (trx) => {
      const booking = await findBookingByTokenHash(trx, tokenHash, true);
      if (!booking || booking.status !== 'booked' || Date.parse(booking.end_at) <= now) throw new AppError('BOOKING_CLOSED', 'This booking is cancelled or over already.');
      await updateBooking(trx, booking.id, { status: 'cancelled' });
      // Someone may have deleted the meeting in the CRM meanwhile: the booking is off all the same.
      if (!(await isMeetingLive(trx, workspace, booking.meeting_id))) return { booking, meeting: null, onCommitted: () => undefined };
      const saved = await saveRecords({ db: trx, workspace, object: meetingObject, actorId: null, access }, { records: [{ status: 'cancelled' }], updateId: booking.meeting_id });
      return { booking, meeting: saved.data[0]!, onCommitted: saved.onCommitted };
    });
    result.onCommitted();
    if (result.meeting) await notifyChange(services, { kind: 'cancelled', page, booking: result.booking, meeting: result.meeting, zone, token, slot: intervalOf(result.booking) });
    return { status: 'cancelled' as const, ...toIso(intervalOf(result.booking)) };
  }

  if (!page.isActive) throw new AppError('BOOKING_CLOSED', 'This booking page is no longer published: the booking can only be cancelled.');
  const start = Date.parse(input.start);
  if (!Number.isFinite(start)) throw validationFailed([{ field: 'start', code: 'invalidDate', message: 'Expected an ISO instant, e.g. 2026-03-02T09:00:00Z.' }]);
  const length = Date.parse(known.end_at) - Date.parse(known.start_at);
  const slot = { start, end: start + length };
  assertOffered(page, slot, now);
  const result = await services.db.transaction().execute(async (trx) => {
    await lockMembers(trx, page.settings.members);
    const booking = await findBookingByTokenHash(trx, tokenHash, true);
    if (!booking || booking.status !== 'booked' || Date.parse(booking.start_at) <= now || !(await isMeetingLive(trx, workspace, booking.meeting_id))) {
      throw new AppError('BOOKING_CLOSED', 'This booking is cancelled or over already.');
    }
    const free = await freeMembersFor(trx, page, slot, now, booking.meeting_id);
    const member = free.includes(booking.member_id) ? booking.member_id : pickMember({ assignment: page.settings.assignment, members: page.settings.members, free, stats: await readAssignmentStats(trx, page) });
    if (!member) throw slotTaken();
    await updateBooking(trx, booking.id, { member_id: member, ...startEnd(slot) });
    const saved = await saveRecords({ db: trx, workspace, object: meetingObject, actorId: null, access }, { records: [{ ...toIso(slot), owner: member }], updateId: booking.meeting_id });
    return { booking: { ...booking, member_id: member }, previousMember: booking.member_id, meeting: saved.data[0]!, onCommitted: saved.onCommitted };
  });
  result.onCommitted();
  await notifyChange(services, { kind: 'rescheduled', page, booking: result.booking, meeting: result.meeting, zone, token, slot });
  // Another member took the meeting: the one who had it gets its cancellation, so it leaves their calendar.
  if (result.previousMember !== result.booking.member_id) {
    await notifyChange(services, { kind: 'cancelled', page, booking: { ...result.booking, member_id: result.previousMember }, meeting: result.meeting, zone, token, slot, isMemberOnly: true });
  }
  return { status: 'booked' as const, ...toIso(slot) };
};

const intervalOf = (booking: BookingRow): Interval => ({ start: Date.parse(booking.start_at), end: Date.parse(booking.end_at) });

const notifyChange = async (
  services: BookingServices,
  options: { kind: 'rescheduled' | 'cancelled'; page: PublishedPage; booking: BookingRow; meeting: Record<string, unknown>; zone: string; token: string; slot: Interval; isMemberOnly?: boolean },
) => {
  await sendInvitations(services, {
    kind: options.kind,
    page: options.page,
    meetingId: options.booking.meeting_id,
    sequence: Number(options.meeting.sequence ?? 0),
    slot: options.slot,
    memberId: options.booking.member_id,
    visitor: { name: options.booking.name, email: options.booking.email, timezone: options.zone },
    manageUrl: manageUrlOf(services, options.token),
    notes: null,
    ...(options.isMemberOnly ? { isMemberOnly: true } : {}),
  });
};
