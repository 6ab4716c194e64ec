import type { FieldError, Merge, MergeResult } from '@rapport/common';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import { AppError, validationFailed } from '../errors.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { ObjectMeta } from '../metadata/types.ts';
import { createFullAccess } from '../permissions/access.ts';
import { assertCan, getReadableObject } from '../permissions/assert-access.ts';
import { deleteRecord, restoreRecord } from '../records/delete-records.ts';
import { historyInsert, type HistoryEntry } from '../records/history.ts';
import { getRecord } from '../records/read-records.ts';
import { accessColumns, assertWritableRow } from '../records/record-access.ts';
import { newRecordId } from '../records/record-id.ts';
import { isStoredField, toApiRecord, type ApiRecord } from '../records/record-shape.ts';
import { saveRecords, type RecordWriteContext } from '../records/save-records.ts';
import { moveRelations, moveRelationsBack, type RelationMoves } from './relation-moves.ts';

/** Records merged into one survivor at once. */
export const MAX_MERGED = 10;

interface MergeRow {
  id: string;
  workspace_id: string;
  object: string;
  survivor_id: string;
  merged_ids: string[];
  survivor_before: Record<string, unknown>;
  survivor_version: number;
  moves: RelationMoves;
  actor_id: string | null;
  created_at: string;
  undone_at: string | null;
}

const toMerge = (row: MergeRow): Merge => ({
  id: row.id,
  object: row.object,
  survivorId: row.survivor_id,
  mergedIds: row.merged_ids,
  // A record moved through two fields (a note's person and its `related`) counts once.
  movedRelations: new Set(row.moves.columns.flatMap((move) => move.rows.map((moved) => `${move.object}:${moved.id}`))).size + row.moves.junctions.reduce((sum, move) => sum + move.removed.length, 0),
  actorId: row.actor_id,
  createdAt: row.created_at,
  undoneAt: row.undone_at,
});

export interface MergeRecordsOptions {
  survivorId: string;
  mergedIds: string[];
  /** The value kept for each field, written on the survivor through the write path. */
  values: Record<string, unknown>;
  /** The survivor's version the choices were made on (like If-Match). */
  survivorVersion?: number;
  request?: { ip: string; userAgent: string | null };
}

