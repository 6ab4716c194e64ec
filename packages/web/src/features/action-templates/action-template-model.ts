import type { ObjectDefinition } from '@rapport/common';
import type { ApiRecord } from '../../api/types.ts';

/** What a template makes (action-template.object.ts, `action`). */
export const TEMPLATE_ACTIONS = ['task', 'reminder', 'note', 'followUpEmail'] as const;
export type TemplateAction = (typeof TEMPLATE_ACTIONS)[number];
export const TEMPLATE_PRIORITIES = ['low', 'normal', 'high'] as const;

/** The fields the editor shows, in the order the server's errors are matched to them. */
export const TEMPLATE_FIELDS = ['name', 'action', 'title', 'body', 'dueInDays', 'dueTime', 'priority', 'objects', 'isActive', 'position'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** The server's limits (action-template.object.ts): a title of 300 characters, due 0 to 365 days later. */
export const MAX_TITLE_LENGTH = 300;
export const MAX_DUE_DAYS = 365;

export interface TemplateForm {
  name: string;
  action: TemplateAction;
  title: string;
  body: string;
  dueInDays: number | '';
  /** `HH:MM`, or empty. */
  dueTime: string;
  priority: string | null;
  /** Object names; empty: every object. */
  objects: string[];
  isActive: boolean;
  position: number;
}

/** Whether the action has a due time (a task or a reminder); a note or an email draft has none. */
export const isDue = (action: TemplateAction) => action === 'task' || action === 'reminder';

const isAction = (value: unknown): value is TemplateAction => (TEMPLATE_ACTIONS as readonly unknown[]).includes(value);
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The objects of a stored template: its JSON list, whatever was stored (a template made through the API may hold anything). */
export const objectsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : []);

/** The form for a stored template, or a new one at `position` (a task due tomorrow at nine, on every object). */
export const formOf = (record: ApiRecord | undefined, position = 1): TemplateForm => ({
  name: text(record?.name),
  action: isAction(record?.action) ? record.action : 'task',
  title: text(record?.title),
  body: text(record?.body),
  dueInDays: typeof record?.dueInDays === 'number' ? record.dueInDays : record ? '' : 1,
  dueTime: record ? text(record.dueTime) : '09:00',
  priority: typeof record?.priority === 'string' ? record.priority : null,
  objects: objectsOf(record?.objects),
  isActive: record ? record.isActive !== false : true,
  position: typeof record?.position === 'number' ? record.position : position,
});

/** What the form checks before sending (the server checks them too); the page turns each into a sentence. */
export type TemplateProblem = 'required' | 'titleTooLong' | 'dueInDaysRange' | 'invalidTime';

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export const validateForm = (form: TemplateForm): Partial<Record<TemplateField, TemplateProblem>> => {
  const problems: Partial<Record<TemplateField, TemplateProblem>> = {};
  if (form.name.trim() === '') problems.name = 'required';
  if (form.title.trim() === '') problems.title = 'required';
  else if (form.title.length > MAX_TITLE_LENGTH) problems.title = 'titleTooLong';
  if (isDue(form.action)) {
    if (form.dueInDays !== '' && (!Number.isInteger(form.dueInDays) || form.dueInDays < 0 || form.dueInDays > MAX_DUE_DAYS)) problems.dueInDays = 'dueInDaysRange';
    if (form.dueTime !== '' && !TIME_OF_DAY.test(form.dueTime)) problems.dueTime = 'invalidTime';
  }
  return problems;
};

/** The record's values of the form: trimmed texts, empty ones as null, an empty object list as null ("everywhere"). */
const valuesOf = (form: TemplateForm): Record<TemplateField, unknown> => ({
  name: form.name.trim(),
  action: form.action,
  title: form.title.trim(),
  body: form.body.trim() === '' ? null : form.body,
  dueInDays: form.dueInDays === '' ? null : form.dueInDays,
  dueTime: form.dueTime === '' ? null : form.dueTime,
  priority: form.priority,
  objects: form.objects.length > 0 ? form.objects : null,
  isActive: form.isActive,
  position: form.position,
});

const isSame = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The body of the save: every value for a new template; for a stored one, only the fields that changed. */
export const bodyOf = (form: TemplateForm, initial?: TemplateForm): Record<string, unknown> => {
  const values = valuesOf(form);
  if (!initial) return values;
  const before = valuesOf(initial);
  return Object.fromEntries(Object.entries(values).filter(([field, value]) => !isSame(value, before[field as TemplateField])));
};

/** Where a template shows: the objects whose record pages have activities, labelled, and any the template already names. */
export const objectOptionsOf = (objects: readonly ObjectDefinition[], selected: readonly string[], isOffered: (object: ObjectDefinition) => boolean, labelOf: (object: ObjectDefinition) => string): { value: string; label: string }[] => {
  const offered = objects.filter((object) => isOffered(object) || selected.includes(object.name));
  const options = offered.map((object) => ({ value: object.name, label: labelOf(object) }));
  // Names no object has any more (deleted since), kept so that they can be taken out.
  for (const name of selected) if (!options.some((option) => option.value === name)) options.push({ value: name, label: name });
  return options.sort((a, b) => a.label.localeCompare(b.label));
};

/** The templates in the order the quick-actions menu offers them: by position, then name. */
export const sortTemplates = (records: readonly ApiRecord[]): ApiRecord[] =>
  [...records].sort((a, b) => (Number(a.position ?? 0) - Number(b.position ?? 0)) || text(a.name).localeCompare(text(b.name)));

/**
 * The position changes that move the template at `index` one place up (-1) or down (+1): the list renumbered 1, 2,
 * 3… in its new order, only the templates whose position changes. Empty when it cannot move.
 */
export const moveChanges = (records: readonly ApiRecord[], index: number, step: -1 | 1): { record: ApiRecord; position: number }[] => {
  const target = index + step;
  if (index < 0 || index >= records.length || target < 0 || target >= records.length) return [];
  const order = [...records];
  [order[index], order[target]] = [order[target]!, order[index]!];
  return order.map((record, at) => ({ record, position: at + 1 })).filter(({ record, position }) => record.position !== position);
};

/** The position a new template takes: after the last one. */
export const nextPosition = (records: readonly ApiRecord[]): number => records.reduce((highest, record) => Math.max(highest, Number(record.position ?? 0)), 0) + 1;
