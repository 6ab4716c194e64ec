import { addLocalDays } from './calendar-days.ts';

/**
 * Rescheduling from the keyboard, on a focused item of the calendar (FullCalendar's views):
 *
 * - Alt+Arrow moves it: in the week and day time grids, Up/Down by a slot (30 minutes) and Left/Right by a day;
 *   in the month (and a date field's week and day) grids and in the agenda, Left/Right by a day and Up/Down by a
 *   week (a day in the agenda, which is one column of days).
 * - Alt+Shift+Arrow changes its length, the start staying: Down/Right longer, Up/Left shorter, by a slot in the time
 *   grids and by a day elsewhere; never shorter than one step.
 *
 * Days are local calendar days (a clock change keeps the wall-clock time). Pure: the view applies the result.
 */

/** How a FullCalendar view lays items out, which decides what an arrow means. */
export type CalendarLayout = 'timeGrid' | 'dayGrid' | 'list';

/** The slot of FullCalendar's time grids (its default `slotDuration`). */
export const SLOT_MINUTES = 30;
const MINUTE = 60_000;

export interface KeyPress {
  key: string;
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

export interface KeyboardChange {
  kind: 'moved' | 'resized';
  start: Date;
  /** The new end (exclusive, as calendars count); undefined for an item without one that was only moved. */
  end: Date | undefined;
}

export interface KeyboardItem {
  start: Date;
  end: Date | undefined;
  allDay: boolean;
}

export const layoutOf = (viewType: string): CalendarLayout => (viewType.startsWith('timeGrid') ? 'timeGrid' : viewType.startsWith('list') ? 'list' : 'dayGrid');

const ARROWS = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'] as const;
type Arrow = (typeof ARROWS)[number];
const isArrow = (key: string): key is Arrow => (ARROWS as readonly string[]).includes(key);

/** A shift of an instant: minutes (a slot) or local days. */
type Step = { minutes: number } | { days: number };
const shift = (date: Date, step: Step): Date => ('minutes' in step ? new Date(date.getTime() + step.minutes * MINUTE) : addLocalDays(date, step.days));

/** What an arrow moves an item by in a layout. */
const moveStepOf = (arrow: Arrow, layout: CalendarLayout): Step => {
  const sign = arrow === 'ArrowUp' || arrow === 'ArrowLeft' ? -1 : 1;
  if (arrow === 'ArrowLeft' || arrow === 'ArrowRight') return { days: sign };
  if (layout === 'timeGrid') return { minutes: sign * SLOT_MINUTES };
  return { days: sign * (layout === 'dayGrid' ? 7 : 1) };
};

/** What an arrow with Shift changes the length by: a slot in the time grids, a day elsewhere. */
const resizeStepOf = (arrow: Arrow, layout: CalendarLayout): Step => {
  const sign = arrow === 'ArrowUp' || arrow === 'ArrowLeft' ? -1 : 1;
  return layout === 'timeGrid' ? { minutes: sign * SLOT_MINUTES } : { days: sign };
};

/** The end an item shows with when it has none: FullCalendar's defaults, a day for a whole-day item, an hour else. */
const shownEndOf = (item: KeyboardItem): Date => item.end ?? (item.allDay ? addLocalDays(item.start, 1) : new Date(item.start.getTime() + 60 * MINUTE));

/**
 * The change a key press asks for on a focused item, or undefined when it is not a rescheduling key (or would make
 * the item shorter than one step, or it cannot be resized).
 */
export const keyboardChangeOf = (press: KeyPress, { item, layout, canResize }: { item: KeyboardItem; layout: CalendarLayout; canResize: boolean }): KeyboardChange | undefined => {
  if (!press.altKey || press.ctrlKey || press.metaKey || !isArrow(press.key)) return undefined;
  if (!press.shiftKey) {
    const step = moveStepOf(press.key, layout);
    return { kind: 'moved', start: shift(item.start, step), end: item.end ? shift(item.end, step) : undefined };
  }
  if (!canResize) return undefined;
  const step = resizeStepOf(press.key, layout);
  const end = shift(shownEndOf(item), step);
  // At least one step long: a whole day for a whole-day item, a slot in the time grid.
  const shortest = layout === 'timeGrid' ? new Date(item.start.getTime() + SLOT_MINUTES * MINUTE) : item.allDay ? addLocalDays(item.start, 1) : new Date(item.start.getTime() + MINUTE);
  if (end < shortest) return undefined;
  return { kind: 'resized', start: item.start, end };
};

/** The keys an item answers to, for `aria-keyshortcuts`. */
export const keyShortcutsOf = (canResize: boolean): string => {
  const moves = ARROWS.map((arrow) => `Alt+${arrow}`);
  return [...moves, ...(canResize ? ARROWS.map((arrow) => `Alt+Shift+${arrow}`) : [])].join(' ');
};
