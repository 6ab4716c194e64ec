import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';

export type RecordEventType = 'record.created' | 'record.updated' | 'record.deleted' | 'record.restored';
/**
 * Not about a record, addressed to one user (payload.userId), whom alone the feed shows them: `notification.created`,
 * `call.ringing` (a call rings for them: the telephony module's screen pop).
 */
export type EventType = RecordEventType | 'notification.created' | 'call.ringing';

/** The NOTIFY channel that wakes the servers' event hubs (engine/events/event-hub.ts) when events commit. */
export const EVENTS_CHANNEL = 'rapport_events';

export interface RecordEvent {
  workspaceId: string;
  type: EventType;
  object: string;
  recordId: string;
  changedFields: string[];
  /** The record after the change (before it, for deletions), as the API shows it. */
  payload: Record<string, unknown>;
  actorId: string | null;
}

export interface AppendEventsOptions {
  /** Inserts to run in the same statement (as CTEs), e.g. the write's history rows. */
  alongside?: RawBuilder<unknown>[];
  /**
   * Writes the `created` history row of each `record.created` event from its payload in the same statement
   * (`<schema>._history`; the payload without the `leaveOut` keys: the record's stored values), so that a
   * new record crosses to the database once, not twice.
   */
  createdHistory?: { schema: string; leaveOut: readonly string[] };
}

/**
 * Appends domain events in the writer's transaction: they commit, or vanish, with the write. Events
 * travel as one JSON array (json_to_recordset: read once, no jsonb tree built first), in id order: one
 * parameter for a batch's thousands.
 */
export const appendEvents = async (trx: Db, events: RecordEvent[], options: AppendEventsOptions = {}): Promise<void> => {
  const { alongside = [], createdHistory } = options;
  if (events.length === 0) {
    for (const statement of alongside) await statement.execute(trx);
    return;
  }
  const rows = events.map((event, position) => ({
    position,
    workspace_id: event.workspaceId,
    type: event.type,
    object: event.object,
    record_id: event.recordId,
    changed_fields: event.changedFields,
    payload: event.payload,
    actor_id: event.actorId,
  }));
  // The same statement wakes every server's event hub; a NOTIFY is delivered when the transaction commits, or never.
  // Other inserts of the same write (its history) ride along as data-modifying CTEs: one round trip.
  const before = alongside.map((statement, index) => sql`${sql.id(`alongside_${index}`)} as (${statement}), `);
  await sql`with ${sql.join(before, sql``)}appended as (
      insert into rapport.event (workspace_id, type, object, record_id, changed_fields, payload, actor_id)
      select workspace_id, type, object, record_id, changed_fields, payload, actor_id
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as r(position integer, workspace_id uuid, type text, object text, record_id uuid, changed_fields text[], payload jsonb, actor_id uuid)
      order by position
      returning workspace_id, type, object, record_id, payload, actor_id
    )${createdHistory ? sql`, created_history as (
      insert into ${sql.id(createdHistory.schema, '_history')} (object_name, record_id, change_type, field, old_value, new_value, actor_id)
      select object, record_id, 'created', null, null, payload - ${[...createdHistory.leaveOut]}::text[], actor_id from appended where type = 'record.created'
    )` : sql``}
    select pg_notify(${EVENTS_CHANNEL}, workspace_id::text) from (select distinct workspace_id from appended) as woken`.execute(trx);
};

/** Reduces a record's past events to their id (its erasure): subscribers still see that something happened. */
export const scrubEventPayloads = async (db: Db, { workspaceId, object, recordId }: { workspaceId: string; object: string; recordId: string }): Promise<void> => {
  await sql`update rapport.event set payload = jsonb_build_object('id', record_id), changed_fields = '{}'
    where workspace_id = ${workspaceId} and object = ${object} and record_id = ${recordId}`.execute(db);
};

export interface StoredEvent extends RecordEvent {
  id: number;
  occurredAt: string;
}

/** Events after `afterId`, oldest first: consumers remember the last id they handled. */
export const readEvents = async (db: Db, options: { workspaceId: string; afterId?: number; limit?: number }): Promise<StoredEvent[]> => {
  const { rows } = await sql<{
    id: number;
    workspace_id: string;
    type: EventType;
    object: string;
    record_id: string;
    changed_fields: string[];
    payload: Record<string, unknown>;
    actor_id: string | null;
    occurred_at: string;
  }>`select * from rapport.event where workspace_id = ${options.workspaceId} and id > ${options.afterId ?? 0} order by id limit ${options.limit ?? 100}`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    object: row.object,
    recordId: row.record_id,
    changedFields: row.changed_fields,
    payload: row.payload,
    actorId: row.actor_id,
    occurredAt: row.occurred_at,
  }));
};

/** The id of the newest event of a workspace (0 when none): where a new subscriber starts. */
export const findLatestEventId = async (db: Db, workspaceId: string): Promise<number> => {
  const { rows } = await sql<{ id: number | null }>`select max(id) as id from rapport.event where workspace_id = ${workspaceId}`.execute(db);
  return rows[0]?.id ?? 0;
};

/** The id of the newest event of all workspaces: the event hub polls it on PGlite. */
export const findLatestEventIdOfAll = async (db: Db): Promise<number> => {
  const { rows } = await sql<{ id: number | null }>`select max(id) as id from rapport.event`.execute(db);
  return rows[0]?.id ?? 0;
};
