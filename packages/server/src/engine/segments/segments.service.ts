import { MAX_SEGMENT_ADD_FROM_FILTER, MAX_SEGMENT_CHANGE, type Filter, type Segment, type SegmentInput, type SegmentKind, type ViewVisibility } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, isAppError, validationFailed } from '../errors.ts';
import { getObjectMetaById, type ObjectMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { assertCan, getReadableObject } from '../permissions/assert-access.ts';
import { compileFilter } from '../query/compile-filter.ts';
import { parseFilter } from '../query/parse-filter.ts';

/** Segments one object may have (shared and private together). */
export const MAX_SEGMENTS_PER_OBJECT = 500;

interface SegmentRow {
  id: string;
  object_id: string;
  name: string;
  description: string;
  kind: SegmentKind;
  visibility: ViewVisibility;
  owner_id: string | null;
  filter: Filter | null;
  member_count: number | null;
  created_at: string;
  updated_at: string;
}

export interface SegmentCaller {
  workspaceId: string;
  access: Access;
  /** Administrators may change and delete every shared segment. */
  isAdmin: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const objectById = (access: Access, id: string): ObjectMeta | undefined => getObjectMetaById(access.view, id);

const toSegment = (row: SegmentRow, object: ObjectMeta): Segment => ({
  id: row.id,
  object: object.name,
  name: row.name,
  description: row.description,
  kind: row.kind,
  visibility: row.visibility,
  ownerId: row.owner_id,
  filter: row.filter ?? null,
  memberCount: row.kind === 'static' ? Number(row.member_count ?? 0) : null,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

// Like a view: visible when its object is readable and it is shared or the caller's own.
const isVisible = (row: SegmentRow, access: Access) =>
  objectById(access, row.object_id) !== undefined && (row.visibility === 'shared' || (row.owner_id !== null && row.owner_id === access.userId));

const unknownSegment = (id: string) => new AppError('RECORD_NOT_FOUND', `No segment ${id}.`);

const selectRows = (workspaceId: string) => sql`
  select s.*, case when s.kind = 'static' then (select count(*) from rapport.segment_member m where m.segment_id = s.id) end as member_count
  from rapport.segment s where s.workspace_id = ${workspaceId}`;

const findRow = async (db: Db, workspaceId: string, id: string): Promise<SegmentRow | undefined> => {
  if (!UUID.test(id)) return undefined;
  const { rows } = await sql<SegmentRow>`${selectRows(workspaceId)} and s.id = ${id}`.execute(db);
  return rows[0];
};

/** The segments the caller sees, of one object or all, by name. */
export const listSegments = async (db: Db, caller: SegmentCaller, objectName?: string): Promise<Segment[]> => {
  const only = objectName === undefined ? undefined : caller.access.view.objects.get(objectName);
  if (objectName !== undefined && !only) return [];
  const { rows } = await sql<SegmentRow>`${selectRows(caller.workspaceId)} ${only ? sql`and s.object_id = ${only.id}` : sql``}
    and (s.visibility = 'shared' or s.owner_id = ${caller.access.userId})
    order by lower(s.name), s.id`.execute(db);
  return rows.filter((row) => isVisible(row, caller.access)).map((row) => toSegment(row, objectById(caller.access, row.object_id)!));
};

/** One segment the caller sees; RECORD_NOT_FOUND for another person's private segment, as for a missing one. */
export const getSegment = async (db: Db, caller: Pick<SegmentCaller, 'workspaceId' | 'access'>, id: string): Promise<Segment> => {
  const row = await findRow(db, caller.workspaceId, id);
  if (!row || !isVisible(row, caller.access)) throw unknownSegment(id);
  return toSegment(row, objectById(caller.access, row.object_id)!);
};

// The filter is checked against the object as the caller sees it: a hidden field is an unknown field.
const filterErrors = (access: Access, object: ObjectMeta, kind: SegmentKind, filter: Filter | null | undefined) => {
  if (kind === 'static') return filter === undefined || filter === null ? [] : [{ field: 'filter', code: 'invalidChoice', message: 'A static segment holds its records; only a dynamic segment has a filter.' }];
  if (filter === undefined || filter === null) return [{ field: 'filter', code: 'required', message: 'A dynamic segment needs a filter: the records it holds are those matching it.' }];
  try {
    parseFilter({ workspace: access.view, object: getReadableObject(access, object.name), filter });
    return [];
  } catch (error) {
    return [{ field: 'filter', code: 'invalidQuery', message: isAppError(error) ? error.message : 'Invalid filter.' }];
  }
};

const visibilityErrors = (visibility: ViewVisibility, access: Access) =>
  visibility === 'private' && !access.userId ? [{ field: 'visibility', code: 'invalidChoice', message: 'A key without a user can only save shared segments.' }] : [];

export const createSegment = async (db: Db, caller: SegmentCaller, input: SegmentInput & { object: string; name: string; kind: SegmentKind }): Promise<Segment> => {
  const object = caller.access.view.objects.get(input.object);
  if (!object) throw validationFailed([{ field: 'object', code: 'invalidChoice', message: `There is no object "${input.object}" you can read.` }]);
  // A key without a user has nobody to keep a private segment for: its segments are shared unless it says otherwise.
  const visibility = input.visibility ?? (caller.access.userId ? 'private' : 'shared');
  const errors = [...visibilityErrors(visibility, caller.access), ...filterErrors(caller.access, object, input.kind, input.filter)];
  if (errors.length > 0) throw validationFailed(errors);
  const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from rapport.segment where workspace_id = ${caller.workspaceId} and object_id = ${object.id}`.execute(db);
  if (counted[0]!.n >= MAX_SEGMENTS_PER_OBJECT) throw new AppError('CONFLICT', `${object.name} already has ${MAX_SEGMENTS_PER_OBJECT} segments; delete some first.`);
  const { rows } = await sql<{ id: string }>`
    insert into rapport.segment (workspace_id, object_id, name, description, kind, visibility, owner_id, filter)
    values (${caller.workspaceId}, ${object.id}, ${input.name}, ${input.description ?? ''}, ${input.kind}, ${visibility}, ${caller.access.userId},
      ${input.kind === 'dynamic' ? JSON.stringify(input.filter) : null}::jsonb)
    returning id`.execute(db);
  return getSegment(db, caller, rows[0]!.id);
};

// Private segments answer only to their owner (others cannot see them); shared ones to the owner and administrators.
const getChangeableRow = async (db: Db, caller: SegmentCaller, id: string): Promise<{ row: SegmentRow; object: ObjectMeta }> => {
  const row = await findRow(db, caller.workspaceId, id);
  if (!row || !isVisible(row, caller.access)) throw unknownSegment(id);
  const isOwner = row.owner_id !== null && row.owner_id === caller.access.userId;
  if (!isOwner && !caller.isAdmin) throw new AppError('FORBIDDEN', 'Only the owner of a shared segment or an administrator can change it.');
  return { row, object: objectById(caller.access, row.object_id)! };
};

export const updateSegment = async (db: Db, caller: SegmentCaller, id: string, patch: SegmentInput): Promise<Segment> => {
  const { row, object } = await getChangeableRow(db, caller, id);
  const errors = [];
  if (patch.object !== undefined && patch.object !== object.name) errors.push({ field: 'object', code: 'readOnly', message: 'A segment stays on its object; make a new segment for another one.' });
  if (patch.kind !== undefined && patch.kind !== row.kind) errors.push({ field: 'kind', code: 'readOnly', message: 'A segment stays dynamic or static; make a new segment of the other kind.' });
  const isOwner = row.owner_id !== null && row.owner_id === caller.access.userId;
  if (patch.visibility === 'private' && !isOwner) errors.push({ field: 'visibility', code: 'invalidChoice', message: 'Only the owner can make a segment private.' });
  const filter = patch.filter !== undefined ? patch.filter : row.filter;
  if (patch.filter !== undefined) errors.push(...filterErrors(caller.access, object, row.kind, filter));
  if (errors.length > 0) throw validationFailed(errors);
  await sql`
    update rapport.segment set name = ${patch.name ?? row.name}, description = ${patch.description ?? row.description},
      visibility = ${patch.visibility ?? row.visibility}, filter = ${row.kind === 'dynamic' ? JSON.stringify(filter) : null}::jsonb, updated_at = now()
    where workspace_id = ${caller.workspaceId} and id = ${row.id}`.execute(db);
  return getSegment(db, caller, row.id);
};

export const deleteSegment = async (db: Db, caller: SegmentCaller, id: string): Promise<void> => {
  const { row } = await getChangeableRow(db, caller, id);
  await sql`delete from rapport.segment where workspace_id = ${caller.workspaceId} and id = ${row.id}`.execute(db);
};

const staticRow = async (db: Db, caller: SegmentCaller, id: string) => {
  const changeable = await getChangeableRow(db, caller, id);
  if (changeable.row.kind !== 'static') {
    throw new AppError('CONFLICT', 'A dynamic segment holds the records matching its filter: change the filter rather than its members.');
  }
  return changeable;
};

const assertIds = (ids: string[]) => {
  const errors = ids.flatMap((id, index) => (UUID.test(id) ? [] : [{ field: `ids[${index}]`, code: 'invalidFormat', message: `"${id}" is not a record id.` }]));
  if (ids.length > MAX_SEGMENT_CHANGE) errors.push({ field: 'ids', code: 'tooLong', message: `At most ${MAX_SEGMENT_CHANGE} records per call.` });
  if (errors.length > 0) throw validationFailed(errors);
};

export interface MembershipChange {
  /** Records added (or removed) by this call. */
  changed: number;
  memberCount: number;
}

const countMembers = async (db: Db, id: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from rapport.segment_member where segment_id = ${id}`.execute(db)).rows[0]!.n);

/**
 * Adds records to a static segment: the given ids, or every record matching `filter` (up to
 * MAX_SEGMENT_ADD_FROM_FILTER), in both cases only live records the caller may read.
 */
export const addSegmentMembers = async (db: Db, caller: SegmentCaller, id: string, input: { ids?: string[]; filter?: Filter }): Promise<MembershipChange> => {
  const { row, object } = await staticRow(db, caller, id);
  const readable = getReadableObject(caller.access, object.name);
  assertCan(caller.access, object.name, 'read');
  if ((input.ids === undefined) === (input.filter === undefined)) throw validationFailed([{ field: 'ids', code: 'required', message: 'Give either ids or a filter.' }]);
  const conditions = [sql`t0.deleted_at is null`];
  const access = caller.access.rows.predicate({ object, alias: 't0', mode: 'read' });
  if (access) conditions.push(sql`(${access})`);
  if (input.ids !== undefined) {
    assertIds(input.ids);
    if (input.ids.length === 0) return { changed: 0, memberCount: await countMembers(db, row.id) };
    conditions.push(sql`t0.id = any(${input.ids}::uuid[])`);
  } else {
    const [error] = filterErrors(caller.access, object, 'dynamic', input.filter);
    if (error) throw validationFailed([error]);
    conditions.push(sql`(${compileFilter({ workspace: caller.access.view, object: readable, filter: input.filter!, alias: 't0', rows: caller.access.rows })})`);
  }
  const table = sql.id(caller.access.view.schema, object.table);
  const where = sql.join(conditions, sql` and `);
  if (input.ids !== undefined) {
    // Nothing is added when an id is not a live record the caller may read: they learn nothing about it.
    const found = new Set((await sql<{ id: string }>`select t0.id from ${table} as t0 where ${where}`.execute(db)).rows.map((record) => record.id));
    const missing = input.ids.map((given, index) => ({ given, index })).filter(({ given }) => !found.has(given.toLowerCase()));
    if (missing.length > 0) {
      throw validationFailed(missing.map(({ given, index }) => ({ field: `ids[${index}]`, code: 'notFound', message: `No ${object.name} ${given}.` })), 'Some records are not there to add; nothing was added.');
    }
  }
  const { rows } = await sql<{ id: string }>`
    insert into rapport.segment_member (segment_id, record_id, added_by)
    select ${row.id}::uuid, t0.id, ${caller.access.userId}::uuid from ${table} as t0
    where ${where}
    order by t0.id limit ${MAX_SEGMENT_ADD_FROM_FILTER}
    on conflict do nothing returning record_id as id`.execute(db);
  await sql`update rapport.segment set updated_at = now() where id = ${row.id}`.execute(db);
  return { changed: rows.length, memberCount: await countMembers(db, row.id) };
};

export const removeSegmentMembers = async (db: Db, caller: SegmentCaller, id: string, ids: string[]): Promise<MembershipChange> => {
  const { row } = await staticRow(db, caller, id);
  assertIds(ids);
  const { rows } = await sql<{ record_id: string }>`delete from rapport.segment_member where segment_id = ${row.id} and record_id = any(${ids}::uuid[]) returning record_id`.execute(db);
  await sql`update rapport.segment set updated_at = now() where id = ${row.id}`.execute(db);
  return { changed: rows.length, memberCount: await countMembers(db, row.id) };
};

/** What a list, query or export of `segment` adds to its own filter: the segment's filter, or its members. */
interface SegmentScope {
  filter?: Filter;
  memberOf?: string;
}

/** The scope of a segment the caller sees, on the object being read (INVALID_QUERY for a segment of another object). */
const resolveSegmentScope = async (db: Db, caller: Pick<SegmentCaller, 'workspaceId' | 'access'>, object: ObjectMeta, id: string): Promise<SegmentScope> => {
  const row = await findRow(db, caller.workspaceId, id);
  if (!row || !isVisible(row, caller.access)) throw new AppError('INVALID_QUERY', `No segment ${id}.`, { errors: [{ field: 'segment', code: 'notFound', message: `No segment ${id}.` }] });
  if (row.object_id !== object.id) {
    const message = `The segment "${row.name}" lists ${objectById(caller.access, row.object_id)!.name} records, not ${object.name}.`;
    throw new AppError('INVALID_QUERY', message, { errors: [{ field: 'segment', code: 'invalidChoice', message }] });
  }
  return row.kind === 'dynamic' ? { filter: row.filter! } : { memberOf: row.id };
};

/**
 * A read (list, query, aggregate, export) of `query.segment`: the query without it, its filter ANDed with a
 * dynamic segment's, and the static segment whose members it keeps to (`memberOf`, for the query builders).
 */
export const applySegment = async <Q extends { segment?: string; filter?: Filter }>(
  db: Db,
  caller: Pick<SegmentCaller, 'workspaceId' | 'access'>,
  object: ObjectMeta,
  { segment, ...query }: Q,
): Promise<{ query: Omit<Q, 'segment'>; memberOf?: string }> => {
  if (segment === undefined) return { query };
  const scope = await resolveSegmentScope(db, caller, object, segment);
  const filter = scope.filter === undefined ? query.filter : query.filter === undefined ? scope.filter : { and: [scope.filter, query.filter] };
  return { query: { ...query, ...(filter ? { filter } : {}) }, ...(scope.memberOf ? { memberOf: scope.memberOf } : {}) };
};
