import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { invitationMessage } from '../mail/messages.ts';
import { checkPassword, hashPassword, verifyPassword } from './passwords.ts';
import { hashToken, newLinkToken } from './tokens.ts';

/** An invitation link works once, for this long. */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export interface CreatedInvitation {
  id: string;
  token: string;
  expiresAt: Date;
}

/** A new invitation of a member; earlier pending ones of the same membership stop working. Run it in the caller's transaction. */
export const createInvitation = async (trx: Db, options: { workspaceId: string; userId: string; invitedBy: string | null }): Promise<CreatedInvitation> => {
  const { workspaceId, userId, invitedBy } = options;
  await sql`update rapport.invitation set revoked_at = now()
    where workspace_id = ${workspaceId} and user_id = ${userId} and accepted_at is null and revoked_at is null`.execute(trx);
  const id = randomUUID();
  const token = newLinkToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  await sql`insert into rapport.invitation (id, workspace_id, user_id, token_hash, invited_by, expires_at)
    values (${id}, ${workspaceId}, ${userId}, ${hashToken(token)}, ${invitedBy}, ${expiresAt.toISOString()})`.execute(trx);
  return { id, token, expiresAt };
};

export const invitationUrl = (publicUrl: string, token: string) => `${publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`;

export interface DeliverInvitationOptions {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  workspaceId: string;
  userId: string;
  invitation: CreatedInvitation;
}

/** Emails the invitation link (or logs it when no SMTP server is configured). */
export const deliverInvitation = async ({ db, mailer, publicUrl, workspaceId, userId, invitation }: DeliverInvitationOptions): Promise<void> => {
  const { rows } = await sql<{ email: string; workspace_name: string; inviter_name: string | null }>`
    select u.email, w.name as workspace_name, nullif(inviter.name, '') as inviter_name
    from rapport.invitation i
    join rapport.user u on u.id = i.user_id
    join rapport.workspace w on w.id = i.workspace_id
    left join rapport.user inviter on inviter.id = i.invited_by
    where i.id = ${invitation.id} and i.user_id = ${userId} and i.workspace_id = ${workspaceId}`.execute(db);
  const row = rows[0];
  if (!row) return;
  await mailer.send(
    invitationMessage({ to: row.email, workspaceName: row.workspace_name, inviterName: row.inviter_name, url: invitationUrl(publicUrl, invitation.token), expiresAt: invitation.expiresAt }),
  );
};

const linkInvalid = () => new AppError('LINK_INVALID', 'This invitation link is unknown, expired or already used. Ask an administrator of the workspace to invite you again.');

interface InvitationRow {
  id: string;
  workspace_id: string;
  user_id: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
  email: string;
  name: string;
  password_hash: string | null;
  member_status: string | null;
}

export interface AcceptInvitationInput {
  token: string;
  password: string;
  name?: string;
}

/**
 * Accepts an invitation: sets the password (or, for someone who already has an account, checks it)
 * and activates the membership. Single use: a second accept of the same link fails.
 */
export const acceptInvitation = async (db: Db, input: AcceptInvitationInput): Promise<{ userId: string; workspaceId: string; email: string }> => {
  const { rows } = await sql<InvitationRow>`
    select i.id, i.workspace_id, i.user_id, i.expires_at, i.accepted_at, i.revoked_at, u.email, u.name, u.password_hash, m.status as member_status
    from rapport.invitation i
    join rapport.user u on u.id = i.user_id
    left join rapport.workspace_member m on m.workspace_id = i.workspace_id and m.user_id = i.user_id
    where i.token_hash = ${hashToken(input.token)}`.execute(db);
  const row = rows[0];
  if (!row || row.accepted_at || row.revoked_at || new Date(row.expires_at).getTime() <= Date.now() || row.member_status !== 'invited') throw linkInvalid();

  const name = (input.name ?? row.name).trim();
  if (name.length < 1 || name.length > 200) throw validationFailed([{ field: 'name', code: 'required', message: 'Tell us your name (1 to 200 characters).' }]);
  let passwordHash: string | null = null;
  if (row.password_hash) {
    // Someone with an account already: the invitation adds a workspace, it does not change their password.
    if (!(await verifyPassword(row.password_hash, input.password))) {
      throw validationFailed([{ field: 'password', code: 'invalidCode', message: 'You already have a Rapport account: enter its password.' }]);
    }
  } else {
    const errors = checkPassword({ password: input.password, email: row.email, name });
    if (errors.length > 0) throw validationFailed(errors);
    passwordHash = await hashPassword(input.password);
  }

  await db.transaction().execute(async (trx) => {
    const { rows: taken } = await sql`update rapport.invitation set accepted_at = now()
      where id = ${row.id} and accepted_at is null and revoked_at is null and expires_at > now() returning id`.execute(trx);
    if (taken.length === 0) throw linkInvalid();
    await sql`update rapport.user set name = ${name}, updated_at = now()
      ${passwordHash ? sql`, password_hash = ${passwordHash}, password_changed_at = now()` : sql``} where id = ${row.user_id}`.execute(trx);
    await sql`update rapport.workspace_member set status = 'active'
      where workspace_id = ${row.workspace_id} and user_id = ${row.user_id} and status = 'invited'`.execute(trx);
  });
  return { userId: row.user_id, workspaceId: row.workspace_id, email: row.email };
};
