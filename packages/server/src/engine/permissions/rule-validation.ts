import { ANY_OBJECT, OBJECT_ACTIONS, SYSTEM_FIELDS, type FieldError, type FieldLevel, type ObjectPermissions } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { parseFilter } from '../query/parse-filter.ts';

/** Bad role, team, territory or sharing-rule bodies: 400 with one entry per field. */
export const invalidBody = (errors: FieldError[], detail = 'The request is invalid; nothing was saved.'): AppError =>
  new AppError('INVALID_REQUEST', `${detail} ${errors.map((error) => `${error.field}: ${error.message}`).join(' ')}`.trim(), { errors });

export const throwIfAny = (errors: FieldError[]): void => {
  if (errors.length > 0) throw invalidBody(errors);
};

const objectList = (workspace: WorkspaceMeta) => [...workspace.objects.keys()].join(', ');

export const checkObjectName = (workspace: WorkspaceMeta, name: string, field: string): FieldError[] =>
  workspace.objects.has(name) ? [] : [{ field, code: 'unknownField', message: `There is no object "${name}". Objects: ${objectList(workspace)}.` }];

/** A filter of the query language on an object, checked against the whole workspace. */
export const checkFilter = (workspace: WorkspaceMeta, objectName: string, filter: unknown, field: string): FieldError[] => {
  const object = workspace.objects.get(objectName);
  if (!object) return [];
  try {
    parseFilter({ workspace, object, filter });
    return [];
  } catch (error) {
    if (isAppError(error)) return [{ field, code: 'invalidQuery', message: error.message }];
    throw error;
  }
};

const WRITE_ACTIONS = OBJECT_ACTIONS.filter((action) => action !== 'read');

/** Completes each object's permissions (missing actions are false) and checks object names and that writes come with read. */
export const normalizePermissions = (
  workspace: WorkspaceMeta,
  permissions: Record<string, Partial<ObjectPermissions>>,
  errors: FieldError[],
): Record<string, ObjectPermissions> => {
  const result: Record<string, ObjectPermissions> = {};
  for (const [objectName, given] of Object.entries(permissions)) {
    const path = `permissions.${objectName}`;
    if (objectName !== ANY_OBJECT) errors.push(...checkObjectName(workspace, objectName, path));
    const complete = Object.fromEntries(OBJECT_ACTIONS.map((action) => [action, given[action] === true])) as ObjectPermissions;
    const needsRead = WRITE_ACTIONS.filter((action) => complete[action]);
    if (!complete.read && needsRead.length > 0) {
      errors.push({ field: `${path}.read`, code: 'required', message: `${needsRead.join(', ')} need read: a role cannot change or move records it cannot see.` });
    }
    result[objectName] = complete;
  }
  return result;
};

/** Field levels name existing objects and fields (not system fields, which are always read-only and visible). */
export const checkFieldLevels = (workspace: WorkspaceMeta, fields: Record<string, Record<string, FieldLevel>>): FieldError[] =>
  Object.entries(fields).flatMap(([objectName, levels]) => {
    const object = workspace.objects.get(objectName);
    if (!object) return checkObjectName(workspace, objectName, `fields.${objectName}`);
    return Object.keys(levels)
      .filter((name) => !object.fieldsByName.has(name))
      .map((name) => ({
        field: `fields.${objectName}.${name}`,
        code: 'unknownField',
        message: (SYSTEM_FIELDS as readonly string[]).includes(name) ? `"${name}" is a system field: always visible and read-only.` : `${object.name} has no field "${name}".`,
      }));
  });

/** Users named in `memberIds` must be members of the workspace. */
export const checkMembers = async (db: Db, workspaceId: string, ids: readonly string[], field = 'memberIds'): Promise<FieldError[]> => {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ user_id: string }>`
    select user_id from rapport.workspace_member where workspace_id = ${workspaceId} and user_id = any(${[...ids]}::uuid[])`.execute(db);
  const found = new Set(rows.map((row) => row.user_id));
  return ids.flatMap((id, index) => (found.has(id) ? [] : [{ field: `${field}[${index}]`, code: 'relationNotFound', message: `No user ${id} in this workspace.` }]));
};

/** Postgres says 23505 for a unique violation; role, team and territory names are unique per workspace. */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === '23505';
