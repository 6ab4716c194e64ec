import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

/**
 * The instance-level audit scope holds what belongs to no workspace: failed sign-ins for an email no
 * account has (when the sign-in named no existing workspace). Its readers are the administrators of
 * the instance's first workspace — on a self-hosted instance, the operator's own.
 */
export const isInstanceAuditWorkspace = async (db: Db, workspaceId: string): Promise<boolean> => {
  const { rows } = await sql<{ id: string }>`select id from rapport.workspace order by created_at, id limit 1`.execute(db);
  return rows[0]?.id === workspaceId;
};

export const assertInstanceAuditReader = async (db: Db, workspaceId: string): Promise<void> => {
  if (await isInstanceAuditWorkspace(db, workspaceId)) return;
  throw new AppError('FORBIDDEN', 'The instance-level audit log is read by the administrators of the instance\'s first workspace.');
};
