import { AppError, isAppError } from '../errors.ts';
import type { Db } from '../db/database.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { saveRecords, type SavedRecordOutcome } from '../records/save-records.ts';
import type { MappedRow, MappingPlan, RowProblem } from './import-mapping.ts';
import { resolveRelatedRecords } from './import-relations.ts';
import { withSavepoint } from './savepoint.ts';

export interface BatchContext {
  trx: Db;
  workspace: WorkspaceMeta;
  access: Access;
  actorId: string | null;
  plan: MappingPlan;
  upsertOn: string | null;
  createRelated: boolean;
}

export interface WrittenRow {
  row: MappedRow;
  outcome: SavedRecordOutcome;
}

export interface BatchResult {
  written: WrittenRow[];
  failed: { row: MappedRow; problems: RowProblem[] }[];
  related: { object: string; id: string }[];
  /** Call after the transaction commits. */
  onCommitted(): void;
}

const RECORD_PATH = /^records\[(\d+)\]\.?(.*)$/;

/**
 * Writes one batch of mapped rows through the write path inside `trx`: bad rows are set aside with
 * their reasons and the good ones written. Validation problems name their record (`records[i].field`),
 * so one retry leaves them out; any other failure (a unique value taken...) is narrowed down by halves.
 */
export const writeBatch = async (context: BatchContext, rows: MappedRow[]): Promise<BatchResult> => {
  const failed: BatchResult['failed'] = [];
  const callbacks: (() => void)[] = [];
  const columnOfField = new Map<string, string>();
  for (const column of context.plan.columns) {
    const name = column.kind === 'field' ? column.field.name : column.relation.name;
    if (!columnOfField.has(name)) columnOfField.set(name, column.header);
  }
  const toProblem = (field: string, code: string, message: string): RowProblem => {
    const name = field.split('.')[0] ?? field;
    return { column: columnOfField.get(name) ?? null, field, code, message };
  };

  const clean = rows.filter((row) => {
    if (row.problems.length === 0) return true;
    failed.push({ row, problems: row.problems });
    return false;
  });
  const related = await resolveRelatedRecords(context, clean);
  callbacks.push(...related.onCommitted);
  const linkable = clean.filter((row) => {
    const problems = related.problems.get(row.rowNumber);
    if (!problems) return true;
    failed.push({ row, problems });
    return false;
  });

  const written: WrittenRow[] = [];
  const save = (batch: MappedRow[]) =>
    withSavepoint(context.trx, () =>
      saveRecords(
        { db: context.trx, workspace: context.workspace, object: context.plan.object, actorId: context.actorId, access: context.access },
        { records: batch.map((row) => row.values), ...(context.upsertOn ? { upsertOn: context.upsertOn } : {}) },
      ),
    );

  const writeRows = async (batch: MappedRow[]): Promise<void> => {
    let remaining = batch;
    while (remaining.length > 0) {
      try {
        const result = await save(remaining);
        callbacks.push(result.onCommitted);
        for (const outcome of result.outcomes) written.push({ row: remaining[outcome.index]!, outcome });
        return;
      } catch (error) {
        const perRecord = perRecordProblems(error, toProblem);
        if (perRecord && perRecord.size > 0) {
          for (const [index, problems] of perRecord) failed.push({ row: remaining[index]!, problems });
          remaining = remaining.filter((_, index) => !perRecord.has(index));
          continue;
        }
        if (!isRowError(error)) throw error;
        if (remaining.length === 1) {
          failed.push({ row: remaining[0]!, problems: problemsOf(error, toProblem) });
          return;
        }
        const half = Math.ceil(remaining.length / 2);
        await writeRows(remaining.slice(0, half));
        await writeRows(remaining.slice(half));
        return;
      }
    }
  };
  await writeRows(linkable);
  failed.sort((a, b) => a.row.rowNumber - b.row.rowNumber);
  return { written, failed, related: related.created, onCommitted: () => callbacks.forEach((callback) => callback()) };
};

// Problems that belong to records: validation naming `records[i]`. Errors without a record path are not.
const perRecordProblems = (error: unknown, toProblem: (field: string, code: string, message: string) => RowProblem): Map<number, RowProblem[]> | undefined => {
  if (!isAppError(error) || error.code !== 'VALIDATION_FAILED' || !error.errors?.length) return undefined;
  const byIndex = new Map<number, RowProblem[]>();
  for (const item of error.errors) {
    const match = RECORD_PATH.exec(item.field);
    if (!match) return undefined;
    const list = byIndex.get(Number(match[1])) ?? [];
    list.push(toProblem(match[2] || 'record', item.code, item.message));
    byIndex.set(Number(match[1]), list);
  }
  return byIndex;
};

// What one row can cause: any refusal of the write path (AppError) or a constraint of the database.
const isRowError = (error: unknown): boolean => isAppError(error) || (typeof error === 'object' && error !== null && 'code' in error && /^23/.test(String((error as { code: unknown }).code)));

const problemsOf = (error: unknown, toProblem: (field: string, code: string, message: string) => RowProblem): RowProblem[] => {
  if (error instanceof AppError) {
    if (error.errors?.length) return error.errors.map((item) => toProblem(item.field.replace(RECORD_PATH, '$2') || 'record', item.code, item.message || error.message));
    return [toProblem('record', error.code === 'UNIQUE_VIOLATION' ? 'unique' : error.code.toLowerCase(), error.message)];
  }
  return [toProblem('record', 'invalidFormat', error instanceof Error ? error.message : String(error))];
};
