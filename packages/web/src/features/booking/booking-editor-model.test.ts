import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../api/types.ts';
import {
  addRange, availabilityFromWeek, lengthsOf, withoutPanelFields, bodyOfState, copyMondayToWeekdays, dayProblems, defaultWeek, hoursSummary, removeRange, slugFromName, stateFromRecord,
  validateState, weekFromAvailability, weekProblems,
} from './booking-editor-model.ts';

const record = (values: Record<string, unknown>): ApiRecord => ({ id: 'p1', version: 3, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, ...values }) as ApiRecord;

const SPLIT_DAY: [string, string][] = [['09:00', '12:00'], ['14:00', '17:00']];

describe('booking page editor: working hours', () => {
  it('should read an absent or unreadable availability as weekdays 09:00–17:00, like the server', () => {
    for (const value of [undefined, null, {}, [], 'x', { mon: 'all day' }, { monday: [['09:00', '17:00']] }]) {
      const week = weekFromAvailability(value);
      expect(week.mon).toEqual({ enabled: true, ranges: [{ start: '09:00', end: '17:00' }] });
      expect(week.fri.enabled).toBe(true);
      expect(week.sat.enabled).toBe(false);
      expect(week.sun.enabled).toBe(false);
    }
  });

  it('should turn stored hours into the grid and back, days left out or empty being off', () => {
    const stored = { mon: SPLIT_DAY, tue: SPLIT_DAY, wed: [['08:30', '24:00']], sat: [] };
    const week = weekFromAvailability(stored);
    expect(week.mon).toEqual({ enabled: true, ranges: [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '17:00' }] });
    // A time input cannot show 24:00: midnight as the end of the day is 00:00 in the grid.
    expect(week.wed.ranges).toEqual([{ start: '08:30', end: '00:00' }]);
    expect(week.thu.enabled).toBe(false);
    expect(week.sat.enabled).toBe(false);
    expect(availabilityFromWeek(week)).toEqual({ mon: SPLIT_DAY, tue: SPLIT_DAY, wed: [['08:30', '24:00']], thu: [], fri: [], sat: [], sun: [] });
  });

  it('should keep a day\'s hours while it is off and write it as an empty list', () => {
    const week = { ...defaultWeek(), mon: { enabled: false, ranges: [{ start: '10:00', end: '11:00' }] } };
    expect(availabilityFromWeek(week).mon).toEqual([]);
    expect(availabilityFromWeek({ ...week, mon: { ...week.mon, enabled: true } }).mon).toEqual([['10:00', '11:00']]);
  });

  it('should write ranges in order of their start', () => {
    const week = { ...defaultWeek(), mon: { enabled: true, ranges: [{ start: '14:00', end: '17:00' }, { start: '09:00', end: '12:00' }] } };
    expect(availabilityFromWeek(week).mon).toEqual(SPLIT_DAY);
  });

  it('should find ranges that end before they start, overlap or lack a time', () => {
    expect(dayProblems({ enabled: true, ranges: [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '17:00' }] })).toEqual([null, null]);
    expect(dayProblems({ enabled: true, ranges: [{ start: '12:00', end: '09:00' }] })).toEqual(['endBeforeStart']);
    expect(dayProblems({ enabled: true, ranges: [{ start: '09:00', end: '09:00' }] })).toEqual(['endBeforeStart']);
    expect(dayProblems({ enabled: true, ranges: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] })).toEqual(['overlap', 'overlap']);
    // Touching ranges do not overlap; 00:00 as an end is midnight.
    expect(dayProblems({ enabled: true, ranges: [{ start: '09:00', end: '12:00' }, { start: '12:00', end: '00:00' }] })).toEqual([null, null]);
    expect(dayProblems({ enabled: true, ranges: [{ start: '', end: '12:00' }] })).toEqual(['invalidTime']);
    // A day that is off is not checked.
    expect(dayProblems({ enabled: false, ranges: [{ start: '12:00', end: '09:00' }] })).toEqual([null]);
    expect(weekProblems({ ...defaultWeek(), tue: { enabled: true, ranges: [{ start: '12:00', end: '09:00' }] } })).toEqual({ tue: ['endBeforeStart'] });
  });

  it('should copy Monday to Tuesday–Friday and leave the weekend', () => {
    const week = { ...defaultWeek(), mon: { enabled: true, ranges: [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '17:00' }] }, sat: { enabled: true, ranges: [{ start: '10:00', end: '12:00' }] } };
    const copied = copyMondayToWeekdays(week);
    for (const day of ['tue', 'wed', 'thu', 'fri'] as const) expect(copied[day]).toEqual(week.mon);
    expect(copied.sat).toEqual(week.sat);
    expect(copied.sun).toEqual(week.sun);
    // Copies, not shared objects: editing Tuesday leaves Monday.
    expect(copied.tue.ranges[0]).not.toBe(week.mon.ranges[0]);
  });

  it('should add a range after the last one and turn the day off when its last range goes', () => {
    expect(addRange({ enabled: true, ranges: [{ start: '09:00', end: '12:00' }] }).ranges[1]).toEqual({ start: '13:00', end: '16:00' });
    expect(addRange({ enabled: true, ranges: [{ start: '09:00', end: '22:00' }] }).ranges[1]).toEqual({ start: '23:00', end: '00:00' });
    expect(addRange({ enabled: true, ranges: [] }).ranges).toEqual([{ start: '09:00', end: '17:00' }]);
    expect(removeRange({ enabled: true, ranges: [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '17:00' }] }, 0).ranges).toEqual([{ start: '14:00', end: '17:00' }]);
    expect(removeRange({ enabled: true, ranges: [{ start: '09:00', end: '12:00' }] }, 0)).toEqual({ enabled: false, ranges: [{ start: '09:00', end: '17:00' }] });
  });

  it('should summarise runs of days with the same hours', () => {
    const week = weekFromAvailability({ mon: SPLIT_DAY, tue: SPLIT_DAY, wed: SPLIT_DAY, thu: SPLIT_DAY, fri: [['09:00', '12:00']], sun: [['10:00', '12:00']] });
    expect(hoursSummary(week)).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu'], ranges: SPLIT_DAY },
      { days: ['fri'], ranges: [['09:00', '12:00']] },
      { days: ['sun'], ranges: [['10:00', '12:00']] },
    ]);
    // Same hours on days apart are separate lines.
    expect(hoursSummary(weekFromAvailability({ mon: SPLIT_DAY, wed: SPLIT_DAY })).map((group) => group.days)).toEqual([['mon'], ['wed']]);
    expect(hoursSummary(weekFromAvailability({ mon: [] }))).toEqual([]);
  });
});

