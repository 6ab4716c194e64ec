import { enqueueJob } from '../../../engine/jobs/index.ts';
import type { BehaviourContext, RecordBehaviour, WrittenRecord } from '../../../engine/records/record-behaviours.ts';
import { TASK_REMINDER_EMAIL_JOB, type TaskReminderEmailPayload } from './task-reminder-email.job.ts';

// A reminder long past (an import of old tasks) is not worth an email now.
const STALE_MS = 60 * 60_000;

const enqueueReminder = async (context: BehaviourContext, record: WrittenRecord) => {
  const at = record.after.reminderAt;
  if (typeof at !== 'string' || new Date(at).getTime() < Date.now() - STALE_MS) return;
  const payload: TaskReminderEmailPayload = { workspaceId: context.workspace.id, taskId: record.id, at };
  // One job per task and reminder time: writing the same time again adds nothing; a moved reminder gets its own.
  await enqueueJob(context.trx, { type: TASK_REMINDER_EMAIL_JOB, workspaceId: context.workspace.id, payload, runAt: at, key: `${TASK_REMINDER_EMAIL_JOB}:${record.id}:${new Date(at).toISOString()}` });
};

/** A task's reminder email is queued for its reminder time when that time is set; the job re-checks the task then. */
export const taskReminderEmailTriggers: RecordBehaviour = {
  object: 'task',
  async afterWrite(context, records) {
    for (const record of records) {
      if (record.isCreate || record.after.reminderAt !== record.before?.reminderAt) await enqueueReminder(context, record);
    }
  },
  async afterRestore(context, record) {
    await enqueueReminder(context, record);
  },
};
