import type { ReminderRule } from '../../engine/notifications/notification-rules.ts';

/** A task's assignee is reminded at its `reminderAt`, unless the task is done by then. */
export const taskReminderRule: ReminderRule = {
  object: 'task',
  field: 'reminderAt',
  isSettled: (task) => task.status === 'done',
};
