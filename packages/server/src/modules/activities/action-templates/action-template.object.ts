import type { ObjectDefinition } from '@rapport/common';

/**
 * One-click actions on a record (FEATURES A7): a task, a reminder, a note or a follow-up email draft, pre-filled from
 * the template and the record (apply-template.ts). `{{title}}` in the title or body is the record's title, `{{field}}`
 * one of its fields as the person applying it may see it.
 */
export const actionTemplateObject: ObjectDefinition = {
  name: 'actionTemplate',
  labelSingular: 'Action template',
  labelPlural: 'Action templates',
  icon: 'bolt',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    {
      name: 'action',
      type: 'select',
      label: 'Creates',
      required: true,
      defaultValue: 'task',
      options: {
        choices: [
          { value: 'task', label: 'Task', color: 'teal' },
          { value: 'reminder', label: 'Reminder', color: 'orange' },
          { value: 'note', label: 'Note', color: 'yellow' },
          { value: 'followUpEmail', label: 'Follow-up email draft', color: 'blue' },
        ],
      },
    },
    { name: 'title', type: 'text', label: 'Title or subject', required: true, helpText: '{{title}} is the record’s title; {{field}} one of its fields.', options: { maxLength: 300 } },
    { name: 'body', type: 'longText', label: 'Text', helpText: 'The task’s description, the note or the email; same placeholders as the title.' },
    { name: 'dueInDays', type: 'number', label: 'Due in (days)', defaultValue: 1, options: { precision: 0, min: 0, max: 365 } },
    { name: 'dueTime', type: 'text', label: 'Due at (time of day)', defaultValue: '09:00', helpText: 'HH:MM in the workspace’s time zone.', options: { maxLength: 5 } },
    { name: 'priority', type: 'select', label: 'Priority', options: { choices: [{ value: 'low', label: 'Low', color: 'gray' }, { value: 'normal', label: 'Normal', color: 'blue' }, { value: 'high', label: 'High', color: 'red' }] } },
    // The objects the action shows on; absent: every object activities link to.
    { name: 'objects', type: 'json', label: 'Shown on', helpText: 'A list of object names, e.g. ["opportunity"]; empty: everywhere.' },
    { name: 'isActive', type: 'boolean', label: 'Active', defaultValue: true },
    { name: 'position', type: 'number', label: 'Position', defaultValue: 1, options: { precision: 0 } },
  ],
};

/** The templates a workspace starts with. */
export const defaultActionTemplates = () => [
  { name: 'Call back tomorrow', action: 'task', title: 'Call {{title}} back', dueInDays: 1, dueTime: '10:00', priority: 'normal', position: 1, isActive: true },
  { name: 'Remind me in a week', action: 'reminder', title: 'Check in on {{title}}', dueInDays: 7, dueTime: '09:00', position: 2, isActive: true },
  {
    name: 'Follow-up email',
    action: 'followUpEmail',
    title: 'Following up',
    body: 'Hello,\n\nThank you for your time today. As promised, here is a short summary of what we discussed and the next steps.\n\nBest regards',
    dueInDays: 0,
    position: 3,
    isActive: true,
  },
  { name: 'Meeting notes', action: 'note', title: 'Meeting notes: {{title}}', body: 'Attendees:\n\nDiscussed:\n\nNext steps:', dueInDays: 0, position: 4, isActive: true },
];
