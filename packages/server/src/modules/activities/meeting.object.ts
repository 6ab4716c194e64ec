import type { ObjectDefinition } from '@rapport/common';
import { activityLinks, relatedField } from './task.object.ts';

export const meetingObject: ObjectDefinition = {
  name: 'meeting',
  labelSingular: 'Meeting',
  labelPlural: 'Meetings',
  icon: 'calendar',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title', required: true, isSearchable: true },
    { name: 'start', type: 'datetime', label: 'Start', required: true },
    { name: 'end', type: 'datetime', label: 'End', required: true },
    {
      name: 'status',
      type: 'select',
      label: 'Status',
      required: true,
      defaultValue: 'planned',
      options: {
        choices: [
          { value: 'planned', label: 'Planned', color: 'blue' },
          { value: 'held', label: 'Held', color: 'green' },
          { value: 'cancelled', label: 'Cancelled', color: 'gray' },
        ],
      },
    },
    // The organiser: the meeting is on their calendar, and they send its invitations.
    { name: 'owner', type: 'owner', label: 'Organiser' },
    {
      name: 'attendees',
      type: 'relation',
      label: 'Attendees',
      options: { target: 'person', kind: 'manyToMany', inverseName: 'meetings', inverseLabel: 'Meetings' },
    },
    // Colleagues who attend besides the organiser: a list of user ids (meeting-rules.ts checks them).
    { name: 'userAttendees', type: 'json', label: 'Colleagues attending', helpText: 'A list of user ids.' },
    { name: 'location', type: 'text', label: 'Location', isSearchable: true },
    { name: 'videoUrl', type: 'url', label: 'Video link' },
    { name: 'agenda', type: 'richText', label: 'Agenda' },
    { name: 'outcome', type: 'richText', label: 'Outcome' },
    // Where and when a rep checked in at a visit (FEATURES T10), with the browser's position.
    { name: 'checkedInAt', type: 'datetime', label: 'Checked in at' },
    { name: 'checkInLocation', type: 'address', label: 'Check-in position' },
    // Raised with every change sent to attendees (RFC 5545 SEQUENCE).
    { name: 'sequence', type: 'number', label: 'Invitation revision', defaultValue: 0, options: { precision: 0, min: 0 } },
    relatedField,
    ...activityLinks('meetingsAbout', 'Meetings'),
  ],
};
