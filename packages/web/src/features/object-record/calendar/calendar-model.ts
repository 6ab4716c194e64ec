import { CALENDAR_MODES, type CalendarMode, type CalendarSettings, type FieldDefinition, type Filter, type ObjectDefinition } from '@rapport/common';
import type { ApiRecord } from '../../../api/types.ts';
import { isInRecord } from '../metadata.ts';
import { addLocalDays, localDayOf, parseInstant, parseLocalDay, startOfLocalDay } from './calendar-days.ts';

const byPosition = (a: FieldDefinition, b: FieldDefinition) => (a.position ?? 0) - (b.position ?? 0);
const isDateType = (field: FieldDefinition) => field.type === 'date' || field.type === 'datetime';
const isSingleSelect = (field: FieldDefinition) => field.type === 'select' && !field.options?.multiple;

/** Fields records can be placed by: every date and datetime field. */
export const startFieldsOf = (object: ObjectDefinition): FieldDefinition[] => object.fields.filter((field) => isInRecord(field) && isDateType(field)).sort(byPosition);
export const endFieldsOf = (object: ObjectDefinition, startField: string): FieldDefinition[] => startFieldsOf(object).filter((field) => field.name !== startField);
export const durationFieldsOf = (object: ObjectDefinition): FieldDefinition[] => object.fields.filter((field) => field.type === 'number').sort(byPosition);
export const colorFieldsOf = (object: ObjectDefinition): FieldDefinition[] => object.fields.filter(isSingleSelect).sort(byPosition);
/** The field a team planner has one row per value of: the first owner field (a meeting's organiser, a task's assignee). */
export const ownerFieldOf = (object: ObjectDefinition): FieldDefinition | undefined => object.fields.filter((field) => field.type === 'owner').sort(byPosition)[0];

/** An object can be shown as a calendar when it has a date or datetime field. */
export const hasCalendar = (object: ObjectDefinition): boolean => startFieldsOf(object).length > 0;

// What standard objects call where an item starts and ends: preferred over a creation or check-in date.
const START_NAMES = ['start', 'startAt', 'startsAt', 'startedAt', 'dueAt', 'dueDate', 'closeDate', 'date'];
const END_NAMES = ['end', 'endAt', 'endsAt', 'endedAt'];
const DURATION_NAME = /duration/i;

/** The calendar an object opens with: its most telling start field, the matching end or duration, its status colours. */
export const defaultCalendarSettings = (object: ObjectDefinition): CalendarSettings | undefined => {
  const starts = startFieldsOf(object).filter((field) => !field.isSystem);
  const start = START_NAMES.map((name) => starts.find((field) => field.name === name)).find(Boolean) ?? starts[0] ?? startFieldsOf(object)[0];
  if (!start) return undefined;
  const end = endFieldsOf(object, start.name).find((field) => END_NAMES.includes(field.name) && field.type === start.type);
  const duration = end ? undefined : durationFieldsOf(object).find((field) => DURATION_NAME.test(field.name));
  const colors = colorFieldsOf(object);
  const color = colors.find((field) => field.name === 'status') ?? colors[0];
  return { startField: start.name, endField: end?.name ?? null, durationField: duration?.name ?? null, colorField: color?.name ?? null, mode: start.type === 'date' ? 'month' : 'week' };
};

const isMode = (value: unknown): value is CalendarMode => (CALENDAR_MODES as readonly unknown[]).includes(value);

/**
 * Settings as saved or remembered, kept to what the object still has: an unknown start falls back to the default,
 * unknown other fields are dropped; an end replaces a duration. Undefined for an object without dates.
 */
export const resolveCalendarSettings = (object: ObjectDefinition, stored: Partial<CalendarSettings> | null | undefined): CalendarSettings | undefined => {
  const fallback = defaultCalendarSettings(object);
  if (!fallback || !stored) return fallback;
  const start = startFieldsOf(object).find((field) => field.name === stored.startField);
  if (!start) return { ...fallback, ...(isMode(stored.mode) ? { mode: stored.mode } : {}) };
  const keep = (name: string | null | undefined, fields: FieldDefinition[]) => (name && fields.some((field) => field.name === name) ? name : null);
  const endField = keep(stored.endField, endFieldsOf(object, start.name));
  return {
    startField: start.name,
    endField,
    durationField: endField ? null : keep(stored.durationField, durationFieldsOf(object)),
    colorField: keep(stored.colorField, colorFieldsOf(object)),
    mode: isMode(stored.mode) ? stored.mode : fallback.mode,
  };
};

