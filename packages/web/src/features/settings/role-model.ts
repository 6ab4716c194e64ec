import { FIELD_LEVELS, OBJECT_ACTIONS, RECORD_ACCESS_LEVELS } from '@rapport/common';

export type ObjectAction = (typeof OBJECT_ACTIONS)[number];
export type FieldLevel = (typeof FIELD_LEVELS)[number];
export type RecordAccess = (typeof RECORD_ACCESS_LEVELS)[number];
export type Permissions = Record<string, Partial<Record<ObjectAction, boolean>>>;
export type FieldPermissions = Record<string, Record<string, 'hidden' | 'readOnly'>>;

export { FIELD_LEVELS, OBJECT_ACTIONS, RECORD_ACCESS_LEVELS };

/** A role as `GET /api/v1/roles/{id}` returns it (the parts the editor changes). */
export interface RoleDetail {
  id: string;
  name: string;
  parentId: string | null;
  isAdmin: boolean;
  requireTwoFactor: boolean;
  permissions: Permissions;
  fields: FieldPermissions;
  recordAccess: RecordAccess;
  memberCount: number;
}

/**
 * Sets one action of one object (`*` for every object not named). Every action but `read` needs
 * `read`: turning one on turns `read` on, turning `read` off turns the others off.
 */
export const setPermission = (permissions: Permissions, object: string, action: ObjectAction, isAllowed: boolean): Permissions => {
  const current = { ...(permissions[object] ?? {}) };
  if (action === 'read' && !isAllowed) for (const each of OBJECT_ACTIONS) current[each] = false;
  else {
    current[action] = isAllowed;
    if (isAllowed) current.read = true;
  }
  return { ...permissions, [object]: current };
};

/** What a role may do with an object: its own entry, else the `*` entry. */
export const isAllowed = (permissions: Permissions, object: string, action: ObjectAction): boolean =>
  (permissions[object] ?? permissions['*'])?.[action] === true;

/** Sets a field's level; `editable` is the default and is stored as no entry (an empty object goes too). */
export const setFieldLevel = (fields: FieldPermissions, object: string, field: string, level: FieldLevel): FieldPermissions => {
  const forObject = { ...(fields[object] ?? {}) };
  if (level === 'editable') delete forObject[field];
  else forObject[field] = level;
  const next = { ...fields };
  if (Object.keys(forObject).length) next[object] = forObject;
  else delete next[object];
  return next;
};

export const fieldLevelOf = (fields: FieldPermissions, object: string, field: string): FieldLevel => fields[object]?.[field] ?? 'editable';
