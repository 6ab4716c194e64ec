import type { JobHandler } from '../jobs/index.ts';
import type { AccessProfileCache } from '../permissions/access-cache.ts';
import { createAccess, createFullAccess } from '../permissions/access.ts';
import { ownerFieldOf } from '../permissions/row-rules.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { getRecord } from '../records/read-records.ts';
import type { ReminderJobPayload } from './notification-consumer.ts';
import { titleFor } from './notification-consumer.ts';
import { createNotifications } from './notification.service.ts';
import type { ReminderRule } from './notification-rules.ts';

export interface ReminderJobOptions {
  metadata: { get(workspaceId: string): Promise<WorkspaceMeta> };
  accessProfiles: AccessProfileCache;
  reminderRules: readonly ReminderRule[];
}

const isSameTime = (a: unknown, b: string) => typeof a === 'string' && new Date(a).getTime() === new Date(b).getTime();

/**
 * Reminds a record's owner at the time set on it: only if the record still exists, still has this
 * reminder time (a moved reminder has its own job), is not settled (a task done), and its owner may read it.
 */
export const createReminderJobHandler = ({ metadata, accessProfiles, reminderRules }: ReminderJobOptions): JobHandler<ReminderJobPayload> => async ({ db, job }) => {
  const { workspaceId, object: objectName, recordId, field, at } = job.payload;
  const rule = reminderRules.find((candidate) => candidate.object === objectName && candidate.field === field);
  const workspace = await metadata.get(workspaceId).catch(() => undefined);
  const object = workspace?.objects.get(objectName);
  const owner = object && ownerFieldOf(object);
  if (!rule || !workspace || !object || !owner) return { reminded: false, reason: 'no such reminder' };
  const record = await getRecord({ db, workspace, object, access: createFullAccess(workspace) }, { id: recordId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'RECORD_NOT_FOUND') return undefined;
    throw error;
  });
  const userId = record?.[owner.name];
  if (!record || !isSameTime(record[field], at) || rule.isSettled?.(record) || typeof userId !== 'string') return { reminded: false, reason: 'no longer due' };
  const access = createAccess({ workspace, profile: await accessProfiles.get(workspaceId, userId), scopes: null });
  const seen = await getRecord({ db, workspace, object, access }, { id: recordId }).catch(() => undefined);
  if (!seen) return { reminded: false, reason: 'the owner cannot read the record' };
  const created = await db.transaction().execute((trx) =>
    createNotifications(trx, [{ workspaceId, userId, kind: 'reminder', object: objectName, recordId, actorId: null, title: titleFor(access, objectName, seen), excerpt: null }]),
  );
  return { reminded: created > 0 };
};
