/** What `now()` and `today()` read; set around each evaluation (evaluation is synchronous). */
export interface EvaluateOptions {
  /** The instant `now()` returns; defaults to the time of the first call in this evaluation. */
  now?: Date;
  /** The IANA time zone whose calendar `today()` follows, usually the workspace's; default UTC. */
  timeZone?: string;
}

let current: { now: Date | undefined; timeZone: string } = { now: undefined, timeZone: 'UTC' };

export const runWithClock = <T>(options: EvaluateOptions | undefined, run: () => T): T => {
  const previous = current;
  current = { now: options?.now, timeZone: options?.timeZone ?? 'UTC' };
  try {
    return run();
  } finally {
    current = previous;
  }
};

/** One instant per evaluation, so `now() == now()` and every rule of a write agree. */
export const readNow = (): Date => (current.now ??= new Date());

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Today's date in the clock's time zone, as midnight UTC: the same shape date fields have, so
 * `record.closeDate >= today()` compares calendar days.
 */
export const readToday = (): Date => {
  const now = readNow();
  const { timeZone } = current;
  if (timeZone === 'UTC') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, formatter);
  }
  // en-CA formats as YYYY-MM-DD.
  return new Date(`${formatter.format(now)}T00:00:00.000Z`);
};
