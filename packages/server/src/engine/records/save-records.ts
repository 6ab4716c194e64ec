import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { appendEvents, type RecordEvent } from '../events/outbox.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { oncePerSnapshot, type ObjectMeta, type WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { assertCan, getReadableObject } from '../permissions/assert-access.ts';
import { mapWriteError } from './db-errors.ts';
import { sealEncryptedValues, sealFieldValue } from './field-encryption.ts';
import { newRecordId } from './record-id.ts';
import { HISTORY_CHUNK, historyInsert, writeHistory, type HistoryEntry } from './history.ts';
import { computeFormulas, checkValidationRules } from './record-expressions.ts';
import { accessColumns, assertWritableFields, assertWritableRow, defaultOwnerColumn, isReadableRow } from './record-access.ts';
import { applyDefaults, checkRequired, prepareInput, type PreparedInput } from './record-input.ts';
import { isSameValue, isStoredField, storedColumns, toApiRecord, unstoredKeys, type ApiRecord } from './record-shape.ts';
import { checkRecordReferences, checkReferences, type RecordReferenceCheck, type RelationReference } from './relation-check.ts';
import { asReference } from '../fields/types/reference.field.ts';
import { behavioursOf, type RecordInWrite } from './record-behaviours.ts';
import { planTypoLearning } from '../search/search-typos.ts';
import { buildSearchEntry } from './search-text.ts';

export interface RecordWriteContext {
  db: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  actorId: string | null;
  /** The caller's permissions: object actions, field levels and which rows they may change. */
  access: Access;
  /** Where the request came from: the audit entries a write makes (deletions) carry it. */
  origin?: { ip: string | null; userAgent: string | null };
}

interface Plan {
  index: number;
  path: string;
  prepared: PreparedInput;
  existing?: Record<string, unknown>;
  id: string;
  /** The whole record after the write, as the API shows it. */
  after: Record<string, unknown>;
  before?: Record<string, unknown>;
  columns: Record<string, unknown>;
  changedFields: string[];
}

export interface SaveRecordsOptions {
  records: unknown[];
  /** A unique field: a record whose value matches a live record updates it instead of creating one. */
  upsertOn?: string;
  /** Single-record update: the record to update (404 when missing) and its expected version. */
  updateId?: string;
  ifMatch?: number;
  /** Single-record create: fail when the given id exists instead of updating it. */
  createOnly?: boolean;
}

/** What the write did with one input record (its index in `records`), for callers that keep track (imports). */
export interface SavedRecordOutcome {
  index: number;
  id: string;
  action: 'created' | 'updated';
  /** Updates: the fields that changed, with their values before and after the write. */
  previous?: Record<string, unknown>;
  written?: Record<string, unknown>;
}

export interface SaveRecordsResult {
  data: ApiRecord[];
  created: number;
  updated: number;
  /** Per input record, in the order written (records of one batch merged by their upsert key each have theirs). */
  outcomes: SavedRecordOutcome[];
  /**
   * Work for after the commit (new words for the typo dictionary). Already done when the write had its own
   * transaction; a caller whose transaction the write joined calls it once that transaction has committed.
   */
  onCommitted(): void;
}

/** Records per insert and per events statement (with 250, a 100k-row import took 48.6 s on PGlite against 37.3 s). */
const ROWS_PER_STATEMENT = 1000;

/**
 * The write path for creates, updates and upserts: validation, defaults, formulas, rules, references,
 * then rows, links, history and events in one transaction. Any problem in any record writes nothing.
 * Called with a transaction as `context.db` (a merge, an import batch), it joins it: the caller commits
 * and then calls `onCommitted`; a database error leaves that transaction aborted, so a caller that goes
 * on rolls back to a savepoint taken before the call.
 */
export const saveRecords = async (context: RecordWriteContext, options: SaveRecordsOptions): Promise<SaveRecordsResult> => {
  const { db, object } = context;
  const afterCommit: (() => void)[] = [];
  const onCommitted = () => afterCommit.forEach((callback) => callback());
  try {
    if (db.isTransaction) return { ...(await saveInTransaction(context, options, afterCommit)), onCommitted };
    const result = await db.transaction().execute((trx) => saveInTransaction({ ...context, db: trx }, options, afterCommit));
    onCommitted();
    return { ...result, onCommitted: () => undefined };
  } catch (error) {
    throw mapWriteError(error, object, context.access.view.objects.get(object.name));
  }
};

