import type { RecordQuery, RecordReference } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, invalidQuery } from '../errors.ts';
import { isUuid, relationKind } from '../fields/types/relation.field.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { getReadableObject } from '../permissions/assert-access.ts';
import { applySegment } from '../segments/segments.service.ts';
import { runListQuery } from '../query/index.ts';
import { openEncryptedValues, openFieldValue } from './field-encryption.ts';
import { readHistory, type HistoryItem } from './history.ts';
import { toApiRecord, type ApiRecord } from './record-shape.ts';

export interface ReadContext {
  db: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  /** The caller's permissions: what they may read of the object, its fields and its related records. */
  access: Access;
}

// Reads resolve names against the caller's view: hidden fields and unreadable objects are unknown.
const viewed = (context: ReadContext): ReadContext => {
  const object = getReadableObject(context.access, context.object.name);
  return { ...context, workspace: context.access.view, object };
};

/** ` and <the caller's row condition on alias>`, or nothing. */
const readableRows = (context: ReadContext, object: ObjectMeta, alias: string) => {
  const condition = context.access.rows.predicate({ object, alias, mode: 'read' });
  return condition ? sql` and ${condition}` : sql``;
};

/** Records of a oneToMany relation returned per parent when included. */
export const MAX_INCLUDED_CHILDREN = 100;
const MAX_INCLUDES = 10;

