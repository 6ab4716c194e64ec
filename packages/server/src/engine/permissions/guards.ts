import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Principal } from '../identity/principal.ts';

/**
 * Workspace administration (users, roles, keys, metadata, settings): an API key with the `admin`
 * scope that belongs to no user or to an admin, or a signed-in user whose role is an admin role.
 */
export const isWorkspaceAdmin = async (db: Db, principal: Principal): Promise<boolean> => {
  if (principal.via === 'apiKey' && !principal.scopes?.includes('admin')) return false;
  if (!principal.userId) return principal.via === 'apiKey';
  const { rows } = await sql<{ is_admin: boolean }>`
    select r.is_admin from rapport.workspace_member m join rapport.role r on r.id = m.role_id
    where m.workspace_id = ${principal.workspaceId} and m.user_id = ${principal.userId} and m.status = 'active'`.execute(db);
  return rows[0]?.is_admin === true;
};

export const assertWorkspaceAdmin = async (db: Db, principal: Principal): Promise<void> => {
  if (!(await isWorkspaceAdmin(db, principal))) throw new AppError('FORBIDDEN', 'Only workspace administrators can do this.');
};
