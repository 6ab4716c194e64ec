import type { FieldDefinition, ObjectDefinition } from '@rapport/common';

/** Activities link to the records they concern; each link shows on that record's page. */
export const activityLinks = (inverseName: string, inverseLabel: string): FieldDefinition[] =>
  (['person', 'company', 'opportunity'] as const).map((target) => ({
    name: target,
    type: 'relation',
    label: target === 'person' ? 'Person' : target === 'company' ? 'Company' : 'Opportunity',
    options: { target, kind: 'manyToOne', inverseName, inverseLabel, onDelete: 'setNull' },
  }));

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
    ...activityLinks('tasks', 'Tasks'),
  ],
};
