import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import { createFullAccess } from '../../engine/permissions/access.ts';
import type { BehaviourContext, RecordBehaviour, WrittenRecord } from '../../engine/records/record-behaviours.ts';
import { saveRecords } from '../../engine/records/save-records.ts';
import { parseRecurrence, planNextOccurrence, type NextTaskTimes } from './task-recurrence-rule.ts';

// What the next occurrence takes from the one just done; status, times and the rule are its own.
const CARRIED_FIELDS = ['title', 'body', 'priority', 'assignee', 'related', 'person', 'company', 'opportunity'];

const toDate = (value: unknown): Date | null => (typeof value === 'string' && value !== '' ? new Date(value) : null);
const isDone = (record: Readonly<Record<string, unknown>> | undefined) => record?.status === 'done';

/** Whether a live task already holds this occurrence (a task done, reopened and done again makes it once). */
const hasOccurrence = async (context: BehaviourContext, done: WrittenRecord, next: NextTaskTimes): Promise<boolean> => {
  const { object, workspace, trx } = context;
  const title = object.fieldsByName.get('title');
  const [field, at] = next.dueAt ? ['dueAt', next.dueAt] : ['reminderAt', next.reminderAt];
  const time = object.fieldsByName.get(field);
  if (!title || !time || !at) return false;
  const { rows } = await sql`
    select 1 from ${sql.id(workspace.schema, object.table)}
    where deleted_at is null and id <> ${done.id} and ${sql.id(title.column)} = ${done.after.title} and ${sql.id(time.column)} = ${at.toISOString()}::timestamptz
    limit 1`.execute(trx);
  return rows.length > 0;
};

/**
 * Recurring tasks (RFC 5545 RRULE in `recurrence`): the rule is checked on every write; when a task becomes done, the
 * next occurrence is created (status todo, due and reminder moved to the next occurrence in the workspace's time zone,
 * COUNT lowered by one) as the engine's own work, so the writer needs no create permission for it.
 */
export const taskRecurrence: RecordBehaviour = {
  object: 'task',
  beforeWrite(_context, records) {
    const errors: FieldError[] = [];
    for (const record of records) {
      const value = record.after.recurrence;
      if (!record.isGiven('recurrence') || value === null || value === undefined) continue;
      if (typeof value === 'string' && value.trim() === '') {
        record.set('recurrence', null);
        continue;
      }
      const parsed = parseRecurrence(String(value));
      if ('problem' in parsed) errors.push({ field: `${record.path}recurrence`, code: 'invalidRecurrence', message: parsed.problem });
      else record.set('recurrence', parsed.text);
    }
    return errors;
  },
  async afterWrite(context, records) {
    const nextTasks: Record<string, unknown>[] = [];
    for (const record of records) {
      if (record.isCreate || !isDone(record.after) || isDone(record.before) || typeof record.after.recurrence !== 'string') continue;
      const rule = parseRecurrence(record.after.recurrence);
      // A rule stored before it was checked, and wrong, simply ends the series.
      if ('problem' in rule) continue;
      const times = { dueAt: toDate(record.after.dueAt), reminderAt: toDate(record.after.reminderAt) };
      const next = planNextOccurrence({ rule, times, timeZone: context.workspace.timezone, now: new Date() });
      if (!next || (await hasOccurrence(context, record, next))) continue;
      const carried = Object.fromEntries(CARRIED_FIELDS.filter((name) => context.object.fieldsByName.has(name) && record.after[name] !== undefined).map((name) => [name, record.after[name]]));
      nextTasks.push({
        ...carried,
        status: 'todo',
        dueAt: next.dueAt?.toISOString() ?? null,
        reminderAt: next.reminderAt?.toISOString() ?? null,
        recurrence: next.recurrence,
      });
    }
    if (nextTasks.length === 0) return;
    const { trx, workspace, object, actorId } = context;
    await saveRecords({ db: trx, workspace, object, actorId, access: createFullAccess(workspace) }, { records: nextTasks });
  },
};
