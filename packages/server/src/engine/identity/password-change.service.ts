import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { checkPassword, hashPassword, verifyPassword } from './passwords.ts';

export interface ChangePasswordOptions {
  userId: string;
  currentPassword: string;
  newPassword: string;
  /** The session making the change stays signed in; every other session of the user ends. */
  keepSessionId: string;
}

/** A signed-in user changes their password by giving the current one. */
export const changePassword = async (db: Db, options: ChangePasswordOptions): Promise<void> => {
  const { rows } = await sql<{ email: string; name: string; password_hash: string | null }>`
    select email, name, password_hash from rapport.user where id = ${options.userId}`.execute(db);
  const user = rows[0];
  if (!user) throw new AppError('USER_NOT_FOUND', 'This account no longer exists.');
  if (!(await verifyPassword(user.password_hash, options.currentPassword))) {
    throw validationFailed([{ field: 'currentPassword', code: 'wrongPassword', message: 'This is not your current password.' }]);
  }
  const errors = checkPassword({ password: options.newPassword, email: user.email, name: user.name, field: 'newPassword' });
  if (options.newPassword === options.currentPassword) errors.push({ field: 'newPassword', code: 'unique', message: 'Choose a password different from the current one.' });
  if (errors.length > 0) throw validationFailed(errors);
  const passwordHash = await hashPassword(options.newPassword);
  await db.transaction().execute(async (trx) => {
    await sql`update rapport.user set password_hash = ${passwordHash}, password_changed_at = now(), updated_at = now() where id = ${options.userId}`.execute(trx);
    await sql`update rapport.session set revoked_at = now()
      where user_id = ${options.userId} and id <> ${options.keepSessionId} and revoked_at is null`.execute(trx);
  });
};
