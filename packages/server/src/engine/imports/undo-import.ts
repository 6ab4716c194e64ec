import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors.ts';
import { PermanentJobError } from '../jobs/index.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { deleteRecord } from '../records/delete-records.ts';
import { openEncryptedValues } from '../records/field-encryption.ts';
import { isSameValue, toApiRecord } from '../records/record-shape.ts';
import { saveRecords, type RecordWriteContext } from '../records/save-records.ts';
import { findImportRunState } from './import-store.ts';
import { accessOf } from './run-import.ts';

const PAGE = 500;

export interface UndoImportOptions {
  db: Db;
  importId: string;
  loadWorkspace(workspaceId: string): Promise<WorkspaceMeta>;
  signal?: AbortSignal;
  onProgress?(counts: UndoCounts): Promise<void> | void;
}

export interface UndoCounts {
  removed: number;
  restored: number;
  conflicts: number;
}

interface ImportRecordRow {
  object: string;
  record_id: string;
  previous: Record<string, unknown> | null;
  written: Record<string, unknown> | null;
}

/**
 * Undoes an import as the user who asked: records it created go to the trash (the delete path), fields it
 * updated get their previous values back (the write path) unless they changed since (a conflict: the later
 * change stays), and related records it created are trashed when nothing else links to them. Safe to repeat.
 */
export const undoImport = async (options: UndoImportOptions): Promise<UndoCounts> => {
  const { db, importId } = options;
  const state = await findImportRunState(db, importId);
  if (!state) throw new PermanentJobError(`Import ${importId} no longer exists.`);
  const counts: UndoCounts = { removed: 0, restored: 0, conflicts: 0 };
  try {
    const workspace = await options.loadWorkspace(state.workspaceId);
    const access = await accessOf(db, workspace, state.undoBy, state.undoScopes);
    await sql`update rapport.import_run set undo_status = 'running' where id = ${importId}`.execute(db);
    const contextOf = (name: string): RecordWriteContext | undefined => {
      const object = workspace.objects.get(name);
      return object ? { db, workspace, object, actorId: state.undoBy, access } : undefined;
    };
    for await (const page of pages(db, importId, sql`action = 'updated' and not is_related`)) {
      options.signal?.throwIfAborted();
      await restorePage(page, contextOf, counts);
    }
    for await (const page of pages(db, importId, sql`action = 'created' and not is_related`)) {
      options.signal?.throwIfAborted();
      for (const row of page) {
        const context = contextOf(row.object);
        if (context && (await trash(context, row.record_id))) counts.removed += 1;
      }
      await options.onProgress?.(counts);
    }
    // Related records last: once the imported records are gone, the ones nothing else links to follow.
    for await (const page of pages(db, importId, sql`is_related`)) {
      for (const row of page) {
        const context = contextOf(row.object);
        if (context && !(await isLinked(db, workspace, context.object, row.record_id)) && (await trash(context, row.record_id))) counts.removed += 1;
      }
    }
    await sql`
      update rapport.import_run set undo_status = 'completed', undo_removed = ${counts.removed}, undo_restored = ${counts.restored},
        undo_conflicts = ${counts.conflicts}, undo_finished_at = now()
      where id = ${importId}`.execute(db);
    return counts;
  } catch (error) {
    if (error instanceof AppError) {
      await sql`update rapport.import_run set undo_status = 'failed', undo_finished_at = now() where id = ${importId}`.execute(db);
      throw new PermanentJobError(error.message, { cause: error });
    }
    throw error;
  }
};

async function* pages(db: Db, importId: string, condition: ReturnType<typeof sql>): AsyncGenerator<ImportRecordRow[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  let afterObject = '';
  for (;;) {
    const { rows } = await sql<ImportRecordRow>`
      select object, record_id, previous, written from rapport.import_record
      where import_id = ${importId} and ${condition} and (object, record_id) > (${afterObject}, ${after}::uuid)
      order by object, record_id limit ${PAGE}`.execute(db);
    if (rows.length === 0) return;
    afterObject = rows[rows.length - 1]!.object;
    after = rows[rows.length - 1]!.record_id;
    yield rows;
  }
}