const SYSTEM_OUTPUT = new Set(['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'deletedAt']);

// Inverse sides (a company's people, a person's opportunities) can be long: they come with `include` or `fields`.
const isInverseSide = (field: FieldMeta) =>
  field.type === 'relation' && (relationKind(field) === 'oneToMany' || (relationKind(field) === 'manyToMany' && field.junction?.selfColumn === 'target_id'));

/** The fields to output: all but inverse relations by default, or the named ones (system fields always come along). */
export const selectFields = (object: ObjectMeta, names?: string[]): FieldMeta[] => {
  if (!names || names.length === 0) return object.fields.filter((field) => !isInverseSide(field));
  return names
    .filter((name) => !SYSTEM_OUTPUT.has(name))
    .map((name) => {
      const field = object.fieldsByName.get(name);
      if (!field) throw invalidQuery(`Unknown field "${name}" in fields. Fields of ${object.name}: ${object.fields.map((f) => f.name).join(', ')}.`, 'fields');
      return field;
    });
};

const resolveIncludes = (object: ObjectMeta, include: string[] = []): FieldMeta[] => {
  if (include.length > MAX_INCLUDES) throw invalidQuery(`At most ${MAX_INCLUDES} includes.`, 'include');
  return include.map((name) => {
    const field = object.fieldsByName.get(name);
    if (!field || (field.type !== 'relation' && field.type !== 'reference')) {
      const relations = object.fields.filter((f) => f.type === 'relation' || f.type === 'reference').map((f) => f.name);
      throw invalidQuery(`Cannot include "${name}": it is not a relation of ${object.name}. Relations: ${relations.join(', ') || 'none'}.`, 'include');
    }
    return field;
  });
};

/**
 * Shapes rows into API records as the caller sees them: the selected visible fields, manyToMany ids
 * and the included related records they may read.
 */
export const shapeRecords = async (readContext: ReadContext, rows: Record<string, unknown>[], options: { fields?: string[]; include?: string[] }): Promise<ApiRecord[]> => {
  const context = viewed(readContext);
  const { object } = context;
  const fields = selectFields(object, options.fields);
  const includes = resolveIncludes(object, options.include);
  const records = rows.map((row) => toApiRecord(object, row, fields));
  if (records.length === 0) return records;
  const ids = records.map((record) => record.id);
  for (const field of fields) {
    if (field.type !== 'relation' || relationKind(field) !== 'manyToMany' || includes.includes(field)) continue;
    const links = await readLinks(context, field, ids, false);
    for (const record of records) record[field.name] = (links.get(record.id) ?? []).map((linked) => linked.id);
  }
  for (const field of fields) if (field.type === 'reference') hideUnreadableReferences(context, field, records);
  for (const field of includes) await (field.type === 'reference' ? includeReference(context, field, records) : includeRelation(context, field, records));
  return records;
};

/** A reference to an object the reader may not read at all reads as empty: its name and id are not theirs to know. */
const hideUnreadableReferences = (context: ReadContext, field: FieldMeta, records: ApiRecord[]) => {
  for (const record of records) {
    const value = record[field.name] as RecordReference | null | undefined;
    if (value && !context.workspace.objects.has(value.object)) record[field.name] = null;
  }
};

/**
 * `include` of a reference: `{object, id, record}`, the record as the reader may see it, one query per object named.
 * A record they may not read (or one in the trash) gives `record: null`, as an included relation gives null.
 */
const includeReference = async (context: ReadContext, field: FieldMeta, records: ApiRecord[]) => {
  const byObject = new Map<string, Set<string>>();
  for (const record of records) {
    const value = record[field.name] as RecordReference | null | undefined;
    if (value && context.workspace.objects.has(value.object)) byObject.set(value.object, (byObject.get(value.object) ?? new Set()).add(value.id));
  }
  const found = new Map<string, ApiRecord>();
  for (const [objectName, ids] of byObject) {
    const target = context.workspace.objects.get(objectName)!;
    const { rows } = await sql<Record<string, unknown>>`
      select * from ${sql.id(context.workspace.schema, target.table)} as t where t.id = any(${[...ids]}::uuid[]) and t.deleted_at is null${readableRows(context, target, 't')}`.execute(context.db);
    for (const row of rows) found.set(`${objectName}:${String(row.id)}`, toApiRecord(target, row));
  }
  for (const record of records) {
    const value = record[field.name] as RecordReference | null | undefined;
    if (value) record[field.name] = { object: value.object, id: value.id, record: found.get(`${value.object}:${value.id}`) ?? null };
  }
};

const targetOf = (context: ReadContext, field: FieldMeta): ObjectMeta => {
  const target = context.workspace.objects.get(field.options?.target ?? '');
  if (!target) throw new AppError('INTERNAL', `Relation ${field.objectName}.${field.name} points to a missing object.`);
  return target;
};

const includeRelation = async (context: ReadContext, field: FieldMeta, records: ApiRecord[]) => {
  const { db, workspace } = context;
  const target = targetOf(context, field);
  const table = sql.id(workspace.schema, target.table);
  const kind = relationKind(field);
  // A related record the caller may not read is left out (null), as if it did not exist.
  if (kind === 'manyToOne') {
    const ids = [...new Set(records.map((record) => record[field.name]).filter((id): id is string => typeof id === 'string'))];
    const { rows } = ids.length
      ? await sql<Record<string, unknown>>`select * from ${table} as t where t.id = any(${ids}::uuid[]) and t.deleted_at is null${readableRows(context, target, 't')}`.execute(db)
      : { rows: [] };
    const byId = new Map(rows.map((row) => [row.id as string, toApiRecord(target, row)]));
    for (const record of records) {
      const id = record[field.name];
      record[field.name] = typeof id === 'string' ? (byId.get(id) ?? null) : null;
    }
    return;
  }
  if (kind === 'oneToMany') {
    const inverse = target.fieldsByName.get(field.options?.inverseName ?? '');
    if (!inverse) return;
    const column = sql.ref(inverse.column);
    const { rows } = await sql<Record<string, unknown>>`
      select * from (
        select t.*, row_number() over (partition by t.${column} order by t.created_at desc, t.id desc) as rapport_rank
        from ${table} t where t.${column} = any(${records.map((r) => r.id)}::uuid[]) and t.deleted_at is null${readableRows(context, target, 't')}
      ) ranked where rapport_rank <= ${MAX_INCLUDED_CHILDREN}`.execute(db);
    const byParent = new Map<string, ApiRecord[]>();
    for (const row of rows) {
      const parent = row[inverse.column] as string;
      byParent.set(parent, [...(byParent.get(parent) ?? []), toApiRecord(target, row)]);
    }
    for (const record of records) record[field.name] = byParent.get(record.id) ?? [];
    return;
  }
  const links = await readLinks(context, field, records.map((r) => r.id), true);
  for (const record of records) record[field.name] = links.get(record.id) ?? [];
};

/** manyToMany links of the given records: ids only, or whole target records. */
const readLinks = async (context: ReadContext, field: FieldMeta, ids: string[], isFull: boolean): Promise<Map<string, ApiRecord[]>> => {
  const { db, workspace } = context;
  const junction = field.junction;
  const result = new Map<string, ApiRecord[]>();
  if (!junction) return result;
  const target = targetOf(context, field);
  const { rows } = await sql<Record<string, unknown>>`
    select j.${sql.ref(junction.selfColumn)} as rapport_owner, ${isFull ? sql`t.*` : sql`t.id`}
    from ${sql.id(workspace.schema, junction.table)} j
    join ${sql.id(workspace.schema, target.table)} t on t.id = j.${sql.ref(junction.otherColumn)} and t.deleted_at is null${isFull ? readableRows(context, target, 't') : sql``}
    where j.${sql.ref(junction.selfColumn)} = any(${ids}::uuid[])
    order by j.created_at, t.id`.execute(db);
  for (const row of rows) {
    const owner = row.rapport_owner as string;
    const linked = isFull ? toApiRecord(target, row) : ({ id: row.id } as ApiRecord);
    result.set(owner, [...(result.get(owner) ?? []), linked]);
  }
  return result;
};

export interface GetRecordOptions {
  id: string;
  fields?: string[];
  include?: string[];
  /** Also find a record in the trash. */
  withDeleted?: boolean;
}

/** One record; RECORD_NOT_FOUND when it does not exist or the caller may not read it (never 403: that would tell it exists). */
export const getRecord = async (readContext: ReadContext, options: GetRecordOptions): Promise<ApiRecord> => {
  const context = viewed(readContext);
  const { db, workspace, object } = context;
  const condition = context.access.rows.predicate({ object, alias: 't0', mode: 'read' });
  const row = condition
    ? (
        await sql<Record<string, unknown>>`
          select t0.* from ${sql.id(workspace.schema, object.table)} as t0 where t0.id = ${options.id}
          ${options.withDeleted ? sql`` : sql`and t0.deleted_at is null`} and ${condition}`.execute(db)
      ).rows[0]
    : await lookUpRow(db, { schema: workspace.schema, table: object.table, id: options.id, withDeleted: options.withDeleted === true });
  if (!row) throw new AppError('RECORD_NOT_FOUND', `No ${object.name} with id ${options.id}.`);
  const [record] = await shapeRecords(context, [row], options);
  return record!;
};

interface PendingLookup {
  ids: Set<string>;
  rows: Promise<Map<string, Record<string, unknown>>>;
}

const pendingLookups = new WeakMap<Db, Map<string, PendingLookup>>();

/**
 * A row by id, for a caller who may read every row. Lookups of the same table that arrive together
 * (in one turn of the event loop: a busy server reads many requests at once) share one statement,
 * `id = any($1)`: one round trip, one result to parse and one execution in the database instead of
 * one each. A lone lookup waits only for the end of the current turn.
 */
const lookUpRow = async (db: Db, target: { schema: string; table: string; id: string; withDeleted: boolean }): Promise<Record<string, unknown> | undefined> => {
  // A malformed id would fail the shared statement for every lookup in it; no row has one.
  if (!isUuid(target.id)) return undefined;
  let pending = pendingLookups.get(db);
  if (!pending) pendingLookups.set(db, (pending = new Map()));
  const key = `${target.schema}\u0000${target.table}\u0000${target.withDeleted}`;
  let lookup = pending.get(key);
  if (!lookup) {
    const ids = new Set<string>();
    const batch = pending;
    const rows = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      batch.delete(key);
      const { rows: found } = await sql<Record<string, unknown>>`
        select t0.* from ${sql.id(target.schema, target.table)} as t0 where t0.id = any(${[...ids]}::uuid[])
        ${target.withDeleted ? sql`` : sql`and t0.deleted_at is null`}`.execute(db);
      return new Map(found.map((row) => [String(row.id), row]));
    });
    pending.set(key, (lookup = { ids, rows }));
  }
  const id = target.id.toLowerCase();
  lookup.ids.add(id);
  return (await lookup.rows).get(id);
};

