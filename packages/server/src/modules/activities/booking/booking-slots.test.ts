import { describe, expect, it } from 'vitest';
import { availabilityProblems, bookingSettingsOf, isValidSlug, isValidTimezone } from './booking-settings.ts';
import { computeSlots, pickMember, windowOf, type AssignmentStats, type ComputeSlotsOptions, type MemberCalendar } from './booking-slots.ts';

const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const CAROL = '00000000-0000-4000-8000-00000000000c';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const settings = (overrides: Partial<ComputeSlotsOptions['settings']> = {}): ComputeSlotsOptions['settings'] => ({
  timezone: 'UTC',
  availability: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
  bufferMinutes: 0,
  minimumNoticeMinutes: 0,
  maximumPerDay: null,
  members: [ALICE],
  ...overrides,
});

const calendar = (userId: string, busy: [string, string][] = []): MemberCalendar => ({
  userId,
  busy: busy.map(([start, end]) => ({ start: at(start), end: at(end) })),
});

const slotsOf = (options: Partial<Omit<ComputeSlotsOptions, 'from' | 'to'>> & { from: string; to: string }) =>
  computeSlots({
    settings: settings(),
    calendars: [],
    durationMinutes: 30,
    now: at('2026-01-01T00:00:00Z'),
    ...options,
    from: at(options.from),
    to: at(options.to),
  }).map((slot) => `${iso(slot.start)}/${iso(slot.end)}`);

