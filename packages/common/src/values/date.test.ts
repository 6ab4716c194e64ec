import { describe, expect, it } from 'vitest';
import { normalizeDate, normalizeDateTime } from './date.ts';

const expectInvalid = (result: ReturnType<typeof normalizeDate>, fragment: string): void => {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.code).toBe('invalidDate');
    expect(result.message).toContain(fragment);
  }
};

describe('normalizeDate', () => {
  it.each([
    ['2024-05-31', '2024-05-31'],
    [' 2024-02-29 ', '2024-02-29'],
    ['2024-05-01T23:30:00-05:00', '2024-05-01'],
    ['2024-05-31T08:00:00.000Z', '2024-05-31'],
    ['0042-01-01', '0042-01-01'],
  ])('should accept %s', (input, expected) => {
    expect(normalizeDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2024-02-30', 'does not exist'],
    ['2023-02-29', 'does not exist'],
    ['2024-13-01', 'does not exist'],
    ['0000-01-01', 'does not exist'],
    ['01/02/2024', 'use YYYY-MM-DD'],
    ['2024/01/02', 'use YYYY-MM-DD'],
    ['2024-1-2', 'use YYYY-MM-DD'],
    ['20240102', 'use YYYY-MM-DD'],
    ['May 31, 2024', 'use YYYY-MM-DD'],
    ['2024-05-31T08:00', 'no time zone'],
    ['2024-05-31T25:00Z', 'not a valid time'],
  ])('should reject %j', (input, fragment) => {
    expectInvalid(normalizeDate(input), fragment);
  });
});

describe('normalizeDateTime', () => {
  it.each([
    ['2024-05-31T08:00:00Z', '2024-05-31T08:00:00.000Z'],
    ['2024-05-31T08:00Z', '2024-05-31T08:00:00.000Z'],
    ['2024-05-31t08:00:00.1234567z', '2024-05-31T08:00:00.123Z'],
    ['2024-05-31 10:00:00+02:00', '2024-05-31T08:00:00.000Z'],
    ['2024-05-31T03:30:00-0430', '2024-05-31T08:00:00.000Z'],
    ['2024-01-01T00:30:00+01:00', '2023-12-31T23:30:00.000Z'],
    ['2024-05-31', '2024-05-31T00:00:00.000Z'],
  ])('should read %s as %s', (input, expected) => {
    expect(normalizeDateTime(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2024-05-31T08:00:00', 'no time zone'],
    ['2024-02-30T08:00:00Z', 'does not exist'],
    ['2024-05-31T24:00:00Z', 'not a valid time'],
    ['2024-05-31T08:60:00Z', 'not a valid time'],
    ['2024-05-31T08:00:60Z', 'not a valid time'],
    ['2024-05-31T08:00:00+25:00', 'not a valid offset'],
    ['0001-01-01T00:00:00+01:00', 'outside the years'],
    ['1717142400000', 'not an ISO 8601'],
    ['31/05/2024 08:00', 'not an ISO 8601'],
    ['Fri, 31 May 2024 08:00:00 GMT', 'not an ISO 8601'],
  ])('should reject %j', (input, fragment) => {
    expectInvalid(normalizeDateTime(input), fragment);
  });
});
