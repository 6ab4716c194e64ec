import type { FieldLevel, ObjectPermissions, RecordAccess, SharingAccess } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** The role rules that apply to a caller (a user's role, or the baseline of a key without a user). */
export interface RoleRules {
  id: string | null;
  isAdmin: boolean;
  /** By object name; `*` for every object not named. */
  permissions: Readonly<Record<string, ObjectPermissions>>;
  /** By object name, then field name; fields not named are editable. */
  fields: Readonly<Record<string, Readonly<Record<string, FieldLevel>>>>;
  recordAccess: RecordAccess;
}

/** The licence a member holds: the features it includes gate parts of the API (engine/licences/licence-gate.ts). */
export interface HeldLicence {
  /** null: the member holds no licence, so no licensed feature. */
  name: string | null;
  features: readonly string[];
}

export interface GrantRule {
  object: string;
  /** A filter of the query language, checked against the metadata when the rule is applied. */
  filter: unknown;
  access: SharingAccess;
}

/**
 * Everything the permission layer needs about one caller in one workspace, read once and cached
 * (see access-cache.ts): their role, whose records count as theirs, and the rules that add records.
 */
export interface AccessProfile {
  workspaceId: string;
  userId: string | null;
  role: RoleRules;
  /** Owners whose records the role's record access covers (own, team, team and subordinates, territory). */
  ownerIds: readonly string[];
  /** My territories' filters per object (recordAccess `territory`); each adds the records it matches. */
  territoryRules: readonly GrantRule[];
  /** Sharing rules that target one of my teams, my role or a role below mine. */
  sharingRules: readonly GrantRule[];
  /** The member's licence; undefined for a key without a user, which no licence limits. */
  licence?: HeldLicence;
}

const ALL: ObjectPermissions = { create: true, read: true, update: true, delete: true, export: true, import: true };

/** A key without a user starts from everything and is narrowed by its scopes. */
export const KEY_BASELINE: RoleRules = Object.freeze({ id: null, isAdmin: false, permissions: { '*': ALL }, fields: {}, recordAccess: 'all' });
/** A member without a role (or whose role was deleted) may do nothing. */
export const NO_ROLE: RoleRules = Object.freeze({ id: null, isAdmin: false, permissions: {}, fields: {}, recordAccess: 'own' });

interface MemberRow {
  role_id: string | null;
  is_admin: boolean | null;
  permissions: Record<string, ObjectPermissions> | null;
  fields: Record<string, Record<string, FieldLevel>> | null;
  record_access: RecordAccess | null;
}

const readRole = async (db: Db, workspaceId: string, userId: string): Promise<RoleRules> => {
  const { rows } = await sql<MemberRow>`
    select r.id as role_id, r.is_admin, r.permissions, r.fields, r.record_access
    from rapport.workspace_member m left join rapport.role r on r.id = m.role_id and r.workspace_id = m.workspace_id
    where m.workspace_id = ${workspaceId} and m.user_id = ${userId} and m.status = 'active'`.execute(db);
  const row = rows[0];
  if (!row?.role_id) return NO_ROLE;
  return {
    id: row.role_id,
    isAdmin: row.is_admin === true,
    permissions: row.permissions ?? {},
    fields: row.fields ?? {},
    recordAccess: row.record_access ?? 'own',
  };
};

const readLicence = async (db: Db, workspaceId: string, userId: string): Promise<HeldLicence> => {
  const { rows } = await sql<{ licence: string | null; features: string[] | null }>`
    select m.licence, l.features from rapport.workspace_member m
    left join rapport.licence_type l on l.workspace_id = m.workspace_id and l.name = m.licence
    where m.workspace_id = ${workspaceId} and m.user_id = ${userId}`.execute(db);
  const row = rows[0];
  return { name: row?.licence ?? null, features: row?.features ?? [] };
};

const readTeamIds = async (db: Db, workspaceId: string, userId: string): Promise<string[]> => {
  const { rows } = await sql<{ team_id: string }>`
    select team_id from rapport.team_member where workspace_id = ${workspaceId} and user_id = ${userId}`.execute(db);
  return rows.map((row) => row.team_id);
};

const readTeammates = async (db: Db, teamIds: string[]): Promise<string[]> => {
  if (teamIds.length === 0) return [];
  const { rows } = await sql<{ user_id: string }>`
    select distinct user_id from rapport.team_member where team_id = any(${teamIds}::uuid[])`.execute(db);
  return rows.map((row) => row.user_id);
};

// `union` (not `union all`) ends the recursion even if a cycle slipped into the hierarchy.
const readSubordinates = async (db: Db, workspaceId: string, roleId: string): Promise<string[]> => {
  const { rows } = await sql<{ user_id: string }>`
    with recursive below(id) as (
      select id from rapport.role where workspace_id = ${workspaceId} and parent_id = ${roleId}
      union
      select r.id from rapport.role r join below b on r.parent_id = b.id
    )
    select user_id from rapport.workspace_member
    where workspace_id = ${workspaceId} and role_id in (select id from below) and role_id <> ${roleId}`.execute(db);
  return rows.map((row) => row.user_id);
};

const readTerritoryRules = async (db: Db, workspaceId: string, userId: string): Promise<GrantRule[]> => {
  const { rows } = await sql<{ rules: Record<string, unknown> }>`
    select t.rules from rapport.territory t join rapport.territory_member m on m.territory_id = t.id
    where t.workspace_id = ${workspaceId} and m.user_id = ${userId}`.execute(db);
  return rows.flatMap((row) => Object.entries(row.rules ?? {}).map(([object, filter]) => ({ object, filter, access: 'write' as const })));
};

// A rule shared with a role reaches that role and every role above it (a manager sees what is
// shared with the people under them): the rules of my role and of every role below mine.
const readSharingRules = async (db: Db, options: { workspaceId: string; teamIds: string[]; roleId: string | null }): Promise<GrantRule[]> => {
  const { rows } = await sql<{ object: string; filter: unknown; access: SharingAccess }>`
    with recursive below(id) as (
      select id from rapport.role where workspace_id = ${options.workspaceId} and id = ${options.roleId}
      union
      select r.id from rapport.role r join below b on r.parent_id = b.id
    )
    select object, filter, access from rapport.sharing_rule
    where workspace_id = ${options.workspaceId} and (team_id = any(${options.teamIds}::uuid[]) or role_id in (select id from below))
    order by created_at, id`.execute(db);
  return rows.map((row) => ({ object: row.object, filter: row.filter, access: row.access }));
};

/** Reads the access profile of a user (or of a key without a user) in a workspace. */
export const loadAccessProfile = async (db: Db, workspaceId: string, userId: string | null): Promise<AccessProfile> => {
  if (!userId) return { workspaceId, userId, role: KEY_BASELINE, ownerIds: [], territoryRules: [], sharingRules: [] };
  const [role, licence] = [await readRole(db, workspaceId, userId), await readLicence(db, workspaceId, userId)];
  const base = { workspaceId, userId, role, ownerIds: [userId], territoryRules: [], sharingRules: [], licence };
  if (role.isAdmin || role.id === null) return base;
  const teamIds = await readTeamIds(db, workspaceId, userId);
  const owners = new Set([userId]);
  if (role.recordAccess === 'team' || role.recordAccess === 'teamAndSubordinates') {
    for (const id of await readTeammates(db, teamIds)) owners.add(id);
  }
  if (role.recordAccess === 'teamAndSubordinates') {
    for (const id of await readSubordinates(db, workspaceId, role.id)) owners.add(id);
  }
  return {
    ...base,
    ownerIds: [...owners].sort(),
    territoryRules: role.recordAccess === 'territory' ? await readTerritoryRules(db, workspaceId, userId) : [],
    sharingRules: await readSharingRules(db, { workspaceId, teamIds, roleId: role.id }),
  };
};