/** Reads remembered settings (JSON in `localStorage`); null when absent or unreadable. */
export const parseCalendarSettings = (stored: string | null): Partial<CalendarSettings> | null => {
  try {
    const value: unknown = stored ? JSON.parse(stored) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<CalendarSettings>) : null;
  } catch {
    return null;
  }
};

const fieldOf = (object: ObjectDefinition, name: string | null | undefined) => (name ? object.fields.find((field) => field.name === name) : undefined);

/** The value of a date or datetime field for an instant: the local day, or the instant itself. */
const valueAt = (field: FieldDefinition, at: Date) => (field.type === 'date' ? localDayOf(at) : at.toISOString());

/** What the calendar shows: `[start, end)`, local times (FullCalendar's visible range). */
export interface VisibleRange {
  start: Date;
  end: Date;
}

/**
 * The query condition for the records a range shows: starting in it, or (with an end field) starting before it and
 * ending in it or after. Dates are compared as days, datetimes as instants. A record placed by a duration is found
 * by its start alone: one starting before the range and running into it is not shown (durations are short).
 */
export const rangeFilterOf = ({ object, settings, range }: { object: ObjectDefinition; settings: CalendarSettings; range: VisibleRange }): Filter => {
  const start = fieldOf(object, settings.startField)!;
  const startsBeforeEnd: Filter = { field: start.name, op: 'lt', value: valueAt(start, range.end) };
  const startsInRange: Filter = { field: start.name, op: 'gte', value: valueAt(start, range.start) };
  const end = fieldOf(object, settings.endField);
  if (!end) return { and: [startsInRange, startsBeforeEnd] };
  return { and: [startsBeforeEnd, { or: [startsInRange, { field: end.name, op: 'gte', value: valueAt(end, range.start) }] }] };
};

/** The view's own filter and the range's condition, both applying. */
export const withRange = (filter: Filter | undefined, range: Filter): Filter => (filter ? { and: [filter, range] } : range);

/** Seconds, minutes or hours of a duration field, read from its name (`durationSeconds`, `durationHours`). */
export const durationUnitMs = (field: FieldDefinition): number => (/seconds$/i.test(field.name) ? 1_000 : /hours$/i.test(field.name) ? 3_600_000 : 60_000);

/** One record as the calendar places it. */
export interface CalendarItem {
  id: string;
  title: string;
  /** An all-day item covers whole days (a date field); `end` is then the day after its last one, as calendars count. */
  allDay: boolean;
  start: Date;
  end: Date | undefined;
  /** Mantine colour name of the record's choice in the colour field. */
  color: string | undefined;
  /** A choice's label key material: the colour field's value. */
  choice: string | undefined;
  isOverdue: boolean;
  record: ApiRecord;
}

/** The "done" choice of an object's status, when it has one: records without it are open (tasks). */
export const doneChoiceOf = (object: ObjectDefinition): string | undefined =>
  fieldOf(object, 'status')?.options?.choices?.find((choice) => choice.value === 'done' || choice.value === 'completed')?.value;

/**
 * True for an open item whose time has passed: its object has a done status it has not reached, and it ends (or,
 * without an end, starts) before now; for whole days, before today.
 */
export const isOverdue = ({ object, item, now }: { object: ObjectDefinition; item: Pick<CalendarItem, 'allDay' | 'start' | 'end' | 'record'>; now: Date }): boolean => {
  const done = doneChoiceOf(object);
  if (!done || item.record.status === done) return false;
  if (item.allDay) return (item.end ?? addLocalDays(item.start, 1)) <= startOfLocalDay(now);
  return (item.end ?? item.start) < now;
};

// An all-day item ends at a midnight: a datetime end during a day covers that whole day.
const ceilToDay = (date: Date) => (startOfLocalDay(date) < date ? addLocalDays(startOfLocalDay(date), 1) : date);

