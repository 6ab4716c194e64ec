import { describe, expect, it } from 'vitest';
import { dueAtOf, fillPlaceholders, mailtoOf } from './apply-template.ts';

describe('action templates', () => {
  it('should fill the title and fields of the record, leaving unknown placeholders for the author to see', () => {
    const record = { name: 'Big renewal', amount: { amount: 1200, currency: 'EUR' }, probability: 40, closeDate: null };
    expect(fillPlaceholders('Follow up {{title}} ({{ amount }}, {{probability}}%, {{closeDate}}) {{nope}}', record, 'Big renewal')).toBe('Follow up Big renewal (1200 EUR, 40%, ) {{nope}}');
  });

  it('should put a due time on the local day in the workspace time zone, across a clock change', () => {
    // Saturday 28 March 2026 in Paris (UTC+1); a day later the clocks go forward (UTC+2).
    const now = new Date('2026-03-28T20:00:00Z');
    expect(dueAtOf(now, 'Europe/Paris', 1, '09:00')).toBe('2026-03-29T07:00:00.000Z');
    expect(dueAtOf(now, 'Europe/Paris', 0, '09:00')).toBe('2026-03-28T08:00:00.000Z');
    // Late evening in New York is already the next day in UTC: the local day counts.
    expect(dueAtOf(new Date('2026-12-03T03:30:00Z'), 'America/New_York', 1, '10:30')).toBe('2026-12-03T15:30:00.000Z');
    expect(dueAtOf(now, 'UTC', 2, 'not a time')).toBe('2026-03-30T09:00:00.000Z');
  });

  it('should make a mailto link of a draft', () => {
    expect(mailtoOf('ada@example.com', 'Following up & more', 'Hi,\nthanks')).toBe('mailto:ada%40example.com?subject=Following%20up%20%26%20more&body=Hi%2C%0Athanks');
    expect(mailtoOf(null, 'S', 'B')).toBe('mailto:?subject=S&body=B');
  });
});
