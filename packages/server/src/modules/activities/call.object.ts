import type { ObjectDefinition } from '@rapport/common';
import { activityLinks, relatedField } from './task.object.ts';

export const callObject: ObjectDefinition = {
  name: 'call',
  labelSingular: 'Call',
  labelPlural: 'Calls',
  icon: 'phone',
  labelField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: 'Subject', isSearchable: true },
    {
      name: 'direction',
      type: 'select',
      label: 'Direction',
      required: true,
      defaultValue: 'outbound',
      options: {
        choices: [
          { value: 'inbound', label: 'Inbound', color: 'teal' },
          { value: 'outbound', label: 'Outbound', color: 'blue' },
        ],
      },
    },
    { name: 'phone', type: 'phone', label: 'Phone number', isSearchable: true },
    { name: 'startedAt', type: 'datetime', label: 'Started at' },
    { name: 'durationSeconds', type: 'number', label: 'Duration (seconds)', options: { precision: 0, min: 0 } },
    {
      name: 'outcome',
      type: 'select',
      label: 'Outcome',
      options: {
        choices: [
          { value: 'connected', label: 'Connected', color: 'green' },
          { value: 'noAnswer', label: 'No answer', color: 'yellow' },
          { value: 'busy', label: 'Busy', color: 'orange' },
          { value: 'voicemail', label: 'Left voicemail', color: 'violet' },
          { value: 'missed', label: 'Missed', color: 'red' },
          { value: 'wrongNumber', label: 'Wrong number', color: 'gray' },
        ],
      },
    },
    // Labels of the workspace's own (admins add choices to this field).
    {
      name: 'category',
      type: 'select',
      label: 'Category',
      options: {
        choices: [
          { value: 'prospecting', label: 'Prospecting', color: 'blue' },
          { value: 'followUp', label: 'Follow-up', color: 'teal' },
          { value: 'support', label: 'Support', color: 'orange' },
          { value: 'other', label: 'Other', color: 'gray' },
        ],
      },
    },
    { name: 'recording', type: 'url', label: 'Recording' },
    { name: 'notes', type: 'richText', label: 'Notes' },
    // The user who made or took the call.
    { name: 'owner', type: 'owner', label: 'Caller' },
    // The telephony provider's id of the call: its events update the same record (telephony/).
    { name: 'externalId', type: 'text', label: 'Provider call id', options: { maxLength: 200 } },
    relatedField,
    ...activityLinks('calls', 'Calls'),
  ],
};