export interface RecordPage {
  data: ApiRecord[];
  pageInfo: { nextCursor: string | null; hasNextPage: boolean };
  totalCount?: number;
  totalCountIsEstimate?: true;
}

export const listRecords = async (readContext: ReadContext, given: RecordQuery): Promise<RecordPage> => {
  const context = viewed(readContext);
  selectFields(context.object, given.fields);
  resolveIncludes(context.object, given.include);
  // A segment adds its filter, or its members, to the caller's own filter.
  const { query, memberOf } = await applySegment(context.db, { workspaceId: context.workspace.id, access: context.access }, context.object, given);
  const page = await runListQuery(context.db, { workspace: context.workspace, object: context.object, query, rows: context.access.rows, ...(memberOf ? { memberOf } : {}) });
  const data = await shapeRecords(context, page.rows, { ...(query.fields ? { fields: query.fields } : {}), ...(query.include ? { include: query.include } : {}) });
  return {
    data,
    pageInfo: { nextCursor: page.nextCursor, hasNextPage: page.hasNextPage },
    ...(page.totalCount !== undefined ? { totalCount: page.totalCount } : {}),
    ...(page.totalCountIsEstimate ? { totalCountIsEstimate: true as const } : {}),
  };
};

export interface HistoryPage {
  data: HistoryItem[];
  pageInfo: { hasNextPage: boolean; nextBefore: number | null };
}