const checkMergeInput = (object: ObjectMeta, options: MergeRecordsOptions) => {
  const errors: FieldError[] = [];
  const mergedIds = [...new Set(options.mergedIds.map((id) => id.toLowerCase()))];
  if (mergedIds.includes(options.survivorId.toLowerCase())) errors.push({ field: 'mergedIds', code: 'invalidChoice', message: 'The survivor cannot be merged into itself.' });
  if (mergedIds.length > MAX_MERGED) errors.push({ field: 'mergedIds', code: 'tooLong', message: `At most ${MAX_MERGED} records are merged at once.` });
  for (const name of Object.keys(options.values)) {
    const field = object.fieldsByName.get(name);
    if (field?.type === 'relation' && relationKind(field) !== 'manyToOne') {
      errors.push({ field: `values.${name}`, code: 'readOnly', message: 'Links of this relation move to the survivor by themselves.' });
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  return mergedIds;
};

const mergeHistory = (object: ObjectMeta, options: { survivorId: string; mergedIds: string[]; mergeId: string; changeType: 'merged' | 'unmerged'; actorId: string | null }): HistoryEntry[] => [
  { objectName: object.name, recordId: options.survivorId, changeType: options.changeType, field: null, oldValue: null, newValue: { mergeId: options.mergeId, survivorId: options.survivorId, mergedIds: options.mergedIds }, actorId: options.actorId },
  ...options.mergedIds.map((id) => ({
    objectName: object.name, recordId: id, changeType: options.changeType, field: null, oldValue: null, newValue: { mergeId: options.mergeId, survivorId: options.survivorId, mergedIds: options.mergedIds }, actorId: options.actorId,
  })),
];

const lockRows = async (context: RecordWriteContext, ids: string[]) => {
  const { db, workspace, object, access } = context;
  const { rows } = await sql<Record<string, unknown>>`
    select t0.*${accessColumns(access, object, 't0')} from ${sql.id(workspace.schema, object.table)} as t0 where t0.id = any(${ids}::uuid[]) for update of t0`.execute(db);
  return new Map(rows.map((row) => [row.id as string, row]));
};

/**
 * Merges records into a survivor in one transaction: the merged records go to the trash, every
 * relation pointing at them moves to the survivor, the chosen values are written on the survivor,
 * and the merge is kept (with what it changed) for undo. History of every record says so; audited.
 */
export const mergeRecords = async (context: RecordWriteContext, options: MergeRecordsOptions): Promise<MergeResult<ApiRecord>> => {
  const { workspace, object, actorId, access } = context;
  const visible = getReadableObject(access, object.name);
  assertCan(access, object.name, 'update');
  assertCan(access, object.name, 'delete');
  const survivorId = options.survivorId.toLowerCase();
  const mergedIds = checkMergeInput(visible, options);
  // Work the write path leaves for after the commit (new search words), done once the merge has committed.
  const afterCommit: (() => void)[] = [];
  const merge = await context.db.transaction().execute(async (trx) => {
    const write = { ...context, db: trx };
    const rows = await lockRows(write, [survivorId, ...mergedIds]);
    for (const id of [survivorId, ...mergedIds]) {
      const row = assertWritableRow(rows.get(id), object, id);
      if (row.deleted_at !== null) throw new AppError('RECORD_NOT_FOUND', `The ${object.name} ${id} is in the trash; restore it before merging.`);
    }
    const survivorRow = rows.get(survivorId)!;
    if (options.survivorVersion !== undefined && survivorRow.version !== options.survivorVersion) {
      throw new AppError('VERSION_MISMATCH', `The ${object.name} ${survivorId} is at version ${String(survivorRow.version)}, not ${options.survivorVersion}: someone changed it. Reload and merge again.`, {
        headers: { ETag: `"${String(survivorRow.version)}"` },
      });
    }
    const before = toApiRecord(object, survivorRow);
    // The merged records leave first: a unique value (an email) they hold may be the one the survivor keeps.
    for (const id of mergedIds) await deleteRecord(write, { id });
    const moves = await moveRelations({ trx, workspace, actorId }, { target: object, survivorId, mergedIds });
    const chosen = Object.keys(options.values);
    if (chosen.length > 0) afterCommit.push((await saveRecords(write, { records: [options.values], updateId: survivorId })).onCommitted);
    const { rows: [after] } = await sql<{ version: number }>`select version from ${sql.id(workspace.schema, object.table)} where id = ${survivorId}`.execute(trx);
    const stored = chosen.filter((name) => { const field = object.fieldsByName.get(name); return field !== undefined && isStoredField(field); });
    const id = newRecordId();
    const { rows: [row] } = await sql<MergeRow>`
      insert into rapport.record_merge (id, workspace_id, object, survivor_id, merged_ids, survivor_before, survivor_version, moves, actor_id)
      values (${id}, ${workspace.id}, ${object.name}, ${survivorId}, ${mergedIds}::uuid[], ${JSON.stringify(Object.fromEntries(stored.map((name) => [name, before[name] ?? null])))}::jsonb,
        ${after!.version}, ${JSON.stringify(moves)}::jsonb, ${actorId}) returning *`.execute(trx);
    await historyInsert(workspace.schema, mergeHistory(object, { survivorId, mergedIds, mergeId: id, changeType: 'merged', actorId })).execute(trx);
    await recordAudit(trx, {
      workspaceId: workspace.id, actorId, action: 'record.merged', objectName: object.name, recordId: survivorId,
      ...(options.request ?? {}), details: { mergeId: id, mergedIds, fields: chosen },
    });
    return toMerge(row!);
  });
  afterCommit.forEach((callback) => callback());
  return { merge, record: await getRecord(context, { id: survivorId }) };
};

const getMergeRow = async (context: Pick<RecordWriteContext, 'db' | 'workspace'>, id: string, isLocked = false): Promise<MergeRow> => {
  const { rows } = await sql<MergeRow>`
    select * from rapport.record_merge where id = ${id} and workspace_id = ${context.workspace.id} ${isLocked ? sql`for update` : sql``}`.execute(context.db);
  if (!rows[0]) throw new AppError('MERGE_NOT_FOUND', `No merge with id ${id}.`);
  return rows[0];
};

/** A merge the caller may read the survivor of; MERGE_NOT_FOUND otherwise. */
export const getMerge = async (context: Omit<RecordWriteContext, 'object'>, id: string): Promise<Merge> => {
  const row = await getMergeRow(context, id);
  const object = context.access.view.objects.get(row.object);
  if (!object) throw new AppError('MERGE_NOT_FOUND', `No merge with id ${id}.`);
  await getRecord({ ...context, object }, { id: row.survivor_id, withDeleted: true }).catch(() => {
    throw new AppError('MERGE_NOT_FOUND', `No merge with id ${id}.`);
  });
  return toMerge(row);
};

/**
 * Undoes a merge: the survivor gets back the values it had, relations move back to the records they
 * came from, and the merged records leave the trash. Refused (MERGE_UNDO_CONFLICT) once the survivor
 * changed after the merge: its newer values would be lost.
 */
export const undoMerge = async (context: Omit<RecordWriteContext, 'object'>, options: { id: string; request?: { ip: string; userAgent: string | null } }): Promise<MergeResult<ApiRecord>> => {
  const { workspace, actorId, access } = context;
  const afterCommit: (() => void)[] = [];
  const { merge, object } = await context.db.transaction().execute(async (trx) => {
    const row = await getMergeRow({ db: trx, workspace }, options.id, true);
    const object = workspace.objects.get(row.object);
    if (!object || !access.view.objects.has(row.object)) throw new AppError('MERGE_NOT_FOUND', `No merge with id ${options.id}.`);
    const write = { ...context, db: trx, object };
    assertCan(access, object.name, 'update');
    assertCan(access, object.name, 'delete');
    const rows = await lockRows(write, [row.survivor_id, ...row.merged_ids]);
    const survivor = assertWritableRow(rows.get(row.survivor_id), object, row.survivor_id);
    if (row.undone_at !== null) throw new AppError('MERGE_ALREADY_UNDONE', `This merge was undone on ${row.undone_at}.`);
    for (const id of row.merged_ids) assertWritableRow(rows.get(id), object, id);
    if (survivor.deleted_at !== null) throw new AppError('MERGE_UNDO_CONFLICT', `The ${object.name} ${row.survivor_id} kept by this merge is in the trash; restore it to undo the merge.`);
    if (survivor.version !== row.survivor_version) {
      throw new AppError('MERGE_UNDO_CONFLICT', `The ${object.name} ${row.survivor_id} changed after the merge (version ${String(survivor.version)}, merged at ${row.survivor_version}); undoing would lose those changes.`);
    }
    for (const id of row.merged_ids) {
      if (rows.get(id)?.deleted_at === null) throw new AppError('MERGE_UNDO_CONFLICT', `The ${object.name} ${id} merged here was restored already.`);
    }
    // The survivor first gives back the values it took: a unique one must be free before its record returns.
    // Only what the merge changed is written, whoever may see those fields now.
    if (Object.keys(row.survivor_before).length > 0) {
      afterCommit.push((await saveRecords({ ...write, access: createFullAccess(workspace) }, { records: [row.survivor_before], updateId: row.survivor_id })).onCommitted);
    }
    await moveRelationsBack({ trx, workspace, actorId }, { survivorId: row.survivor_id, moves: row.moves });
    for (const id of row.merged_ids) await restoreRecord(write, { id });
    await historyInsert(workspace.schema, mergeHistory(object, { survivorId: row.survivor_id, mergedIds: row.merged_ids, mergeId: row.id, changeType: 'unmerged', actorId })).execute(trx);
    const { rows: [undone] } = await sql<MergeRow>`
      update rapport.record_merge set undone_at = now(), undone_by = ${actorId} where id = ${row.id} returning *`.execute(trx);
    await recordAudit(trx, {
      workspaceId: workspace.id, actorId, action: 'record.unmerged', objectName: object.name, recordId: row.survivor_id,
      ...(options.request ?? {}), details: { mergeId: row.id, mergedIds: row.merged_ids },
    });
    return { merge: toMerge(undone!), object };
  });
  afterCommit.forEach((callback) => callback());
  return { merge, record: await getRecord({ ...context, object }, { id: merge.survivorId }) };
};
