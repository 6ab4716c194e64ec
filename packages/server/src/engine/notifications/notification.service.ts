import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { appendEvents } from '../events/outbox.ts';

/**
 * `missedCall`: a call to the user's line was not answered (modules/activities/telephony); `recordChange`: a record
 * the user follows changed (followers.ts).
 */
export const NOTIFICATION_KINDS = ['mention', 'assignment', 'reminder', 'missedCall', 'recordChange'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationDraft {
  workspaceId: string;
  userId: string;
  kind: NotificationKind;
  object: string;
  recordId: string;
  actorId: string | null;
  title: string;
  excerpt: string | null;
}

export interface Notification {
  id: string;
  kind: NotificationKind;
  object: string;
  recordId: string;
  actorId: string | null;
  actorName: string | null;
  title: string;
  excerpt: string | null;
  createdAt: string;
  readAt: string | null;
}

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  object: string;
  record_id: string;
  actor_id: string | null;
  actor_name: string | null;
  title: string;
  excerpt: string | null;
  created_at: string;
  read_at: string | null;
}

const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  kind: row.kind,
  object: row.object,
  recordId: row.record_id,
  actorId: row.actor_id,
  actorName: row.actor_name,
  title: row.title,
  excerpt: row.excerpt,
  createdAt: row.created_at,
  readAt: row.read_at,
});

/** The drafts whose user has not turned their kind off (notification-preferences.ts), in one query. */
const dropSilenced = async (db: Db, drafts: NotificationDraft[]): Promise<NotificationDraft[]> => {
  if (drafts.length === 0) return drafts;
  const users = [...new Set(drafts.map((draft) => draft.userId))];
  const workspaces = [...new Set(drafts.map((draft) => draft.workspaceId))];
  const { rows } = await sql<{ workspace_id: string; user_id: string; kind: string }>`
    select workspace_id, user_id, kind from rapport.notification_preference
    where workspace_id = any(${workspaces}::uuid[]) and user_id = any(${users}::uuid[]) and channel = 'off'`.execute(db);
  if (rows.length === 0) return drafts;
  const off = new Set(rows.map((row) => `${row.workspace_id}:${row.user_id}:${row.kind}`));
  return drafts.filter((draft) => !off.has(`${draft.workspaceId}:${draft.userId}:${draft.kind}`));
};

/**
 * Stores notifications (stamped with the clock, not the transaction's start: one batch keeps its event order) and appends a `notification.created` event for each, in the caller's
 * transaction: the change-feed stream carries it to its user's open tabs at once. A second mention
 * of a user in the same record adds nothing.
 */
export const createNotifications = async (trx: Db, given: NotificationDraft[]): Promise<number> => {
  let created = 0;
  // A kind a person turned off is not made at all.
  const drafts = await dropSilenced(trx, given);
  for (const draft of drafts) {
    const { rows } = await sql<{ id: string; created_at: string }>`
      insert into rapport.notification (id, workspace_id, user_id, kind, object, record_id, actor_id, title, excerpt, created_at)
      values (${randomUUID()}, ${draft.workspaceId}, ${draft.userId}, ${draft.kind}, ${draft.object}, ${draft.recordId}, ${draft.actorId}, ${draft.title}, ${draft.excerpt}, clock_timestamp())
      on conflict do nothing
      returning id, created_at`.execute(trx);
    const row = rows[0];
    if (!row) continue;
    created++;
    await appendEvents(trx, [
      {
        workspaceId: draft.workspaceId,
        type: 'notification.created',
        object: 'notification',
        recordId: row.id,
        changedFields: [],
        payload: { id: row.id, userId: draft.userId, kind: draft.kind, object: draft.object, recordId: draft.recordId, title: draft.title, createdAt: row.created_at },
        actorId: draft.actorId,
      },
    ]);
  }
  return created;
};

export interface ListNotificationsOptions {
  workspaceId: string;
  userId: string;
  isUnreadOnly?: boolean;
  /** Only these kinds (the notification centre's filters); the unread count stays the total. */
  kinds?: NotificationKind[];
  limit: number;
}

/** The user's newest notifications and how many are unread. */
/** Replaces the titles of notifications about a record (its erasure) and drops their excerpts. */
export const retitleNotifications = async (db: Db, { workspaceId, object, recordId, title }: { workspaceId: string; object: string; recordId: string; title: string }): Promise<void> => {
  await sql`update rapport.notification set title = ${title}, excerpt = null where workspace_id = ${workspaceId} and object = ${object} and record_id = ${recordId}`.execute(db);
};

export const listNotifications = async (db: Db, options: ListNotificationsOptions): Promise<{ data: Notification[]; unreadCount: number }> => {
  const { workspaceId, userId, limit } = options;
  const { rows } = await sql<NotificationRow>`
    select n.id, n.kind, n.object, n.record_id, n.actor_id, u.name as actor_name, n.title, n.excerpt, n.created_at, n.read_at
    from rapport.notification n left join rapport.user u on u.id = n.actor_id
    where n.workspace_id = ${workspaceId} and n.user_id = ${userId} ${options.isUnreadOnly ? sql`and n.read_at is null` : sql``}
      ${options.kinds ? sql`and n.kind = any(${options.kinds}::text[])` : sql``}
    order by n.created_at desc, n.id desc
    limit ${limit}`.execute(db);
  const { rows: counts } = await sql<{ n: number }>`
    select count(*)::int as n from rapport.notification where workspace_id = ${workspaceId} and user_id = ${userId} and read_at is null`.execute(db);
  return { data: rows.map(toNotification), unreadCount: counts[0]?.n ?? 0 };
};

/** Marks one of the user's notifications read; NOTIFICATION_NOT_FOUND for any other id. */
export const markNotificationRead = async (db: Db, options: { workspaceId: string; userId: string; id: string }): Promise<Notification> => {
  const { rows } = await sql<NotificationRow>`
    update rapport.notification n set read_at = coalesce(n.read_at, now())
    where n.id = ${options.id} and n.workspace_id = ${options.workspaceId} and n.user_id = ${options.userId}
    returning n.id, n.kind, n.object, n.record_id, n.actor_id, (select name from rapport.user where id = n.actor_id) as actor_name, n.title, n.excerpt, n.created_at, n.read_at`.execute(db);
  if (!rows[0]) throw new AppError('NOTIFICATION_NOT_FOUND', `You have no notification with id ${options.id}.`);
  return toNotification(rows[0]);
};

/** Marks every unread notification of the user read; returns how many. */
export const markAllNotificationsRead = async (db: Db, options: { workspaceId: string; userId: string }): Promise<number> => {
  const { rows } = await sql<{ id: string }>`
    update rapport.notification set read_at = now()
    where workspace_id = ${options.workspaceId} and user_id = ${options.userId} and read_at is null
    returning id`.execute(db);
  return rows.length;
};
