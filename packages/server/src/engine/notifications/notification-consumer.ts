import { sql } from 'kysely';
import { isSealedValue } from '../crypto/field-cipher.ts';
import { isEncryptedField } from '../crypto/field-keys.ts';
import type { Db } from '../db/database.ts';
import { findReadableIds } from '../events/event-visibility.ts';
import { readEvents, type StoredEvent } from '../events/outbox.ts';
import { enqueueJob } from '../jobs/index.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import type { AccessProfileCache } from '../permissions/access-cache.ts';
import { createAccess, type Access } from '../permissions/access.ts';
import { createNotifications, type NotificationDraft } from './notification.service.ts';
import { findCandidates, toExcerpt, type ReminderRule } from './notification-rules.ts';
import { followedChanges, followersOfRecords, type Follower } from './followers.ts';
import { listTeams } from '../permissions/team.service.ts';
import type { NotificationCandidate } from './notification-rules.ts';

export const CONSUMER_NAME = 'notifications';
export const REMINDER_JOB = 'notifications.reminder';
const BATCH = 500;

export interface ReminderJobPayload {
  workspaceId: string;
  object: string;
  recordId: string;
  field: string;
  /** The reminder time the job was made for: a record whose reminder moved since is left alone. */
  at: string;
}

export interface NotificationConsumerOptions {
  db: Db;
  metadata: { get(workspaceId: string): Promise<WorkspaceMeta> };
  accessProfiles: AccessProfileCache;
  reminderRules: readonly ReminderRule[];
}

export interface NotificationConsumer {
  /** Turns the workspace's new events into notifications and reminder jobs; resolves when caught up. */
  catchUp(workspaceId: string): Promise<void>;
}

/**
 * The record's title as the user may see it: its label field, or the object's name when that is hidden
 * or encrypted. Notifications are stored and sent as they are: an encrypted title would be ciphertext in
 * event payloads, or its secret in plain text once opened (metadata refuses encrypted titles;
 * a workspace may hold one from before that rule).
 */
export const titleFor = (access: Access, objectName: string, record: Record<string, unknown>): string => {
  const object = access.view.objects.get(objectName);
  const field = object?.fieldsByName.get(object.labelField);
  const value = field && !isEncryptedField(field) ? record[field.name] : undefined;
  return typeof value === 'string' && value.trim() !== '' && !isSealedValue(value) ? value : (object?.labelSingular ?? objectName);
};

/**
 * The notifications consumer of the event outbox. Each workspace has a position in
 * `rapport.event_consumer`; events after it are read and judged outside any transaction (each
 * recipient must be able to read the record, and sees only the fields their role shows), then written
 * with the new position in one transaction that first checks the position did not move: with several
 * servers, the first one wins and the others find nothing left to do.
 */
