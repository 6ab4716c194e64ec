import { randomUUID } from 'node:crypto';
import type { FieldError } from '@rapport/common';
import { normalizeEmail } from '@rapport/common/values/index';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { checkMembershipLicence } from '../licences/seats.ts';
import { createInvitation, type CreatedInvitation } from './invitations.service.ts';
import { checkPassword, hashPassword } from './passwords.ts';

export type MemberStatus = 'invited' | 'active' | 'deactivated';

/** A user as a workspace sees them: the global identity plus their membership of this workspace. */
export interface WorkspaceUser {
  id: string;
  email: string;
  name: string;
  status: MemberStatus;
  roleId: string | null;
  role: string | null;
  isAdmin: boolean;
  teamIds: string[];
  licence: string | null;
  twoFactorEnabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  lastActiveAt: string | null;
  deactivatedAt: string | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  status: MemberStatus;
  role_id: string | null;
  role_name: string | null;
  is_admin: boolean;
  team_ids: string[] | null;
  licence: string | null;
  two_factor_enabled: boolean;
  created_at: string;
  last_sign_in_at: string | null;
  last_active_at: string | null;
  deactivated_at: string | null;
}

const toUser = (row: UserRow): WorkspaceUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  status: row.status,
  roleId: row.role_id,
  role: row.role_name,
  isAdmin: row.is_admin,
  teamIds: row.team_ids ?? [],
  licence: row.licence,
  twoFactorEnabled: row.two_factor_enabled,
  createdAt: row.created_at,
  lastSignInAt: row.last_sign_in_at,
  lastActiveAt: row.last_active_at,
  deactivatedAt: row.deactivated_at,
});

const selectUsers = (workspaceId: string) => sql`
  select u.id, u.email, u.name, u.totp_enabled_at is not null as two_factor_enabled,
    m.status, m.role_id, r.name as role_name, coalesce(r.is_admin, false) as is_admin, m.licence,
    m.created_at, m.last_sign_in_at, m.last_active_at, m.deactivated_at,
    array(select tm.team_id::text from rapport.team_member tm where tm.workspace_id = m.workspace_id and tm.user_id = u.id order by tm.team_id) as team_ids
  from rapport.workspace_member m
  join rapport.user u on u.id = m.user_id
  left join rapport.role r on r.id = m.role_id
  where m.workspace_id = ${workspaceId}`;

export interface ListUsersOptions {
  workspaceId: string;
  status?: MemberStatus;
  limit: number;
  /** The email of the last user of the previous page (users come in email order). */
  after?: string;
}

export const listUsers = async (db: Db, { workspaceId, status, limit, after }: ListUsersOptions): Promise<{ data: WorkspaceUser[]; nextAfter: string | null }> => {
  const { rows } = await sql<UserRow>`${selectUsers(workspaceId)}
    ${status ? sql`and m.status = ${status}` : sql``}
    ${after !== undefined ? sql`and lower(u.email) > lower(${after})` : sql``}
    order by lower(u.email) limit ${limit + 1}`.execute(db);
  const data = rows.slice(0, limit).map(toUser);
  return { data, nextAfter: rows.length > limit ? data.at(-1)!.email : null };
};

export const findUser = async (db: Db, workspaceId: string, userId: string): Promise<WorkspaceUser | undefined> => {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return undefined;
  const { rows } = await sql<UserRow>`${selectUsers(workspaceId)} and u.id = ${userId}`.execute(db);
  return rows[0] ? toUser(rows[0]) : undefined;
};

export const getUser = async (db: Db, workspaceId: string, userId: string): Promise<WorkspaceUser> => {
  const user = await findUser(db, workspaceId, userId);
  if (!user) throw new AppError('USER_NOT_FOUND', `No user ${userId} in this workspace.`);
  return user;
};

export interface MembershipOptions {
  workspaceId: string;
  userId: string;
  roleId?: string | null;
  licence?: string | null;
  teamIds?: string[];
  status?: MemberStatus;
}

/**
 * The one place where a user gets (or changes) their membership of a workspace: role, licence, teams
 * and status. Checks that the role and teams belong to the workspace and the licence type exists.
 * Seat and licence rules (engine/licences) hook in here. Run it in the caller's transaction.
 */