/** Records as calendar items; those without a start are left out. `titleOf` names a record. */
export const itemsOf = ({ object, settings, records, titleOf, now }: { object: ObjectDefinition; settings: CalendarSettings; records: readonly ApiRecord[]; titleOf(record: ApiRecord): string; now: Date }): CalendarItem[] => {
  const start = fieldOf(object, settings.startField);
  if (!start) return [];
  const end = fieldOf(object, settings.endField);
  const duration = end ? undefined : fieldOf(object, settings.durationField);
  const color = fieldOf(object, settings.colorField);
  const allDay = start.type === 'date';
  const items: CalendarItem[] = [];
  for (const record of records) {
    const from = allDay ? parseLocalDay(record[start.name]) : parseInstant(record[start.name]);
    if (!from) continue;
    let to: Date | undefined;
    if (end) {
      const raw = record[end.name];
      // A date end is the last day, inclusive; a calendar wants the day after.
      const endAt = end.type === 'date' ? (parseLocalDay(raw) ? addLocalDays(parseLocalDay(raw)!, 1) : undefined) : parseInstant(raw);
      to = endAt && allDay ? ceilToDay(endAt) : endAt;
    } else if (duration && typeof record[duration.name] === 'number' && !allDay) {
      to = new Date(from.getTime() + (record[duration.name] as number) * durationUnitMs(duration));
    }
    if (to && to <= from) to = undefined;
    const choiceValue = color && typeof record[color.name] === 'string' ? (record[color.name] as string) : undefined;
    const item = {
      id: record.id,
      title: titleOf(record),
      allDay,
      start: from,
      end: to,
      color: color?.options?.choices?.find((choice) => choice.value === choiceValue)?.color ?? undefined,
      choice: choiceValue,
      record,
    };
    items.push({ ...item, isOverdue: isOverdue({ object, item, now }) });
  }
  return items;
};

/** Whether items can be made longer or shorter in the calendar: with an end or duration field the person may edit. */
export const canResize = (settings: CalendarSettings, editable: ReadonlySet<string>): boolean =>
  Boolean((settings.endField && editable.has(settings.endField)) || (settings.durationField && editable.has(settings.durationField)));

/**
 * The fields to save after an item was dragged or resized to `[start, end)`: the start; the end field, kept the same
 * length on a move (the calendar gives the new end); the duration on a resize. Only the fields that change.
 */
export const patchOfChange = ({ object, settings, record, start, end }: { object: ObjectDefinition; settings: CalendarSettings; record: ApiRecord; start: Date; end: Date | null | undefined }): Record<string, unknown> => {
  const patch: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => {
    if (!isSameValue(record[name], value)) patch[name] = value;
  };
  const startField = fieldOf(object, settings.startField);
  if (!startField) return patch;
  set(startField.name, valueAt(startField, start));
  const endField = fieldOf(object, settings.endField);
  if (endField && end && record[endField.name] !== null && record[endField.name] !== undefined) {
    // A date end is the last day covered: the day before the calendar's exclusive end.
    set(endField.name, endField.type === 'date' ? localDayOf(addLocalDays(end, -1)) : end.toISOString());
  }
  const durationField = endField ? undefined : fieldOf(object, settings.durationField);
  if (durationField && end && startField.type === 'datetime') {
    set(durationField.name, Math.round((end.getTime() - start.getTime()) / durationUnitMs(durationField)));
  }
  return patch;
};

// The API answers datetimes in its own notation (with or without milliseconds, another offset): compare instants.
const isSameValue = (current: unknown, next: unknown) =>
  current === next || (typeof current === 'string' && typeof next === 'string' && !Number.isNaN(Date.parse(next)) && Date.parse(current) === Date.parse(next));

/**
 * A new record's values for a slot the person selected: the start, and the end (or duration) when the calendar
 * places records by one. A one-day selection of a date calendar gives the day alone.
 */
export const valuesOfSlot = ({ object, settings, start, end, allDay }: { object: ObjectDefinition; settings: CalendarSettings; start: Date; end: Date; allDay: boolean }): Record<string, unknown> => {
  const startField = fieldOf(object, settings.startField);
  if (!startField) return {};
  // A click on a day of a datetime calendar (month view) starts at nine in the morning, an hour long.
  const from = allDay && startField.type === 'datetime' ? new Date(start.getFullYear(), start.getMonth(), start.getDate(), 9) : start;
  const to = allDay && startField.type === 'datetime' ? new Date(from.getFullYear(), from.getMonth(), from.getDate(), 10) : end;
  const values: Record<string, unknown> = { [startField.name]: valueAt(startField, from) };
  const endField = fieldOf(object, settings.endField);
  if (endField) values[endField.name] = endField.type === 'date' ? localDayOf(addLocalDays(to, allDay ? -1 : 0)) : to.toISOString();
  const durationField = endField ? undefined : fieldOf(object, settings.durationField);
  if (durationField && startField.type === 'datetime') values[durationField.name] = Math.round((to.getTime() - from.getTime()) / durationUnitMs(durationField));
  return values;
};
