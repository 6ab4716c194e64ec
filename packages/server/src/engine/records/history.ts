import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export type ChangeType = 'created' | 'updated' | 'deleted' | 'restored';

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

const CHUNK = 5000;

export const writeHistory = async (trx: Db, schema: string, entries: HistoryEntry[]): Promise<void> => {
  for (let start = 0; start < entries.length; start += CHUNK) {
    const rows = entries.slice(start, start + CHUNK).map(
      (entry) =>
        sql`(${entry.objectName}, ${entry.recordId}, ${entry.changeType}, ${entry.field}, ${entry.oldValue === undefined ? null : JSON.stringify(entry.oldValue)}, ${entry.newValue === undefined ? null : JSON.stringify(entry.newValue)}, ${entry.actorId})`,
    );
    await sql`insert into ${sql.id(schema, '_history')} (object_name, record_id, change_type, field, old_value, new_value, actor_id) values ${sql.join(rows)}`.execute(trx);
  }
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
