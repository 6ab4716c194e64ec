import { sql } from 'kysely';
import { auditInsert } from '../audit/audit.ts';
import { AppError } from '../errors.ts';
import { appendEvents } from '../events/outbox.ts';
import { assertCan, getReadableObject } from '../permissions/assert-access.ts';
import { mapWriteError } from './db-errors.ts';
import { sealEncryptedValues } from './field-encryption.ts';
import { historyInsert } from './history.ts';
import { accessColumns, assertWritableRow } from './record-access.ts';
import { assertNotRestricted } from './relation-check.ts';
import { behavioursOf } from './record-behaviours.ts';
import { storedValues, toApiRecord, type ApiRecord } from './record-shape.ts';
import type { RecordWriteContext } from './save-records.ts';

export interface DeleteRecordOptions {
  id: string;
  ifMatch?: number;
}

/** Moves a record to the trash: it disappears from lists and search and can be restored. */
export const deleteRecord = (context: RecordWriteContext, { id, ifMatch }: DeleteRecordOptions): Promise<ApiRecord> =>
  moveRecord(context, { id, ifMatch, to: 'trash' });

export const restoreRecord = (context: RecordWriteContext, { id }: { id: string }): Promise<ApiRecord> =>
  moveRecord(context, { id, to: 'live' });

const moveRecord = async (context: RecordWriteContext, options: { id: string; ifMatch?: number; to: 'trash' | 'live' }): Promise<ApiRecord> => {
  const { db, workspace, object, actorId, access } = context;
  const visible = getReadableObject(access, object.name);
  assertCan(access, object.name, 'delete');
  const table = sql.id(workspace.schema, object.table);
  try {
    // A caller's transaction (a merge and its undo) is joined.
    const inTransaction = <T>(run: (trx: typeof db) => Promise<T>) => (db.isTransaction ? run(db) : db.transaction().execute(run));
    return await inTransaction(async (trx) => {
      const { rows } = await sql<Record<string, unknown>>`select t0.*${accessColumns(access, object, 't0')} from ${table} as t0 where t0.id = ${options.id} for update of t0`.execute(trx);
      const row = assertWritableRow(rows[0], object, options.id);
      const isDeleted = row.deleted_at !== null;
      if (options.to === 'trash' && isDeleted) throw new AppError('RECORD_NOT_FOUND', `The ${object.name} ${options.id} is already in the trash.`);
      if (options.to === 'live' && !isDeleted) throw new AppError('CONFLICT', `The ${object.name} ${options.id} is not in the trash.`);
      if (options.ifMatch !== undefined && row.version !== options.ifMatch) {
        throw new AppError('VERSION_MISMATCH', `The ${object.name} is at version ${String(row.version)}, not ${options.ifMatch}; nothing was deleted.`, {
          headers: { ETag: `"${String(row.version)}"` },
        });
      }
      if (options.to === 'trash') await assertNotRestricted({ trx, workspace, object, id: options.id });
      const deletedAt = options.to === 'trash' ? sql`now()` : sql`null`;
      const { rows: updated } = await sql<Record<string, unknown>>`
        update ${table} set deleted_at = ${deletedAt}, version = version + 1, updated_at = now(), updated_by = ${actorId}
        where id = ${options.id} returning *`.execute(trx);
      const record = toApiRecord(object, updated[0]!);
      // Modules' work that follows from the move (a line item's deal amount), in this transaction.
      const hook = options.to === 'trash' ? 'afterDelete' : 'afterRestore';
      const following = behavioursOf(object.name).filter((behaviour) => behaviour[hook]);
      if (following.length > 0) {
        const moved = { id: options.id, isCreate: false, before: toApiRecord(object, row), after: record };
        for (const behaviour of following) await behaviour[hook]!({ trx, workspace, object, actorId, access }, moved);
      }
      const changeType = options.to === 'trash' ? 'deleted' : 'restored';
      // History and the audit entry ride in the event's statement: one round trip. The audit names the record, never its values.
      const audit = auditInsert({ workspaceId: workspace.id, actorId, action: `record.${changeType}`, objectName: object.name, recordId: options.id, ...context.origin });
      const history = historyInsert(workspace.schema, [
        { objectName: object.name, recordId: options.id, changeType, field: null, oldValue: null, newValue: sealEncryptedValues(object, storedValues(object, record)), actorId },
      ]);
      await appendEvents(
        trx,
        [{ workspaceId: workspace.id, type: `record.${changeType}`, object: object.name, recordId: options.id, changedFields: ['deletedAt'], payload: sealEncryptedValues(object, record), actorId }],
        { alongside: [history, audit] },
      );
      return toApiRecord(visible, updated[0]!);
    });
  } catch (error) {
    // Restoring a record whose unique value was taken meanwhile.
    throw mapWriteError(error, object, visible);
  }
};
