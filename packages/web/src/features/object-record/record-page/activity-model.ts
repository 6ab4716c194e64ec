import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import type { WorkspaceUser } from '../../../api/queries.ts';

/**
 * The field of an activity object (`note`, `task`) that links it to records of `target`: its first
 * many-to-one relation to that object. Undefined when the activity cannot be linked to it.
 */
export const activityLinkOf = (activity: ObjectDefinition | undefined, target: string): string | undefined =>
  activity?.fields.find((field) => field.type === 'relation' && field.options?.target === target && (field.options?.kind ?? 'manyToOne') === 'manyToOne')?.name;

/** Objects whose records the activity panel lists (notes and tasks tabs). */
export const ACTIVITY_OBJECTS = ['note', 'task'] as const;

/** The fields linking notes and tasks to records of `object`; a record page without either shows its history alone. */
export const activityLinksOf = (objects: readonly ObjectDefinition[], object: string): { note?: string | undefined; task?: string | undefined } => ({
  note: activityLinkOf(objects.find((candidate) => candidate.name === 'note'), object),
  task: activityLinkOf(objects.find((candidate) => candidate.name === 'task'), object),
});

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
    const link = activityLinkOf(objects.find((candidate) => candidate.name === target), object.name);
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
