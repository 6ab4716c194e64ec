import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { Db } from '../../../engine/db/database.ts';
import type { JobHandler } from '../../../engine/jobs/index.ts';
import type { Mailer } from '../../../engine/mail/mailer.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { htmlToText } from '@rapport/common/values/index';
import { buildMeetingInvitation, meetingUid, type InvitationMethod, type InvitedMeeting } from './meeting-invitation.ts';
import { findMeetingParties, readUsers, type MeetingAttendee } from './meeting-parties.ts';

export const MEETING_INVITATION_JOB = 'activities.meetingInvitation';

export interface MeetingInvitationPayload {
  workspaceId: string;
  meetingId: string;
  method: InvitationMethod;
  /** The revision the write made: a job overtaken by a later revision sends nothing (that revision's job will). */
  sequence: number;
  /** Who made the change: they are not sent their own change. */
  actorId: string | null;
  /** Only these colleagues (removed from the meeting: they get its cancellation); absent: every attendee. */
  onlyUserIds?: string[];
}

export interface MeetingInvitationJobOptions {
  metadata: { get(workspaceId: string): Promise<WorkspaceMeta> };
  mailer: Mailer;
}

const optionalText = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

const toInvitedMeeting = (meeting: Record<string, unknown>): InvitedMeeting => ({
  title: String(meeting.title),
  start: String(meeting.start),
  end: String(meeting.end),
  location: optionalText(meeting.location),
  videoUrl: optionalText(meeting.videoUrl),
  agenda: optionalText(meeting.agenda),
});

const when = (meeting: Record<string, unknown>, timeZone: string) => {
  const start = DateTime.fromISO(String(meeting.start), { zone: timeZone });
  const end = DateTime.fromISO(String(meeting.end), { zone: timeZone });
  const endText = end.hasSame(start, 'day') ? end.toFormat('HH:mm') : end.toFormat('cccc d LLLL yyyy, HH:mm');
  return `${start.toFormat('cccc d LLLL yyyy, HH:mm')} – ${endText} (${timeZone})`;
};

const messageText = (meeting: Record<string, unknown>, method: InvitationMethod, timeZone: string, organizer: string | null) =>
  [
    method === 'CANCEL' ? 'This meeting is cancelled.' : null,
    `${String(meeting.title)}`,
    `When: ${when(meeting, timeZone)}`,
    meeting.location ? `Where: ${String(meeting.location)}` : null,
    meeting.videoUrl ? `Video: ${String(meeting.videoUrl)}` : null,
    organizer ? `Organiser: ${organizer}` : null,
    typeof meeting.agenda === 'string' && meeting.agenda !== '' ? `\n${htmlToText(meeting.agenda)}` : null,
  ]
    .filter((line) => line !== null)
    .join('\n');

// A meeting booked through a booking page gets the mails of what the booking module does (the booking, a reschedule or
// a cancellation by the visitor's link, written with no actor) from that module, with the visitor's manage link; a
// change someone makes in the CRM is sent from here like any other.
const isBookedMeeting = async (db: Db, meetingId: string): Promise<boolean> => {
  const { rows } = await sql<{ booked: boolean }>`
    select exists (select 1 from rapport.booking where meeting_id = ${meetingId}) as booked`.execute(db);
  return rows[0]?.booked === true;
};

/**
 * Sends a meeting's invitation, update or cancellation to its attendees, from the meeting as it is now (a deleted one
 * is read from the trash). Throwing on a refused send retries the job: an attendee already reached gets the same
 * revision again, which calendars take as the same entry (same UID and SEQUENCE).
 */
export const createMeetingInvitationJobHandler = ({ metadata, mailer }: MeetingInvitationJobOptions): JobHandler<MeetingInvitationPayload> => async ({ db, job }) => {
  const { workspaceId, meetingId, method, sequence, actorId, onlyUserIds } = job.payload;
  const workspace = await metadata.get(workspaceId).catch(() => undefined);
  const parties = workspace && (await findMeetingParties(db, workspace, meetingId));
  if (!workspace || !parties) return { sent: 0, reason: 'no such meeting' };
  if (actorId === null && (await isBookedMeeting(db, meetingId))) return { sent: 0, reason: 'sent by the booking page' };
  const { meeting, organizer } = parties;
  if (Number(meeting.sequence ?? 0) > sequence) return { sent: 0, reason: 'superseded' };
  if (method === 'REQUEST' && (meeting.deletedAt || meeting.status === 'cancelled')) return { sent: 0, reason: 'cancelled since' };
  // Colleagues taken off the meeting are no longer among its attendees: their cancellation lists them alone.
  const addressed = onlyUserIds ? await readUsers(db, onlyUserIds) : parties.attendees;
  const recipients = addressed.filter((attendee: MeetingAttendee) => attendee.userId !== actorId);
  if (recipients.length === 0) return { sent: 0 };
  const listed = onlyUserIds ? recipients : parties.attendees;
  const content = buildMeetingInvitation(toInvitedMeeting(meeting), { organizer, attendees: listed, method, sequence, uid: meetingUid(meetingId) });
  const subjectPrefix = method === 'CANCEL' ? 'Cancelled' : sequence > 0 ? 'Updated invitation' : 'Invitation';
  const start = DateTime.fromISO(String(meeting.start), { zone: workspace.timezone });
  const subject = `${subjectPrefix}: ${String(meeting.title)} @ ${start.toFormat('ccc d LLL yyyy HH:mm')}`;
  const text = messageText(meeting, method, workspace.timezone, organizer ? organizer.name || organizer.email : null);
  for (const recipient of recipients) {
    await mailer.send({ to: recipient.email, subject, text, icalEvent: { method, content }, ...(organizer ? { replyTo: organizer.email } : {}) });
  }
  return { sent: recipients.length };
};
