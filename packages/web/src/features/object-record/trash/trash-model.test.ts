import { describe, expect, it } from 'vitest';
import { daysLeft, TRASH_DAYS } from './trash-model.ts';

describe('daysLeft', () => {
  const deletedAt = '2026-03-01T12:00:00.000Z';
  const at = (iso: string) => new Date(iso);

  it('should leave the full 30 days just after the delete', () => {
    expect(daysLeft(deletedAt, at('2026-03-01T12:00:00.000Z'))).toBe(TRASH_DAYS);
    expect(daysLeft(deletedAt, at('2026-03-01T12:00:01.000Z'))).toBe(TRASH_DAYS);
  });

  it('should count whole days down, 1 on the last day', () => {
    expect(daysLeft(deletedAt, at('2026-03-02T12:00:01.000Z'))).toBe(29);
    expect(daysLeft(deletedAt, at('2026-03-31T11:59:59.000Z'))).toBe(1);
  });

  it('should answer 0 once the record is due for the purge, never less', () => {
    expect(daysLeft(deletedAt, at('2026-03-31T12:00:00.000Z'))).toBe(0);
    expect(daysLeft(deletedAt, at('2026-05-01T00:00:00.000Z'))).toBe(0);
  });

  it('should never answer more than 30 days, even with a clock behind the server', () => {
    expect(daysLeft(deletedAt, at('2026-02-20T00:00:00.000Z'))).toBe(TRASH_DAYS);
  });
});
