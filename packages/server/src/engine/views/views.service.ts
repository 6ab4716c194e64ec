import type { CalendarSettings, SavedView, SavedViewInput, ViewColumn, ViewType, ViewVisibility } from '@rapport/common';
import type { Filter } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { getObjectMetaById, type ObjectMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { assertValidView } from './view-validation.ts';

/** Views one object may have (shared and private together). */
export const MAX_VIEWS_PER_OBJECT = 500;

interface ViewRow {
  id: string;
  object_id: string;
  name: string;
  type: ViewType;
  visibility: ViewVisibility;
  owner_id: string | null;
  filter: Filter | null;
  sort: string[];
  columns: ViewColumn[];
  group_by: string | null;
  kanban_field: string | null;
  card_fields: string[] | null;
  calendar: CalendarSettings | null;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface ViewCaller {
  workspaceId: string;
  access: Access;
  /** Administrators may change and delete every shared view. */
  isAdmin: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const objectById = (access: Access, id: string): ObjectMeta | undefined => getObjectMetaById(access.view, id);

const toView = (row: ViewRow, object: ObjectMeta): SavedView => ({
  id: row.id,
  object: object.name,
  name: row.name,
  type: row.type,
  visibility: row.visibility,
  ownerId: row.owner_id,
  filter: row.filter ?? null,
  sort: row.sort,
  columns: row.columns,
  groupBy: row.group_by,
  kanbanField: row.kanban_field,
  cardFields: row.card_fields ?? null,
  calendar: row.calendar ?? null,
  position: row.position,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

// A view is visible when its object is readable and it is shared or the caller's own.
const isVisible = (row: ViewRow, caller: ViewCaller) =>
  objectById(caller.access, row.object_id) !== undefined && (row.visibility === 'shared' || (row.owner_id !== null && row.owner_id === caller.access.userId));

const jsonOrNull = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

const unknownView = (id: string) => new AppError('RECORD_NOT_FOUND', `No view ${id}.`);

const findRow = async (db: Db, workspaceId: string, id: string): Promise<ViewRow | undefined> => {
  if (!UUID.test(id)) return undefined;
  const { rows } = await sql<ViewRow>`select * from rapport.saved_view where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
  return rows[0];
};

/** The views the caller sees, of one object or all, in position order. */
export const listViews = async (db: Db, caller: ViewCaller, objectName?: string): Promise<SavedView[]> => {
  const only = objectName === undefined ? undefined : caller.access.view.objects.get(objectName);
  if (objectName !== undefined && !only) return [];
  const { rows } = await sql<ViewRow>`
    select * from rapport.saved_view
    where workspace_id = ${caller.workspaceId} ${only ? sql`and object_id = ${only.id}` : sql``}
      and (visibility = 'shared' or owner_id = ${caller.access.userId})
    order by position, created_at, id`.execute(db);
  return rows.filter((row) => isVisible(row, caller)).map((row) => toView(row, objectById(caller.access, row.object_id)!));
};

/** One view the caller sees; RECORD_NOT_FOUND for another person's private view, as for a missing one. */
export const getView = async (db: Db, caller: ViewCaller, id: string): Promise<SavedView> => {
  const row = await findRow(db, caller.workspaceId, id);
  if (!row || !isVisible(row, caller)) throw unknownView(id);
  return toView(row, objectById(caller.access, row.object_id)!);
};

const visibilityErrors = (visibility: ViewVisibility | undefined, caller: ViewCaller) =>
  visibility === 'private' && !caller.access.userId
    ? [{ field: 'visibility', code: 'invalidChoice', message: 'A key without a user can only save shared views.' }]
    : [];

export const createView = async (db: Db, caller: ViewCaller, input: SavedViewInput & { object: string; name: string }): Promise<SavedView> => {
  const object = caller.access.view.objects.get(input.object);
  if (!object) throw validationFailed([{ field: 'object', code: 'invalidChoice', message: `There is no object "${input.object}" you can read.` }]);
  const type = input.type ?? 'table';
  const visibility = input.visibility ?? 'private';
  const errors = visibilityErrors(visibility, caller);
  if (errors.length > 0) throw validationFailed(errors);
  assertValidView({ view: caller.access.view, object, input, type });
  const { rows: counted } = await sql<{ n: number; next: number }>`
    select count(*)::int as n, coalesce(max(position) + 1, 0)::int as next from rapport.saved_view
    where workspace_id = ${caller.workspaceId} and object_id = ${object.id}`.execute(db);
  if (counted[0]!.n >= MAX_VIEWS_PER_OBJECT) throw new AppError('CONFLICT', `${object.name} already has ${MAX_VIEWS_PER_OBJECT} views; delete some first.`);
  const { rows } = await sql<ViewRow>`
    insert into rapport.saved_view (workspace_id, object_id, name, type, visibility, owner_id, filter, sort, columns, group_by, kanban_field, card_fields, calendar, position)
    values (${caller.workspaceId}, ${object.id}, ${input.name}, ${type}, ${visibility}, ${caller.access.userId},
      ${jsonOrNull(input.filter)}::jsonb,
      ${JSON.stringify(input.sort ?? [])}::jsonb, ${JSON.stringify(input.columns ?? [])}::jsonb,
      ${input.groupBy ?? null}, ${input.kanbanField ?? null}, ${jsonOrNull(input.cardFields)}::jsonb, ${jsonOrNull(input.calendar)}::jsonb, ${input.position ?? counted[0]!.next})
    returning *`.execute(db);
  return toView(rows[0]!, object);
};

// Private views answer only to their owner (others cannot see them); shared ones to the owner and administrators.
const getChangeableRow = async (db: Db, caller: ViewCaller, id: string): Promise<{ row: ViewRow; object: ObjectMeta }> => {
  const row = await findRow(db, caller.workspaceId, id);
  if (!row || !isVisible(row, caller)) throw unknownView(id);
  const isOwner = row.owner_id !== null && row.owner_id === caller.access.userId;
  if (!isOwner && !caller.isAdmin) throw new AppError('FORBIDDEN', 'Only the owner of a shared view or an administrator can change it.');
  return { row, object: objectById(caller.access, row.object_id)! };
};

export const updateView = async (db: Db, caller: ViewCaller, id: string, patch: SavedViewInput): Promise<SavedView> => {
  const { row, object } = await getChangeableRow(db, caller, id);
  if (patch.object !== undefined && patch.object !== object.name) {
    throw validationFailed([{ field: 'object', code: 'readOnly', message: 'A view stays on its object; save a new view for another one.' }]);
  }
  const isOwner = row.owner_id !== null && row.owner_id === caller.access.userId;
  if (patch.visibility === 'private' && !isOwner) {
    throw validationFailed([{ field: 'visibility', code: 'invalidChoice', message: 'Only the owner can make a view private.' }]);
  }
  const merged: SavedViewInput = {
    filter: patch.filter !== undefined ? patch.filter : row.filter,
    sort: patch.sort ?? row.sort,
    columns: patch.columns ?? row.columns,
    groupBy: patch.groupBy !== undefined ? patch.groupBy : row.group_by,
    kanbanField: patch.kanbanField !== undefined ? patch.kanbanField : row.kanban_field,
    cardFields: patch.cardFields !== undefined ? patch.cardFields : row.card_fields,
    calendar: patch.calendar !== undefined ? patch.calendar : row.calendar,
  };
  const type = patch.type ?? row.type;
  assertValidView({ view: caller.access.view, object, input: merged, type });
  const { rows } = await sql<ViewRow>`
    update rapport.saved_view set
      name = ${patch.name ?? row.name}, type = ${type}, visibility = ${patch.visibility ?? row.visibility},
      filter = ${jsonOrNull(merged.filter)}::jsonb,
      sort = ${JSON.stringify(merged.sort)}::jsonb, columns = ${JSON.stringify(merged.columns)}::jsonb,
      group_by = ${merged.groupBy ?? null}, kanban_field = ${merged.kanbanField ?? null},
      card_fields = ${jsonOrNull(merged.cardFields)}::jsonb, calendar = ${jsonOrNull(merged.calendar)}::jsonb,
      position = ${patch.position ?? row.position}, updated_at = now()
    where workspace_id = ${caller.workspaceId} and id = ${row.id}
    returning *`.execute(db);
  return toView(rows[0]!, object);
};

export const deleteView = async (db: Db, caller: ViewCaller, id: string): Promise<void> => {
  const { row } = await getChangeableRow(db, caller, id);
  await sql`delete from rapport.saved_view where workspace_id = ${caller.workspaceId} and id = ${row.id}`.execute(db);
};
