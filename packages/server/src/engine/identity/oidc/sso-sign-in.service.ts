import { randomUUID } from 'node:crypto';
import { normalizeEmail } from '@rapport/common/values/index';
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { createSession, type CreatedSession } from '../session.service.ts';
import { assignMembership } from '../users.service.ts';
import type { Claims } from './oidc-client.ts';
import type { OidcProviderWithSecret } from './oidc-providers.service.ts';

export interface SsoSignInOptions {
  db: Db;
  provider: OidcProviderWithSecret;
  claims: Claims;
  ip: string;
  userAgent: string | null;
}

export interface SsoSignedIn {
  session: CreatedSession;
  userId: string;
  workspaceId: string;
  /** True when the account or the membership was made by this sign-in. */
  isNewMember: boolean;
  /** True when the role changed (new member or role mapping): access caches must forget the workspace. */
  isAccessChanged: boolean;
}

const ssoFailed = (detail: string) => new AppError('SSO_FAILED', detail);

/** `a.b.c` reads nested claims (Keycloak's `realm_access.roles`); a value or a list of values. */
const claimValues = (claims: Claims, path: string): string[] => {
  let value: unknown = claims;
  for (const part of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string' || typeof item === 'number').map(String) : [];
};

/** The role the claims map to, or undefined when none maps. */
export const mapRole = (provider: Pick<OidcProviderWithSecret, 'roleClaim' | 'roleMapping'>, claims: Claims): string | undefined => {
  if (!provider.roleClaim) return undefined;
  for (const value of claimValues(claims, provider.roleClaim)) {
    const roleId = provider.roleMapping[value];
    if (roleId) return roleId;
  }
  return undefined;
};

// Second factors the provider says it checked (RFC 8176 `amr` values).
const MULTI_FACTOR_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'iris', 'retina', 'vbm']);

interface MemberRow {
  user_id: string;
  status: string | null;
  role_id: string | null;
}

const findMember = async (trx: Db, workspaceId: string, userId: string) => {
  const { rows } = await sql<MemberRow>`select user_id, status, role_id from rapport.workspace_member where workspace_id = ${workspaceId} and user_id = ${userId}`.execute(trx);
  return rows[0];
};

/**
 * Finds the user the provider vouches for (by the linked subject, else by verified email), creates
 * them just in time when the provider allows, maps their role from the claims, and opens a session
 * through createSession. Audits success and failure.
 */
export const signInWithOidc = async (options: SsoSignInOptions): Promise<SsoSignedIn> => {
  const { db, provider, claims, ip, userAgent } = options;
  const workspaceId = provider.workspaceId;
  const email = typeof claims.email === 'string' ? normalizeEmail(claims.email) : undefined;
  const auditBase = { workspaceId, ip, userAgent };
  const fail = async (reason: string, error: AppError, actorId: string | null = null): Promise<never> => {
    await recordAudit(db, { ...auditBase, actorId, action: 'auth.sign_in.failed', details: { method: 'oidc', provider: provider.name, subject: claims.sub, email: email?.ok ? email.value : null, reason } });
    throw error;
  };

  let resolved: { userId: string; isNewMember: boolean; isAccessChanged: boolean };
  try {
    resolved = await db.transaction().execute(async (trx) => {
      const { rows: linked } = await sql<{ user_id: string }>`select user_id from rapport.oidc_identity where provider_id = ${provider.id} and subject = ${claims.sub}`.execute(trx);
      let userId = linked[0]?.user_id;
      if (!userId) {
        if (!email?.ok) throw ssoFailed('The identity provider sent no valid email address for this account; add the "email" scope and claim.');
        if (claims.email_verified === false) throw ssoFailed(`The identity provider has not verified ${email.value}.`);
        const { rows } = await sql<{ id: string }>`select id from rapport.user where lower(email) = lower(${email.value}) for update`.execute(trx);
        userId = rows[0]?.id;
        if (!userId) {
          if (!provider.createUsers) throw ssoFailed(`${email.value} has no account here, and this provider does not create accounts.`);
          userId = randomUUID();
          const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email.value.split('@')[0]!;
          await sql`insert into rapport.user (id, email, name) values (${userId}, ${email.value}, ${name})`.execute(trx);
        }
        await sql`insert into rapport.oidc_identity (provider_id, subject, user_id) values (${provider.id}, ${claims.sub}, ${userId})`.execute(trx);
      }
      const member = await findMember(trx, workspaceId, userId);
      const mappedRole = mapRole(provider, claims);
      if (member?.status === 'deactivated') throw new AppError('ACCOUNT_DEACTIVATED', 'Your account is deactivated in this workspace; ask one of its administrators.');
      if (!member) {
        if (!provider.createUsers) throw ssoFailed('Your account is not a member of this workspace, and this provider does not add members.');
        const roleId = mappedRole ?? provider.defaultRoleId;
        if (!roleId) throw ssoFailed(`No role for you: the provider's "${provider.roleClaim ?? 'role'}" claim maps to none and the provider has no default role.`);
        await assignMembership(trx, { workspaceId, userId, roleId, ...(provider.defaultLicence ? { licence: provider.defaultLicence } : {}), teamIds: [], status: 'active' });
        return { userId, isNewMember: true, isAccessChanged: true };
      }
      const isRoleChanged = mappedRole !== undefined && mappedRole !== member.role_id;
      if (isRoleChanged || member.status === 'invited') {
        // The provider vouches for the person: an open invitation is accepted, and a mapped role follows the claim.
        await assignMembership(trx, { workspaceId, userId, ...(isRoleChanged ? { roleId: mappedRole } : {}), status: 'active' });
      }
      return { userId, isNewMember: false, isAccessChanged: isRoleChanged || member.status === 'invited' };
    });
  } catch (error) {
    if (error instanceof AppError) return fail(error.code === 'ACCOUNT_DEACTIVATED' ? 'deactivated' : error.code === 'SSO_FAILED' ? 'noAccount' : error.code, error);
    throw error;
  }

  const amr = Array.isArray(claims.amr) ? claims.amr.filter((value): value is string => typeof value === 'string') : [];
  let session: CreatedSession;
  try {
    session = await createSession(db, { userId: resolved.userId, workspaceId, via: 'oidc', twoFactorVerified: amr.some((value) => MULTI_FACTOR_AMR.has(value)), ip, userAgent });
  } catch (error) {
    if (error instanceof AppError) return fail(error.code === 'SEAT_LIMIT_REACHED' ? 'seatLimit' : error.code, error, resolved.userId);
    throw error;
  }
  await sql`update rapport.oidc_identity set last_sign_in_at = now() where provider_id = ${provider.id} and subject = ${claims.sub}`.execute(db);
  if (resolved.isNewMember) {
    await recordAudit(db, { ...auditBase, actorId: resolved.userId, action: 'user.created', recordId: resolved.userId, details: { method: 'oidc', provider: provider.name } });
  }
  await recordAudit(db, {
    ...auditBase,
    actorId: resolved.userId,
    action: 'auth.sign_in.succeeded',
    details: { method: 'oidc', via: 'oidc', provider: provider.name, subject: claims.sub, ...(email?.ok ? { email: email.value } : {}) },
  });
  return { session, workspaceId, ...resolved };
};
