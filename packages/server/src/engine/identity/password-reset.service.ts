import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import { clearSignInFailures } from './sign-in-lockout.ts';
import { hashToken, newLinkToken } from './tokens.ts';
import { findAccountByEmail } from './users.service.ts';

export const RESET_TTL_MINUTES = 60;
/** At most this many reset links per account and hour; more requests are silently ignored. */
export const MAX_RESETS_PER_HOUR = 3;

export const resetUrl = (publicUrl: string, token: string) => `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`;

/**
 * A reset link for the account of this email, or nothing: for an unknown email, an account without a
 * password (invited, SSO only) or too many recent requests. The caller answers the same either way.
 */
export const requestPasswordReset = async (db: Db, email: string): Promise<{ to: string; token: string } | undefined> => {
  const account = await findAccountByEmail(db, email);
  if (!account?.passwordHash) return undefined;
  const { rows } = await sql<{ active: boolean; recent: number }>`
    select exists(select 1 from rapport.workspace_member where user_id = ${account.id} and status = 'active') as active,
      (select count(*)::int from rapport.password_reset where user_id = ${account.id} and created_at > now() - interval '1 hour') as recent`.execute(db);
  if (!rows[0]?.active || rows[0].recent >= MAX_RESETS_PER_HOUR) return undefined;
  const token = newLinkToken();
  await sql`insert into rapport.password_reset (id, user_id, token_hash, expires_at)
    values (${randomUUID()}, ${account.id}, ${hashToken(token)}, now() + make_interval(mins => ${RESET_TTL_MINUTES}))`.execute(db);
  return { to: account.email, token };
};

const linkInvalid = () => new AppError('LINK_INVALID', 'This password reset link is unknown, expired or already used. Ask for a new one.');

/** Sets the new password, uses up every pending link of the account and signs it out everywhere. */
export const confirmPasswordReset = async (db: Db, input: { token: string; password: string }): Promise<{ userId: string; email: string }> => {
  const { rows } = await sql<{ id: string; user_id: string; email: string; name: string; expires_at: string; used_at: string | null }>`
    select r.id, r.user_id, u.email, u.name, r.expires_at, r.used_at
    from rapport.password_reset r join rapport.user u on u.id = r.user_id
    where r.token_hash = ${hashToken(input.token)}`.execute(db);
  const row = rows[0];
  if (!row || row.used_at || new Date(row.expires_at).getTime() <= Date.now()) throw linkInvalid();
  const errors = checkPassword({ password: input.password, email: row.email, name: row.name });
  if (errors.length > 0) throw validationFailed(errors);
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const { rows: taken } = await sql`update rapport.password_reset set used_at = now()
      where id = ${row.id} and used_at is null and expires_at > now() returning id`.execute(trx);
    if (taken.length === 0) throw linkInvalid();
    await sql`update rapport.user set password_hash = ${passwordHash}, password_changed_at = now(), updated_at = now() where id = ${row.user_id}`.execute(trx);
    await sql`update rapport.password_reset set used_at = now() where user_id = ${row.user_id} and used_at is null`.execute(trx);
    await sql`update rapport.session set revoked_at = now() where user_id = ${row.user_id} and revoked_at is null`.execute(trx);
    await clearSignInFailures(trx, row.email);
  });
  return { userId: row.user_id, email: row.email };
};
