import type { FieldError, Filter, RetentionAction, RetentionRule, RetentionRuleInput } from '@rapport/common';
import { sql, type RawBuilder } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { AppError, isAppError, validationFailed } from '../errors.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { getObjectMetaById, type ObjectMeta, type WorkspaceMeta } from '../metadata/types.ts';
import { createFullAccess } from '../permissions/access.ts';
import { compileFilter } from '../query/compile-filter.ts';
import { parseFilter } from '../query/parse-filter.ts';
import { ALL_ROWS } from '../query/row-scope.ts';
import { deleteRecord } from '../records/delete-records.ts';
import { recordLabel, toApiRecord } from '../records/record-shape.ts';
import { eraseRecord } from './erase-record.ts';

export { RETENTION_ACTIONS, type RetentionAction, type RetentionRule, type RetentionRuleInput } from '@rapport/common';

/** Records one run of a rule handles at most (the daily job picks up the rest the next day). */
export const RETENTION_RUN_LIMIT = 10_000;
const BATCH = 200;

interface RuleRow {
  id: string;
  object_id: string;
  name: string;
  basis_field: string;
  after_days: number;
  action: RetentionAction;
  filter: Filter | null;
  enabled: boolean;
  created_by: string | null;
  last_run_at: string | null;
  last_run_count: number | null;
  last_run_error: string | null;
  created_at: string;
  updated_at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SYSTEM_BASES: Record<string, string> = { createdAt: 'created_at', updatedAt: 'updated_at' };

const toRule = (row: RuleRow, object: ObjectMeta): RetentionRule => ({
  id: row.id,
  name: row.name,
  object: object.name,
  basisField: row.basis_field,
  afterDays: row.after_days,
  action: row.action,
  filter: row.filter ?? null,
  enabled: row.enabled,
  createdBy: row.created_by,
  lastRun: row.last_run_at ? { at: new Date(row.last_run_at).toISOString(), count: row.last_run_count ?? 0, error: row.last_run_error } : null,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** The column a rule counts its days from. */
const basisColumn = (object: ObjectMeta, basisField: string): string | undefined => {
  if (SYSTEM_BASES[basisField]) return SYSTEM_BASES[basisField];
  const field = object.fieldsByName.get(basisField);
  if (!field || (field.type !== 'date' && field.type !== 'datetime')) return undefined;
  return getFieldTypeHandler(field.type).columns(field)[0]?.column;
};

const checkRule = (workspace: WorkspaceMeta, object: ObjectMeta, rule: Required<Omit<RetentionRuleInput, 'object' | 'name' | 'enabled'>>): FieldError[] => {
  const errors: FieldError[] = [];
  if (!basisColumn(object, rule.basisField)) {
    const dates = object.fields.filter((field) => field.type === 'date' || field.type === 'datetime').map((field) => field.name);
    errors.push({ field: 'basisField', code: 'invalidChoice', message: `Count the days from createdAt, updatedAt${dates.length ? ` or a date field (${dates.join(', ')})` : ''}.` });
  }
  if (rule.filter !== null) {
    try {
      parseFilter({ workspace, object, filter: rule.filter });
    } catch (error) {
      errors.push({ field: 'filter', code: 'invalidQuery', message: isAppError(error) ? error.message : 'Invalid filter.' });
    }
  }
  return errors;
};

const findRow = async (db: Db, workspaceId: string, id: string): Promise<RuleRow | undefined> => {
  if (!UUID.test(id)) return undefined;
  const { rows } = await sql<RuleRow>`select * from rapport.retention_rule where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
  return rows[0];
};

const unknownRule = (id: string) => new AppError('RECORD_NOT_FOUND', `No retention rule ${id}.`);

const ruleOf = async (db: Db, workspace: WorkspaceMeta, id: string): Promise<{ row: RuleRow; object: ObjectMeta }> => {
  const row = await findRow(db, workspace.id, id);
  const object = row && getObjectMetaById(workspace, row.object_id);
  if (!row || !object) throw unknownRule(id);
  return { row, object };
};

export const listRetentionRules = async (db: Db, workspace: WorkspaceMeta): Promise<RetentionRule[]> => {
  const { rows } = await sql<RuleRow>`select * from rapport.retention_rule where workspace_id = ${workspace.id} order by lower(name), id`.execute(db);
  return rows.flatMap((row) => {
    const object = getObjectMetaById(workspace, row.object_id);
    return object ? [toRule(row, object)] : [];
  });
};

export const getRetentionRule = async (db: Db, workspace: WorkspaceMeta, id: string): Promise<RetentionRule> => {
  const { row, object } = await ruleOf(db, workspace, id);
  return toRule(row, object);
};

export const createRetentionRule = async (db: Db, workspace: WorkspaceMeta, actorId: string | null, input: RetentionRuleInput & { name: string; object: string; basisField: string; afterDays: number; action: RetentionAction }): Promise<RetentionRule> => {
  const object = workspace.objects.get(input.object);
  if (!object) throw validationFailed([{ field: 'object', code: 'invalidChoice', message: `There is no object "${input.object}".` }]);
  const filter = input.filter ?? null;
  const errors = checkRule(workspace, object, { basisField: input.basisField, afterDays: input.afterDays, action: input.action, filter });
  if (errors.length > 0) throw validationFailed(errors);
  const { rows } = await sql<{ id: string }>`
    insert into rapport.retention_rule (workspace_id, object_id, name, basis_field, after_days, action, filter, enabled, created_by)
    values (${workspace.id}, ${object.id}, ${input.name}, ${input.basisField}, ${input.afterDays}, ${input.action}, ${filter === null ? null : JSON.stringify(filter)}::jsonb, ${input.enabled ?? true}, ${actorId})
    returning id`.execute(db);
  return getRetentionRule(db, workspace, rows[0]!.id);
};

export const updateRetentionRule = async (db: Db, workspace: WorkspaceMeta, id: string, patch: RetentionRuleInput): Promise<RetentionRule> => {
  const { row, object } = await ruleOf(db, workspace, id);
  if (patch.object !== undefined && patch.object !== object.name) throw validationFailed([{ field: 'object', code: 'readOnly', message: 'A rule stays on its object; make a new rule for another one.' }]);
  const merged = {
    basisField: patch.basisField ?? row.basis_field,
    afterDays: patch.afterDays ?? row.after_days,
    action: patch.action ?? row.action,
    filter: patch.filter !== undefined ? patch.filter : row.filter,
  };
  const errors = checkRule(workspace, object, merged);
  if (errors.length > 0) throw validationFailed(errors);
  await sql`update rapport.retention_rule set name = ${patch.name ?? row.name}, basis_field = ${merged.basisField}, after_days = ${merged.afterDays},
      action = ${merged.action}, filter = ${merged.filter === null ? null : JSON.stringify(merged.filter)}::jsonb, enabled = ${patch.enabled ?? row.enabled}, updated_at = now()
    where workspace_id = ${workspace.id} and id = ${row.id}`.execute(db);
  return getRetentionRule(db, workspace, row.id);
};

export const deleteRetentionRule = async (db: Db, workspace: WorkspaceMeta, id: string): Promise<void> => {
  const { row } = await ruleOf(db, workspace, id);
  await sql`delete from rapport.retention_rule where workspace_id = ${workspace.id} and id = ${row.id}`.execute(db);
};

/** The live records a rule applies to now: older than its days, matching its filter, not erased yet (anonymise). */
const dueCondition = (workspace: WorkspaceMeta, object: ObjectMeta, row: RuleRow, now: Date): RawBuilder<unknown> => {
  const column = basisColumn(object, row.basis_field);
  if (!column) throw new AppError('CONFLICT', `The rule "${row.name}" counts from ${row.basis_field}, which ${object.name} no longer has: change the rule.`);
  const cutoff = new Date(now.getTime() - row.after_days * 86_400_000);
  const conditions = [sql`t0.deleted_at is null`, sql`t0.${sql.id(column)} < ${cutoff.toISOString()}`];
  if (row.filter) conditions.push(sql`(${compileFilter({ workspace, object, filter: row.filter, alias: 't0', rows: ALL_ROWS, now })})`);
  if (row.action === 'anonymise') {
    conditions.push(sql`not exists (select 1 from rapport.erased_record e where e.workspace_id = ${workspace.id} and e.object_name = ${object.name} and e.record_id = t0.id)`);
  }
  return sql.join(conditions, sql` and `);
};

export interface RetentionPreview {
  /** Records the rule would anonymise or delete if it ran now. */
  count: number;
  /** The first of them (oldest first), by name. */
  sample: { id: string; label: string | null }[];
}

export const previewRetentionRule = async (db: Db, workspace: WorkspaceMeta, id: string, now = new Date()): Promise<RetentionPreview> => {
  const { row, object } = await ruleOf(db, workspace, id);
  const table = sql.id(workspace.schema, object.table);
  const where = dueCondition(workspace, object, row, now);
  const [{ rows: counted }, { rows: sample }] = await Promise.all([
    sql<{ n: string }>`select count(*) as n from ${table} as t0 where ${where}`.execute(db),
    sql<Record<string, unknown>>`select t0.* from ${table} as t0 where ${where} order by t0.created_at, t0.id limit 10`.execute(db),
  ]);
  return { count: Number(counted[0]!.n), sample: sample.map((record) => ({ id: record.id as string, label: recordLabel(object, toApiRecord(object, record)) ?? null })) };
};

export interface RetentionRun {
  processed: number;
  /** More records were due than one run handles: the next run goes on. */
  hasMore: boolean;
}

/**
 * Applies a rule now: each due record is erased (its personal data, everywhere: engine/privacy/erase-record.ts)
 * or moved to the trash through the write path, one by one in its own transaction; at most
 * RETENTION_RUN_LIMIT records. Audited as `retention.applied` with the count (never the data).
 */
export const applyRetentionRule = async (db: Db, workspace: WorkspaceMeta, id: string, options: { actorId: string | null; now?: Date; limit?: number } = { actorId: null }): Promise<RetentionRun> => {
  const { row, object } = await ruleOf(db, workspace, id);
  const now = options.now ?? new Date();
  const limit = options.limit ?? RETENTION_RUN_LIMIT;
  const table = sql.id(workspace.schema, object.table);
  let processed = 0;
  let error: string | null = null;
  let hasMore = false;
  try {
    for (;;) {
      const batch = Math.min(BATCH, limit - processed);
      if (batch <= 0) {
        hasMore = (await sql`select 1 from ${table} as t0 where ${dueCondition(workspace, object, row, now)} limit 1`.execute(db)).rows.length > 0;
        break;
      }
      const { rows } = await sql<{ id: string }>`select t0.id from ${table} as t0 where ${dueCondition(workspace, object, row, now)} order by t0.created_at, t0.id limit ${batch}`.execute(db);
      for (const { id: recordId } of rows) {
        if (row.action === 'anonymise') await eraseRecord({ db, workspace, object, id: recordId, actorId: options.actorId, ruleId: row.id });
        else await deleteRecord({ db, workspace, object, actorId: options.actorId, access: createFullAccess(workspace) }, { id: recordId });
        processed += 1;
      }
      if (rows.length < batch) break;
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  await sql`update rapport.retention_rule set last_run_at = now(), last_run_count = ${processed}, last_run_error = ${error} where id = ${row.id}`.execute(db);
  await recordAudit(db, { workspaceId: workspace.id, actorId: options.actorId, action: 'retention.applied', objectName: object.name, details: { rule: row.id, name: row.name, action: row.action, records: processed, ...(error ? { error } : {}) } });
  if (error) throw new AppError('CONFLICT', `The rule "${row.name}" stopped after ${processed} records: ${error}`);
  return { processed, hasMore };
};

/** The daily job: every enabled rule of every workspace, each up to its run limit. */
export const applyAllRetentionRules = async (db: Db, workspaces: WorkspaceMeta[], now = new Date()): Promise<{ rules: number; processed: number; failed: number }> => {
  let rules = 0;
  let processed = 0;
  let failed = 0;
  for (const workspace of workspaces) {
    for (const rule of await listRetentionRules(db, workspace)) {
      if (!rule.enabled) continue;
      rules += 1;
      try {
        processed += (await applyRetentionRule(db, workspace, rule.id, { actorId: null, now })).processed;
      } catch {
        // Recorded on the rule (last run error) and in the audit log; the other rules still run.
        failed += 1;
      }
    }
  }
  return { rules, processed, failed };
};
