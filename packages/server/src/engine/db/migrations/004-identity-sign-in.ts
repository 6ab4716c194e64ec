import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Sign-in details that 003 left out: the last TOTP time step accepted for a user (a code is refused
 * when its step is not newer, so a code seen once cannot be replayed within its window), and lookups
 * of pending invitations and resets by user.
 */
export const identitySignInMigration: Migration = {
  name: '004-identity-sign-in',
  async up(db) {
    await sql`alter table rapport.user add column totp_last_step bigint`.execute(db);
    await sql`create index invitation_user_idx on rapport.invitation (user_id)`.execute(db);
    await sql`create index password_reset_user_idx on rapport.password_reset (user_id)`.execute(db);
    await sql`create index rate_limit_reset_idx on rapport.rate_limit (reset_at)`.execute(db);
  },
};
