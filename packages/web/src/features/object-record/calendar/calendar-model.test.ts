import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../../api/types.ts';
import { defaultCalendarSettings, hasCalendar, itemsOf, patchOfChange, rangeFilterOf, resolveCalendarSettings, valuesOfSlot, withRange } from './calendar-model.ts';

const field = (name: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name, type, label: name, position: 0, ...extra });
const status = (choices: string[]) => field('status', 'select', { options: { choices: choices.map((value, index) => ({ value, label: value, color: ['blue', 'green', 'gray'][index] })) } });

const meeting: ObjectDefinition = {
  name: 'meeting',
  labelSingular: 'Meeting',
  labelPlural: 'Meetings',
  labelField: 'title',
  fields: [field('title', 'text'), field('checkedInAt', 'datetime'), field('start', 'datetime'), field('end', 'datetime'), status(['planned', 'held', 'cancelled']), field('owner', 'owner')],
};
const task: ObjectDefinition = { name: 'task', labelSingular: 'Task', labelPlural: 'Tasks', labelField: 'title', fields: [field('title', 'text'), field('dueAt', 'datetime'), status(['open', 'done'])] };
const call: ObjectDefinition = { name: 'call', labelSingular: 'Call', labelPlural: 'Calls', fields: [field('subject', 'text'), field('startedAt', 'datetime'), field('durationSeconds', 'number')] };
const deal: ObjectDefinition = { name: 'opportunity', labelSingular: 'Deal', labelPlural: 'Deals', fields: [field('name', 'text'), field('closeDate', 'date'), field('stage', 'select')] };
const company: ObjectDefinition = { name: 'company', labelSingular: 'Company', labelPlural: 'Companies', fields: [field('name', 'text')] };

const record = (values: Record<string, unknown>): ApiRecord => ({ id: 'r1', version: 3, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, ...values });
const titleOf = (item: ApiRecord) => String(item.title ?? item.name ?? item.subject);

describe('calendar settings', () => {
  it('should place each standard object by its own start, end or duration and colour by status', () => {
    expect(defaultCalendarSettings(meeting)).toEqual({ startField: 'start', endField: 'end', durationField: null, colorField: 'status', mode: 'week' });
    expect(defaultCalendarSettings(task)).toMatchObject({ startField: 'dueAt', endField: null, colorField: 'status' });
    expect(defaultCalendarSettings(call)).toMatchObject({ startField: 'startedAt', durationField: 'durationSeconds' });
    expect(defaultCalendarSettings(deal)).toEqual({ startField: 'closeDate', endField: null, durationField: null, colorField: 'stage', mode: 'month' });
    expect(hasCalendar(company)).toBe(false);
    expect(defaultCalendarSettings(company)).toBeUndefined();
  });

  it('should keep saved settings to the fields the object still has', () => {
    expect(resolveCalendarSettings(meeting, { startField: 'start', endField: 'gone', colorField: 'status', mode: 'day' })).toEqual({ startField: 'start', endField: null, durationField: null, colorField: 'status', mode: 'day' });
    expect(resolveCalendarSettings(meeting, { startField: 'removed', mode: 'agenda' })).toMatchObject({ startField: 'start', endField: 'end', mode: 'agenda' });
    expect(resolveCalendarSettings(meeting, { startField: 'start', mode: 'bogus' as 'month' })?.mode).toBe('week');
  });
});

describe('range filter', () => {
  const range = { start: new Date(2026, 2, 23), end: new Date(2026, 2, 30) };

  it('should find the records that overlap the range when they have an end, with the view\'s filter on top', () => {
    const filter = rangeFilterOf({ object: meeting, settings: defaultCalendarSettings(meeting)!, range });
    expect(filter).toEqual({
      and: [
        { field: 'start', op: 'lt', value: range.end.toISOString() },
        { or: [{ field: 'start', op: 'gte', value: range.start.toISOString() }, { field: 'end', op: 'gte', value: range.start.toISOString() }] },
      ],
    });
    const own = { field: 'status', op: 'eq' as const, value: 'planned' };
    expect(withRange(own, filter)).toEqual({ and: [own, filter] });
    expect(withRange(undefined, filter)).toBe(filter);
  });

  it('should compare a date field as local days', () => {
    expect(rangeFilterOf({ object: deal, settings: defaultCalendarSettings(deal)!, range })).toEqual({
      and: [{ field: 'closeDate', op: 'gte', value: '2026-03-23' }, { field: 'closeDate', op: 'lt', value: '2026-03-30' }],
    });
  });
});

