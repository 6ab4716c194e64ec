import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export type RecordEventType = 'record.created' | 'record.updated' | 'record.deleted' | 'record.restored';

export interface RecordEvent {
  workspaceId: string;
  type: RecordEventType;
  object: string;
  recordId: string;
  changedFields: string[];
  /** The record after the change (before it, for deletions), as the API shows it. */
  payload: Record<string, unknown>;
  actorId: string | null;
}

/**
 * Appends domain events in the writer's transaction: they commit, or vanish, with the write. Events
 * travel as one JSON array (jsonb_to_recordset), in id order: one parameter for a batch's thousands.
 */
export const appendEvents = async (trx: Db, events: RecordEvent[]): Promise<void> => {
  if (events.length === 0) return;
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
  await sql`insert into rapport.event (workspace_id, type, object, record_id, changed_fields, payload, actor_id)
    select workspace_id, type, object, record_id, changed_fields, payload, actor_id
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as r(position integer, workspace_id uuid, type text, object text, record_id uuid, changed_fields text[], payload jsonb, actor_id uuid)
    order by position`.execute(trx);
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
    type: RecordEventType;
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
