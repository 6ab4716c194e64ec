import { randomUUID } from 'node:crypto';
import type { FieldError, FieldLevel, ObjectPermissions, RecordAccess, SharingAccess } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { checkFieldLevels, checkFilter, checkObjectName, isUniqueViolation, normalizePermissions, throwIfAny } from './rule-validation.ts';

export interface RoleSharingRule {
  id: string;
  name: string;
  object: string;
  filter: unknown;
  access: SharingAccess;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  /** The role this one reports to: its holders see what this role's holders own (teamAndSubordinates). */
  parentId: string | null;
  isAdmin: boolean;
  requireTwoFactor: boolean;
  /** Licence types whose holders may be given this role; empty for any. */
  licences: string[];
  permissions: Record<string, ObjectPermissions>;
  fields: Record<string, Record<string, FieldLevel>>;
  recordAccess: RecordAccess;
  /** Sharing rules whose records this role's holders see on top of their record access. */
  sharingRules: RoleSharingRule[];
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface RoleInput {
  name?: string;
  description?: string;
  parentId?: string | null;
  isAdmin?: boolean;
  requireTwoFactor?: boolean;
  licences?: string[];
  permissions?: Record<string, Partial<ObjectPermissions>>;
  fields?: Record<string, Record<string, FieldLevel>>;
  recordAccess?: RecordAccess;
  /** Replaces the sharing rules that target this role. */
  sharingRules?: { name?: string; object: string; filter: unknown; access?: SharingAccess }[];
}

interface RoleRow {
  id: string;
  name: string;
  description: string;
  parent_id: string | null;
  is_admin: boolean;
  require_two_factor: boolean;
  licences: string[];
  permissions: Record<string, ObjectPermissions>;
  fields: Record<string, Record<string, FieldLevel>>;
  record_access: RecordAccess;
  member_count: number;
  created_at: string;
  updated_at: string;
}

interface RuleRow {
  id: string;
  name: string;
  object: string;
  filter: unknown;
  access: SharingAccess;
  role_id: string;
}

const toRole = (row: RoleRow, rules: RuleRow[]): Role => ({
  id: row.id,
  name: row.name,
  description: row.description,
  parentId: row.parent_id,
  isAdmin: row.is_admin,
  requireTwoFactor: row.require_two_factor,
  licences: row.licences,
  permissions: row.permissions,
  fields: row.fields,
  recordAccess: row.record_access,
  sharingRules: rules.filter((rule) => rule.role_id === row.id).map(({ id, name, object, filter, access }) => ({ id, name, object, filter, access })),
  memberCount: Number(row.member_count),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const selectRoles = async (db: Db, workspaceId: string, id?: string): Promise<Role[]> => {
  const { rows } = await sql<RoleRow>`
    select r.*, (select count(*) from rapport.workspace_member m where m.role_id = r.id)::int as member_count
    from rapport.role r where r.workspace_id = ${workspaceId} ${id ? sql`and r.id = ${id}` : sql``}
    order by r.created_at, r.name`.execute(db);
  const { rows: rules } = await sql<RuleRow>`
    select id, name, object, filter, access, role_id from rapport.sharing_rule
    where workspace_id = ${workspaceId} and role_id is not null ${id ? sql`and role_id = ${id}` : sql``}
    order by created_at, id`.execute(db);
  return rows.map((row) => toRole(row, rules));
};

export const listRoles = (db: Db, workspaceId: string): Promise<Role[]> => selectRoles(db, workspaceId);

export const getRole = async (db: Db, workspaceId: string, id: string): Promise<Role> => {
  const [role] = await selectRoles(db, workspaceId, id);
  if (!role) throw new AppError('RECORD_NOT_FOUND', `No role ${id} in this workspace.`);
  return role;
};

/** A parent must be another role of the workspace, and no role may end up above itself. */
const checkParent = async (db: Db, options: { workspaceId: string; roleId: string; parentId: string }): Promise<FieldError[]> => {
  const { rows } = await sql<{ id: string; parent_id: string | null }>`select id, parent_id from rapport.role where workspace_id = ${options.workspaceId}`.execute(db);
  const parents = new Map(rows.map((row) => [row.id, row.parent_id]));
  if (!parents.has(options.parentId)) return [{ field: 'parentId', code: 'relationNotFound', message: `No role ${options.parentId} in this workspace.` }];
  for (let current: string | null | undefined = options.parentId, steps = 0; current && steps <= parents.size; current = parents.get(current), steps++) {
    if (current === options.roleId) return [{ field: 'parentId', code: 'invalidChoice', message: 'A role cannot report to itself or to a role below it.' }];
  }
  return [];
};

const checkLicences = async (db: Db, workspaceId: string, licences: string[]): Promise<FieldError[]> => {
  if (licences.length === 0) return [];
  const { rows } = await sql<{ name: string }>`select name from rapport.licence_type where workspace_id = ${workspaceId}`.execute(db);
  const known = new Set(rows.map((row) => row.name));
  return licences.flatMap((name, index) =>
    known.has(name) ? [] : [{ field: `licences[${index}]`, code: 'relationNotFound', message: `No licence type "${name}". Licence types: ${[...known].join(', ')}.` }],
  );
};

interface SaveRoleOptions {
  db: Db;
  workspace: WorkspaceMeta;
  roleId: string;
  input: RoleInput;
  isNew: boolean;
}

const validate = async ({ db, workspace, roleId, input }: SaveRoleOptions): Promise<Record<string, ObjectPermissions> | undefined> => {
  const errors: FieldError[] = [];
  if (input.name !== undefined && input.name.trim() === '') errors.push({ field: 'name', code: 'required', message: 'A role needs a name.' });
  const permissions = input.permissions ? normalizePermissions(workspace, input.permissions, errors) : undefined;
  if (input.fields) errors.push(...checkFieldLevels(workspace, input.fields));
  if (input.parentId) errors.push(...(await checkParent(db, { workspaceId: workspace.id, roleId, parentId: input.parentId })));
  if (input.licences) errors.push(...(await checkLicences(db, workspace.id, input.licences)));
  (input.sharingRules ?? []).forEach((rule, index) => {
    errors.push(...checkObjectName(workspace, rule.object, `sharingRules[${index}].object`));
    errors.push(...checkFilter(workspace, rule.object, rule.filter, `sharingRules[${index}].filter`));
  });
  throwIfAny(errors);
  return permissions;
};

const nameTaken = (name: string) => new AppError('ALREADY_EXISTS', `A role named "${name}" already exists.`, { errors: [{ field: 'name', code: 'unique', message: 'Role names are unique in a workspace.' }] });

const replaceSharingRules = async (db: Db, options: { workspaceId: string; roleId: string; rules: NonNullable<RoleInput['sharingRules']> }) => {
  await sql`delete from rapport.sharing_rule where workspace_id = ${options.workspaceId} and role_id = ${options.roleId}`.execute(db);
  for (const rule of options.rules) {
    await sql`insert into rapport.sharing_rule (id, workspace_id, name, object, filter, role_id, access)
      values (${randomUUID()}, ${options.workspaceId}, ${rule.name?.trim() ?? ''}, ${rule.object}, ${JSON.stringify(rule.filter)}::jsonb, ${options.roleId}, ${rule.access ?? 'read'})`.execute(db);
  }
};

/** Creates or changes a role (in the caller's transaction); validation errors are 400 with one entry per field. */
const saveRole = async (options: SaveRoleOptions): Promise<void> => {
  const { db, workspace, roleId, input, isNew } = options;
  const permissions = await validate(options);
  const name = input.name?.trim();
  if (name !== undefined) {
    const { rows } = await sql`select 1 from rapport.role where workspace_id = ${workspace.id} and name = ${name} and id <> ${roleId}`.execute(db);
    if (rows.length > 0) throw nameTaken(name);
  }
  try {
    if (isNew) {
      await sql`insert into rapport.role (id, workspace_id, name, description, parent_id, is_admin, require_two_factor, licences, permissions, fields, record_access)
        values (${roleId}, ${workspace.id}, ${name ?? ''}, ${input.description ?? ''}, ${input.parentId ?? null}, ${input.isAdmin ?? false},
          ${input.requireTwoFactor ?? false}, ${input.licences ?? []}::text[], ${JSON.stringify(permissions ?? {})}::jsonb,
          ${JSON.stringify(input.fields ?? {})}::jsonb, ${input.recordAccess ?? 'own'})`.execute(db);
    } else {
      const sets = [
        name !== undefined && sql`name = ${name}`,
        input.description !== undefined && sql`description = ${input.description}`,
        input.parentId !== undefined && sql`parent_id = ${input.parentId}`,
        input.isAdmin !== undefined && sql`is_admin = ${input.isAdmin}`,
        input.requireTwoFactor !== undefined && sql`require_two_factor = ${input.requireTwoFactor}`,
        input.licences !== undefined && sql`licences = ${input.licences}::text[]`,
        permissions !== undefined && sql`permissions = ${JSON.stringify(permissions)}::jsonb`,
        input.fields !== undefined && sql`fields = ${JSON.stringify(input.fields)}::jsonb`,
        input.recordAccess !== undefined && sql`record_access = ${input.recordAccess}`,
      ].filter((set) => set !== false);
      await sql`update rapport.role set ${sql.join([...sets, sql`updated_at = now()`])} where id = ${roleId} and workspace_id = ${workspace.id}`.execute(db);
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name ?? '');
    throw error;
  }
  if (input.sharingRules) await replaceSharingRules(db, { workspaceId: workspace.id, roleId, rules: input.sharingRules });
};

export const createRole = async (db: Db, workspace: WorkspaceMeta, input: RoleInput & { name: string }): Promise<string> => {
  const roleId = randomUUID();
  await saveRole({ db, workspace, roleId, input, isNew: true });
  return roleId;
};

export const updateRole = async (db: Db, workspace: WorkspaceMeta, roleId: string, input: RoleInput): Promise<void> => {
  const role = await getRole(db, workspace.id, roleId);
  if (role.isAdmin && input.isAdmin === false) await assertAnotherAdminRemains(db, workspace.id, roleId);
  await saveRole({ db, workspace, roleId, input, isNew: false });
};

/** Taking admin rights from a role must leave at least one active administrator in the workspace. */
const assertAnotherAdminRemains = async (db: Db, workspaceId: string, roleId: string) => {
  const { rows } = await sql`select 1 from rapport.workspace_member m join rapport.role r on r.id = m.role_id
    where m.workspace_id = ${workspaceId} and m.status = 'active' and r.is_admin and r.id <> ${roleId} limit 1`.execute(db);
  const { rows: holders } = await sql`select 1 from rapport.workspace_member where workspace_id = ${workspaceId} and role_id = ${roleId} and status = 'active' limit 1`.execute(db);
  if (rows.length === 0 && holders.length > 0) {
    throw new AppError('CONFLICT', 'This role holds the last active administrators of the workspace: give another member an administrator role first.');
  }
};

/** Deletes a role that nobody holds (ROLE_IN_USE otherwise); roles below it then report to nobody. */
export const deleteRole = async (db: Db, workspaceId: string, roleId: string): Promise<Role> => {
  const role = await getRole(db, workspaceId, roleId);
  if (role.memberCount > 0) {
    throw new AppError('ROLE_IN_USE', `The role "${role.name}" is held by ${role.memberCount} member${role.memberCount === 1 ? '' : 's'}: give them another role before deleting it.`);
  }
  await sql`delete from rapport.role where id = ${roleId} and workspace_id = ${workspaceId}`.execute(db);
  return role;
};
