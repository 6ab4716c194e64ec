import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { htmlToText } from '@rapport/common/values/index';

/** Someone on an invitation: an email and, when known, a display name. */
export interface CalendarParty {
  email: string;
  name?: string | null;
}

/** The meeting fields an invitation shows (a meeting record in API shape has them). */
export interface InvitedMeeting {
  title: string;
  start: string | Date;
  end: string | Date;
  location?: string | null;
  videoUrl?: string | null;
  /** Rich text (HTML): the invitation carries its text. */
  agenda?: string | null;
}

export type InvitationMethod = 'REQUEST' | 'CANCEL';

export interface MeetingInvitationOptions {
  /** The meeting's owner: the one attendees answer to. Absent: no ORGANIZER line. */
  organizer?: CalendarParty | null;
  attendees: CalendarParty[];
  /** REQUEST for a new or changed meeting, CANCEL for a cancelled or deleted one (RFC 5546). */
  method: InvitationMethod;
  /** RFC 5545 SEQUENCE: the meeting's revision; calendars ignore an update whose sequence is not higher. */
  sequence: number;
  /** Stable for the life of the meeting (`meetingUid`), so each update replaces the same calendar entry. */
  uid: string;
}

/** The UID every invitation and feed entry of a meeting carries. */
export const meetingUid = (meetingId: string) => `${meetingId}@rapport`;

const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/**
 * An iCalendar invitation (RFC 5545 VEVENT in an RFC 5546 REQUEST or CANCEL) for one meeting, times in UTC. Every
 * attendee is asked to answer (PARTSTAT=NEEDS-ACTION, RSVP=TRUE). The text is the whole VCALENDAR: give it to the
 * mailer's `icalEvent` with the same method.
 */
export const buildMeetingInvitation = (meeting: InvitedMeeting, { organizer, attendees, method, sequence, uid }: MeetingInvitationOptions): string => {
  const calendar = ical({ prodId: { company: 'Rapport', product: 'Rapport CRM', language: 'EN' }, method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST });
  const agenda = meeting.agenda ? htmlToText(meeting.agenda) : '';
  // Calendars show DESCRIPTION, not URL: the video link goes in both.
  const description = [agenda, meeting.videoUrl ? `Video: ${meeting.videoUrl}` : ''].filter(Boolean).join('\n\n');
  calendar.createEvent({
    id: uid,
    sequence,
    start: toDate(meeting.start),
    end: toDate(meeting.end),
    summary: meeting.title,
    ...(description ? { description } : {}),
    ...(meeting.location ? { location: meeting.location } : {}),
    ...(meeting.videoUrl ? { url: meeting.videoUrl } : {}),
    ...(organizer ? { organizer: { email: organizer.email, name: organizer.name || organizer.email } } : {}),
    attendees: attendees.map((attendee) => ({
      email: attendee.email,
      ...(attendee.name ? { name: attendee.name } : {}),
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: true,
    })),
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
};
