import { OBJECT_ACTIONS, type ObjectAction, type ObjectPermissions } from '@rapport/common';
import { AppError } from '../errors.ts';
import type { ObjectMeta } from '../metadata/types.ts';
import type { Access } from './access.ts';

const VERBS: Record<ObjectAction, string> = {
  create: 'create',
  read: 'read',
  update: 'change',
  delete: 'delete or restore',
  export: 'export',
  import: 'import',
};

/** Throws FORBIDDEN unless the caller's role and key scopes allow the action on the object. */
export const assertCan = (access: Access, objectName: string, action: ObjectAction): void => {
  if (access.can(objectName, action)) return;
  throw new AppError('FORBIDDEN', `Your role or API key does not allow you to ${VERBS[action]} ${objectName} records.`);
};

/** What the caller may do with an object's records, action by action (screens hide what would be refused). */
export const objectPermissionsOf = (access: Access, objectName: string): ObjectPermissions =>
  Object.fromEntries(OBJECT_ACTIONS.map((action) => [action, access.can(objectName, action)])) as ObjectPermissions;

/** For the import/export module: bulk moves of an object's records need their own permission. */
export const assertCanExport = (access: Access, objectName: string): void => assertCan(access, objectName, 'export');
export const assertCanImport = (access: Access, objectName: string): void => assertCan(access, objectName, 'import');

/**
 * The object as the caller sees it (hidden fields left out): OBJECT_NOT_FOUND when it does not
 * exist, FORBIDDEN when the caller may not read it.
 */
export const getReadableObject = (access: Access, name: string): ObjectMeta => {
  const object = access.view.objects.get(name);
  if (object) return object;
  if (access.workspace.objects.has(name)) assertCan(access, name, 'read');
  throw new AppError('OBJECT_NOT_FOUND', `There is no object "${name}". Objects: ${[...access.view.objects.keys()].join(', ')}.`);
};
