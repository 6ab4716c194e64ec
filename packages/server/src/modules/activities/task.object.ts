import type { FieldDefinition, ObjectDefinition } from '@rapport/common';

/** The objects an activity can be about; `related` names one of them, the typed links below carry it for joins and timelines. */
export const ACTIVITY_TARGETS = ['person', 'company', 'opportunity'] as const;
export type ActivityTarget = (typeof ACTIVITY_TARGETS)[number];

/** Activities link to the records they concern; each link shows on that record's page. */
export const activityLinks = (inverseName: string, inverseLabel: string): FieldDefinition[] =>
  ACTIVITY_TARGETS.map((target) => ({
    name: target,
    type: 'relation',
    label: target === 'person' ? 'Person' : target === 'company' ? 'Company' : 'Opportunity',
    options: { target, kind: 'manyToOne', inverseName, inverseLabel, onDelete: 'setNull' },
  }));

/**
 * `related`: the one record an activity is about, as `{object, id}` (any object). Written alone, it fills the typed
 * link of that object (related-record.ts); written without it, it is taken from the first typed link given.
 */
export const relatedField: FieldDefinition = {
  name: 'related',
  type: 'reference',
  label: 'Related to',
  helpText: 'The record this activity is about, of any object.',
};

export const taskObject: ObjectDefinition = {
  name: 'task',
  labelSingular: 'Task',
  labelPlural: 'Tasks',
  icon: 'checkbox',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title', required: true, isSearchable: true },
    { name: 'body', type: 'richText', label: 'Description' },
    { name: 'dueAt', type: 'datetime', label: 'Due' },
    // The assignee gets a notification at this time (task-reminder.ts).
    { name: 'reminderAt', type: 'datetime', label: 'Reminder' },
    {
      name: 'status',
      type: 'select',
      label: 'Status',
      required: true,
      defaultValue: 'todo',
      options: {
        choices: [
          { value: 'todo', label: 'To do', color: 'gray' },
          { value: 'inProgress', label: 'In progress', color: 'blue' },
          { value: 'done', label: 'Done', color: 'green' },
        ],
      },
    },
    {
      name: 'priority',
      type: 'select',
      label: 'Priority',
      options: {
        choices: [
          { value: 'low', label: 'Low', color: 'gray' },
          { value: 'normal', label: 'Normal', color: 'blue' },
          { value: 'high', label: 'High', color: 'red' },
        ],
      },
    },
    { name: 'assignee', type: 'owner', label: 'Assignee' },
    // An RFC 5545 RRULE (FREQ=WEEKLY;BYDAY=MO,TH): done, the task comes back at its next occurrence (task-recurrence.ts).
    {
      name: 'recurrence',
      type: 'text',
      label: 'Repeats',
      helpText: 'An iCalendar rule, e.g. FREQ=WEEKLY;BYDAY=MO. When the task is done, the next one is created.',
      options: { maxLength: 500 },
    },
    relatedField,
    ...activityLinks('tasks', 'Tasks'),
  ],
};