const withoutKeys = (value: unknown, hidden: ReadonlySet<string>): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter(([key]) => !hidden.has(key)))
    : value;

// Encrypted values are kept sealed in history; the caller sees them opened (hidden fields are gone already).
const openHistoryItem = (object: ObjectMeta, item: HistoryItem): HistoryItem => {
  if (item.field !== null) {
    const field = object.fieldsByName.get(item.field);
    return { ...item, oldValue: openFieldValue(field, item.oldValue), newValue: openFieldValue(field, item.newValue) };
  }
  return { ...item, oldValue: openEncryptedValues(object, item.oldValue), newValue: openEncryptedValues(object, item.newValue) };
};

/**
 * A record's history, newest first, as the caller may see it: RECORD_NOT_FOUND when they may not read
 * the record; changes of fields hidden from them left out, and those fields removed from snapshots.
 */
export const readRecordHistory = async (readContext: ReadContext, options: { id: string; limit: number; beforeId?: number }): Promise<HistoryPage> => {
  const context = viewed(readContext);
  await getRecord(context, { id: options.id, fields: ['id'], withDeleted: true });
  const items = await readHistory(context.db, {
    schema: context.workspace.schema,
    objectName: context.object.name,
    recordId: options.id,
    limit: options.limit,
    ...(options.beforeId ? { beforeId: options.beforeId } : {}),
  });
  const full = context.access.workspace.objects.get(context.object.name);
  const hidden = new Set((full?.fields ?? []).filter((field) => !context.object.fieldsByName.has(field.name)).map((field) => field.name));
  const data = (hidden.size === 0
    ? items
    : items
        .filter((item) => item.field === null || !hidden.has(item.field))
        .map((item) => (item.field === null ? { ...item, oldValue: withoutKeys(item.oldValue, hidden), newValue: withoutKeys(item.newValue, hidden) } : item))
  ).map((item) => openHistoryItem(context.object, item));
  const isFull = items.length === options.limit;
  return { data, pageInfo: { hasNextPage: isFull, nextBefore: isFull ? items.at(-1)!.id : null } };
};