export const assignMembership = async (trx: Db, options: MembershipOptions): Promise<void> => {
  const { workspaceId, userId } = options;
  const errors: FieldError[] = [];
  if (options.roleId) {
    const { rows } = await sql`select 1 from rapport.role where id = ${options.roleId} and workspace_id = ${workspaceId}`.execute(trx);
    if (rows.length === 0) errors.push({ field: 'roleId', code: 'relationNotFound', message: `No role ${options.roleId} in this workspace.` });
  }
  if (options.teamIds && options.teamIds.length > 0) {
    const { rows } = await sql<{ id: string }>`select id from rapport.team where workspace_id = ${workspaceId} and id = any(${options.teamIds}::uuid[])`.execute(trx);
    const found = new Set(rows.map((row) => row.id));
    const missing = options.teamIds.filter((id) => !found.has(id));
    if (missing.length > 0) errors.push({ field: 'teamIds', code: 'relationNotFound', message: `No team ${missing.join(', ')} in this workspace.` });
  }
  if (options.licence) {
    const { rows } = await sql`select 1 from rapport.licence_type where workspace_id = ${workspaceId} and name = ${options.licence}`.execute(trx);
    if (rows.length === 0) errors.push({ field: 'licence', code: 'invalidChoice', message: `No licence type "${options.licence}" in this workspace.` });
  }
  if (errors.length > 0) throw validationFailed(errors);
  // Named seats and the licences a role allows (engine/licences); a new member without a licence gets the default one.
  const licence = await checkMembershipLicence(trx, options);

  await sql`insert into rapport.workspace_member (workspace_id, user_id, role_id, licence, status)
    values (${workspaceId}, ${userId}, ${options.roleId ?? null}, ${licence}, ${options.status ?? 'active'})
    on conflict (workspace_id, user_id) do update set
      role_id = ${options.roleId === undefined ? sql`workspace_member.role_id` : sql`excluded.role_id`},
      licence = ${options.licence === undefined ? sql`workspace_member.licence` : sql`excluded.licence`},
      status = ${options.status === undefined ? sql`workspace_member.status` : sql`excluded.status`}`.execute(trx);
  if (options.teamIds) {
    await sql`delete from rapport.team_member where workspace_id = ${workspaceId} and user_id = ${userId} and team_id <> all(${options.teamIds}::uuid[])`.execute(trx);
    for (const teamId of new Set(options.teamIds)) {
      await sql`insert into rapport.team_member (team_id, user_id, workspace_id) values (${teamId}, ${userId}, ${workspaceId}) on conflict do nothing`.execute(trx);
    }
  }
};

export interface CreateUserInput {
  email: string;
  name: string;
  password?: string;
  roleId: string;
  teamIds?: string[];
  licence?: string | null;
}

export interface CreateUserOptions {
  workspaceId: string;
  input: CreateUserInput;
  invitedBy: string | null;
}

export interface CreatedUser {
  user: WorkspaceUser;
  /** Present when the user has no password yet: the link to send them. */
  invitation?: CreatedInvitation;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks an email and a display name, as sign-up and user creation take them. */
export const checkIdentity = (input: { email: string; name: string }): { email: string; name: string; errors: FieldError[] } => {
  const errors: FieldError[] = [];
  const email = normalizeEmail(input.email);
  if (!email.ok) errors.push({ field: 'email', code: email.code, message: email.message });
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) errors.push({ field: 'name', code: name.length < 1 ? 'required' : 'tooLong', message: 'A name has 1 to 200 characters.' });
  return { email: email.ok ? email.value : input.email, name, errors };
};

/**
 * Adds a person to a workspace. A new person gets an account; someone who already has one (in another
 * workspace) joins with it. Without a password the membership is `invited` and an invitation link
 * is returned for the caller to send.
 */
export const createUser = async (db: Db, { workspaceId, input, invitedBy }: CreateUserOptions): Promise<CreatedUser> => {
  const { email, name, errors } = checkIdentity(input);
  if (!UUID.test(input.roleId)) errors.push({ field: 'roleId', code: 'invalidFormat', message: 'A role id (uuid).' });
  if (input.password !== undefined) errors.push(...checkPassword({ password: input.password, email, name }));
  if (errors.length > 0) throw validationFailed(errors);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;

  let invitation: CreatedInvitation | undefined;
  const userId = await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string; has_password: boolean }>`
      select id, password_hash is not null as has_password from rapport.user where lower(email) = lower(${email}) for update`.execute(trx);
    let existing = rows[0];
    if (existing) {
      const { rows: members } = await sql`select 1 from rapport.workspace_member where workspace_id = ${workspaceId} and user_id = ${existing.id}`.execute(trx);
      if (members.length > 0) {
        throw new AppError('ALREADY_EXISTS', `${email} is already a member of this workspace.`, { errors: [{ field: 'email', code: 'unique', message: 'Already a member.' }] });
      }
      if (existing.has_password && passwordHash) {
        throw validationFailed([{ field: 'password', code: 'readOnly', message: `${email} already has an account and keeps its password; leave the password out.` }]);
      }
      if (passwordHash) await sql`update rapport.user set password_hash = ${passwordHash}, password_changed_at = now(), updated_at = now() where id = ${existing.id}`.execute(trx);
    } else {
      existing = { id: randomUUID(), has_password: false };
      await sql`insert into rapport.user (id, email, name, password_hash, password_changed_at)
        values (${existing.id}, ${email}, ${name}, ${passwordHash}, ${passwordHash ? sql`now()` : null})`.execute(trx);
    }
    const isActive = existing.has_password || passwordHash !== null;
    await assignMembership(trx, {
      workspaceId,
      userId: existing.id,
      roleId: input.roleId,
      licence: input.licence ?? null,
      teamIds: input.teamIds ?? [],
      status: isActive ? 'active' : 'invited',
    });
    if (!isActive) invitation = await createInvitation(trx, { workspaceId, userId: existing.id, invitedBy });
    return existing.id;
  });
  return { user: await getUser(db, workspaceId, userId), ...(invitation ? { invitation } : {}) };
};

