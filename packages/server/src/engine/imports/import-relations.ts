import { domainOf } from '@rapport/common/values/index';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { saveRecords } from '../records/save-records.ts';
import type { MappedRow, MatchKind, MappingPlan, RelatedKey, RowProblem } from './import-mapping.ts';
import { withSavepoint } from './savepoint.ts';

export interface RelationContext {
  trx: Db;
  workspace: WorkspaceMeta;
  access: Access;
  actorId: string | null;
  plan: MappingPlan;
  createRelated: boolean;
}

export interface RelatedOutcome {
  /** Related records created for this batch. */
  created: { object: string; id: string }[];
  /** Rows that cannot be linked, with why. */
  problems: Map<number, RowProblem[]>;
  onCommitted: (() => void)[];
}

// A matcher's value as compared: titles and emails case-insensitively, domains by host without www.
const normalise = (kind: MatchKind, value: string): string | undefined => {
  const text = value.trim();
  if (kind === 'title' || kind === 'email') return text.toLowerCase();
  if (kind === 'domain') return domainOf(text)?.toLowerCase();
  return text;
};

const keyOf = (field: FieldMeta, kind: MatchKind, value: string) => `${field.name}\u0000${kind}\u0000${value}`;

interface Pending {
  values: Record<string, unknown>;
  rows: { row: MappedRow; column: string }[];
  id?: string;
  problem?: { code: string; message: string };
}

/**
 * Links each row's related records (a person's company) for a whole batch: one query per relation finds
 * the existing ones by title (case-insensitive), domain or email, and one write creates the missing ones.
 * Sets `row.values[relation]` to the id; rows whose related record cannot be found or made get a problem.
 */
export const resolveRelatedRecords = async (context: RelationContext, rows: MappedRow[]): Promise<RelatedOutcome> => {
  const outcome: RelatedOutcome = { created: [], problems: new Map(), onCommitted: [] };
  for (const { relation, target } of context.plan.relations.values()) {
    const keyed = rows
      .map((row) => ({ row, key: row.related.find((candidate) => candidate.relation === relation.name) }))
      .filter((entry): entry is { row: MappedRow; key: RelatedKey } => entry.key !== undefined);
    if (keyed.length === 0) continue;
    const found = await findExisting(context, target, keyed.map((entry) => entry.key));
    const pendings: Pending[] = [];
    for (const { row, key } of keyed) {
      const normalised = key.matchers.map((matcher) => ({ matcher, value: normalise(matcher.kind, matcher.value) })).filter((entry) => entry.value);
      const hit = normalised.map(({ matcher, value }) => found.get(keyOf(matcher.field, matcher.kind, value!))).find((id) => id !== undefined);
      if (typeof hit === 'string') {
        row.values[relation.name] = hit;
        continue;
      }
      if (hit) {
        hit.rows.push({ row, column: key.matchers[0]!.column });
        continue;
      }
      if (!context.createRelated) {
        addProblem(outcome, row, { column: key.matchers[0]!.column, field: relation.name, code: 'relationNotFound', message: `No ${target.labelSingular.toLowerCase()} "${key.matchers[0]!.value}".` });
        continue;
      }
      const pending: Pending = { values: newRecordValues(target, key), rows: [{ row, column: key.matchers[0]!.column }] };
      pendings.push(pending);
      for (const { matcher, value } of normalised) found.set(keyOf(matcher.field, matcher.kind, value!), pending);
    }
    if (pendings.length > 0) await createPending(context, target, pendings, outcome);
    for (const pending of pendings) {
      for (const { row, column } of pending.rows) {
        if (pending.id) row.values[relation.name] = pending.id;
        else addProblem(outcome, row, { column, field: relation.name, code: pending.problem?.code ?? 'relationNotFound', message: pending.problem?.message ?? `The ${target.labelSingular.toLowerCase()} could not be created.` });
      }
    }
  }
  return outcome;
};

const addProblem = (outcome: RelatedOutcome, row: MappedRow, problem: RowProblem) => {
  const list = outcome.problems.get(row.rowNumber) ?? [];
  list.push(problem);
  outcome.problems.set(row.rowNumber, list);
};

// The new record: the row's other target columns (company.industry...), its matchers' values, and a title.
const newRecordValues = (target: ObjectMeta, key: RelatedKey): Record<string, unknown> => {
  const values: Record<string, unknown> = { ...key.values };
  for (const matcher of key.matchers) values[matcher.field.name] ??= matcher.value.trim();
  if (values[target.labelField] === undefined) {
    const first = key.matchers[0]!;
    values[target.labelField] = first.kind === 'domain' ? (domainOf(first.value) ?? first.value.trim()) : first.value.trim();
  }
  return values;
};

