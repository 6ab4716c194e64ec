import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

export interface RateLimitRule {
  /** Hits allowed per window; 0 turns the rule off. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** Counts a hit of `key`; throws RATE_LIMITED (429, Retry-After) past the rule's limit. */
  consume(key: string, rule: RateLimitRule): Promise<void>;
}

interface Window {
  resetAt: number;
  /** Hits of every server in this window, as the database last said. */
  shared: number;
  /** Hits of this server not yet written. */
  pending: number;
  lastWrite: number;
}

// Small limits (sign-in, sign-up, resets) are checked against the database on every hit, so several
// servers enforce them together; large ones (the general API) are counted here and written about once
// a second, so a busy API spends no query per request on them.
const STRICT_LIMIT = 100;
const WRITE_EVERY_MS = 1000;
const MAX_WINDOWS = 50_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export const rateLimited = (retryAfterSeconds: number, detail: string) =>
  new AppError('RATE_LIMITED', detail, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });

/**
 * Fixed-window counters kept in `rapport.rate_limit` (shared by every server; app servers stay
 * stateless), with an in-process front so that the general API limits cost no query per request.
 * Windows are aligned to the clock, so every server agrees on when one ends.
 */
export const createRateLimiter = (db: Db, onError: (error: unknown) => void = () => undefined): RateLimiter => {
  const windows = new Map<string, Window>();
  let lastPrune = Date.now();

  const write = async (key: string, window: Window) => {
    const hits = window.pending;
    if (hits === 0) return;
    window.pending = 0;
    window.lastWrite = Date.now();
    try {
      const { rows } = await sql<{ hits: number; reset_at: string }>`
        insert into rapport.rate_limit (key, hits, reset_at) values (${key}, ${hits}, ${new Date(window.resetAt).toISOString()})
        on conflict (key) do update set
          hits = case when rate_limit.reset_at < excluded.reset_at then excluded.hits else rate_limit.hits + excluded.hits end,
          reset_at = greatest(rate_limit.reset_at, excluded.reset_at)
        returning hits, reset_at`.execute(db);
      const row = rows[0];
      if (row && new Date(row.reset_at).getTime() === window.resetAt) window.shared = Number(row.hits);
    } catch (error) {
      window.pending += hits;
      throw error;
    }
  };

  const prune = (now: number) => {
    if (windows.size > MAX_WINDOWS) for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    sql`delete from rapport.rate_limit where reset_at < now() - interval '1 hour'`.execute(db).catch(onError);
  };

  return {
    async consume(key, rule) {
      if (rule.limit <= 0) return;
      const now = Date.now();
      const resetAt = (Math.floor(now / rule.windowMs) + 1) * rule.windowMs;
      const storeKey = `${key}@${rule.windowMs}`;
      let window = windows.get(storeKey);
      if (!window || window.resetAt !== resetAt) {
        window = { resetAt, shared: 0, pending: 0, lastWrite: 0 };
        windows.set(storeKey, window);
      }
      window.pending += 1;
      if (rule.limit <= STRICT_LIMIT) {
        await write(storeKey, window);
      } else if (window.pending >= Math.ceil(rule.limit / 20) || now - window.lastWrite >= WRITE_EVERY_MS) {
        write(storeKey, window).catch(onError);
      }
      prune(now);
      if (window.shared + window.pending > rule.limit) {
        throw rateLimited((resetAt - now) / 1000, `Too many requests: at most ${rule.limit} per ${formatWindow(rule.windowMs)}. Retry in ${Math.ceil((resetAt - now) / 1000)} s.`);
      }
    },
  };
};

const formatWindow = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);
