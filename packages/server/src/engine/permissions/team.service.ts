import { randomUUID } from 'node:crypto';
import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { checkMembers, isUniqueViolation, throwIfAny } from './rule-validation.ts';

/** A group of users: `team` record access sees what its members own, and sharing rules can target it. */
export interface Team {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
  createdAt: string;
}

export interface TeamInput {
  name?: string;
  description?: string;
  /** Replaces the members. */
  memberIds?: string[];
}

interface TeamRow {
  id: string;
  name: string;
  description: string;
  member_ids: string[] | null;
  created_at: string;
}

const selectTeams = async (db: Db, workspaceId: string, id?: string): Promise<Team[]> => {
  const { rows } = await sql<TeamRow>`
    select t.id, t.name, t.description, t.created_at,
      array(select m.user_id from rapport.team_member m where m.team_id = t.id order by m.user_id) as member_ids
    from rapport.team t where t.workspace_id = ${workspaceId} ${id ? sql`and t.id = ${id}` : sql``}
    order by t.name, t.id`.execute(db);
  return rows.map((row) => ({ id: row.id, name: row.name, description: row.description, memberIds: row.member_ids ?? [], createdAt: row.created_at }));
};

export const listTeams = (db: Db, workspaceId: string): Promise<Team[]> => selectTeams(db, workspaceId);

export const getTeam = async (db: Db, workspaceId: string, id: string): Promise<Team> => {
  const [team] = await selectTeams(db, workspaceId, id);
  if (!team) throw new AppError('RECORD_NOT_FOUND', `No team ${id} in this workspace.`);
  return team;
};

const nameTaken = (name: string) => new AppError('ALREADY_EXISTS', `A team named "${name}" already exists.`, { errors: [{ field: 'name', code: 'unique', message: 'Team names are unique in a workspace.' }] });

const saveTeam = async (db: Db, options: { workspaceId: string; teamId: string; input: TeamInput; isNew: boolean }): Promise<void> => {
  const { workspaceId, teamId, input, isNew } = options;
  const name = input.name?.trim();
  const memberIds = input.memberIds ? [...new Set(input.memberIds.map((id) => id.toLowerCase()))] : undefined;
  const errors: FieldError[] = [];
  if (name === '') errors.push({ field: 'name', code: 'required', message: 'A team needs a name.' });
  if (memberIds) errors.push(...(await checkMembers(db, workspaceId, memberIds)));
  throwIfAny(errors);
  try {
    if (isNew) {
      await sql`insert into rapport.team (id, workspace_id, name, description) values (${teamId}, ${workspaceId}, ${name ?? ''}, ${input.description ?? ''})`.execute(db);
    } else if (name !== undefined || input.description !== undefined) {
      await sql`update rapport.team set name = coalesce(${name ?? null}, name), description = coalesce(${input.description ?? null}, description)
        where id = ${teamId} and workspace_id = ${workspaceId}`.execute(db);
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name ?? '');
    throw error;
  }
  if (memberIds) {
    await sql`delete from rapport.team_member where team_id = ${teamId}`.execute(db);
    if (memberIds.length > 0) {
      await sql`insert into rapport.team_member (team_id, user_id, workspace_id) select ${teamId}::uuid, unnest(${memberIds}::uuid[]), ${workspaceId}::uuid`.execute(db);
    }
  }
};

const assertNameFree = async (db: Db, workspaceId: string, name: string | undefined, teamId: string) => {
  if (name === undefined) return;
  const { rows } = await sql`select 1 from rapport.team where workspace_id = ${workspaceId} and name = ${name.trim()} and id <> ${teamId}`.execute(db);
  if (rows.length > 0) throw nameTaken(name.trim());
};

export const createTeam = async (db: Db, workspaceId: string, input: TeamInput & { name: string }): Promise<string> => {
  const teamId = randomUUID();
  await assertNameFree(db, workspaceId, input.name, teamId);
  await saveTeam(db, { workspaceId, teamId, input, isNew: true });
  return teamId;
};

export const updateTeam = async (db: Db, workspaceId: string, teamId: string, input: TeamInput): Promise<void> => {
  await getTeam(db, workspaceId, teamId);
  await assertNameFree(db, workspaceId, input.name, teamId);
  await saveTeam(db, { workspaceId, teamId, input, isNew: false });
};

/** Deletes a team, its memberships and the sharing rules that target it. */
export const deleteTeam = async (db: Db, workspaceId: string, teamId: string): Promise<Team> => {
  const team = await getTeam(db, workspaceId, teamId);
  await sql`delete from rapport.team where id = ${teamId} and workspace_id = ${workspaceId}`.execute(db);
  return team;
};
