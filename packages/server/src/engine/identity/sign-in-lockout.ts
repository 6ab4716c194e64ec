import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { rateLimited } from './rate-limit.ts';

/**
 * Progressive lockout after failed sign-ins, per email tried and per IP: from the Nth failure within an
 * hour, sign-in is refused for 1 minute, then 2, 4... up to an hour. The counters live in
 * `rapport.rate_limit` (`signin-fail:...` and `signin-lock:...`), so every server sees them.
 */
export const LOCKOUT_RULES = {
  email: { threshold: 5 },
  ip: { threshold: 20 },
} as const;

const BASE_LOCK_SECONDS = 60;
const MAX_LOCK_SECONDS = 3600;

export type LockoutSubject = { kind: 'email' | 'ip'; value: string };

const subjectKey = ({ kind, value }: LockoutSubject) => `${kind}:${value.toLowerCase()}`;

/** Throws RATE_LIMITED with Retry-After while any of the subjects is locked. */
export const assertNotLockedOut = async (db: Db, subjects: LockoutSubject[]): Promise<void> => {
  const keys = subjects.map((subject) => `signin-lock:${subjectKey(subject)}`);
  const { rows } = await sql<{ seconds: number }>`
    select max(ceil(extract(epoch from reset_at - now())))::int as seconds from rapport.rate_limit
    where key = any(${keys}::text[]) and reset_at > now()`.execute(db);
  const seconds = rows[0]?.seconds;
  if (seconds && seconds > 0) {
    throw rateLimited(seconds, `Too many failed sign-ins. Try again in ${seconds} s, or reset your password.`);
  }
};

/** Counts a failed sign-in against each subject and locks those past their threshold. */
export const recordSignInFailure = async (db: Db, subjects: LockoutSubject[]): Promise<void> => {
  for (const subject of subjects) {
    const key = subjectKey(subject);
    const { rows } = await sql<{ hits: number }>`
      insert into rapport.rate_limit (key, hits, reset_at) values (${`signin-fail:${key}`}, 1, now() + interval '1 hour')
      on conflict (key) do update set
        hits = case when rate_limit.reset_at <= now() then 1 else rate_limit.hits + 1 end,
        reset_at = case when rate_limit.reset_at <= now() then now() + interval '1 hour' else rate_limit.reset_at end
      returning hits`.execute(db);
    const failures = Number(rows[0]?.hits ?? 0);
    const { threshold } = LOCKOUT_RULES[subject.kind];
    if (failures < threshold) continue;
    const seconds = Math.min(BASE_LOCK_SECONDS * 2 ** Math.min(failures - threshold, 16), MAX_LOCK_SECONDS);
    await sql`insert into rapport.rate_limit (key, hits, reset_at) values (${`signin-lock:${key}`}, ${failures}, now() + make_interval(secs => ${seconds}))
      on conflict (key) do update set hits = excluded.hits, reset_at = excluded.reset_at`.execute(db);
  }
};

/** A successful sign-in clears the failures of the email (not of the IP, shared by others). */
export const clearSignInFailures = async (db: Db, email: string): Promise<void> => {
  const key = subjectKey({ kind: 'email', value: email });
  await sql`delete from rapport.rate_limit where key in (${`signin-fail:${key}`}, ${`signin-lock:${key}`})`.execute(db);
};
