import { describe, expect, it } from 'vitest';
import { findNextOccurrence, parseRecurrence, planNextOccurrence, type RecurrenceRule } from './task-recurrence-rule.ts';

const rule = (text: string): RecurrenceRule => {
  const parsed = parseRecurrence(text);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed;
};
const next = (text: string, after: string, timeZone: string) => findNextOccurrence({ rule: rule(text), after: new Date(after), timeZone })?.toISOString();

describe('parseRecurrence', () => {
  it('should keep a valid rule in upper case without its RRULE: prefix', () => {
    expect(parseRecurrence('rrule:freq=weekly;byday=mo,th')).toEqual({ text: 'FREQ=WEEKLY;BYDAY=MO,TH' });
    expect(parseRecurrence('FREQ=MONTHLY;COUNT=3')).toEqual({ text: 'FREQ=MONTHLY;COUNT=3', count: 3 });
    expect(parseRecurrence('FREQ=DAILY;UNTIL=20260401T000000Z')).toEqual({ text: 'FREQ=DAILY;UNTIL=20260401T000000Z', until: new Date('2026-04-01T00:00:00Z') });
  });

  it.each([
    ['', 'empty'],
    ['garbage', 'Unknown rule part'],
    ['BYDAY=MO', 'FREQ must be'],
    ['FREQ=FOO', 'Not an RFC 5545 rule'],
    ['FREQ=HOURLY', 'FREQ must be'],
    ['FREQ=WEEKLY;BYDAY=XX', 'Not an RFC 5545 rule'],
    ['FREQ=WEEKLY;FOO=1', 'Unknown rule part FOO'],
    ['FREQ=DAILY;COUNT=abc', 'Not an RFC 5545 rule'],
    ['FREQ=DAILY;COUNT=0', 'COUNT is at least 1'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20260401T000000Z', 'not both'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'twice'],
  ])('should refuse %j', (text, problem) => {
    const parsed = parseRecurrence(text);
    expect(parsed).toHaveProperty('problem');
    expect((parsed as { problem: string }).problem).toContain(problem);
  });
});

describe('findNextOccurrence across DST changes', () => {
  it('should keep Monday 09:00 in Paris when summer time starts (last Sunday of March)', () => {
    // 09:00 CET is 08:00Z; a week later, 09:00 CEST is 07:00Z.
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-03-23T08:00:00Z', 'Europe/Paris')).toBe('2026-03-30T07:00:00.000Z');
  });

  it('should keep Monday 09:00 in Paris when summer time ends (last Sunday of October)', () => {
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-10-19T07:00:00Z', 'Europe/Paris')).toBe('2026-10-26T08:00:00.000Z');
  });

  it('should keep Monday 09:00 in Sydney when daylight saving ends (first Sunday of April)', () => {
    // 09:00 AEDT (UTC+11) is 22:00Z the day before; 09:00 AEST (UTC+10) is 23:00Z.
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-03-29T22:00:00Z', 'Australia/Sydney')).toBe('2026-04-05T23:00:00.000Z');
  });

  it('should keep Monday 09:00 in Sydney when daylight saving starts (first Sunday of October)', () => {
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-09-27T23:00:00Z', 'Australia/Sydney')).toBe('2026-10-04T22:00:00.000Z');
  });

  it('should keep a daily 18:00 in New York over the November change', () => {
    // 18:00 EDT (UTC-4) is 22:00Z; after 1 November, 18:00 EST (UTC-5) is 23:00Z.
    expect(next('FREQ=DAILY', '2026-10-31T22:00:00Z', 'America/New_York')).toBe('2026-11-01T23:00:00.000Z');
  });

  it('should move a local time that does not exist on the day of the change forward by the gap', () => {
    // 02:30 on 29 March 2026 does not exist in Paris: it is 03:30 CEST, 01:30Z.
    expect(next('FREQ=DAILY', '2026-03-28T01:30:00Z', 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('should not move at all in UTC', () => {
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-03-23T09:00:00Z', 'UTC')).toBe('2026-03-30T09:00:00.000Z');
  });
});

describe('findNextOccurrence rules', () => {
  it('should continue on the next day of the rule when the current one is off it', () => {
    // Wednesday 25 March: the next Monday is the 30th.
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-03-25T08:00:00Z', 'Europe/Paris')).toBe('2026-03-30T07:00:00.000Z');
  });

  it('should follow INTERVAL and several days', () => {
    expect(next('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', '2026-01-05T09:00:00Z', 'UTC')).toBe('2026-01-19T09:00:00.000Z');
    expect(next('FREQ=WEEKLY;BYDAY=MO,TH', '2026-01-05T09:00:00Z', 'UTC')).toBe('2026-01-08T09:00:00.000Z');
  });

  it('should skip months without the day', () => {
    expect(next('FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31T09:00:00Z', 'UTC')).toBe('2026-03-31T09:00:00.000Z');
  });

  it('should take the last working day of the month with BYSETPOS', () => {
    expect(next('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2026-01-30T09:00:00Z', 'UTC')).toBe('2026-02-27T09:00:00.000Z');
  });

  it('should stop after UNTIL', () => {
    expect(next('FREQ=DAILY;UNTIL=20260325T080000Z', '2026-03-24T08:00:00Z', 'Europe/Paris')).toBe('2026-03-25T08:00:00.000Z');
    expect(next('FREQ=DAILY;UNTIL=20260325T080000Z', '2026-03-25T08:00:00Z', 'Europe/Paris')).toBeUndefined();
  });

  it('should stop when COUNT is used up', () => {
    expect(next('FREQ=DAILY;COUNT=2', '2026-03-24T08:00:00Z', 'UTC')).toBe('2026-03-25T08:00:00.000Z');
    expect(next('FREQ=DAILY;COUNT=1', '2026-03-24T08:00:00Z', 'UTC')).toBeUndefined();
  });
});

describe('planNextOccurrence', () => {
  const now = new Date('2026-03-01T00:00:00Z');

  it('should move the reminder with the due time, keeping its local time the day before across DST', () => {
    // Due Monday 23 March 09:00 Paris, reminded Sunday 22 March 17:00 (16:00Z); next: Sunday 29 March 17:00 CEST (15:00Z).
    const planned = planNextOccurrence({ rule: rule('FREQ=WEEKLY;BYDAY=MO'), times: { dueAt: new Date('2026-03-23T08:00:00Z'), reminderAt: new Date('2026-03-22T16:00:00Z') }, timeZone: 'Europe/Paris', now });
    expect(planned).toEqual({ dueAt: new Date('2026-03-30T07:00:00Z'), reminderAt: new Date('2026-03-29T15:00:00Z'), recurrence: 'FREQ=WEEKLY;BYDAY=MO' });
  });

  it('should hand the next task the rule with one occurrence less, and nothing after the last', () => {
    const times = { dueAt: new Date('2026-03-23T08:00:00Z'), reminderAt: null };
    expect(planNextOccurrence({ rule: rule('FREQ=WEEKLY;COUNT=3;BYDAY=MO'), times, timeZone: 'UTC', now })?.recurrence).toBe('FREQ=WEEKLY;COUNT=2;BYDAY=MO');
    expect(planNextOccurrence({ rule: rule('COUNT=1;FREQ=WEEKLY'), times, timeZone: 'UTC', now })).toBeUndefined();
  });

  it('should carry the series on the reminder when there is no due time, else from now', () => {
    const reminded = planNextOccurrence({ rule: rule('FREQ=DAILY'), times: { dueAt: null, reminderAt: new Date('2026-03-10T08:00:00Z') }, timeZone: 'UTC', now });
    expect(reminded).toEqual({ dueAt: null, reminderAt: new Date('2026-03-11T08:00:00Z'), recurrence: 'FREQ=DAILY' });
    const bare = planNextOccurrence({ rule: rule('FREQ=DAILY'), times: { dueAt: null, reminderAt: null }, timeZone: 'UTC', now });
    expect(bare).toEqual({ dueAt: new Date('2026-03-02T00:00:00Z'), reminderAt: null, recurrence: 'FREQ=DAILY' });
  });
});
