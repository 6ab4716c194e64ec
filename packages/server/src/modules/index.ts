import type { StandardObject } from '../engine/metadata/standard-objects.ts';
import { noteObject } from './activities/note.object.ts';
import { taskObject } from './activities/task.object.ts';
import { taskReminderRule } from './activities/task-reminder.ts';
import type { ReminderRule } from '../engine/notifications/notification-rules.ts';
import { companyObject } from './companies/company.object.ts';
import { personIndexes, personObject } from './people/person.object.ts';
import { opportunityObject } from './pipeline/opportunity.object.ts';
import { consentObject } from './privacy/consent.object.ts';

/** The standard objects every workspace starts with, in creation order (targets before the relations to them). */
export const standardObjects: StandardObject[] = [
  // Sorting companies by name uses the name field's own (name, id) index.
  { definition: companyObject },
  { definition: personObject, indexes: personIndexes },
  { definition: opportunityObject, indexes: [{ fields: ['stage', 'closeDate'] }] },
  { definition: taskObject, indexes: [{ fields: ['status', 'dueAt'] }] },
  { definition: noteObject },
  // A person's consents, newest purpose by purpose: the person page and the data subject archive list them.
  { definition: consentObject, indexes: [{ fields: ['person', 'purpose'] }] },
];

/** Reminders the modules ask for: the notifications consumer schedules them from the change feed. */
export const reminderRules: ReminderRule[] = [taskReminderRule];