describe('computeSlots', () => {
  it('should step by the meeting length inside working hours when the day is free', () => {
    const slots = slotsOf({ from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z', durationMinutes: 60 });
    expect(slots).toHaveLength(8);
    expect(slots[0]).toBe('2026-03-02T09:00:00.000Z/2026-03-02T10:00:00.000Z');
    expect(slots.at(-1)).toBe('2026-03-02T16:00:00.000Z/2026-03-02T17:00:00.000Z');
  });

  it('should step by 15 minutes at least when meetings are shorter', () => {
    const slots = slotsOf({ from: '2026-03-02T09:00:00Z', to: '2026-03-02T10:00:00Z', durationMinutes: 10 });
    expect(slots.map((slot) => slot.slice(11, 16))).toEqual(['09:00', '09:15', '09:30', '09:45']);
  });

  it('should offer nothing on weekends when availability is the default working week', () => {
    const page = bookingSettingsOf({ timezone: 'UTC', owner: ALICE, durationMinutes: 30 });
    expect(slotsOf({ settings: page, from: '2026-03-07T00:00:00Z', to: '2026-03-09T00:00:00Z' })).toEqual([]);
    expect(slotsOf({ settings: page, from: '2026-03-09T00:00:00Z', to: '2026-03-10T00:00:00Z' })).toHaveLength(16);
  });

  it('should keep local working hours across the spring DST change when the page is in Europe/Paris', () => {
    // Paris moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    const page = settings({ timezone: 'Europe/Paris', availability: { fri: [['09:00', '10:00']], sat: [['09:00', '10:00']], sun: [['09:00', '10:00']], mon: [['09:00', '10:00']] } });
    const slots = slotsOf({ settings: page, from: '2026-03-27T00:00:00Z', to: '2026-03-31T00:00:00Z', durationMinutes: 60 });
    expect(slots).toEqual([
      '2026-03-27T08:00:00.000Z/2026-03-27T09:00:00.000Z',
      '2026-03-28T08:00:00.000Z/2026-03-28T09:00:00.000Z',
      '2026-03-29T07:00:00.000Z/2026-03-29T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z/2026-03-30T08:00:00.000Z',
    ]);
  });

  it('should keep local working hours across the autumn DST change when the page is in America/New_York', () => {
    // New York moves from UTC-4 to UTC-5 on Sunday 1 November 2026.
    const page = settings({ timezone: 'America/New_York', availability: { sat: [['09:00', '09:30']], sun: [['09:00', '09:30']] } });
    const slots = slotsOf({ settings: page, from: '2026-10-31T00:00:00Z', to: '2026-11-02T00:00:00Z' });
    expect(slots).toEqual(['2026-10-31T13:00:00.000Z/2026-10-31T13:30:00.000Z', '2026-11-01T14:00:00.000Z/2026-11-01T14:30:00.000Z']);
  });

  it('should count real elapsed time when a working range spans the DST change', () => {
    // 01:00–04:00 local on the spring-forward night is two real hours (02:00–03:00 does not exist).
    const page = settings({ timezone: 'America/New_York', availability: { sun: [['01:00', '04:00']] } });
    const slots = slotsOf({ settings: page, from: '2026-03-08T00:00:00Z', to: '2026-03-09T00:00:00Z', durationMinutes: 60 });
    expect(slots).toEqual(['2026-03-08T06:00:00.000Z/2026-03-08T07:00:00.000Z', '2026-03-08T07:00:00.000Z/2026-03-08T08:00:00.000Z']);
  });

  it('should leave out slots that meet a meeting or its buffer when the member is busy', () => {
    const calendars = [calendar(ALICE, [['2026-03-02T11:00:00Z', '2026-03-02T12:00:00Z']])];
    const plain = slotsOf({ calendars, from: '2026-03-02T10:00:00Z', to: '2026-03-02T13:00:00Z' });
    expect(plain.map((slot) => slot.slice(11, 16))).toEqual(['10:00', '10:30', '12:00', '12:30']);
    const buffered = slotsOf({ settings: settings({ bufferMinutes: 15 }), calendars, from: '2026-03-02T10:00:00Z', to: '2026-03-02T13:00:00Z' });
    expect(buffered.map((slot) => slot.slice(11, 16))).toEqual(['10:00', '12:30']);
  });

  it('should offer nothing before now plus the minimum notice', () => {
    const slots = slotsOf({ settings: settings({ minimumNoticeMinutes: 120 }), now: at('2026-03-02T10:10:00Z'), from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' });
    expect(slots[0]!.slice(11, 16)).toBe('12:30');
  });

  it('should stop offering a member on a local day when their meetings that day reached the maximum', () => {
    // Two meetings on Monday in Paris, wherever they come from (one of them 23:30 UTC Sunday = 00:30 Monday local).
    const page = settings({ timezone: 'Europe/Paris', maximumPerDay: 2, members: [ALICE, BOB] });
    const calendars = [calendar(ALICE, [['2026-03-01T23:30:00Z', '2026-03-02T00:00:00Z'], ['2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z']]), calendar(BOB, [['2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z']])];
    expect(slotsOf({ settings: page, calendars, from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' })).toEqual([]);
    expect(slotsOf({ settings: page, calendars, from: '2026-03-03T00:00:00Z', to: '2026-03-04T00:00:00Z' })).toHaveLength(16);
  });

  it('should count every meeting of the day towards the maximum, and only the day each one starts on', () => {
    const page = settings({ timezone: 'America/New_York', maximumPerDay: 3 });
    // Monday 2 March in New York: two meetings in the morning, one ending after midnight on Sunday night's side.
    const monday = [['2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z'], ['2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z']] as [string, string][];
    const overnight: [string, string] = ['2026-03-02T04:00:00Z', '2026-03-02T05:30:00Z']; // Sunday 23:00 to Monday 00:30 local
    const window = { from: '2026-03-02T05:00:00Z', to: '2026-03-03T05:00:00Z' };
    // Two that day (the overnight one counts on Sunday): the afternoon is still offered.
    expect(slotsOf({ settings: page, calendars: [calendar(ALICE, [...monday, overnight])], ...window }).length).toBeGreaterThan(0);
    // A third one on Monday: the day is full, its free hours included.
    const third: [string, string] = ['2026-03-02T20:30:00Z', '2026-03-02T21:00:00Z'];
    expect(slotsOf({ settings: page, calendars: [calendar(ALICE, [...monday, overnight, third])], ...window })).toEqual([]);
  });

  it('should offer a slot when any member of a team is free and name who is', () => {
    const page = settings({ members: [ALICE, BOB] });
    const calendars = [calendar(ALICE, [['2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z']]), calendar(BOB, [['2026-03-02T09:30:00Z', '2026-03-02T10:30:00Z']])];
    const slots = computeSlots({ settings: page, calendars, durationMinutes: 30, now: 0, from: at('2026-03-02T09:00:00Z'), to: at('2026-03-02T11:00:00Z') });
    expect(slots.map((slot) => [iso(slot.start).slice(11, 16), slot.freeMembers])).toEqual([
      ['09:00', [BOB]],
      ['10:00', [ALICE]],
      ['10:30', [ALICE, BOB]],
    ]);
  });

  it('should not cross the window when asked for part of a day', () => {
    expect(slotsOf({ from: '2026-03-02T09:10:00Z', to: '2026-03-02T10:10:00Z' })).toEqual(['2026-03-02T09:30:00.000Z/2026-03-02T10:00:00.000Z']);
  });
});

describe('pickMember', () => {
  it('should spread bookings evenly when round robin books 30 meetings over 3 members', () => {
    const members = [ALICE, BOB, CAROL];
    const stats = new Map<string, AssignmentStats>();
    for (let booking = 0; booking < 30; booking += 1) {
      const member = pickMember({ assignment: 'roundRobin', members, free: members, stats })!;
      stats.set(member, { count: (stats.get(member)?.count ?? 0) + 1, lastBookedAt: booking });
    }
    expect(members.map((member) => stats.get(member)?.count)).toEqual([10, 10, 10]);
  });

  it('should pick the member waiting longest when round robin counts are tied', () => {
    const stats = new Map([[ALICE, { count: 2, lastBookedAt: 200 }], [BOB, { count: 2, lastBookedAt: 100 }], [CAROL, { count: 5, lastBookedAt: 1 }]]);
    expect(pickMember({ assignment: 'roundRobin', members: [ALICE, BOB, CAROL], free: [ALICE, BOB, CAROL], stats })).toBe(BOB);
    expect(pickMember({ assignment: 'roundRobin', members: [ALICE, BOB, CAROL], free: [ALICE, CAROL], stats })).toBe(ALICE);
  });

  it('should stay fair when some members are busy for some slots', () => {
    const members = [ALICE, BOB, CAROL];
    const stats = new Map<string, AssignmentStats>();
    for (let booking = 0; booking < 30; booking += 1) {
      // Carol is busy every third slot; she catches up on the others.
      const free = booking % 3 === 0 ? [ALICE, BOB] : members;
      const member = pickMember({ assignment: 'roundRobin', members, free, stats })!;
      stats.set(member, { count: (stats.get(member)?.count ?? 0) + 1, lastBookedAt: booking });
    }
    expect(members.map((member) => stats.get(member)?.count)).toEqual([10, 10, 10]);
  });

  it('should pick the first free member in list order when assignment is firstAvailable', () => {
    const stats = new Map([[BOB, { count: 9, lastBookedAt: 1 }]]);
    expect(pickMember({ assignment: 'firstAvailable', members: [BOB, ALICE], free: [ALICE, BOB], stats })).toBe(BOB);
    expect(pickMember({ assignment: 'firstAvailable', members: [BOB, ALICE], free: [ALICE], stats })).toBe(ALICE);
    expect(pickMember({ assignment: 'firstAvailable', members: [BOB, ALICE], free: [], stats })).toBeUndefined();
  });
});

describe('booking settings', () => {
  it('should accept slugs of lower-case letters, digits and dashes only', () => {
    expect(['intro-call', 'abc', 'sales-team-2'].every(isValidSlug)).toBe(true);
    expect(['ab', 'Intro', 'intro call', '-intro', 'intro-', 'é-call', 'manage', 'a'.repeat(81)].some(isValidSlug)).toBe(false);
  });

  it('should accept IANA time zones only', () => {
    expect(isValidTimezone('Europe/Paris')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });

  it('should refuse availability with unknown days, bad times, reversed or overlapping ranges', () => {
    expect(availabilityProblems({ mon: [['09:00', '12:00'], ['13:00', '17:00']], sun: [] })).toEqual([]);
    expect(availabilityProblems({ monday: [['09:00', '12:00']] })).toHaveLength(1);
    expect(availabilityProblems({ mon: [['9:00', '12:00']] })).toHaveLength(1);
    expect(availabilityProblems({ mon: [['12:00', '09:00']] })).toHaveLength(1);
    expect(availabilityProblems({ mon: [['09:00', '12:00'], ['11:00', '13:00']] })).toHaveLength(1);
    expect(availabilityProblems([])).toHaveLength(1);
  });

  it('should read a visitor window of whole days in their time zone', () => {
    const window = windowOf({ from: '2026-03-02', to: '2026-03-02', zone: 'America/New_York' })!;
    expect([iso(window.start), iso(window.end)]).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-03T05:00:00.000Z']);
    expect(windowOf({ from: 'soon', to: '2026-03-02', zone: 'UTC' })).toBeUndefined();
  });
});
