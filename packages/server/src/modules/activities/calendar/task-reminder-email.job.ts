import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { JobHandler } from '../../../engine/jobs/index.ts';
import type { Mailer } from '../../../engine/mail/mailer.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { titleFor } from '../../../engine/notifications/notification-consumer.ts';
import type { AccessProfileCache } from '../../../engine/permissions/access-cache.ts';
import { createAccess, createFullAccess } from '../../../engine/permissions/access.ts';
import { getRecord } from '../../../engine/records/read-records.ts';
import { taskReminderRule } from '../task-reminder.ts';

export const TASK_REMINDER_EMAIL_JOB = 'activities.taskReminderEmail';

export interface TaskReminderEmailPayload {
  workspaceId: string;
  taskId: string;
  /** The reminder time the job was made for: a task whose reminder moved since has a job of its own. */
  at: string;
}

export interface TaskReminderEmailJobOptions {
  metadata: { get(workspaceId: string): Promise<WorkspaceMeta> };
  accessProfiles: AccessProfileCache;
  mailer: Mailer;
  /** Base of the link to the task, e.g. `https://crm.example.com`. */
  publicUrl: string;
}

const isSameTime = (a: unknown, b: string) => typeof a === 'string' && new Date(a).getTime() === new Date(b).getTime();

type Db = Parameters<JobHandler>[0]['db'];

// Whoever turned reminders off altogether (per-kind notification preferences, where the installation has them) gets
// no email either.
const hasTurnedRemindersOff = async (db: Db, workspaceId: string, userId: string): Promise<boolean> => {
  const { rows: tables } = await sql<{ present: boolean }>`select to_regclass('rapport.notification_preference') is not null as present`.execute(db);
  if (!tables[0]?.present) return false;
  const { rows } = await sql`
    select 1 from rapport.notification_preference where workspace_id = ${workspaceId} and user_id = ${userId} and kind = 'reminder' and channel = 'off'`.execute(db);
  return rows.length > 0;
};

// The assignee, when they are an active member who wants reminders by email.
const findRecipient = async (db: Db, workspaceId: string, userId: string) => {
  const { rows } = await sql<{ email: string; name: string }>`
    select u.email, u.name from rapport.user u join rapport.workspace_member m on m.user_id = u.id and m.workspace_id = ${workspaceId}
    where u.id = ${userId} and u.reminder_emails and m.status = 'active'`.execute(db);
  return rows[0] && !(await hasTurnedRemindersOff(db, workspaceId, userId)) ? rows[0] : undefined;
};

/**
 * Emails a task's assignee at its reminder time (the bell is rung by the notifications' own reminder job), under the
 * same conditions: the task still exists with this reminder time, is not done, and the assignee may read it; and only
 * if they keep reminder emails on (reminder-preferences.ts).
 */
export const createTaskReminderEmailJobHandler = ({ metadata, accessProfiles, mailer, publicUrl }: TaskReminderEmailJobOptions): JobHandler<TaskReminderEmailPayload> => async ({ db, job }) => {
  const { workspaceId, taskId, at } = job.payload;
  const workspace = await metadata.get(workspaceId).catch(() => undefined);
  const object = workspace?.objects.get('task');
  if (!workspace || !object) return { sent: false, reason: 'no such task' };
  const task = await getRecord({ db, workspace, object, access: createFullAccess(workspace) }, { id: taskId }).catch(() => undefined);
  const userId = task?.assignee;
  if (!task || !isSameTime(task.reminderAt, at) || taskReminderRule.isSettled?.(task) || typeof userId !== 'string') return { sent: false, reason: 'no longer due' };
  const recipient = await findRecipient(db, workspaceId, userId);
  if (!recipient) return { sent: false, reason: 'reminder emails off' };
  const access = createAccess({ workspace, profile: await accessProfiles.get(workspaceId, userId), scopes: null });
  const seen = await getRecord({ db, workspace, object, access }, { id: taskId }).catch(() => undefined);
  if (!seen) return { sent: false, reason: 'the assignee cannot read the task' };
  const title = titleFor(access, 'task', seen);
  const due = typeof seen.dueAt === 'string' ? DateTime.fromISO(seen.dueAt, { zone: workspace.timezone }).toFormat('cccc d LLLL yyyy, HH:mm') : null;
  const text = [
    `Reminder: ${title}`,
    due ? `Due: ${due} (${workspace.timezone})` : null,
    `${publicUrl}/objects/task/${taskId}`,
  ].filter((line) => line !== null).join('\n');
  await mailer.send({ to: recipient.email, subject: `Reminder: ${title}`, text });
  return { sent: true };
};