const saveInTransaction = async (context: RecordWriteContext, options: SaveRecordsOptions, afterCommit: (() => void)[]): Promise<Omit<SaveRecordsResult, 'onCommitted'>> => {
  const { db: trx, workspace, object, actorId, access } = context;
  const isBatch = options.updateId === undefined && !options.createOnly;
  // Input is read against the caller's view (hidden fields are unknown); everything else sees every field.
  const visible = getReadableObject(access, object.name);
  if (options.createOnly) assertCan(access, object.name, 'create');
  if (options.updateId !== undefined) assertCan(access, object.name, 'update');
  assertWritableFields({ access, object: visible, records: options.records, isBatch });
  const table = sql.id(workspace.schema, object.table);
  const upsertField = options.upsertOn ? visible.fieldsByName.get(options.upsertOn) : undefined;
  if (options.upsertOn && (!upsertField || !upsertField.unique)) {
    throw new AppError('VALIDATION_FAILED', `upsertOn must name a unique field of ${object.name}.`, {
      errors: [{ field: 'upsertOn', code: 'invalidChoice', message: `Unique fields: ${visible.fields.filter((f) => f.unique).map((f) => f.name).join(', ') || 'none'}.` }],
    });
  }

  const prepared = options.records.map((input, index) => {
    const path = isBatch ? `records[${index}].` : '';
    return { index, path, prepared: prepareInput({ workspace, object: visible, input, path }) };
  });
  if (options.updateId) prepared[0]!.prepared.id = options.updateId;
  // Errors are collected across every step and every record, then reported together.
  const errors: FieldError[] = prepared.flatMap((p) => p.prepared.errors);

  // Existing rows, locked for the rest of the transaction: by id, then by the upsert key. Each row
  // says whether the caller may read and write it; one they may not read is reported as missing.
  const ids = prepared.map((p) => p.prepared.id).filter((id): id is string => id !== undefined);
  const byId = new Map<string, Record<string, unknown>>();
  const judged = accessColumns(access, object, 't0');
  if (ids.length > 0) {
    const { rows } = await sql<Record<string, unknown>>`select t0.*${judged} from ${table} as t0 where t0.id = any(${ids}::uuid[]) for update of t0`.execute(trx);
    // A create with a taken id fails as taken, whoever can see the record (ids are random: nothing to learn).
    rows.forEach((row) => byId.set(row.id as string, options.createOnly ? row : assertWritableRow(row, object, row.id as string)));
  }
  const byKey = new Map<string, Record<string, unknown>>();
  const keyColumn = upsertField ? getFieldTypeHandler(upsertField.type).columns(upsertField)[0]!.column : undefined;
  if (upsertField && keyColumn) {
    const keys = prepared.map((p) => p.prepared.columns[keyColumn]).filter((key): key is string | number => key !== null && key !== undefined);
    if (keys.length > 0) {
      const { rows } = await sql<Record<string, unknown>>`select t0.*${judged} from ${table} as t0 where t0.${sql.ref(keyColumn)} = any(${keys}) and t0.deleted_at is null for update of t0`.execute(trx);
      // A match the caller cannot see is not theirs to update: the insert then meets the unique index (409), as any duplicate would.
      rows.filter(isReadableRow).forEach((row) => byKey.set(String(row[keyColumn]), assertWritableRow(row, object, row.id as string)));
    }
  }

  const plans: Plan[] = [];
  const merged: { index: number; into: Plan }[] = [];
  const plannedByKey = new Map<string, Plan>();
  for (const { index, path, prepared: input } of prepared) {
    let existing = input.id ? byId.get(input.id) : undefined;
    const key = keyColumn ? input.columns[keyColumn] : undefined;
    if (!existing && key !== undefined && key !== null) existing = byKey.get(String(key));
    if (options.updateId && !existing) throw new AppError('RECORD_NOT_FOUND', `No ${object.name} with id ${options.updateId}.`);
    if (options.createOnly && existing) throw new AppError('ALREADY_EXISTS', `A ${object.name} with id ${input.id} already exists.`);
    if (existing?.deleted_at) {
      throw new AppError('RECORD_NOT_FOUND', `The ${object.name} ${String(existing.id)} is in the trash; restore it before changing it.`);
    }
    const expected = options.ifMatch ?? input.expectedVersion;
    if (existing && expected !== undefined && existing.version !== expected) {
      throw new AppError('VERSION_MISMATCH', `${path}The ${object.name} is at version ${String(existing.version)}, not ${expected}: someone changed it. Reload it and apply your change again.`, {
        headers: { ETag: `"${String(existing.version)}"` },
      });
    }
    // Two items of one batch with the same new upsert key: the later updates the earlier.
    const earlier = !existing && key !== undefined && key !== null ? plannedByKey.get(String(key)) : undefined;
    if (earlier) {
      merged.push({ index, into: earlier });
      Object.assign(earlier.columns, input.columns);
      Object.assign(earlier.after, input.values);
      input.links.forEach((ids, field) => earlier.prepared.links.set(field, ids));
      continue;
    }
    const before = existing ? toApiRecord(object, existing) : undefined;
    if (!existing) {
      const owner = defaultOwnerColumn(object, actorId, input.values);
      if (owner) {
        input.columns[owner.column] = owner.value;
        input.values[owner.name] = owner.value;
      }
      applyDefaults({ workspace, object, prepared: input, path });
    }
    const after: Record<string, unknown> = { ...(before ?? emptyRecord(object)), ...input.values };
    const plan: Plan = {
      index,
      path,
      prepared: input,
      ...(existing ? { existing, before } : {}),
      id: existing ? (existing.id as string) : (input.id ?? newRecordId()),
      after,
      columns: { ...input.columns },
      changedFields: [],
    };
    plans.push(plan);
    if (!existing && key !== undefined && key !== null) plannedByKey.set(String(key), plan);
  }

  if (plans.some((plan) => !plan.existing)) assertCan(access, object.name, 'create');
  if (plans.some((plan) => plan.existing)) assertCan(access, object.name, 'update');

  // Modules' behaviours (a deal's stage rules...) see records whose given values are all valid.
  const behaviours = behavioursOf(object.name);
  if (behaviours.length > 0) {
    const valid = plans.filter((plan) => plan.prepared.errors.length === 0).map((plan) => inWrite(context, plan));
    for (const behaviour of behaviours) {
      if (valid.length > 0 && behaviour.beforeWrite) errors.push(...(await behaviour.beforeWrite({ trx, workspace, object, actorId, access }, valid)));
    }
  }

  const references: RelationReference[] = [];
  const recordReferences: RecordReferenceCheck[] = [];
  for (const plan of plans) {
    const formulas = computeFormulas({ object, record: plan.after, path: plan.path });
    Object.assign(plan.columns, formulas.columns);
    Object.assign(plan.after, formulas.values);
    const invalid = new Set(plan.prepared.errors.map((error) => error.field));
    errors.push(...checkRequired(object, plan.after, plan.prepared.links, plan.path).filter((error) => !invalid.has(error.field)));
    // Rules and formulas judge a record whose values are all valid.
    if (invalid.size > 0) continue;
    errors.push(...formulas.errors);
    errors.push(...checkValidationRules({ object, record: plan.after, previous: plan.before ?? null, path: plan.path }));
    for (const field of object.fields) {
      const given = plan.prepared.values[field.name];
      if (given === undefined || given === null) continue;
      if (field.type === 'owner' || (field.type === 'relation' && relationKind(field) === 'manyToOne' && typeof given === 'string')) {
        references.push({ path: `${plan.path}${field.name}`, fieldName: field.name, ids: [given as string] });
      } else if (field.type === 'relation' && relationKind(field) === 'manyToMany') {
        references.push({ path: `${plan.path}${field.name}`, fieldName: field.name, ids: plan.prepared.links.get(field.name) ?? [] });
      } else if (field.type === 'reference') {
        const reference = asReference(given);
        if (reference) recordReferences.push({ path: `${plan.path}${field.name}`, ...reference });
      }
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  const referenceErrors = [...(await checkReferences({ trx, workspace, object, references })), ...(await checkRecordReferences({ trx, workspace, access, references: recordReferences }))];
  if (referenceErrors.length > 0) throw validationFailed(referenceErrors);

  const creates = plans.filter((plan) => !plan.existing);
  const rowsById = new Map<string, Record<string, unknown>>();
  const typoWords = new Set<string>();
  await insertRows(context, creates, rowsById, typoWords);
  for (const plan of plans) if (plan.existing) await updateRow(context, plan, rowsById, typoWords);
  await writeLinks(context, plans);
  const following = behaviours.filter((behaviour) => behaviour.afterWrite);
  if (following.length > 0) {
    const written = plans.map((plan) => {
      const row = rowsById.get(plan.id);
      return { id: plan.id, isCreate: !plan.existing, ...(plan.before ? { before: plan.before } : {}), after: row ? withLinks(object, toApiRecord(object, row), plan) : plan.after };
    });
    for (const behaviour of following) await behaviour.afterWrite!({ trx, workspace, object, actorId, access }, written);
  }
  const typoLearning = planTypoLearning({ schema: workspace.schema, words: typoWords });
  afterCommit.push(typoLearning.committed);

  // History and new typo words ride in the events' statements: a single write is its row's statement, one more and the commit.
  const records = new Map<string, ApiRecord>();
  let alongside = typoLearning.statement ? [typoLearning.statement] : [];
  for (let start = 0; start < plans.length; start += ROWS_PER_STATEMENT) {
    const chunk = plans.slice(start, start + ROWS_PER_STATEMENT);
    const history: HistoryEntry[] = [];
    const events: RecordEvent[] = [];
    for (const plan of chunk) {
      const row = rowsById.get(plan.id);
      if (!row) continue;
      const record = withLinks(object, toApiRecord(object, row), plan);
      records.set(plan.id, record);
      // History and the outbox keep encrypted values sealed (field-encryption.ts).
      const payload = sealEncryptedValues(object, record);
      if (!plan.existing) {
        // Its `created` history row is the event's payload without what is not stored (appendEvents' createdHistory).
        events.push({ workspaceId: workspace.id, type: 'record.created', object: object.name, recordId: plan.id, changedFields: Object.keys(plan.prepared.values), payload, actorId });
      } else {
        for (const field of plan.changedFields) {
          const meta = object.fieldsByName.get(field);
          history.push({ objectName: object.name, recordId: plan.id, changeType: 'updated', field, oldValue: sealFieldValue(meta, plan.before?.[field] ?? null), newValue: sealFieldValue(meta, record[field] ?? null), actorId });
        }
        events.push({ workspaceId: workspace.id, type: 'record.updated', object: object.name, recordId: plan.id, changedFields: plan.changedFields, payload, actorId });
      }
    }
    if (history.length > HISTORY_CHUNK) await writeHistory(trx, workspace.schema, history);
    else if (history.length > 0) alongside.push(historyInsert(workspace.schema, history));
    const createdHistory = chunk.some((plan) => !plan.existing) ? { schema: workspace.schema, leaveOut: unstoredKeys(object) } : undefined;
    await appendEvents(trx, events, { alongside, ...(createdHistory ? { createdHistory } : {}) });
    alongside = [];
  }
  if (alongside.length > 0) await appendEvents(trx, [], { alongside });

  // The caller gets the records as they may see them: hidden fields stay out. A caller who sees every
  // field gets the records shaped above (history and events copied what they keep, nothing changes them).
  const outcomeOf = (index: number, plan: Plan): SavedRecordOutcome => {
    if (!plan.existing) return { index, id: plan.id, action: 'created' };
    const record = records.get(plan.id);
    const previous = Object.fromEntries(plan.changedFields.map((field) => [field, plan.before?.[field] ?? null]));
    const written = Object.fromEntries(plan.changedFields.map((field) => [field, record?.[field] ?? null]));
    return { index, id: plan.id, action: 'updated', previous, written };
  };
  const outcomes = [...plans.map((plan) => outcomeOf(plan.index, plan)), ...merged.map(({ index, into }) => outcomeOf(index, into))];
  const data = plans.map((plan) => (visible === object ? records.get(plan.id) : undefined) ?? withLinks(visible, toApiRecord(visible, rowsById.get(plan.id) ?? plan.existing!), plan));
  return { data, created: creates.length, updated: plans.length - creates.length, outcomes };
};

// A plan as a behaviour sees it: `set` converts an API value with the field's handler, as the input was.
const inWrite = ({ workspace, object }: RecordWriteContext, plan: Plan): RecordInWrite => ({
  path: plan.path,
  isCreate: !plan.existing,
  ...(plan.before ? { before: plan.before } : {}),
  after: plan.after,
  isGiven: (field) => field in plan.prepared.values,
  set(fieldName, value) {
    const field = object.fieldsByName.get(fieldName);
    if (!field || !isStoredField(field)) throw new Error(`A behaviour of ${object.name} set "${fieldName}", which is not a stored field.`);
    const handler = getFieldTypeHandler(field.type);
    const result = handler.toDb(value, field, { workspace });
    if (!result.ok) throw new Error(`A behaviour of ${object.name} set an invalid ${fieldName}: ${result.error.message}`);
    Object.assign(plan.columns, result.values);
    plan.after[fieldName] = handler.fromDb(result.values, field);
  },
});

// Every stored field as null.
const emptyRecord = oncePerSnapshot((object: ObjectMeta): Readonly<Record<string, unknown>> =>
  Object.freeze(Object.fromEntries(object.fields.filter(isStoredField).map((field) => [field.name, null]))),
);

const withLinks = (object: ObjectMeta, record: ApiRecord, plan: Plan): ApiRecord => {
  for (const [field, ids] of plan.prepared.links) record[field] = ids;
  return record;
};

// New rows travel as one JSON array read by json_to_recordset, typed by their columns: a chunk of
// rows costs one parameter to bind and a short statement to parse, where a VALUES list took a parameter
// per cell (compiling, binding and planning ~20,000 of them was a large part of a batch's time). Read as
// `json`, not `jsonb`: the text is read once, where a jsonb cast first builds and sorts a tree of every
// row (two to three times the database's time for the same rows). JSON values arrive as JSON text from
// their handler, hence read as text and cast.
const insertRows = async (context: RecordWriteContext, plans: Plan[], rowsById: Map<string, Record<string, unknown>>, typoWords: Set<string>) => {
  if (plans.length === 0) return;
  const { db: trx, workspace, object, actorId } = context;
  const columns = storedColumns(object);
  const definition = sql.join([
    sql`id uuid`,
    sql`search_text text`,
    ...columns.map(({ column, sqlType }) => sql`${sql.id(column)} ${sql.raw(sqlType === 'jsonb' ? 'text' : sqlType)}`),
  ]);
  const selected = columns.map(({ column, sqlType }) => (sqlType === 'jsonb' ? sql`${sql.id(column)}::jsonb` : sql.id(column)));
  for (let start = 0; start < plans.length; start += ROWS_PER_STATEMENT) {
    const chunk = plans.slice(start, start + ROWS_PER_STATEMENT);
    const rows = chunk.map((plan) => {
      const search = buildSearchEntry(object, plan.after);
      search.typoWords.forEach((word) => typoWords.add(word));
      const row: Record<string, unknown> = { id: plan.id, search_text: search.text };
      for (const { column } of columns) row[column] = plan.columns[column] ?? null;
      return row;
    });
    const { rows: inserted } = await sql<Record<string, unknown>>`
      insert into ${sql.id(workspace.schema, object.table)} (id, created_by, updated_by, search_text, ${sql.join(columns.map(({ column }) => sql.id(column)))})
      select id, ${actorId}::uuid, ${actorId}::uuid, search_text, ${sql.join(selected)}
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(${definition}) returning *`.execute(trx);
    inserted.forEach((row) => rowsById.set(row.id as string, row));
  }
};

// Arrays bind as PostgreSQL arrays on both drivers; everything else binds as is.
const toParam = (value: unknown) => (value === undefined ? null : value);

const updateRow = async (context: RecordWriteContext, plan: Plan, rowsById: Map<string, Record<string, unknown>>, typoWords: Set<string>) => {
  const { db: trx, workspace, object, actorId } = context;
  const before = plan.before!;
  const current = toApiRecord(object, { ...plan.existing!, ...plan.columns });
  plan.changedFields = object.fields
    .filter((field) => isStoredField(field) && !isSameValue(before[field.name], current[field.name]))
    .map((field) => field.name);
  for (const field of plan.prepared.links.keys()) plan.changedFields.push(field);
  if (plan.changedFields.length === 0) {
    rowsById.set(plan.id, plan.existing!);
    return;
  }
  const sets = Object.entries(plan.columns).map(([column, value]) => sql`${sql.id(column)} = ${toParam(value)}`);
  const search = buildSearchEntry(object, current);
  search.typoWords.forEach((word) => typoWords.add(word));
  const { rows } = await sql<Record<string, unknown>>`
    update ${sql.id(workspace.schema, object.table)}
    set ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${actorId}`, sql`search_text = ${search.text}`])}
    where id = ${plan.id} returning *`.execute(trx);
  rowsById.set(plan.id, rows[0]!);
};

const writeLinks = async (context: RecordWriteContext, plans: Plan[]) => {
  const { db: trx, workspace, object } = context;
  for (const plan of plans) {
    for (const [fieldName, ids] of plan.prepared.links) {
      const junction = object.fieldsByName.get(fieldName)?.junction;
      if (!junction) continue;
      const table = sql.id(workspace.schema, junction.table);
      const self = sql.id(junction.selfColumn);
      const other = sql.id(junction.otherColumn);
      await sql`delete from ${table} where ${self} = ${plan.id}`.execute(trx);
      if (ids.length > 0) await sql`insert into ${table} (${self}, ${other}) select ${plan.id}::uuid, unnest(${ids}::uuid[]) on conflict do nothing`.execute(trx);
    }
  }
};