export const createNotificationConsumer = ({ db, metadata, accessProfiles, reminderRules }: NotificationConsumerOptions): NotificationConsumer => {
  const accessOf = async (workspace: WorkspaceMeta, userId: string) => createAccess({ workspace, profile: await accessProfiles.get(workspace.id, userId), scopes: null });

  // A mention of a team tells its members (each judged by their own access), the author left out.
  const expandTeams = async (event: StoredEvent, candidates: NotificationCandidate[], teams: () => Promise<Map<string, string[]>>): Promise<NotificationCandidate[]> => {
    if (!candidates.some((candidate) => candidate.kind === 'mention')) return candidates;
    const members = await teams();
    const seen = new Set<string>();
    const expanded: NotificationCandidate[] = [];
    for (const candidate of candidates) {
      const userIds = candidate.kind === 'mention' ? (members.get(candidate.userId) ?? [candidate.userId]) : [candidate.userId];
      for (const userId of userIds) {
        const key = `${candidate.kind}:${userId}`;
        if (userId === event.actorId || seen.has(key)) continue;
        seen.add(key);
        expanded.push({ ...candidate, userId });
      }
    }
    return expanded;
  };

  const draftsFor = async (workspace: WorkspaceMeta, event: StoredEvent, followers: readonly Follower[], teams: () => Promise<Map<string, string[]>>): Promise<NotificationDraft[]> => {
    const object = workspace.objects.get(event.object);
    if (!object) return [];
    const drafts: NotificationDraft[] = [];
    const told = new Set<string>();
    for (const candidate of await expandTeams(event, findCandidates(object, event), teams)) {
      const access = await accessOf(workspace, candidate.userId);
      const seen = access.view.objects.get(object.name);
      if (!seen || (candidate.field && !seen.fieldsByName.has(candidate.field))) continue;
      if (!(await findReadableIds(db, access, object, [event.recordId])).has(event.recordId)) continue;
      const text = candidate.field ? event.payload[candidate.field] : undefined;
      told.add(candidate.userId);
      drafts.push({
        workspaceId: workspace.id,
        userId: candidate.userId,
        kind: candidate.kind,
        object: object.name,
        recordId: event.recordId,
        actorId: event.actorId,
        title: titleFor(access, object.name, event.payload),
        excerpt: typeof text === 'string' && !isSealedValue(text) ? toExcerpt(text) : null,
      });
    }
    // Followers hear of the changes they chose, of fields they may see, unless they made them or were just told.
    if (event.type !== 'record.updated') return drafts;
    for (const follower of followers) {
      if (follower.userId === event.actorId || told.has(follower.userId)) continue;
      const access = await accessOf(workspace, follower.userId);
      const seen = access.view.objects.get(object.name);
      const changed = seen ? followedChanges(follower, event.changedFields).filter((name) => seen.fieldsByName.has(name)) : [];
      if (!seen || changed.length === 0) continue;
      if (!(await findReadableIds(db, access, object, [event.recordId])).has(event.recordId)) continue;
      drafts.push({
        workspaceId: workspace.id,
        userId: follower.userId,
        kind: 'recordChange',
        object: object.name,
        recordId: event.recordId,
        actorId: event.actorId,
        title: titleFor(access, object.name, event.payload),
        excerpt: toExcerpt(changed.map((name) => seen.fieldsByName.get(name)!.label).join(', ')),
      });
    }
    return drafts;
  };

  const remindersFor = (event: StoredEvent): ReminderJobPayload[] => {
    if (event.type !== 'record.created' && event.type !== 'record.updated' && event.type !== 'record.restored') return [];
    return reminderRules.flatMap((rule) => {
      const at = event.payload[rule.field];
      if (rule.object !== event.object || typeof at !== 'string') return [];
      if (event.type === 'record.updated' && !event.changedFields.includes(rule.field)) return [];
      return [{ workspaceId: event.workspaceId, object: event.object, recordId: event.recordId, field: rule.field, at }];
    });
  };

  const readPosition = async (workspaceId: string): Promise<number> => {
    const { rows } = await sql<{ last_event_id: number }>`
      select last_event_id from rapport.event_consumer where name = ${CONSUMER_NAME} and workspace_id = ${workspaceId}`.execute(db);
    return rows[0]?.last_event_id ?? 0;
  };

  /** One batch; false when there was nothing (left) to do. */
  const processBatch = async (workspaceId: string): Promise<boolean> => {
    const position = await readPosition(workspaceId);
    const events = await readEvents(db, { workspaceId, afterId: position, limit: BATCH });
    if (events.length === 0) return false;
    const workspace = await metadata.get(workspaceId);
    const drafts: NotificationDraft[] = [];
    const reminders: ReminderJobPayload[] = [];
    const followers = await followersOfRecords(db, workspaceId, events.filter((event) => event.type === 'record.updated'));
    // The workspace's teams, read once per batch and only when a mention needs them.
    let teamMembers: Promise<Map<string, string[]>> | undefined;
    const teams = () => (teamMembers ??= listTeams(db, workspaceId).then((list) => new Map(list.map((team) => [team.id.toLowerCase(), team.memberIds]))));
    for (const event of events) {
      if (!event.type.startsWith('record.')) continue;
      drafts.push(...(await draftsFor(workspace, event, followers.get(`${event.object}:${event.recordId}`) ?? [], teams)));
      reminders.push(...remindersFor(event));
    }
    const lastId = events.at(-1)!.id;
    const isWritten = await db.transaction().execute(async (trx) => {
      await sql`insert into rapport.event_consumer (name, workspace_id) values (${CONSUMER_NAME}, ${workspaceId}) on conflict do nothing`.execute(trx);
      const { rows } = await sql<{ last_event_id: number }>`
        select last_event_id from rapport.event_consumer where name = ${CONSUMER_NAME} and workspace_id = ${workspaceId} for update`.execute(trx);
      if (rows[0]?.last_event_id !== position) return false;
      await createNotifications(trx, drafts);
      for (const reminder of reminders) {
        await enqueueJob(trx, { type: REMINDER_JOB, workspaceId, payload: reminder, runAt: reminder.at, key: `${REMINDER_JOB}:${reminder.recordId}:${reminder.field}:${reminder.at}` });
      }
      await sql`update rapport.event_consumer set last_event_id = ${lastId} where name = ${CONSUMER_NAME} and workspace_id = ${workspaceId}`.execute(trx);
      return true;
    });
    return isWritten && events.length === BATCH;
  };

  // One catch-up per workspace at a time in this process; a call during one runs once more after it.
  const running = new Map<string, { done: Promise<void>; isAgain: boolean }>();
  const catchUp = (workspaceId: string): Promise<void> => {
    const current = running.get(workspaceId);
    if (current) {
      current.isAgain = true;
      return current.done;
    }
    const state = { done: Promise.resolve(), isAgain: false };
    state.done = (async () => {
      try {
        do {
          state.isAgain = false;
          while (await processBatch(workspaceId));
        } while (state.isAgain);
      } finally {
        running.delete(workspaceId);
      }
    })();
    running.set(workspaceId, state);
    return state.done;
  };
  return { catchUp };
};
