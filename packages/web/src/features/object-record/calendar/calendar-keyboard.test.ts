import { afterAll, describe, expect, it } from 'vitest';
import { keyboardChangeOf, keyShortcutsOf, layoutOf, type KeyPress } from './calendar-keyboard.ts';

// Paris moves its clocks on 29 March 2026: a day moved across it keeps its wall-clock time. Set before the dates
// below are made.
const zone = process.env.TZ;
process.env.TZ = 'Europe/Paris';
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({ key, altKey: true, shiftKey: false, ctrlKey: false, metaKey: false, ...modifiers });
const local = (day: number, hour: number, minute = 0, month = 2) => new Date(2026, month, day, hour, minute);
// Thursday 26 March 2026, 10:00–11:00 local.
const meeting = { start: local(26, 10), end: local(26, 11), allDay: false };
const timeGrid = { item: meeting, layout: 'timeGrid' as const, canResize: true };

describe('keyboard rescheduling', () => {
  it('should read FullCalendar\'s view types as layouts', () => {
    expect([layoutOf('timeGridWeek'), layoutOf('timeGridDay'), layoutOf('dayGridMonth'), layoutOf('dayGridWeek'), layoutOf('listMonth')]).toEqual(['timeGrid', 'timeGrid', 'dayGrid', 'dayGrid', 'list']);
  });

  it('should move by a slot with Alt+Up/Down and by a day with Alt+Left/Right in the time grid, the end with it', () => {
    expect(keyboardChangeOf(press('ArrowDown'), timeGrid)).toEqual({ kind: 'moved', start: local(26, 10, 30), end: local(26, 11, 30) });
    expect(keyboardChangeOf(press('ArrowUp'), timeGrid)).toEqual({ kind: 'moved', start: local(26, 9, 30), end: local(26, 10, 30) });
    expect(keyboardChangeOf(press('ArrowLeft'), timeGrid)).toEqual({ kind: 'moved', start: local(25, 10), end: local(25, 11) });
  });

  it('should keep the wall-clock time when a day step crosses a clock change', () => {
    // Saturday 28 to Sunday 29 March: 23 hours apart, still 10:00 local.
    const saturday = { ...timeGrid, item: { ...meeting, start: local(28, 10), end: local(28, 11) } };
    const moved = keyboardChangeOf(press('ArrowRight'), saturday)!;
    expect([moved.start.getHours(), moved.start.getDate(), moved.end!.getHours()]).toEqual([10, 29, 11]);
    expect(moved.start.getTime() - saturday.item.start.getTime()).toBe(23 * 3_600_000);
  });

  it('should move by a day or a week in the month grid, and by a day in the agenda', () => {
    const deal = { start: local(26, 0), end: local(27, 0), allDay: true };
    expect(keyboardChangeOf(press('ArrowRight'), { item: deal, layout: 'dayGrid', canResize: false })).toEqual({ kind: 'moved', start: local(27, 0), end: local(28, 0) });
    expect(keyboardChangeOf(press('ArrowDown'), { item: deal, layout: 'dayGrid', canResize: false })).toMatchObject({ start: local(2, 0, 0, 3) });
    expect(keyboardChangeOf(press('ArrowUp'), { item: meeting, layout: 'list', canResize: true })).toMatchObject({ start: local(25, 10), end: local(25, 11) });
    // Without an end: only the start moves.
    expect(keyboardChangeOf(press('ArrowLeft'), { item: { start: local(26, 0), end: undefined, allDay: true }, layout: 'dayGrid', canResize: false })).toEqual({ kind: 'moved', start: local(25, 0), end: undefined });
  });

  it('should change the length with Alt+Shift, never below one step, and only when it can be resized', () => {
    expect(keyboardChangeOf(press('ArrowDown', { shiftKey: true }), timeGrid)).toEqual({ kind: 'resized', start: meeting.start, end: local(26, 11, 30) });
    expect(keyboardChangeOf(press('ArrowUp', { shiftKey: true }), timeGrid)).toEqual({ kind: 'resized', start: meeting.start, end: local(26, 10, 30) });
    const halfHour = { ...timeGrid, item: { ...meeting, end: local(26, 10, 30) } };
    expect(keyboardChangeOf(press('ArrowUp', { shiftKey: true }), halfHour)).toBeUndefined();
    expect(keyboardChangeOf(press('ArrowDown', { shiftKey: true }), { ...timeGrid, canResize: false })).toBeUndefined();
    // A whole-day item by days: three days, one shorter, but not less than one.
    const trip = { start: local(10, 0), end: local(13, 0), allDay: true };
    expect(keyboardChangeOf(press('ArrowLeft', { shiftKey: true }), { item: trip, layout: 'dayGrid', canResize: true })).toEqual({ kind: 'resized', start: local(10, 0), end: local(12, 0) });
    expect(keyboardChangeOf(press('ArrowLeft', { shiftKey: true }), { item: { ...trip, end: local(11, 0) }, layout: 'dayGrid', canResize: true })).toBeUndefined();
    // An item shown without an end (FullCalendar's hour) gets one.
    expect(keyboardChangeOf(press('ArrowDown', { shiftKey: true }), { ...timeGrid, item: { ...meeting, end: undefined } })).toMatchObject({ end: local(26, 11, 30) });
  });

  it('should leave other keys to the browser and FullCalendar', () => {
    expect(keyboardChangeOf(press('ArrowDown', { altKey: false }), timeGrid)).toBeUndefined();
    expect(keyboardChangeOf(press('ArrowDown', { ctrlKey: true }), timeGrid)).toBeUndefined();
    expect(keyboardChangeOf(press('ArrowDown', { metaKey: true }), timeGrid)).toBeUndefined();
    expect(keyboardChangeOf(press('Enter'), timeGrid)).toBeUndefined();
    expect(keyShortcutsOf(false)).toBe('Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight');
    expect(keyShortcutsOf(true).split(' ')).toHaveLength(8);
  });
});