describe('booking page editor: the page', () => {
  it('should start a new page in the browser\'s zone, 30 minutes, weekdays 09:00–17:00, published', () => {
    const state = stateFromRecord(undefined, 'Europe/Paris');
    expect(state).toMatchObject({ timezone: 'Europe/Paris', durationMinutes: 30, durationOptions: [], minimumNoticeMinutes: 240, members: [], assignment: 'roundRobin', isActive: true });
    expect(availabilityFromWeek(state.hours).mon).toEqual([['09:00', '17:00']]);
  });

  it('should read a stored page, the JSON fields included', () => {
    const state = stateFromRecord(record({ name: 'Intro', slug: 'intro', durationMinutes: 45, durationOptions: [15, 60], timezone: 'Asia/Tokyo', availability: { mon: SPLIT_DAY }, members: ['u1', 'u2'], assignment: 'firstAvailable', isActive: false, maximumPerDay: null }), 'UTC');
    expect(state).toMatchObject({ name: 'Intro', slug: 'intro', durationMinutes: 45, durationOptions: [15, 60], timezone: 'Asia/Tokyo', members: ['u1', 'u2'], assignment: 'firstAvailable', isActive: false, maximumPerDay: '' });
    expect(state.hours.tue.enabled).toBe(false);
  });

  it('should make a slug of a name', () => {
    expect(slugFromName('Café avec l’équipe — 30 min!')).toBe('cafe-avec-l-equipe-30-min');
    expect(slugFromName('  --Intro call--  ')).toBe('intro-call');
    expect(slugFromName('x'.repeat(100))).toHaveLength(80);
  });

  it('should check the values the server would refuse', () => {
    const valid = { ...stateFromRecord(undefined, 'UTC'), name: 'Intro', slug: 'intro-call' };
    expect(validateState(valid)).toEqual({});
    expect(validateState({ ...valid, name: ' ', slug: '' })).toEqual({ name: 'required', slug: 'required' });
    expect(validateState({ ...valid, slug: '-intro' }).slug).toBe('slugFormat');
    expect(validateState({ ...valid, slug: 'Intro' }).slug).toBe('slugFormat');
    expect(validateState({ ...valid, slug: 'manage' }).slug).toBe('slugReserved');
    expect(validateState({ ...valid, durationMinutes: 500 }).durationMinutes).toBe('durationRange');
    expect(validateState({ ...valid, durationMinutes: '' }).durationMinutes).toBe('required');
    expect(validateState({ ...valid, durationOptions: [3] }).durationOptions).toBe('durationsRange');
    expect(validateState({ ...valid, bufferMinutes: 7.5 }).bufferMinutes).toBe('wholeMinutes');
    expect(validateState({ ...valid, maximumPerDay: 0 }).maximumPerDay).toBe('wholeMinutes');
    expect(validateState({ ...valid, hours: { ...valid.hours, mon: { enabled: true, ranges: [{ start: '12:00', end: '09:00' }] } } }).availability).toBe('hours');
    const allOff = Object.fromEntries(Object.entries(valid.hours).map(([day, hours]) => [day, { ...hours, enabled: false }])) as typeof valid.hours;
    expect(validateState({ ...valid, hours: allOff }).availability).toBe('atLeastOne');
  });

  it('should send every value of a new page, and only what changed on an edit', () => {
    const state = { ...stateFromRecord(undefined, 'Europe/Paris'), name: 'Intro', slug: 'intro', durationMinutes: 45 as const, durationOptions: [60, 45, 15], members: ['u2'] };
    expect(bodyOfState(state)).toEqual({
      name: 'Intro', slug: 'intro', durationMinutes: 45, durationOptions: [15, 60], timezone: 'Europe/Paris',
      availability: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
      bufferMinutes: 0, minimumNoticeMinutes: 240, members: ['u2'], assignment: 'roundRobin', isActive: true,
    });
    const initial = stateFromRecord(record({ name: 'Intro', slug: 'intro', durationMinutes: 30, timezone: 'UTC', members: ['u1'] }), 'UTC');
    expect(bodyOfState(initial, initial)).toEqual({});
    expect(bodyOfState({ ...initial, durationMinutes: 60, members: [] }, initial)).toEqual({ durationMinutes: 60, members: null });
    const hours = copyMondayToWeekdays({ ...initial.hours, mon: { enabled: true, ranges: [{ start: '08:00', end: '12:00' }] } });
    expect(Object.keys(bodyOfState({ ...initial, hours }, initial))).toEqual(['availability']);
  });

  it('should list the lengths the main one first, and leave the JSON fields out of a booking page\'s details only', () => {
    expect(lengthsOf(45, [60, 15, 45])).toEqual([45, 15, 60]);
    expect(lengthsOf(30, null)).toEqual([30]);
    const fields = [{ name: 'name' }, { name: 'availability' }, { name: 'members' }, { name: 'durationOptions' }, { name: 'timezone' }];
    expect(withoutPanelFields('bookingPage', fields).map((field) => field.name)).toEqual(['name', 'timezone']);
    expect(withoutPanelFields('meeting', fields)).toEqual(fields);
  });
});
