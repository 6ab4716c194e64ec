import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { appendEvents, scrubEventPayloads } from '../events/outbox.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { scrubHistoryValues } from '../records/history.ts';
import { isStoredField, storedColumns, toApiRecord, type ApiRecord } from '../records/record-shape.ts';
import { retitleNotifications } from '../notifications/notification.service.ts';
import { buildSearchEntry } from '../records/search-text.ts';
import { forgetUnusedTypoWords } from '../search/search-typos.ts';
import { behavioursOf } from '../records/record-behaviours.ts';

/** What an erased record's title becomes: lists and links still show that something was there. */
export const ERASED_TITLE = 'Erased';

export interface EraseRecordOptions {
  db: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  id: string;
  actorId: string | null;
  /** The retention rule that erases it, when a rule does. */
  ruleId?: string;
}

/**
 * Erases the personal data of one record (GDPR art. 17, CCPA), everywhere Rapport keeps a copy, in one
 * transaction: every stored value of the record (its title becomes "Erased"), its search tokens and the
 * title words no other record holds (typo dictionary), the values in its history, the payloads of its
 * past events, the titles of notifications about it and what modules keep of it elsewhere (`afterErase`). The
 * record itself stays, with its id and relations, so what points to it (deals, tasks) still holds
 * together. A `record.updated` event tells subscribers; the caller writes the audit entry (without data).
 */
export const eraseRecord = async ({ db, workspace, object, id, actorId, ruleId }: EraseRecordOptions): Promise<ApiRecord> =>
  db.transaction().execute(async (trx) => {
    const table = sql.id(workspace.schema, object.table);
    const { rows: found } = await sql<Record<string, unknown>>`select * from ${table} where id = ${id} for update`.execute(trx);
    if (found.length === 0) throw new AppError('RECORD_NOT_FOUND', `No ${object.name} with id ${id}.`);
    // Its title words, to take out of the typo dictionary once no other record holds them.
    const titleWords = buildSearchEntry(object, toApiRecord(object, found[0]!)).typoWords;
    const labelField = object.fieldsByName.get(object.labelField);
    const titleColumns = new Set(labelField ? getFieldTypeHandler(labelField.type).columns(labelField).map((spec) => spec.column) : []);
    const sets = storedColumns(object).map(({ column, sqlType }) => sql`${sql.id(column)} = ${titleColumns.has(column) && sqlType === 'text' ? ERASED_TITLE : null}`);
    const { rows } = await sql<Record<string, unknown>>`update ${table}
      set ${sql.join([...sets, sql`search_text = ''`, sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${actorId}`])}
      where id = ${id} returning *`.execute(trx);
    const record = toApiRecord(object, rows[0]!);
    await scrubHistoryValues(trx, { schema: workspace.schema, objectName: object.name, recordId: id });
    await scrubEventPayloads(trx, { workspaceId: workspace.id, object: object.name, recordId: id });
    await forgetUnusedTypoWords(trx, { workspace, words: titleWords });
    await retitleNotifications(trx, { workspaceId: workspace.id, object: object.name, recordId: id, title: ERASED_TITLE });
    // Copies the modules keep elsewhere (a booking's visitor name and email).
    const before = toApiRecord(object, found[0]!);
    for (const behaviour of behavioursOf(object.name)) await behaviour.afterErase?.({ trx, workspace, object }, before);
    // Listed once: retention rules leave it alone from now on.
    await sql`insert into rapport.erased_record (workspace_id, object_name, record_id, rule_id) values (${workspace.id}, ${object.name}, ${id}, ${ruleId ?? null})
      on conflict (workspace_id, object_name, record_id) do update set erased_at = now(), rule_id = excluded.rule_id`.execute(trx);
    // Appended after the scrub: subscribers learn that the record changed, and see it erased.
    await appendEvents(trx, [{ workspaceId: workspace.id, type: 'record.updated', object: object.name, recordId: id, changedFields: object.fields.filter(isStoredField).map((field) => field.name), payload: record, actorId }]);
    return record;
  });
