import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes.ts';
import type { SecretBox } from './secret-box.ts';
import { checkTotp, isTotpCode, newTotpSecret, totpUrl } from './totp.ts';

export const TOTP_ISSUER = 'Rapport';

interface TotpRow {
  email: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: string | number | null;
}

const readTotp = async (db: Db, userId: string): Promise<TotpRow> => {
  const { rows } = await sql<TotpRow>`select email, totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step from rapport.user where id = ${userId}`.execute(db);
  if (!rows[0]) throw new AppError('USER_NOT_FOUND', 'This account no longer exists.');
  return rows[0];
};

const invalidCode = () => validationFailed([{ field: 'code', code: 'invalidCode', message: 'This code is wrong, expired or already used: enter the current code from your app.' }]);

/** Starts enrolment: a new secret, kept encrypted and pending until a code from it is verified. */
export const enrollTotp = async (db: Db, box: SecretBox, { userId }: { userId: string }): Promise<{ secret: string; otpauthUrl: string }> => {
  const row = await readTotp(db, userId);
  if (row.totp_enabled_at) throw new AppError('CONFLICT', 'Two-factor authentication is already on. Turn it off first to enrol another device.');
  const secret = newTotpSecret();
  await sql`update rapport.user set totp_pending_secret = ${box.seal(secret)}, updated_at = now() where id = ${userId}`.execute(db);
  return { secret, otpauthUrl: totpUrl({ secret, account: row.email, issuer: TOTP_ISSUER }) };
};

/** Finishes enrolment with a code from the pending secret: 2FA is on, and new recovery codes are returned (once). */
export const confirmTotp = async (db: Db, box: SecretBox, { userId, code }: { userId: string; code: string }): Promise<{ recoveryCodes: string[] }> => {
  const row = await readTotp(db, userId);
  if (row.totp_enabled_at) throw new AppError('CONFLICT', 'Two-factor authentication is already on.');
  if (!row.totp_pending_secret) throw new AppError('CONFLICT', 'Nothing to verify: start with POST /api/v1/auth/totp/enroll.');
  const step = checkTotp({ secret: box.open(row.totp_pending_secret), code });
  if (step === null) throw invalidCode();
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql`update rapport.user set totp_secret = totp_pending_secret, totp_pending_secret = null, totp_enabled_at = now(),
      totp_last_step = ${step}, updated_at = now() where id = ${userId} and totp_pending_secret = ${row.totp_pending_secret} returning id`.execute(trx);
    if (rows.length === 0) throw new AppError('CONFLICT', 'The enrolment changed meanwhile: start again with POST /api/v1/auth/totp/enroll.');
    await replaceRecoveryCodes(trx, userId, recoveryCodes);
  });
  return { recoveryCodes };
};

const replaceRecoveryCodes = async (trx: Db, userId: string, codes: string[]) => {
  await sql`delete from rapport.recovery_code where user_id = ${userId}`.execute(trx);
  for (const code of codes) {
    await sql`insert into rapport.recovery_code (id, user_id, code_hash) values (${randomUUID()}, ${userId}, ${hashRecoveryCode(code)})`.execute(trx);
  }
};

/**
 * Checks a second factor: a TOTP code (refused when its time step is not newer than the last one
 * accepted, so a code works once) or an unused recovery code (used up by this call).
 */
export const verifySecondFactor = async (db: Db, box: SecretBox, { userId, code }: { userId: string; code: string }): Promise<'totp' | 'recovery' | null> => {
  const given = code.trim();
  if (isTotpCode(given)) {
    const row = await readTotp(db, userId);
    if (!row.totp_secret) return null;
    const lastStep = row.totp_last_step === null ? null : Number(row.totp_last_step);
    const step = checkTotp({ secret: box.open(row.totp_secret), code: given, afterStep: lastStep });
    if (step === null) return null;
    // Two requests with the same code race here: only one moves the step forward.
    const { rows } = await sql`update rapport.user set totp_last_step = ${step}
      where id = ${userId} and (totp_last_step is null or totp_last_step < ${step}) returning id`.execute(db);
    return rows.length > 0 ? 'totp' : null;
  }
  if (!looksLikeRecoveryCode(given)) return null;
  const { rows } = await sql`update rapport.recovery_code set used_at = now()
    where user_id = ${userId} and code_hash = ${hashRecoveryCode(given)} and used_at is null returning id`.execute(db);
  return rows.length > 0 ? 'recovery' : null;
};

