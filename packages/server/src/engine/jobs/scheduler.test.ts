import { describe, expect, it } from 'vitest';
import { computeNextRunAt } from './scheduler.ts';

describe('computeNextRunAt', () => {
  it('should return the next match strictly after the given time when it falls on a match', () => {
    const next = computeNextRunAt({ cron: '*/5 * * * *', timezone: 'UTC', after: new Date('2024-01-01T00:05:00Z') });

    expect(next.toISOString()).toBe('2024-01-01T00:10:00.000Z');
  });

  it('should follow the wall clock of the time zone when daylight saving time starts', () => {
    const after = new Date('2024-03-30T12:00:00Z');

    const first = computeNextRunAt({ cron: '0 9 * * *', timezone: 'Europe/Paris', after });
    const second = computeNextRunAt({ cron: '0 9 * * *', timezone: 'Europe/Paris', after: first });

    expect(first.toISOString()).toBe('2024-03-31T07:00:00.000Z');
    expect(second.toISOString()).toBe('2024-04-01T07:00:00.000Z');
  });

  it('should throw VALIDATION_FAILED on the cron field when the expression is invalid', () => {
    expect(() => computeNextRunAt({ cron: '* * * * * * *', timezone: 'UTC', after: new Date() })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'cron' })] }),
    );
  });

  it('should throw VALIDATION_FAILED on the timezone field when the zone is unknown', () => {
    expect(() => computeNextRunAt({ cron: '0 * * * *', timezone: 'Mars/Olympus', after: new Date() })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'timezone' })] }),
    );
  });
});
