import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { verifyPassword } from './passwords.ts';
import type { SecretBox } from './secret-box.ts';
import { createSession, type CreatedSession } from './session.service.ts';
import { assertNotLockedOut, clearSignInFailures, recordSignInFailure, type LockoutSubject } from './sign-in-lockout.ts';
import { verifySecondFactor } from './two-factor.service.ts';
import { findAccountByEmail, type Account } from './users.service.ts';

export interface SignInInput {
  email: string;
  password: string;
  /** A TOTP code or a recovery code, for accounts with two-factor authentication. */
  totp?: string;
  /** The workspace (id or name) for someone in several; else the one they last signed in to. */
  workspace?: string;
}

export interface SignInContext {
  db: Db;
  secretBox: SecretBox;
  ip: string;
  userAgent: string | null;
}

export interface SignedIn {
  session: CreatedSession;
  userId: string;
  workspaceId: string;
}

const wrongCredentials = () => new AppError('UNAUTHENTICATED', 'Wrong email or password.');

interface MembershipRow {
  workspace_id: string;
  status: string;
}

const chooseWorkspace = async (db: Db, userId: string, wanted: string | undefined): Promise<MembershipRow | undefined> => {
  const { rows } = await sql<MembershipRow>`
    select m.workspace_id, m.status from rapport.workspace_member m join rapport.workspace w on w.id = m.workspace_id
    where m.user_id = ${userId} ${wanted ? sql`and (w.id::text = ${wanted} or lower(w.name) = lower(${wanted}))` : sql``}
    order by (m.status = 'active') desc, m.last_sign_in_at desc nulls last, m.created_at`.execute(db);
  return rows[0];
};

/**
 * Password sign-in: lockout check, password, workspace, second factor, then a session through
 * createSession (the one door of every sign-in). Every outcome is audited; failures count towards the
 * lockout of the email and of the IP.
 */
export const signIn = async (context: SignInContext, input: SignInInput): Promise<SignedIn> => {
  const { db, ip, userAgent } = context;
  const email = input.email.trim();
  const subjects: LockoutSubject[] = [{ kind: 'email', value: email }, { kind: 'ip', value: ip }];
  await assertNotLockedOut(db, subjects);

  const account = await findAccountByEmail(db, email);
  const isPasswordRight = await verifyPassword(account?.passwordHash, input.password);
  const membership = account && isPasswordRight ? await chooseWorkspace(db, account.id, input.workspace) : undefined;
  const fail = async (reason: string, error: AppError, workspaceId: string | null = membership?.workspace_id ?? null): Promise<never> => {
    if (reason !== 'totpRequired') await recordSignInFailure(db, subjects);
    await recordAudit(db, { workspaceId, actorId: account?.id ?? null, action: 'auth.sign_in.failed', ip, userAgent, details: { email, reason } });
    throw error;
  };
  // A failure that belongs to no workspace of the account goes to the workspace the sign-in named, else
  // to the instance-level scope (workspace null): unknown emails are audited too (credential stuffing).
  if (!account || !isPasswordRight) {
    const workspaceId = (account ? await firstWorkspaceOf(db, account) : null) ?? (await findNamedWorkspaceId(db, input.workspace));
    return fail(account ? 'wrongPassword' : 'unknownEmail', wrongCredentials(), workspaceId);
  }
  if (!membership || membership.status === 'invited') {
    const workspaceId = membership?.workspace_id ?? (await findNamedWorkspaceId(db, input.workspace));
    return fail('noWorkspace', new AppError('UNAUTHENTICATED', input.workspace ? `You are not a member of the workspace "${input.workspace}".` : 'Your account belongs to no workspace yet.'), workspaceId);
  }
  if (membership.status !== 'active') {
    return fail('deactivated', new AppError('ACCOUNT_DEACTIVATED', 'Your account is deactivated in this workspace; ask one of its administrators.'));
  }
  let secondFactor: string | null = null;
  if (account.totpEnabled) {
    if (!input.totp) return fail('totpRequired', new AppError('TOTP_REQUIRED', 'Enter the code from your authenticator app (or a recovery code) as "totp".'));
    secondFactor = await verifySecondFactor(db, context.secretBox, { userId: account.id, code: input.totp });
    if (!secondFactor) return fail('totpInvalid', new AppError('TOTP_INVALID', 'This code is wrong, expired or was already used.'));
  }

  await clearSignInFailures(db, email);
  const session = await createSession(db, { userId: account.id, workspaceId: membership.workspace_id, via: 'password', twoFactorVerified: account.totpEnabled, ip, userAgent });
  await recordAudit(db, {
    workspaceId: membership.workspace_id,
    actorId: account.id,
    action: 'auth.sign_in.succeeded',
    ip,
    userAgent,
    details: { email: account.email, method: 'password', ...(secondFactor ? { secondFactor } : {}) },
  });
  return { session, userId: account.id, workspaceId: membership.workspace_id };
};

const firstWorkspaceOf = async (db: Db, account: Account): Promise<string | null> => {
  const membership = await chooseWorkspace(db, account.id, undefined);
  return membership?.workspace_id ?? null;
};

const findNamedWorkspaceId = async (db: Db, wanted: string | undefined): Promise<string | null> => {
  if (!wanted) return null;
  const { rows } = await sql<{ id: string }>`
    select id from rapport.workspace where id::text = ${wanted} or lower(name) = lower(${wanted}) limit 1`.execute(db);
  return rows[0]?.id ?? null;
};
