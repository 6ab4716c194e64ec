import { randomUUID } from 'node:crypto';
import type { FieldError, SharingAccess } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { checkFilter, checkObjectName, throwIfAny } from './rule-validation.ts';

/**
 * "Records of `object` matching `filter` are shared `access` with team X (or role Y)": the rule adds
 * those records to what the team's members (or the role's holders) see, on top of their record access.
 * Object permissions still apply: a rule gives no right to an object the role cannot read or update.
 */
export interface SharingRule {
  id: string;
  name: string;
  object: string;
  filter: unknown;
  teamId: string | null;
  roleId: string | null;
  access: SharingAccess;
  createdAt: string;
}

export interface SharingRuleInput {
  name?: string;
  object?: string;
  filter?: unknown;
  teamId?: string | null;
  roleId?: string | null;
  access?: SharingAccess;
}

interface RuleRow {
  id: string;
  name: string;
  object: string;
  filter: unknown;
  team_id: string | null;
  role_id: string | null;
  access: SharingAccess;
  created_at: string;
}

const toRule = (row: RuleRow): SharingRule => ({
  id: row.id,
  name: row.name,
  object: row.object,
  filter: row.filter,
  teamId: row.team_id,
  roleId: row.role_id,
  access: row.access,
  createdAt: row.created_at,
});

export const listSharingRules = async (db: Db, workspaceId: string, filter: { object?: string } = {}): Promise<SharingRule[]> => {
  const { rows } = await sql<RuleRow>`
    select * from rapport.sharing_rule where workspace_id = ${workspaceId} ${filter.object ? sql`and object = ${filter.object}` : sql``}
    order by object, created_at, id`.execute(db);
  return rows.map(toRule);
};

export const getSharingRule = async (db: Db, workspaceId: string, id: string): Promise<SharingRule> => {
  const { rows } = await sql<RuleRow>`select * from rapport.sharing_rule where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
  if (!rows[0]) throw new AppError('RECORD_NOT_FOUND', `No sharing rule ${id} in this workspace.`);
  return toRule(rows[0]);
};

const exists = async (db: Db, table: 'team' | 'role', workspaceId: string, id: string): Promise<boolean> => {
  const { rows } = await sql`select 1 from ${sql.table(`rapport.${table}`)} where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
  return rows.length > 0;
};

/** The rule as it will be: object and filter valid, exactly one of team and role, both of this workspace. */
const validate = async (db: Db, workspace: WorkspaceMeta, rule: Required<Pick<SharingRuleInput, 'object' | 'filter'>> & SharingRuleInput): Promise<void> => {
  const errors: FieldError[] = [...checkObjectName(workspace, rule.object, 'object'), ...checkFilter(workspace, rule.object, rule.filter, 'filter')];
  if (!rule.teamId === !rule.roleId) {
    errors.push({ field: rule.teamId ? 'roleId' : 'teamId', code: 'required', message: 'Share with exactly one team (teamId) or one role (roleId).' });
  } else if (rule.teamId && !(await exists(db, 'team', workspace.id, rule.teamId))) {
    errors.push({ field: 'teamId', code: 'relationNotFound', message: `No team ${rule.teamId} in this workspace.` });
  } else if (rule.roleId && !(await exists(db, 'role', workspace.id, rule.roleId))) {
    errors.push({ field: 'roleId', code: 'relationNotFound', message: `No role ${rule.roleId} in this workspace.` });
  }
  throwIfAny(errors);
};

export const createSharingRule = async (db: Db, workspace: WorkspaceMeta, input: SharingRuleInput & { object: string; filter: unknown }): Promise<string> => {
  await validate(db, workspace, input);
  const id = randomUUID();
  await sql`insert into rapport.sharing_rule (id, workspace_id, name, object, filter, team_id, role_id, access)
    values (${id}, ${workspace.id}, ${input.name?.trim() ?? ''}, ${input.object}, ${JSON.stringify(input.filter)}::jsonb,
      ${input.teamId ?? null}, ${input.roleId ?? null}, ${input.access ?? 'read'})`.execute(db);
  return id;
};

export const updateSharingRule = async (db: Db, workspace: WorkspaceMeta, id: string, input: SharingRuleInput): Promise<void> => {
  const current = await getSharingRule(db, workspace.id, id);
  // Naming a team replaces the role and the other way round.
  const target = input.teamId ? { teamId: input.teamId, roleId: null } : input.roleId ? { teamId: null, roleId: input.roleId } : { teamId: current.teamId, roleId: current.roleId };
  const next = { ...current, ...input, ...target };
  await validate(db, workspace, next);
  await sql`update rapport.sharing_rule set name = ${next.name.trim()}, object = ${next.object}, filter = ${JSON.stringify(next.filter)}::jsonb,
    team_id = ${next.teamId}, role_id = ${next.roleId}, access = ${next.access}
    where id = ${id} and workspace_id = ${workspace.id}`.execute(db);
};

export const deleteSharingRule = async (db: Db, workspaceId: string, id: string): Promise<SharingRule> => {
  const rule = await getSharingRule(db, workspaceId, id);
  await sql`delete from rapport.sharing_rule where id = ${id} and workspace_id = ${workspaceId}`.execute(db);
  return rule;
};