/** Whether the workspace or the member's role requires two-factor authentication. */
export const isTwoFactorRequired = async (db: Db, { workspaceId, userId }: { workspaceId: string; userId: string }): Promise<boolean> => {
  const { rows } = await sql<{ required: boolean }>`
    select (w.require_two_factor or coalesce(r.require_two_factor, false)) as required
    from rapport.workspace w
    left join rapport.workspace_member m on m.workspace_id = w.id and m.user_id = ${userId}
    left join rapport.role r on r.id = m.role_id
    where w.id = ${workspaceId}`.execute(db);
  return rows[0]?.required === true;
};

/** Turns 2FA off with a current code (or a recovery code); refused while the workspace or role requires it. */
export const disableTotp = async (db: Db, box: SecretBox, options: { userId: string; workspaceId: string; code: string }): Promise<void> => {
  const { userId, workspaceId, code } = options;
  const row = await readTotp(db, userId);
  if (!row.totp_enabled_at) throw new AppError('CONFLICT', 'Two-factor authentication is not on.');
  if (await isTwoFactorRequired(db, { workspaceId, userId })) {
    throw new AppError('FORBIDDEN', 'Two-factor authentication is required in this workspace or for your role: it cannot be turned off.');
  }
  if (!(await verifySecondFactor(db, box, { userId, code }))) throw invalidCode();
  await db.transaction().execute(async (trx) => {
    await sql`update rapport.user set totp_secret = null, totp_pending_secret = null, totp_enabled_at = null, totp_last_step = null, updated_at = now()
      where id = ${userId}`.execute(trx);
    await sql`delete from rapport.recovery_code where user_id = ${userId}`.execute(trx);
  });
};

/** How many recovery codes are left (shown in /users/me so people know when to make new ones). */
export const countRecoveryCodes = async (db: Db, userId: string): Promise<number> => {
  const { rows } = await sql<{ remaining: number }>`select count(*)::int as remaining from rapport.recovery_code where user_id = ${userId} and used_at is null`.execute(db);
  return rows[0]?.remaining ?? 0;
};

/** New recovery codes (the old ones stop working), with a current TOTP code; returned once. */
export const regenerateRecoveryCodes = async (db: Db, box: SecretBox, { userId, code }: { userId: string; code: string }): Promise<{ recoveryCodes: string[] }> => {
  const row = await readTotp(db, userId);
  if (!row.totp_enabled_at) throw new AppError('CONFLICT', 'Two-factor authentication is not on: there are no recovery codes to renew.');
  // Only an authenticator code: a recovery code cannot mint new recovery codes.
  if (!isTotpCode(code.trim()) || (await verifySecondFactor(db, box, { userId, code })) !== 'totp') throw invalidCode();
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.transaction().execute((trx) => replaceRecoveryCodes(trx, userId, recoveryCodes));
  return { recoveryCodes };
};

/**
 * An administrator turns a member's 2FA off (lost device). The account is global, so this is refused
 * when the user belongs to another workspace too: one workspace's admin cannot weaken access to another.
 * The member's sessions end; where 2FA is required they enrol again at their next sign-in.
 */
export const resetTotpByAdmin = async (db: Db, { workspaceId, userId }: { workspaceId: string; userId: string }): Promise<void> => {
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ workspace_id: string }>`select workspace_id from rapport.workspace_member where user_id = ${userId}`.execute(trx);
    if (!rows.some((row) => row.workspace_id === workspaceId)) throw new AppError('USER_NOT_FOUND', 'There is no such user in this workspace.');
    if (rows.length > 1) {
      throw new AppError('CONFLICT', 'This person also belongs to other workspaces: they can turn 2FA off themselves with a recovery code, or ask a Rapport server administrator.');
    }
    const { rows: users } = await sql`update rapport.user set totp_secret = null, totp_pending_secret = null, totp_enabled_at = null, totp_last_step = null, updated_at = now()
      where id = ${userId} and totp_enabled_at is not null returning id`.execute(trx);
    if (users.length === 0) throw new AppError('CONFLICT', 'Two-factor authentication is not on for this user.');
    await sql`delete from rapport.recovery_code where user_id = ${userId}`.execute(trx);
    await sql`update rapport.session set revoked_at = now() where user_id = ${userId} and revoked_at is null`.execute(trx);
  });
};
