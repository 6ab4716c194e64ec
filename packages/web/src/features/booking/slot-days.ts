import type { BookingSlot } from './booking-api.ts';

/** The visitor's own time zone (the browser's), UTC when the browser does not say. */
export const visitorTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** `YYYY-MM-DD` of an instant in `timeZone`. */
export const localDateOf = (instant: Date, timeZone: string) => {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
};

/** `YYYY-MM-DD` plus `days` (calendar arithmetic, no time zone involved). */
export const addDays = (date: string, days: number) => {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
};

export interface SlotDay {
  /** `YYYY-MM-DD` in the visitor's time zone. */
  date: string;
  slots: BookingSlot[];
}

/** Slots grouped by the visitor's local day, in order; days without a slot are left out. */
export const groupSlotsByDay = (slots: readonly BookingSlot[], timeZone: string): SlotDay[] => {
  const days = new Map<string, BookingSlot[]>();
  for (const slot of slots) {
    const date = localDateOf(new Date(slot.start), timeZone);
    days.set(date, [...(days.get(date) ?? []), slot]);
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, daySlots]) => ({ date, slots: daySlots }));
};
