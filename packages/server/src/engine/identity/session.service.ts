import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { assertConcurrentSeatFree } from '../licences/seats.ts';
import { TOKEN_PATTERN, uuidFromHex, type Principal } from './principal.ts';
import { hashToken, newToken, sameHash } from './tokens.ts';

/** A session lives at most this long, and ends sooner when idle for IDLE_MS. */
export const SESSION_TTL_MS = 30 * 24 * 3600_000;
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;

export interface CreateSessionOptions {
  userId: string;
  workspaceId: string;
  via?: 'password' | 'oidc' | 'invitation' | 'reset';
  twoFactorVerified?: boolean;
  ip?: string | null;
  userAgent?: string | null;
}

export interface CreatedSession {
  id: string;
  token: string;
  expiresAt: string;
}

/** Opens a session; the token (`rps_...`) is returned once, only its hash is stored. */
export const createSession = async (db: Db, options: CreateSessionOptions): Promise<CreatedSession> => {
  const id = randomUUID();
  const token = newToken('rps', id);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS).toISOString();
  // The seat check locks the licence row, so two sign-ins at once cannot both take the last seat.
  const open = async (trx: Db) => {
    // A licence with concurrent seats refuses the sign-in when all of them are in use.
    await assertConcurrentSeatFree(trx, { workspaceId: options.workspaceId, userId: options.userId });
    await sql`insert into rapport.session (id, user_id, workspace_id, token_hash, two_factor_verified, via, ip, user_agent, expires_at)
      values (${id}, ${options.userId}, ${options.workspaceId}, ${hashToken(token)}, ${options.twoFactorVerified ?? false},
        ${options.via ?? 'password'}, ${options.ip ?? null}, ${options.userAgent?.slice(0, 500) ?? null}, ${expiresAt})`.execute(trx);
    await sql`update rapport.workspace_member set last_sign_in_at = now(), last_active_at = now()
      where workspace_id = ${options.workspaceId} and user_id = ${options.userId}`.execute(trx);
  };
  await (db.isTransaction ? open(db) : db.transaction().execute(open));
  return { id, token, expiresAt };
};

interface SessionRow {
  id: string;
  user_id: string;
  workspace_id: string;
  token_hash: string;
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  member_status: string | null;
  two_factor_verified: boolean;
  two_factor_required: boolean;
  has_totp: boolean;
}

export const isSessionToken = (token: string) => token.startsWith('rps_');

/** Resolves a session token to its principal, or throws UNAUTHENTICATED. */
export const authenticateSession = async (db: Db, token: string): Promise<Principal> => {
  const match = TOKEN_PATTERN.exec(token);
  if (!match || match[1] !== 'rps') throw new AppError('UNAUTHENTICATED', 'The token is not a Rapport session.');
  const id = uuidFromHex(match[2]!);
  const { rows } = await sql<SessionRow>`
    select s.id, s.user_id, s.workspace_id, s.token_hash, s.expires_at, s.last_seen_at, s.revoked_at, m.status as member_status,
      s.two_factor_verified, (w.require_two_factor or coalesce(r.require_two_factor, false)) as two_factor_required,
      u.totp_enabled_at is not null as has_totp
    from rapport.session s
    join rapport.user u on u.id = s.user_id
    join rapport.workspace w on w.id = s.workspace_id
    left join rapport.workspace_member m on m.workspace_id = s.workspace_id and m.user_id = s.user_id
    left join rapport.role r on r.id = m.role_id
    where s.id = ${id}`.execute(db);
  const row = rows[0];
  if (!row || !sameHash(row.token_hash, token)) throw new AppError('UNAUTHENTICATED', 'Unknown session: sign in again.');
  if (row.revoked_at) throw new AppError('UNAUTHENTICATED', 'This session was signed out: sign in again.');
  const now = Date.now();
  if (new Date(row.expires_at).getTime() <= now || new Date(row.last_seen_at).getTime() + SESSION_IDLE_MS <= now) {
    throw new AppError('UNAUTHENTICATED', 'This session has expired: sign in again.');
  }
  if (row.member_status !== 'active') throw new AppError('UNAUTHENTICATED', 'This account is deactivated in this workspace.');
  return {
    via: 'session',
    workspaceId: row.workspace_id,
    userId: row.user_id,
    sessionId: row.id,
    keyId: null,
    scopes: null,
    twoFactorEnrolmentRequired: row.two_factor_required && !row.two_factor_verified && !row.has_totp,
  };
};

/** Last activity is written at most once a minute per session (and member), off the critical path. */
export const touchSession = async (db: Db, principal: Principal) => {
  if (!principal.sessionId) return;
  const { numAffectedRows } = await sql`update rapport.session set last_seen_at = now()
    where id = ${principal.sessionId} and last_seen_at < now() - interval '1 minute'`.execute(db);
  if (numAffectedRows && numAffectedRows > 0n) {
    await sql`update rapport.workspace_member set last_active_at = now() where workspace_id = ${principal.workspaceId} and user_id = ${principal.userId}`.execute(db);
  }
};

/** After enrolling in 2FA, the session the user enrolled from counts as verified. */
export const markSessionTwoFactorVerified = (db: Db, sessionId: string) =>
  sql`update rapport.session set two_factor_verified = true where id = ${sessionId}`.execute(db);

export const revokeSession = (db: Db, sessionId: string) =>
  sql`update rapport.session set revoked_at = now() where id = ${sessionId} and revoked_at is null`.execute(db);

/**
 * Moves a signed-in user to another workspace they are an active member of: a new session there (the
 * second factor as verified as it was), and the old one ends.
 */
export const switchSessionWorkspace = async (db: Db, options: { sessionId: string; userId: string; workspaceId: string; ip?: string | null; userAgent?: string | null }): Promise<CreatedSession> => {
  const { sessionId, userId, workspaceId } = options;
  const { rows } = await sql<{ status: string; two_factor_verified: boolean }>`
    select m.status, s.two_factor_verified from rapport.workspace_member m join rapport.session s on s.id = ${sessionId}
    where m.workspace_id = ${workspaceId} and m.user_id = ${userId}`.execute(db);
  if (!rows[0]) throw new AppError('WORKSPACE_NOT_FOUND', `You are not a member of a workspace ${workspaceId}.`);
  if (rows[0].status !== 'active') throw new AppError('ACCOUNT_DEACTIVATED', 'Your account is not active in that workspace.');
  const session = await createSession(db, { userId, workspaceId, twoFactorVerified: rows[0].two_factor_verified, ip: options.ip ?? null, userAgent: options.userAgent ?? null });
  await revokeSession(db, sessionId);
  return session;
};

/** Sign-out everywhere: every session of the user (in one workspace, or all of them). */
export const revokeUserSessions = (db: Db, userId: string, workspaceId?: string) =>
  workspaceId
    ? sql`update rapport.session set revoked_at = now() where user_id = ${userId} and workspace_id = ${workspaceId} and revoked_at is null`.execute(db)
    : sql`update rapport.session set revoked_at = now() where user_id = ${userId} and revoked_at is null`.execute(db);
