import { describe, expect, it } from 'vitest';
import {
  getZonedStartOfDay,
  getZonedToday,
  resolveDayWindow,
  resolveRelativeDate,
  toColumnBounds,
} from './relative-dates.ts';

// Wednesday 15 May 2024, noon in Paris.
const NOW = new Date('2024-05-15T10:00:00Z');

describe('relative dates', () => {
  describe('getZonedToday', () => {
    it.each([
      ['Europe/Paris', '2024-05-15T21:59:59Z', '2024-05-15'],
      ['Europe/Paris', '2024-05-15T22:00:00Z', '2024-05-16'],
      ['Pacific/Kiritimati', '2024-05-15T10:00:00Z', '2024-05-16'],
      ['Pacific/Pago_Pago', '2024-05-15T10:00:00Z', '2024-05-14'],
      ['Asia/Kolkata', '2024-05-15T18:29:59Z', '2024-05-15'],
      ['Asia/Kolkata', '2024-05-15T18:30:00Z', '2024-05-16'],
      ['UTC', '2024-12-31T23:59:59.999Z', '2024-12-31'],
    ])('should give the calendar day in %s at %s', (timeZone, instant, day) => {
      expect(getZonedToday(timeZone, new Date(instant))).toBe(day);
    });

    it('should reject an unknown time zone', () => {
      expect(() => getZonedToday('Mars/Olympus', NOW)).toThrow('Unknown time zone "Mars/Olympus"');
    });
  });

  describe('resolveRelativeDate', () => {
    it.each([
      ['today', '2024-05-15', '2024-05-16'],
      ['yesterday', '2024-05-14', '2024-05-15'],
      ['tomorrow', '2024-05-16', '2024-05-17'],
      ['thisWeek', '2024-05-13', '2024-05-20'],
      ['lastWeek', '2024-05-06', '2024-05-13'],
      ['nextWeek', '2024-05-20', '2024-05-27'],
      ['thisMonth', '2024-05-01', '2024-06-01'],
      ['lastMonth', '2024-04-01', '2024-05-01'],
      ['nextMonth', '2024-06-01', '2024-07-01'],
      ['thisQuarter', '2024-04-01', '2024-07-01'],
      ['lastQuarter', '2024-01-01', '2024-04-01'],
      ['nextQuarter', '2024-07-01', '2024-10-01'],
      ['thisYear', '2024-01-01', '2025-01-01'],
      ['lastYear', '2023-01-01', '2024-01-01'],
      ['nextYear', '2025-01-01', '2026-01-01'],
    ] as const)('should resolve %s to [%s, %s)', (relative, start, end) => {
      expect(resolveRelativeDate(relative, 'Europe/Paris', NOW)).toEqual({ start, end });
    });

    it('should start weeks on Monday, also on a Sunday and a Monday', () => {
      expect(resolveRelativeDate('thisWeek', 'UTC', new Date('2024-05-19T23:00:00Z'))).toEqual({ start: '2024-05-13', end: '2024-05-20' });
      expect(resolveRelativeDate('thisWeek', 'UTC', new Date('2024-05-20T00:00:00Z'))).toEqual({ start: '2024-05-20', end: '2024-05-27' });
      // Sunday 23:30 in Paris is already Monday in Kiritimati.
      expect(resolveRelativeDate('thisWeek', 'Pacific/Kiritimati', new Date('2024-05-19T21:30:00Z'))).toEqual({ start: '2024-05-20', end: '2024-05-27' });
    });

    it('should cross year boundaries', () => {
      const january = new Date('2024-01-10T12:00:00Z');
      expect(resolveRelativeDate('lastMonth', 'UTC', january)).toEqual({ start: '2023-12-01', end: '2024-01-01' });
      expect(resolveRelativeDate('lastQuarter', 'UTC', january)).toEqual({ start: '2023-10-01', end: '2024-01-01' });
      expect(resolveRelativeDate('lastWeek', 'UTC', january)).toEqual({ start: '2024-01-01', end: '2024-01-08' });
      const december = new Date('2024-12-31T12:00:00Z');
      expect(resolveRelativeDate('nextMonth', 'UTC', december)).toEqual({ start: '2025-01-01', end: '2025-02-01' });
      expect(resolveRelativeDate('nextQuarter', 'UTC', december)).toEqual({ start: '2025-01-01', end: '2025-04-01' });
      expect(resolveRelativeDate('tomorrow', 'UTC', december)).toEqual({ start: '2025-01-01', end: '2025-01-02' });
    });

    it('should handle leap days', () => {
      const leapDay = new Date('2024-02-29T12:00:00Z');
      expect(resolveRelativeDate('today', 'UTC', leapDay)).toEqual({ start: '2024-02-29', end: '2024-03-01' });
      expect(resolveRelativeDate('thisMonth', 'UTC', leapDay)).toEqual({ start: '2024-02-01', end: '2024-03-01' });
    });

    it('should use the day of the workspace zone, not of UTC', () => {
      // 23:30 UTC on the 31st of May is already June in Paris.
      const lateMay = new Date('2024-05-31T23:30:00Z');
      expect(resolveRelativeDate('thisMonth', 'Europe/Paris', lateMay)).toEqual({ start: '2024-06-01', end: '2024-07-01' });
      expect(resolveRelativeDate('thisMonth', 'America/New_York', lateMay)).toEqual({ start: '2024-05-01', end: '2024-06-01' });
    });
  });

  describe('resolveDayWindow', () => {
    it('should count today in the last and the next N days', () => {
      expect(resolveDayWindow('last', 7, 'Europe/Paris', NOW)).toEqual({ start: '2024-05-09', end: '2024-05-16' });
      expect(resolveDayWindow('last', 1, 'Europe/Paris', NOW)).toEqual({ start: '2024-05-15', end: '2024-05-16' });
      expect(resolveDayWindow('next', 7, 'Europe/Paris', NOW)).toEqual({ start: '2024-05-15', end: '2024-05-22' });
      expect(resolveDayWindow('next', 3650, 'UTC', NOW)).toEqual({ start: '2024-05-15', end: '2034-05-13' });
    });
  });

  describe('getZonedStartOfDay', () => {
    it.each([
      ['a normal day in Paris (CEST)', '2024-05-15', 'Europe/Paris', '2024-05-14T22:00:00.000Z'],
      ['a winter day in Paris (CET)', '2024-01-15', 'Europe/Paris', '2024-01-14T23:00:00.000Z'],
      ['the 23-hour day in Paris (clocks forward at 02:00)', '2024-03-31', 'Europe/Paris', '2024-03-30T23:00:00.000Z'],
      ['the day after it', '2024-04-01', 'Europe/Paris', '2024-03-31T22:00:00.000Z'],
      ['the 25-hour day in Paris (clocks back at 03:00)', '2024-10-27', 'Europe/Paris', '2024-10-26T22:00:00.000Z'],
      ['the day after it', '2024-10-28', 'Europe/Paris', '2024-10-27T23:00:00.000Z'],
      ['New York on its spring-forward day', '2024-03-10', 'America/New_York', '2024-03-10T05:00:00.000Z'],
      ['Havana where midnight is skipped: the day starts at 01:00', '2024-03-10', 'America/Havana', '2024-03-10T05:00:00.000Z'],
      ['Havana where midnight happens twice: the first one', '2024-11-03', 'America/Havana', '2024-11-03T04:00:00.000Z'],
      ['the day after it', '2024-11-04', 'America/Havana', '2024-11-04T05:00:00.000Z'],
      ['a half-hour zone', '2024-05-15', 'Asia/Kolkata', '2024-05-14T18:30:00.000Z'],
      ['a +14 zone', '2024-05-15', 'Pacific/Kiritimati', '2024-05-14T10:00:00.000Z'],
      ['a +13:45 zone', '2024-05-15', 'Pacific/Chatham', '2024-05-14T11:15:00.000Z'],
    ])('should find %s', (_name, day, timeZone, instant) => {
      expect(getZonedStartOfDay(day, timeZone)).toBe(instant);
    });
  });

  describe('toColumnBounds', () => {
    it('should keep days for date columns and give instants for datetime columns', () => {
      const today = resolveRelativeDate('today', 'Europe/Paris', new Date('2024-03-31T12:00:00Z'));
      expect(toColumnBounds(today, 'date', 'Europe/Paris')).toEqual({ start: '2024-03-31', end: '2024-04-01' });
      // A 23-hour day.
      expect(toColumnBounds(today, 'datetime', 'Europe/Paris')).toEqual({ start: '2024-03-30T23:00:00.000Z', end: '2024-03-31T22:00:00.000Z' });
      const thisWeek = resolveRelativeDate('thisWeek', 'Europe/Paris', new Date('2024-10-23T12:00:00Z'));
      // Starts in summer time, ends in winter time.
      expect(toColumnBounds(thisWeek, 'datetime', 'Europe/Paris')).toEqual({ start: '2024-10-20T22:00:00.000Z', end: '2024-10-27T23:00:00.000Z' });
    });
  });
});