// `and <the caller's read condition>` on rows aliased `t` (nothing when they read every row).
const andReadable = ({ access, object }: RecordWriteContext) => {
  const readable = access.rows.predicate({ object, alias: 't', mode: 'read' });
  return readable ? sql`and (${readable})` : sql``;
};

// Already in the trash (an earlier run, or someone else) counts as removed; gone for good, or out of the caller's reach, does not.
const trash = async (context: RecordWriteContext, id: string): Promise<boolean> => {
  try {
    await deleteRecord(context, { id });
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'RECORD_NOT_FOUND') {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.id(context.workspace.schema, context.object.table)} as t
        where t.id = ${id} and t.deleted_at is not null ${andReadable(context)}`.execute(context.db);
      return rows[0]!.n > 0;
    }
    throw error;
  }
};

const restorePage = async (page: ImportRecordRow[], contextOf: (name: string) => RecordWriteContext | undefined, counts: UndoCounts) => {
  const byObject = new Map<string, ImportRecordRow[]>();
  for (const row of page) byObject.set(row.object, [...(byObject.get(row.object) ?? []), row]);
  for (const [name, rows] of byObject) {
    const context = contextOf(name);
    if (!context) continue;
    // Only what the caller may read: a record out of their reach is a conflict, as a deleted one.
    const { rows: current } = await sql<Record<string, unknown>>`
      select t.* from ${sql.id(context.workspace.schema, context.object.table)} as t
      where t.id = any(${rows.map((row) => row.record_id)}::uuid[]) ${andReadable(context)}`.execute(context.db);
    const byId = new Map(current.map((row) => [row.id as string, row]));
    const inputs: Record<string, unknown>[] = [];
    for (const row of rows) {
      const stored = byId.get(row.record_id);
      const fields = Object.keys(row.previous ?? {});
      if (!stored || stored.deleted_at !== null) {
        counts.conflicts += fields.length;
        continue;
      }
      const now = toApiRecord(context.object, stored);
      const previousValues = openEncryptedValues(context.object, row.previous ?? {}) as Record<string, unknown>;
      const writtenValues = openEncryptedValues(context.object, row.written ?? {}) as Record<string, unknown>;
      const input: Record<string, unknown> = { id: row.record_id };
      for (const field of fields) {
        const previous = previousValues[field];
        if (isSameValue(now[field], previous)) counts.restored += 1;
        else if (isSameValue(now[field], writtenValues[field])) {
          input[field] = previous;
          counts.restored += 1;
        } else counts.conflicts += 1;
      }
      if (Object.keys(input).length > 1) inputs.push(input);
    }
    if (inputs.length === 0) continue;
    try {
      await saveRecords(context, { records: inputs });
    } catch {
      // One refused restore must not keep the others: record by record, a refusal is a conflict.
      for (const input of inputs) {
        await saveRecords(context, { records: [input] }).catch(() => {
          const changed = Object.keys(input).length - 1;
          counts.restored -= changed;
          counts.conflicts += changed;
        });
      }
    }
  }
};

/** Whether any live record links to this one (many-to-one columns and many-to-many links of every object). */
const isLinked = async (db: Db, workspace: WorkspaceMeta, target: ObjectMeta, id: string): Promise<boolean> => {
  for (const object of workspace.objects.values()) {
    for (const field of object.fields) {
      if (field.type !== 'relation' || field.options?.target !== target.name) continue;
      const kind = relationKind(field);
      if (kind === 'manyToOne') {
        const { rows } = await sql`select 1 from ${sql.id(workspace.schema, object.table)} where ${sql.id(field.column)} = ${id} and deleted_at is null limit 1`.execute(db);
        if (rows.length > 0) return true;
      } else if (kind === 'manyToMany' && field.junction) {
        const { rows } = await sql`select 1 from ${sql.id(workspace.schema, field.junction.table)} where ${sql.id(field.junction.otherColumn)} = ${id} limit 1`.execute(db);
        if (rows.length > 0) return true;
      }
    }
  }
  return false;
};
