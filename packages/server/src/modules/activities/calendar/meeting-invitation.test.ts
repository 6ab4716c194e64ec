import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildMeetingInvitation, meetingUid } from './meeting-invitation.ts';

// Read back by an independent parser (ical.js), not the generator.
const parse = (text: string) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return { calendar, vevent, event: new ICAL.Event(vevent) };
};

const meeting = {
  title: 'Quarterly review; budget, scope',
  start: '2026-03-30T07:00:00.000Z',
  end: '2026-03-30T08:30:00.000Z',
  location: 'Room 2',
  videoUrl: 'https://meet.example/q1',
  agenda: '<p>Budget &amp; scope</p><ol><li>Numbers</li><li>Plans</li></ol>',
};

describe('buildMeetingInvitation', () => {
  it('should write a REQUEST with UID, SEQUENCE, organiser, attendees asked to answer and UTC times', () => {
    const text = buildMeetingInvitation(meeting, {
      organizer: { email: 'ann@acme.example', name: 'Ann Organiser' },
      attendees: [{ email: 'petra@client.example', name: 'Petra Client' }, { email: 'bob@acme.example' }],
      method: 'REQUEST',
      sequence: 4,
      uid: meetingUid('0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11'),
    });
    const { calendar, vevent, event } = parse(text);

    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.uid).toBe('0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11@rapport');
    expect(event.sequence).toBe(4);
    expect(event.summary).toBe('Quarterly review; budget, scope');
    expect(event.startDate.toJSDate().toISOString()).toBe(meeting.start);
    expect(event.endDate.toJSDate().toISOString()).toBe(meeting.end);
    expect(event.startDate.zone).toBe(ICAL.Timezone.utcTimezone);
    expect(event.location).toBe('Room 2');
    expect(event.description).toBe('Budget & scope\n- Numbers\n- Plans\n\nVideo: https://meet.example/q1');
    expect(vevent.getFirstPropertyValue('url')).toBe('https://meet.example/q1');
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const organizer = vevent.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:ann@acme.example');
    expect(organizer.getParameter('cn')).toBe('Ann Organiser');
    expect(vevent.getAllProperties('attendee').map((attendee) => [String(attendee.getFirstValue()).toLowerCase(), attendee.getParameter('partstat'), attendee.getParameter('rsvp'), attendee.getParameter('role')])).toEqual([
      ['mailto:petra@client.example', 'NEEDS-ACTION', 'TRUE', 'REQ-PARTICIPANT'],
      ['mailto:bob@acme.example', 'NEEDS-ACTION', 'TRUE', 'REQ-PARTICIPANT'],
    ]);
  });

  it('should write a CANCEL with the cancelled status, and no organiser when there is none', () => {
    const { calendar, vevent } = parse(buildMeetingInvitation({ title: 'Off', start: meeting.start, end: meeting.end }, { organizer: null, attendees: [{ email: 'bob@acme.example' }], method: 'CANCEL', sequence: 5, uid: 'x@rapport' }));

    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(5);
    expect(vevent.getFirstProperty('organizer')).toBeNull();
    expect(vevent.getFirstProperty('description')).toBeNull();
  });
});
