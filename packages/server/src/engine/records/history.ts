import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';

// 'merged' and 'unmerged' mark a merge of duplicates and its undo (engine/duplicates) on every record involved.
export type ChangeType = 'created' | 'updated' | 'deleted' | 'restored' | 'merged' | 'unmerged';

export interface HistoryEntry {
  objectName: string;
  recordId: string;
  changeType: ChangeType;
  /** The changed field (updates); null for whole-record changes. */
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  actorId: string | null;
}

/** Entries per statement. */
export const HISTORY_CHUNK = 5000;

// Entries travel as one JSON array, read by json_to_recordset: a batch's thousands of rows cost one
// parameter to bind and a short statement to parse, where VALUES lists took a parameter per cell
// (`json`, not `jsonb`: the text is read once, with no tree built first; see save-records.ts).
/** The insert of up to HISTORY_CHUNK entries, to run alone or beside other statements (see appendEvents). */
export const historyInsert = (schema: string, entries: HistoryEntry[]): RawBuilder<unknown> => {
  const rows = entries.map((entry) => ({
    object_name: entry.objectName,
    record_id: entry.recordId,
    change_type: entry.changeType,
    field: entry.field,
    old_value: entry.oldValue ?? null,
    new_value: entry.newValue ?? null,
    actor_id: entry.actorId,
  }));
  return sql`insert into ${sql.id(schema, '_history')} (object_name, record_id, change_type, field, old_value, new_value, actor_id)
      select object_name, record_id, change_type, field, old_value, new_value, actor_id
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as r(object_name text, record_id uuid, change_type text, field text, old_value jsonb, new_value jsonb, actor_id uuid)`;
};

export const writeHistory = async (trx: Db, schema: string, entries: HistoryEntry[]): Promise<void> => {
  for (let start = 0; start < entries.length; start += HISTORY_CHUNK) {
    await historyInsert(schema, entries.slice(start, start + HISTORY_CHUNK)).execute(trx);
  }
};

/** Empties the values of a record's history (its erasure): what changed and when stays, not what it held. */
export const scrubHistoryValues = async (db: Db, { schema, objectName, recordId }: { schema: string; objectName: string; recordId: string }): Promise<void> => {
  await sql`update ${sql.id(schema, '_history')} set old_value = null, new_value = null where object_name = ${objectName} and record_id = ${recordId}`.execute(db);
};

export interface HistoryItem {
  id: number;
  changeType: ChangeType;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  actorId: string | null;
  occurredAt: string;
}

export const readHistory = async (db: Db, options: { schema: string; objectName: string; recordId: string; limit: number; beforeId?: number }): Promise<HistoryItem[]> => {
  const { rows } = await sql<{ id: number; change_type: ChangeType; field: string | null; old_value: unknown; new_value: unknown; actor_id: string | null; occurred_at: string }>`
    select id, change_type, field, old_value, new_value, actor_id, occurred_at from ${sql.id(options.schema, '_history')}
    where object_name = ${options.objectName} and record_id = ${options.recordId} and id < ${options.beforeId ?? Number.MAX_SAFE_INTEGER}
    order by id desc limit ${options.limit}`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    changeType: row.change_type,
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    actorId: row.actor_id,
    occurredAt: row.occurred_at,
  }));
};
