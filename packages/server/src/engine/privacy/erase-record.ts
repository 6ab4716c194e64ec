import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { appendEvents } from '../events/outbox.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { isStoredField, toApiRecord, type ApiRecord } from '../records/record-shape.ts';
import { buildSearchEntry } from '../records/search-text.ts';
import { forgetUnusedTypoWords } from '../search/search-typos.ts';

/** What an erased record's title becomes: lists and links still show that something was there. */
export const ERASED_TITLE = 'Erased';

export interface EraseRecordOptions {
  db: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  id: string;
  actorId: string | null;
}

/**
 * Erases the personal data of one record (GDPR art. 17, CCPA), everywhere Rapport keeps a copy, in one
 * transaction: every stored value of the record (its title becomes "Erased"), its search tokens and the
 * title words no other record holds (typo dictionary), the values in its history, the payloads of its
 * past events and the titles of notifications about it. The
 * record itself stays, with its id and relations, so what points to it (deals, tasks) still holds
 * together. A `record.updated` event tells subscribers; the caller writes the audit entry (without data).
 */
export const eraseRecord = async ({ db, workspace, object, id, actorId }: EraseRecordOptions): Promise<ApiRecord> =>
  db.transaction().execute(async (trx) => {
    const table = sql.id(workspace.schema, object.table);
    const { rows: found } = await sql<Record<string, unknown>>`select * from ${table} where id = ${id} for update`.execute(trx);
    if (found.length === 0) throw new AppError('RECORD_NOT_FOUND', `No ${object.name} with id ${id}.`);
    // Its title words, to take out of the typo dictionary once no other record holds them.
    const titleWords = buildSearchEntry(object, toApiRecord(object, found[0]!)).typoWords;
    const labelField = object.fieldsByName.get(object.labelField);
    const columns = object.fields.filter(isStoredField).flatMap((field) =>
      getFieldTypeHandler(field.type)
        .columns(field)
        .map((spec) => ({ ...spec, isTitle: field === labelField })),
    );
    const sets = columns.map(({ column, sqlType, isTitle }) => sql`${sql.id(column)} = ${isTitle && sqlType === 'text' ? ERASED_TITLE : null}`);
    const { rows } = await sql<Record<string, unknown>>`update ${table}
      set ${sql.join([...sets, sql`search_text = ''`, sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${actorId}`])}
      where id = ${id} returning *`.execute(trx);
    const record = toApiRecord(object, rows[0]!);
    await sql`update ${sql.id(workspace.schema, '_history')} set old_value = null, new_value = null where object_name = ${object.name} and record_id = ${id}`.execute(trx);
    await sql`update rapport.event set payload = jsonb_build_object('id', record_id), changed_fields = '{}'
      where workspace_id = ${workspace.id} and object = ${object.name} and record_id = ${id}`.execute(trx);
    await forgetUnusedTypoWords(trx, { workspace, words: titleWords });
    await sql`update rapport.notification set title = ${ERASED_TITLE}, excerpt = null
      where workspace_id = ${workspace.id} and object = ${object.name} and record_id = ${id}`.execute(trx);
    // Appended after the scrub: subscribers learn that the record changed, and see it erased.
    await appendEvents(trx, [{ workspaceId: workspace.id, type: 'record.updated', object: object.name, recordId: id, changedFields: object.fields.filter(isStoredField).map((field) => field.name), payload: record, actorId }]);
    return record;
  });