/**
 * One query: live records of the target whose match fields hold any of the batch's values, among those
 * the caller may read (one they cannot read is "not found": neither linked to nor revealed).
 */
const findExisting = async (context: RelationContext, target: ObjectMeta, keys: RelatedKey[]): Promise<Map<string, string | Pending>> => {
  const byField = new Map<string, { field: FieldMeta; kind: MatchKind; values: Set<string> }>();
  for (const key of keys) {
    for (const matcher of key.matchers) {
      const value = normalise(matcher.kind, matcher.value);
      if (!value) continue;
      const id = `${matcher.field.name}\u0000${matcher.kind}`;
      let entry = byField.get(id);
      if (!entry) byField.set(id, (entry = { field: matcher.field, kind: matcher.kind, values: new Set() }));
      entry.values.add(value);
    }
  }
  const found = new Map<string, string | Pending>();
  if (byField.size === 0) return found;
  const entries = [...byField.values()];
  const columnOf = (field: FieldMeta) => getFieldTypeHandler(field.type).columns(field)[0]!.column;
  const conditions = entries.map(({ field, kind, values }) => {
    const column = sql.ref(`t.${columnOf(field)}`);
    if (kind === 'domain') {
      const candidates = [...values].flatMap((domain) => [`https://${domain}`, `https://www.${domain}`, `http://${domain}`, `http://www.${domain}`]);
      return sql`lower(${column}) = any(${candidates}::text[])`;
    }
    if (kind === 'exact') return sql`${column}::text = any(${[...values]}::text[])`;
    return sql`lower(${column}) = any(${[...values]}::text[])`;
  });
  const readable = context.access.rows.predicate({ object: target, alias: 't', mode: 'read' });
  const selected = entries.map(({ field }, index) => sql`${sql.ref(`t.${columnOf(field)}`)}::text as ${sql.id(`m${index}`)}`);
  const { rows } = await sql<Record<string, string | null>>`
    select t.id::text as id, ${sql.join(selected)} from ${sql.id(context.workspace.schema, target.table)} as t
    where t.deleted_at is null and (${sql.join(conditions, sql` or `)})${readable ? sql` and (${readable})` : sql``}
    order by t.created_at, t.id`.execute(context.trx);
  for (const row of rows) {
    entries.forEach(({ field, kind }, index) => {
      const stored = row[`m${index}`];
      const value = stored ? normalise(kind, stored) : undefined;
      const key = value ? keyOf(field, kind, value) : undefined;
      // The oldest record wins when several share a name.
      if (key && !found.has(key)) found.set(key, row.id!);
    });
  }
  return found;
};

const RECORD_PATH = /^records\[(\d+)\]\.(.*)$/;

/** One write for the batch's new related records; records the write refuses are left out and the rest written. */
const createPending = async (context: RelationContext, target: ObjectMeta, pendings: Pending[], outcome: RelatedOutcome) => {
  let remaining = pendings;
  while (remaining.length > 0) {
    try {
      const result = await withSavepoint(context.trx, () =>
        saveRecords({ db: context.trx, workspace: context.workspace, object: target, actorId: context.actorId, access: context.access }, { records: remaining.map((pending) => pending.values) }),
      );
      for (const saved of result.outcomes) {
        const pending = remaining[saved.index]!;
        pending.id = saved.id;
        outcome.created.push({ object: target.name, id: saved.id });
      }
      outcome.onCommitted.push(result.onCommitted);
      return;
    } catch (error) {
      const refused = new Map<number, string>();
      if (isAppError(error) && error.code === 'VALIDATION_FAILED') {
        for (const item of error.errors ?? []) {
          const match = RECORD_PATH.exec(item.field);
          if (match) refused.set(Number(match[1]), refused.get(Number(match[1])) ?? `${match[2]}: ${item.message}`);
        }
      }
      const label = target.labelSingular.toLowerCase();
      if (refused.size === 0) {
        // Not a per-record problem (a permission, a conflict): none of them can be made.
        const message = error instanceof AppError ? error.message : 'The related record could not be created.';
        for (const pending of remaining) pending.problem = { code: isAppError(error) && error.code === 'FORBIDDEN' ? 'forbidden' : 'relationNotFound', message: `Could not create the ${label}: ${message}` };
        return;
      }
      for (const [index, message] of refused) remaining[index]!.problem = { code: 'relationNotFound', message: `Could not create the ${label} "${String(remaining[index]!.values[target.labelField] ?? '')}": ${message}` };
      remaining = remaining.filter((_, index) => !refused.has(index));
    }
  }
};