describe('calendar items', () => {
  const now = new Date('2026-03-25T12:00:00Z');

  it('should map records to items with their end, duration and colour, leaving out those without a start', () => {
    const items = itemsOf({
      object: meeting,
      settings: defaultCalendarSettings(meeting)!,
      records: [record({ title: 'Kick-off', start: '2026-03-24T09:00:00Z', end: '2026-03-24T10:30:00Z', status: 'held' }), record({ id: 'r2', title: 'Unplanned', start: null })],
      titleOf,
      now,
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ title: 'Kick-off', allDay: false, color: 'green', choice: 'held', isOverdue: false });
    expect(items[0]!.end!.getTime() - items[0]!.start.getTime()).toBe(90 * 60_000);

    const [phone] = itemsOf({ object: call, settings: defaultCalendarSettings(call)!, records: [record({ subject: 'Intro', startedAt: '2026-03-24T09:00:00Z', durationSeconds: 600 })], titleOf, now });
    expect(phone!.end!.toISOString()).toBe('2026-03-24T09:10:00.000Z');
  });

  it('should make a date field\'s record a whole day ending at the next midnight', () => {
    const [item] = itemsOf({ object: deal, settings: defaultCalendarSettings(deal)!, records: [record({ name: 'Acme', closeDate: '2026-03-29' })], titleOf, now });
    expect(item).toMatchObject({ allDay: true, start: new Date(2026, 2, 29), end: undefined });
  });

  it('should mark open tasks past due as overdue, not done ones or future ones', () => {
    const settings = defaultCalendarSettings(task)!;
    const items = itemsOf({
      object: task,
      settings,
      records: [record({ id: 'late', title: 'Late', dueAt: '2026-03-24T09:00:00Z', status: 'open' }), record({ id: 'done', title: 'Done', dueAt: '2026-03-24T09:00:00Z', status: 'done' }), record({ id: 'soon', title: 'Soon', dueAt: '2026-03-26T09:00:00Z', status: 'open' })],
      titleOf,
      now,
    });
    expect(items.map((item) => [item.id, item.isOverdue])).toEqual([['late', true], ['done', false], ['soon', false]]);
    // Meetings have no "done": a past one is not overdue.
    expect(itemsOf({ object: meeting, settings: defaultCalendarSettings(meeting)!, records: [record({ title: 'Old', start: '2026-03-01T09:00:00Z', status: 'planned' })], titleOf, now })[0]!.isOverdue).toBe(false);
  });
});

describe('drag and resize', () => {
  const settings = defaultCalendarSettings(meeting)!;
  const kickOff = record({ title: 'Kick-off', start: '2026-03-24T09:00:00.000Z', end: '2026-03-24T10:00:00Z' });

  it('should move the start and the end together, and send only what changed', () => {
    const start = new Date('2026-03-26T09:00:00Z');
    const end = new Date('2026-03-26T10:00:00Z');
    expect(patchOfChange({ object: meeting, settings, record: kickOff, start, end })).toEqual({ start: '2026-03-26T09:00:00.000Z', end: '2026-03-26T10:00:00.000Z' });
    // A resize keeps the start (the API's notation differs, the instant does not).
    expect(patchOfChange({ object: meeting, settings, record: kickOff, start: new Date('2026-03-24T09:00:00Z'), end: new Date('2026-03-24T11:00:00Z') })).toEqual({ end: '2026-03-24T11:00:00.000Z' });
  });

  it('should not give an end to a record that has none', () => {
    const open = record({ title: 'Open', start: '2026-03-24T09:00:00Z', end: null });
    expect(patchOfChange({ object: meeting, settings, record: open, start: new Date('2026-03-25T09:00:00Z'), end: new Date('2026-03-25T10:00:00Z') })).toEqual({ start: '2026-03-25T09:00:00.000Z' });
  });

  it('should save a resize as a duration in the field\'s unit', () => {
    const phone = record({ subject: 'Intro', startedAt: '2026-03-24T09:00:00Z', durationSeconds: 600 });
    expect(patchOfChange({ object: call, settings: defaultCalendarSettings(call)!, record: phone, start: new Date('2026-03-24T09:00:00Z'), end: new Date('2026-03-24T09:30:00Z') })).toEqual({ durationSeconds: 1800 });
  });

  it('should save a date field as the local day it was dropped on', () => {
    const acme = record({ name: 'Acme', closeDate: '2026-03-29' });
    expect(patchOfChange({ object: deal, settings: defaultCalendarSettings(deal)!, record: acme, start: new Date(2026, 3, 2), end: null })).toEqual({ closeDate: '2026-04-02' });
  });
});

describe('a selected slot', () => {
  it('should pre-fill the start and end of a time slot', () => {
    const start = new Date('2026-03-24T14:00:00Z');
    const end = new Date('2026-03-24T15:00:00Z');
    expect(valuesOfSlot({ object: meeting, settings: defaultCalendarSettings(meeting)!, start, end, allDay: false })).toEqual({ start: start.toISOString(), end: end.toISOString() });
  });

  it('should start a datetime record clicked on a day at nine for an hour, and a date record on that day', () => {
    const values = valuesOfSlot({ object: meeting, settings: defaultCalendarSettings(meeting)!, start: new Date(2026, 2, 24), end: new Date(2026, 2, 25), allDay: true });
    expect(values).toEqual({ start: new Date(2026, 2, 24, 9).toISOString(), end: new Date(2026, 2, 24, 10).toISOString() });
    expect(valuesOfSlot({ object: deal, settings: defaultCalendarSettings(deal)!, start: new Date(2026, 2, 24), end: new Date(2026, 2, 25), allDay: true })).toEqual({ closeDate: '2026-03-24' });
  });
});
