import { randomUUID } from 'node:crypto';
import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { checkFilter, checkMembers, checkObjectName, isUniqueViolation, throwIfAny } from './rule-validation.ts';

/**
 * A territory: a filter per object (`{"company": {"field": "address.country", "op": "in", "value": ["DE", "AT"]}}`)
 * and its members. Members whose role has `territory` record access see and change the matching records.
 */
export interface Territory {
  id: string;
  name: string;
  rules: Record<string, unknown>;
  memberIds: string[];
  createdAt: string;
}

export interface TerritoryInput {
  name?: string;
  rules?: Record<string, unknown>;
  memberIds?: string[];
}

interface TerritoryRow {
  id: string;
  name: string;
  rules: Record<string, unknown>;
  member_ids: string[] | null;
  created_at: string;
}

const selectTerritories = async (db: Db, workspaceId: string, id?: string): Promise<Territory[]> => {
  const { rows } = await sql<TerritoryRow>`
    select t.id, t.name, t.rules, t.created_at,
      array(select m.user_id from rapport.territory_member m where m.territory_id = t.id order by m.user_id) as member_ids
    from rapport.territory t where t.workspace_id = ${workspaceId} ${id ? sql`and t.id = ${id}` : sql``}
    order by t.name, t.id`.execute(db);
  return rows.map((row) => ({ id: row.id, name: row.name, rules: row.rules, memberIds: row.member_ids ?? [], createdAt: row.created_at }));
};

export const listTerritories = (db: Db, workspaceId: string): Promise<Territory[]> => selectTerritories(db, workspaceId);

export const getTerritory = async (db: Db, workspaceId: string, id: string): Promise<Territory> => {
  const [territory] = await selectTerritories(db, workspaceId, id);
  if (!territory) throw new AppError('RECORD_NOT_FOUND', `No territory ${id} in this workspace.`);
  return territory;
};

const nameTaken = (name: string) =>
  new AppError('ALREADY_EXISTS', `A territory named "${name}" already exists.`, { errors: [{ field: 'name', code: 'unique', message: 'Territory names are unique in a workspace.' }] });

interface SaveOptions {
  workspace: WorkspaceMeta;
  territoryId: string;
  input: TerritoryInput;
  isNew: boolean;
}

const saveTerritory = async (db: Db, { workspace, territoryId, input, isNew }: SaveOptions): Promise<void> => {
  const name = input.name?.trim();
  const memberIds = input.memberIds ? [...new Set(input.memberIds.map((id) => id.toLowerCase()))] : undefined;
  const errors: FieldError[] = [];
  if (name === '') errors.push({ field: 'name', code: 'required', message: 'A territory needs a name.' });
  for (const [objectName, filter] of Object.entries(input.rules ?? {})) {
    errors.push(...checkObjectName(workspace, objectName, `rules.${objectName}`), ...checkFilter(workspace, objectName, filter, `rules.${objectName}`));
  }
  if (memberIds) errors.push(...(await checkMembers(db, workspace.id, memberIds)));
  throwIfAny(errors);
  if (name !== undefined) {
    const { rows } = await sql`select 1 from rapport.territory where workspace_id = ${workspace.id} and name = ${name} and id <> ${territoryId}`.execute(db);
    if (rows.length > 0) throw nameTaken(name);
  }
  try {
    if (isNew) {
      await sql`insert into rapport.territory (id, workspace_id, name, rules) values (${territoryId}, ${workspace.id}, ${name ?? ''}, ${JSON.stringify(input.rules ?? {})}::jsonb)`.execute(db);
    } else if (name !== undefined || input.rules !== undefined) {
      await sql`update rapport.territory set name = coalesce(${name ?? null}, name), rules = coalesce(${input.rules ? JSON.stringify(input.rules) : null}::jsonb, rules)
        where id = ${territoryId} and workspace_id = ${workspace.id}`.execute(db);
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name ?? '');
    throw error;
  }
  if (memberIds) {
    await sql`delete from rapport.territory_member where territory_id = ${territoryId}`.execute(db);
    if (memberIds.length > 0) {
      await sql`insert into rapport.territory_member (territory_id, user_id) select ${territoryId}::uuid, unnest(${memberIds}::uuid[])`.execute(db);
    }
  }
};

export const createTerritory = async (db: Db, workspace: WorkspaceMeta, input: TerritoryInput & { name: string }): Promise<string> => {
  const territoryId = randomUUID();
  await saveTerritory(db, { workspace, territoryId, input, isNew: true });
  return territoryId;
};

export const updateTerritory = async (db: Db, workspace: WorkspaceMeta, territoryId: string, input: TerritoryInput): Promise<void> => {
  await getTerritory(db, workspace.id, territoryId);
  await saveTerritory(db, { workspace, territoryId, input, isNew: false });
};

export const deleteTerritory = async (db: Db, workspaceId: string, territoryId: string): Promise<Territory> => {
  const territory = await getTerritory(db, workspaceId, territoryId);
  await sql`delete from rapport.territory where id = ${territoryId} and workspace_id = ${workspaceId}`.execute(db);
  return territory;
};
