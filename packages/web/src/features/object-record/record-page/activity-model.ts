import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { isApiError } from '../../../api/client.ts';
import type { WorkspaceUser } from '../../../api/queries.ts';

/**
 * The field of an activity object (`note`, `task`) that links it to records of `target`: its first many-to-one
 * relation to that object (person, company, deal), else — for a custom object — its reference to any record
 * (`related`), so a custom object's records get notes, tasks, meetings and comments too. Standard objects without a
 * typed link (pipelines, rates, settings-like records) get none. Undefined when the activity cannot be linked to it.
 */
export const activityLinkOf = (activity: ObjectDefinition | undefined, target: ObjectDefinition | string): string | undefined => {
  const name = typeof target === 'string' ? target : target.name;
  const typed = activity?.fields.find((field) => field.type === 'relation' && field.options?.target === name && (field.options?.kind ?? 'manyToOne') === 'manyToOne')?.name;
  if (typed || typeof target === 'string' || target.isStandard) return typed;
  return activity?.fields.find((field) => field.type === 'reference' && (!field.options?.targets || field.options.targets.includes(name)))?.name;
};

/**
 * What an activity made on a record's page writes to link itself: the record's id through a relation, or
 * `{object, id}` through a reference. Both filter with `{field: link, op: 'eq', value: id}`.
 */
export const activityLinkValueOf = (objects: readonly ObjectDefinition[], activity: ActivityObject, link: string, object: string, recordId: string): Record<string, unknown> => {
  const field = objects.find((candidate) => candidate.name === activity)?.fields.find((candidate) => candidate.name === link);
  return { [link]: field?.type === 'reference' ? { object, id: recordId } : recordId };
};

/** Objects whose records the activity panel lists, each in a tab and in the timeline. */
export const ACTIVITY_OBJECTS = ['note', 'comment', 'task', 'meeting', 'call'] as const;
export type ActivityObject = (typeof ACTIVITY_OBJECTS)[number];

export type ActivityLinks = Partial<Record<ActivityObject, string | undefined>>;

/** The fields linking each activity object to records of `object`; a record page with none shows its history alone. */
export const activityLinksOf = (objects: readonly ObjectDefinition[], object: string): ActivityLinks => {
  const target = objects.find((candidate) => candidate.name === object) ?? object;
  return Object.fromEntries(ACTIVITY_OBJECTS.map((activity) => [activity, activityLinkOf(objects.find((candidate) => candidate.name === activity), target)]));
};

export const hasActivities = (links: ActivityLinks): boolean => ACTIVITY_OBJECTS.some((activity) => Boolean(links[activity]));

/** When an activity happened, for the timeline: a meeting at its start, a call when it started, the rest when added. */
export const activityTimeOf = (kind: ActivityObject, record: { createdAt: string } & Record<string, unknown>): string => {
  const at = kind === 'meeting' ? record.start : kind === 'call' ? record.startedAt : undefined;
  return typeof at === 'string' ? at : record.createdAt;
};

/** A call's length as m:ss (h:mm:ss from an hour); null without one. */
export const callDurationOf = (seconds: unknown): string | null => {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return null;
  const whole = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
};

/** Splits meetings into those still to come (soonest first) and those past (latest first), by their end. */
export const splitMeetings = <T extends Record<string, unknown>>(meetings: readonly T[], now: number): { upcoming: T[]; past: T[] } => {
  const endOf = (meeting: T) => Date.parse(String(meeting.end ?? meeting.start ?? ''));
  const startOf = (meeting: T) => Date.parse(String(meeting.start ?? ''));
  const upcoming = meetings.filter((meeting) => endOf(meeting) >= now).sort((a, b) => startOf(a) - startOf(b));
  const past = meetings.filter((meeting) => !(endOf(meeting) >= now)).sort((a, b) => startOf(b) - startOf(a));
  return { upcoming, past };
};

/** Plain text typed in a text area as rich text (shared with the server). */
export { textToHtml } from '@rapport/common/values/rich-text';

/** The API's message for one field of a refused write, shown next to that field of a small form. */
export const fieldErrorOf = (error: unknown, field: string): string | undefined => (isApiError(error) ? error.fieldErrors.find((item) => item.field === field)?.message : undefined);

/** A user's name (else email) for bylines; null for an unknown id. */
export const nameOf = (users: readonly WorkspaceUser[], id: unknown): string | null => {
  const user = users.find((candidate) => candidate.id === id);
  return user ? user.name || user.email || null : null;
};

/**
 * The related lists a record page shows beside its activity panel: a one-to-many list of notes or
 * tasks through the very field the panel links them by would show the same records twice.
 */
export const relatedListsBesidePanel = (object: ObjectDefinition, relatedLists: readonly FieldDefinition[], objects: readonly ObjectDefinition[]): FieldDefinition[] =>
  relatedLists.filter((field) => {
    const target = field.options?.target;
    if (!target || !(ACTIVITY_OBJECTS as readonly string[]).includes(target)) return true;
    const link = activityLinkOf(objects.find((candidate) => candidate.name === target), object);
    return !link || link !== field.options?.inverseName;
  });

/** `datetime-local` input value (local time, minutes) ↔ ISO timestamp. */
export const toLocalInput = (iso: string | null | undefined): string => {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

export const fromLocalInput = (value: string): string | null => {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/** True when a rich-text value has no text and no mention (an empty paragraph is nothing to save). */
export const isBlankHtml = (html: string): boolean => !/data-type="mention"/.test(html) && html.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').trim() === '';

/** A note's title: its first line of text, shortened (it names the note in lists, search and notifications). */
export const noteTitleOf = (text: string, maxLength = 80): string => {
  const line = text.split('\n').map((part) => part.trim()).find((part) => part !== '') ?? '';
  return line.length > maxLength ? `${line.slice(0, maxLength - 1).trimEnd()}…` : line;
};
