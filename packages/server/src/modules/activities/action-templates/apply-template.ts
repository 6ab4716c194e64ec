import type { ApiRecord } from '../../../engine/records/record-shape.ts';
import { textToHtml } from '@rapport/common/values/index';
import { DateTime } from 'luxon';
import type { Db } from '../../../engine/db/database.ts';
import { AppError } from '../../../engine/errors.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { getReadableObject } from '../../../engine/permissions/assert-access.ts';
import { getRecord, listRecords } from '../../../engine/records/read-records.ts';
import { saveRecords } from '../../../engine/records/save-records.ts';

export interface TemplateContext {
  db: Db;
  workspace: WorkspaceMeta;
  access: Access;
  actorId: string | null;
}

export type TemplateAction = 'task' | 'reminder' | 'note' | 'followUpEmail';

export interface EmailDraft {
  to: string | null;
  subject: string;
  body: string;
  /** The draft as a `mailto:` link: opened, it fills the person's own mail program. */
  mailto: string;
}

export interface AppliedTemplate {
  action: TemplateAction;
  /** The task or note made (task, reminder, note). */
  created?: { object: 'task' | 'note'; record: ApiRecord };
  /** The email drafted (followUpEmail): nothing is stored or sent. */
  draft?: EmailDraft;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}/g;

/** A template's text with `{{title}}` and `{{field}}` filled from the record as the person sees it; unknown ones stay. */
export const fillPlaceholders = (text: string, values: Readonly<Record<string, unknown>>, title: string): string =>
  text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'title') return title;
    // Not a field the person sees: left as written, so a template's author notices the mistake.
    if (!(name in values)) return whole;
    const value = values[name];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value && typeof value === 'object' && 'amount' in value && 'currency' in value) return `${String(value.amount)} ${String(value.currency)}`;
    return value === null || value === undefined ? '' : whole;
  });

/** `dueInDays` days after today, at `dueTime` (HH:MM), in the workspace's time zone: a clock change keeps the local time. */
export const dueAtOf = (now: Date, timeZone: string, dueInDays: number, dueTime: string): string => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(dueTime.trim());
  const [hour, minute] = match ? [Math.min(23, Number(match[1])), Math.min(59, Number(match[2]))] : [9, 0];
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').plus({ days: dueInDays }).set({ hour, minute }).toUTC().toISO()!;
};

export const mailtoOf = (to: string | null, subject: string, body: string): string =>
  `mailto:${to ? encodeURIComponent(to) : ''}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;

const objectsOf = (template: ApiRecord): string[] | null => (Array.isArray(template.objects) && template.objects.length > 0 ? (template.objects as unknown[]).filter((name): name is string => typeof name === 'string') : null);

/** The active templates a person may apply on records of `object`, in their order. */
export const listActionTemplates = async (context: TemplateContext, object: string): Promise<ApiRecord[]> => {
  const readContext = { db: context.db, workspace: context.workspace, object: getReadableObject(context.access, 'actionTemplate'), access: context.access };
  const { data } = await listRecords(readContext, { filter: { field: 'isActive', op: 'eq', value: true }, sort: ['position', 'name'], limit: 200 });
  return data.filter((template) => objectsOf(template)?.includes(object) ?? true);
};

/** The person's email to write to: the record's own email field, else its person's (a deal's first contact is not guessed). */
const recipientOf = async (context: TemplateContext, objectName: string, record: ApiRecord): Promise<string | null> => {
  if (typeof record.email === 'string' && record.email) return record.email;
  const personId = objectName !== 'person' && typeof record.person === 'string' ? record.person : null;
  if (!personId || !context.access.view.objects.has('person')) return null;
  const person = await getRecord({ db: context.db, workspace: context.workspace, object: getReadableObject(context.access, 'person'), access: context.access }, { id: personId }).catch(() => null);
  return person && typeof person.email === 'string' && person.email ? person.email : null;
};

/**
 * Applies a template on a record: reads both through the person's permissions (404 for either they may not read),
 * then makes the task or note through the write path (linked to the record by `related`, assigned to the person), or
 * returns the email draft.
 */
export const applyActionTemplate = async (context: TemplateContext, templateId: string, target: { object: string; recordId: string }, now = new Date()): Promise<AppliedTemplate> => {
  const { db, workspace, access, actorId } = context;
  const template = await getRecord({ db, workspace, object: getReadableObject(access, 'actionTemplate'), access }, { id: templateId });
  const objects = objectsOf(template);
  if (template.isActive === false || (objects && !objects.includes(target.object))) {
    throw new AppError('VALIDATION_FAILED', `The action “${String(template.name)}” is not offered on ${target.object} records.`, {
      errors: [{ field: 'object', code: 'templateNotOffered', message: 'Choose a record of an object the template shows on.' }],
    });
  }
  const object = getReadableObject(access, target.object);
  const record = await getRecord({ db, workspace, object, access }, { id: target.recordId });
  const labelValue = record[object.labelField];
  const title = typeof labelValue === 'string' && labelValue.trim() !== '' ? labelValue : object.labelSingular;
  const fill = (text: unknown) => fillPlaceholders(typeof text === 'string' ? text : '', record, title);
  const action = template.action as TemplateAction;
  const subject = fill(template.title).slice(0, 300);
  const text = fill(template.body);

  if (action === 'followUpEmail') {
    const to = await recipientOf(context, object.name, record);
    return { action, draft: { to, subject, body: text, mailto: mailtoOf(to, subject, text) } };
  }
  const related = { object: object.name, id: record.id };
  const dueAt = dueAtOf(now, workspace.timezone, Number(template.dueInDays ?? 0), String(template.dueTime ?? '09:00'));
  const values: Record<string, unknown> =
    action === 'note'
      ? { title: subject, body: textToHtml(text), related }
      : {
          title: subject,
          ...(text ? { body: textToHtml(text) } : {}),
          dueAt,
          ...(action === 'reminder' ? { reminderAt: dueAt } : {}),
          ...(typeof template.priority === 'string' ? { priority: template.priority } : {}),
          ...(actorId ? { assignee: actorId } : {}),
          related,
        };
  const madeObject = action === 'note' ? 'note' : 'task';
  const { data } = await saveRecords({ db, workspace, object: workspace.objects.get(madeObject)!, actorId, access }, { records: [values], createOnly: true });
  return { action, created: { object: madeObject, record: data[0]! } };
};
