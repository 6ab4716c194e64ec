import { DateTime } from 'luxon';
import type { MailMessage } from '../../../engine/mail/mailer.ts';
import { buildMeetingInvitation, meetingUid } from '../calendar/meeting-invitation.ts';

// The calendar module sends the invitations of meetings made in the CRM; its job leaves out meetings booked through a
// page, whose mails go from here: the visitor's carries their manage link. The .ics is the calendar module's, with
// the same UID as the member's calendar feed, so every calendar sees one meeting.

export interface BookingInvitation {
  kind: 'booked' | 'rescheduled' | 'cancelled';
  meetingId: string;
  /** RFC 5545 SEQUENCE: raised with every change so calendars replace the earlier version. */
  sequence: number;
  title: string;
  pageName: string;
  start: Date;
  end: Date;
  visitor: { name: string; email: string; timezone: string };
  member: { name: string; email: string; timezone: string };
  /** The visitor's link to reschedule or cancel. */
  manageUrl: string;
  /** What the visitor wrote, as text, and as the meeting's agenda (HTML). */
  notes: string | null;
  agenda: string | null;
}

/** The .ics of the meeting: REQUEST for a booking or a new time, CANCEL when it is off. */
export const bookingCalendar = (invitation: BookingInvitation): { method: 'REQUEST' | 'CANCEL'; content: string } => {
  const method = invitation.kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const content = buildMeetingInvitation(
    { title: invitation.title, start: invitation.start, end: invitation.end, agenda: invitation.agenda },
    {
      organizer: { email: invitation.member.email, name: invitation.member.name },
      attendees: [{ email: invitation.member.email, name: invitation.member.name }, { email: invitation.visitor.email, name: invitation.visitor.name }],
      method,
      sequence: invitation.sequence,
      uid: meetingUid(invitation.meetingId),
    },
  );
  return { method, content };
};

const when = (invitation: BookingInvitation, zone: string) =>
  `${DateTime.fromJSDate(invitation.start, { zone }).setLocale('en').toFormat("cccc d LLLL yyyy, HH:mm")}–${DateTime.fromJSDate(invitation.end, { zone }).toFormat('HH:mm')} (${zone})`;

const SUBJECT = { booked: 'Booked', rescheduled: 'Moved', cancelled: 'Cancelled' } as const;

/** The two messages of a booking change: the visitor's (with the manage link) and the member's. */
export const bookingMessages = (invitation: BookingInvitation): MailMessage[] => {
  const icalEvent = { ...bookingCalendar(invitation), filename: 'invite.ics' };
  const subject = `${SUBJECT[invitation.kind]}: ${invitation.title}`;
  const heading = { booked: 'is booked', rescheduled: 'has a new time', cancelled: 'is cancelled' }[invitation.kind];
  return [
    {
      to: invitation.visitor.email,
      subject,
      replyTo: invitation.member.email,
      icalEvent,
      text: [
        `Your meeting with ${invitation.member.name} (${invitation.pageName}) ${heading}:`,
        when(invitation, invitation.visitor.timezone),
        '',
        ...(invitation.kind === 'cancelled' ? [] : ['To reschedule or cancel it:', invitation.manageUrl]),
      ].join('\n'),
    },
    {
      to: invitation.member.email,
      subject,
      replyTo: invitation.visitor.email,
      icalEvent,
      text: [
        `${invitation.visitor.name} <${invitation.visitor.email}>: the meeting booked through "${invitation.pageName}" ${heading}:`,
        when(invitation, invitation.member.timezone),
        ...(invitation.notes ? ['', 'Their notes:', invitation.notes] : []),
      ].join('\n'),
    },
  ];
};