export interface UpdateUserPatch {
  name?: string;
  email?: string;
  roleId?: string | null;
  teamIds?: string[];
  licence?: string | null;
}

/** Changes a member: their name and email (their account), role, teams and licence (their membership). */
export const updateUser = async (db: Db, { workspaceId, userId, patch }: { workspaceId: string; userId: string; patch: UpdateUserPatch }): Promise<WorkspaceUser> => {
  const current = await getUser(db, workspaceId, userId);
  const checked = checkIdentity({ email: patch.email ?? current.email, name: patch.name ?? (current.name || 'unnamed') });
  const errors = checked.errors.filter((error) => (error.field === 'email' ? patch.email !== undefined : patch.name !== undefined));
  if (patch.roleId && !UUID.test(patch.roleId)) errors.push({ field: 'roleId', code: 'invalidFormat', message: 'A role id (uuid).' });
  if (errors.length > 0) throw validationFailed(errors);
  await db.transaction().execute(async (trx) => {
    if (patch.roleId !== undefined && current.isAdmin && current.status === 'active') {
      const { rows } = await sql<{ is_admin: boolean }>`select is_admin from rapport.role where id = ${patch.roleId} and workspace_id = ${workspaceId}`.execute(trx);
      if (!rows[0]?.is_admin) await assertNotLastAdmin(trx, { workspaceId, userId });
    }
    if (patch.email !== undefined || patch.name !== undefined) {
      const { rows } = await sql`select 1 from rapport.user where lower(email) = lower(${checked.email}) and id <> ${userId}`.execute(trx);
      if (rows.length > 0) throw new AppError('ALREADY_EXISTS', `Another account uses ${checked.email}.`, { errors: [{ field: 'email', code: 'unique', message: 'Already used by another account.' }] });
      await sql`update rapport.user set email = ${patch.email !== undefined ? checked.email : current.email},
        name = ${patch.name !== undefined ? checked.name : current.name}, updated_at = now() where id = ${userId}`.execute(trx);
    }
    await assignMembership(trx, {
      workspaceId,
      userId,
      ...(patch.roleId !== undefined ? { roleId: patch.roleId } : {}),
      ...(patch.licence !== undefined ? { licence: patch.licence } : {}),
      ...(patch.teamIds !== undefined ? { teamIds: patch.teamIds } : {}),
    });
  });
  return getUser(db, workspaceId, userId);
};

/** A workspace keeps at least one active administrator: refuses to demote, deactivate or remove the last one. */
export const assertNotLastAdmin = async (db: Db, { workspaceId, userId }: { workspaceId: string; userId: string }): Promise<void> => {
  const { rows } = await sql<{ others: number; is_admin: boolean }>`
    select count(*) filter (where m.user_id <> ${userId})::int as others, coalesce(bool_or(m.user_id = ${userId}), false) as is_admin
    from rapport.workspace_member m join rapport.role r on r.id = m.role_id
    where m.workspace_id = ${workspaceId} and m.status = 'active' and r.is_admin`.execute(db);
  if (rows[0]?.is_admin && rows[0].others === 0) {
    throw new AppError('CONFLICT', 'This is the last administrator of the workspace: make someone else an administrator first.');
  }
};

/** The account behind an email, whatever the workspace (sign-in, resets). */
export interface Account {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  totpEnabled: boolean;
}

export const findAccountByEmail = async (db: Db, email: string): Promise<Account | undefined> => {
  const { rows } = await sql<{ id: string; email: string; name: string; password_hash: string | null; totp_enabled: boolean }>`
    select id, email, name, password_hash, totp_enabled_at is not null as totp_enabled from rapport.user where lower(email) = lower(${email.trim()})`.execute(db);
  const row = rows[0];
  return row ? { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash, totpEnabled: row.totp_enabled } : undefined;
};

/** Which of `ids` are members of the workspace (only active ones with `activeOnly`), in one query; lower-case ids. */
export const findMemberIds = async (db: Db, workspaceId: string, ids: readonly string[], { activeOnly = false }: { activeOnly?: boolean } = {}): Promise<Set<string>> => {
  if (ids.length === 0) return new Set();
  const { rows } = await sql<{ user_id: string }>`
    select user_id from rapport.workspace_member where workspace_id = ${workspaceId} and user_id = any(${[...ids]}::uuid[])
    ${activeOnly ? sql`and status = 'active'` : sql``}`.execute(db);
  return new Set(rows.map((row) => row.user_id));
};
