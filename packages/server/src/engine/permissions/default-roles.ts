import { randomUUID } from 'node:crypto';
import type { FieldLevel, ObjectPermissions, RecordAccess } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export type { ObjectPermissions, RecordAccess } from '@rapport/common';

export interface DefaultRole {
  name: string;
  description: string;
  isAdmin: boolean;
  recordAccess: RecordAccess;
  /** `*` applies to every object (standard and custom) not named explicitly. */
  permissions: Record<string, ObjectPermissions>;
  /** Field levels per object and field (editable unless named). */
  fields?: Record<string, Record<string, FieldLevel>>;
  parent?: string;
}

const all = (value: boolean): ObjectPermissions => ({ create: value, read: value, update: value, delete: value, export: value, import: value });

/** Every new workspace starts with these roles; admins change or replace them. */
export const DEFAULT_ROLES: DefaultRole[] = [
  { name: 'Admin', description: 'Full access to every record and setting.', isAdmin: true, recordAccess: 'all', permissions: { '*': all(true) } },
  {
    name: 'Sales manager',
    description: 'Sees and edits what their team and the people under them own.',
    isAdmin: false,
    recordAccess: 'teamAndSubordinates',
    permissions: { '*': all(true) },
    parent: 'Admin',
  },
  {
    name: 'Sales rep',
    description: 'Works on their own records; cannot delete, export or import.',
    isAdmin: false,
    recordAccess: 'own',
    permissions: { '*': { create: true, read: true, update: true, delete: false, export: false, import: false } },
    // A rep sets their own forecast category; their manager's is theirs to see, not to change.
    fields: { opportunity: { managerForecastCategory: 'readOnly' } },
    parent: 'Sales manager',
  },
  {
    name: 'Read only',
    description: 'Sees every record, changes nothing.',
    isAdmin: false,
    recordAccess: 'all',
    permissions: { '*': { ...all(false), read: true } },
    parent: 'Admin',
  },
];

/** Creates the default roles of a workspace (in its creating transaction); returns role ids by name. */
export const createDefaultRoles = async (db: Db, workspaceId: string): Promise<Map<string, string>> => {
  const ids = new Map(DEFAULT_ROLES.map((role) => [role.name, randomUUID()] as const));
  for (const role of DEFAULT_ROLES) {
    await sql`insert into rapport.role (id, workspace_id, name, description, is_admin, permissions, fields, record_access, parent_id)
      values (${ids.get(role.name)!}, ${workspaceId}, ${role.name}, ${role.description}, ${role.isAdmin},
        ${JSON.stringify(role.permissions)}::jsonb, ${JSON.stringify(role.fields ?? {})}::jsonb, ${role.recordAccess}, ${role.parent ? ids.get(role.parent)! : null})`.execute(db);
  }
  return ids;
};
