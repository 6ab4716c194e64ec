import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { checkMembershipLicence } from '../licences/seats.ts';
import { createFullAccess } from '../permissions/access.ts';
import { saveRecords } from '../records/save-records.ts';
import { assertNotLastAdmin, getUser, type WorkspaceUser } from './users.service.ts';

const REASSIGN_BATCH = 500;

/** Ends everything that lets a member in: sessions, their API keys and pending invitations of this workspace. */
const revokeAccess = async (trx: Db, { workspaceId, userId }: { workspaceId: string; userId: string }) => {
  await sql`update rapport.session set revoked_at = now() where workspace_id = ${workspaceId} and user_id = ${userId} and revoked_at is null`.execute(trx);
  await sql`update rapport.api_key set revoked_at = now() where workspace_id = ${workspaceId} and user_id = ${userId} and revoked_at is null`.execute(trx);
  await sql`update rapport.invitation set revoked_at = now()
    where workspace_id = ${workspaceId} and user_id = ${userId} and accepted_at is null and revoked_at is null`.execute(trx);
};

export interface DeactivateUserOptions {
  workspace: WorkspaceMeta;
  userId: string;
  /** An active member who becomes the owner of every record the user owns. */
  reassignTo?: string;
  actorId: string | null;
}

export interface DeactivatedUser {
  user: WorkspaceUser;
  /** Records given to `reassignTo`, per object. */
  reassigned: Record<string, number>;
}

/**
 * Deactivates a member at once: sessions, keys and invitations are revoked in one transaction and the
 * seat is free. With `reassignTo`, their records' owner fields move to that member through the write
 * path (history and events kept). Deactivating again only reassigns, so a failed reassignment can be retried.
 */
export const deactivateUser = async (db: Db, { workspace, userId, reassignTo, actorId }: DeactivateUserOptions): Promise<DeactivatedUser> => {
  const workspaceId = workspace.id;
  const user = await getUser(db, workspaceId, userId);
  if (reassignTo !== undefined) {
    const target = reassignTo === userId ? undefined : await getUser(db, workspaceId, reassignTo).catch(() => undefined);
    if (!target || target.status !== 'active') {
      throw validationFailed([{ field: 'reassignTo', code: 'relationNotFound', message: 'Name another active member of this workspace.' }]);
    }
  }
  if (user.status !== 'deactivated') {
    await db.transaction().execute(async (trx) => {
      if (user.status === 'active') await assertNotLastAdmin(trx, { workspaceId, userId });
      await sql`update rapport.workspace_member set status = 'deactivated', deactivated_at = now() where workspace_id = ${workspaceId} and user_id = ${userId}`.execute(trx);
      await revokeAccess(trx, { workspaceId, userId });
    });
  }
  const reassigned = reassignTo ? await reassignOwnedRecords(db, { workspace, fromUserId: userId, toUserId: reassignTo, actorId }) : {};
  return { user: await getUser(db, workspaceId, userId), reassigned };
};

/** Gives every live record of one user (through each owner field of each object) to another. */
export const reassignOwnedRecords = async (
  db: Db,
  { workspace, fromUserId, toUserId, actorId }: { workspace: WorkspaceMeta; fromUserId: string; toUserId: string; actorId: string | null },
): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const object of workspace.objects.values()) {
    const ownerFields = object.fields.filter((field) => field.type === 'owner');
    if (ownerFields.length === 0) continue;
    const changes = new Map<string, Record<string, unknown>>();
    for (const field of ownerFields) {
      const { rows } = await sql<{ id: string }>`select id from ${sql.id(workspace.schema, object.table)}
        where ${sql.ref(field.column)} = ${fromUserId} and deleted_at is null`.execute(db);
      for (const { id } of rows) changes.set(id, { ...(changes.get(id) ?? { id }), [field.name]: toUserId });
    }
    const records = [...changes.values()];
    for (let start = 0; start < records.length; start += REASSIGN_BATCH) {
      await saveRecords({ db, workspace, object, actorId, access: createFullAccess(workspace) }, { records: records.slice(start, start + REASSIGN_BATCH) });
    }
    if (records.length > 0) counts[object.name] = records.length;
  }
  return counts;
};

/** Lets a deactivated member in again (seat rules apply as for a new member). */
export const reactivateUser = async (db: Db, { workspaceId, userId }: { workspaceId: string; userId: string }): Promise<WorkspaceUser> => {
  const user = await getUser(db, workspaceId, userId);
  if (user.status !== 'deactivated') throw new AppError('CONFLICT', `This user is ${user.status}, not deactivated.`);
  await db.transaction().execute(async (trx) => {
    // A named seat must be free again, and the role must still allow the licence (engine/licences).
    await checkMembershipLicence(trx, { workspaceId, userId, status: 'active' });
    await sql`update rapport.workspace_member set status = 'active', deactivated_at = null where workspace_id = ${workspaceId} and user_id = ${userId}`.execute(trx);
  });
  return getUser(db, workspaceId, userId);
};

/**
 * Removes a member from the workspace: access revoked, membership and teams gone. The account stays
 * (records, history and the audit log still name it, and other workspaces may have the person).
 */
export const removeUser = async (db: Db, { workspaceId, userId }: { workspaceId: string; userId: string }): Promise<void> => {
  const user = await getUser(db, workspaceId, userId);
  await db.transaction().execute(async (trx) => {
    if (user.status === 'active') await assertNotLastAdmin(trx, { workspaceId, userId });
    await revokeAccess(trx, { workspaceId, userId });
    await sql`delete from rapport.team_member where workspace_id = ${workspaceId} and user_id = ${userId}`.execute(trx);
    await sql`delete from rapport.workspace_member where workspace_id = ${workspaceId} and user_id = ${userId}`.execute(trx);
  });
};
