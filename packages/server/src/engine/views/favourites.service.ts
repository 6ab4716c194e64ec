import type { Favourite, FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { getObjectMetaById, type ObjectMeta } from '../metadata/types.ts';
import { getRecord } from '../records/read-records.ts';
import { getView, type ViewCaller } from './views.service.ts';

/** Favourites one person may pin in a workspace. */
export const MAX_FAVOURITES = 100;

interface FavouriteRow {
  id: string;
  view_id: string | null;
  object_id: string | null;
  record_id: string | null;
  position: number;
}

export type FavouriteInput = { viewId: string; position?: number } | { object: string; recordId: string; position?: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const userOf = (caller: ViewCaller): string => {
  if (!caller.access.userId) throw new AppError('FORBIDDEN', 'Favourites belong to a person: use a session or a key of a user.');
  return caller.access.userId;
};

const isAppErrorCode = (error: unknown, codes: string[]) => error instanceof AppError && codes.includes(error.code);

// A composite label (a person's name) reads as its parts joined.
const labelOf = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') return Object.values(value).filter((part) => typeof part === 'string' && part !== '').join(' ');
  return '';
};

const findObject = (caller: ViewCaller, id: string): ObjectMeta | undefined => getObjectMetaById(caller.access.view, id);

const readRecordLabel = async (db: Db, caller: ViewCaller, object: ObjectMeta, id: string): Promise<string> => {
  const record = await getRecord({ db, workspace: caller.access.workspace, object, access: caller.access }, { id, fields: [object.labelField] });
  return labelOf(record[object.labelField]);
};

/**
 * The caller's favourites in their order. Views and records they can no longer see (deleted,
 * trashed, made private, permissions changed) are left out but kept: they come back with access.
 */
export const listFavourites = async (db: Db, caller: ViewCaller): Promise<Favourite[]> => {
  const userId = userOf(caller);
  const { rows } = await sql<FavouriteRow>`
    select id, view_id, object_id, record_id, position from rapport.favourite
    where workspace_id = ${caller.workspaceId} and user_id = ${userId} order by position, created_at, id`.execute(db);
  const favourites: Favourite[] = [];
  for (const row of rows) {
    const favourite = await toFavourite(db, caller, row).catch((error: unknown) => {
      if (isAppErrorCode(error, ['RECORD_NOT_FOUND', 'OBJECT_NOT_FOUND', 'FORBIDDEN'])) return undefined;
      throw error;
    });
    if (favourite) favourites.push(favourite);
  }
  return favourites;
};

const toFavourite = async (db: Db, caller: ViewCaller, row: FavouriteRow): Promise<Favourite | undefined> => {
  if (row.view_id) {
    const view = await getView(db, caller, row.view_id);
    return { id: row.id, kind: 'view', position: row.position, view: { id: view.id, object: view.object, name: view.name, type: view.type } };
  }
  const object = findObject(caller, row.object_id!);
  if (!object) return undefined;
  const label = await readRecordLabel(db, caller, object, row.record_id!);
  return { id: row.id, kind: 'record', position: row.position, record: { object: object.name, id: row.record_id!, label } };
};

/** Pins a view or a record the caller can see, at the end unless a position is given. */
export const addFavourite = async (db: Db, caller: ViewCaller, input: FavouriteInput): Promise<Favourite> => {
  const userId = userOf(caller);
  let target: { viewId: string | null; objectId: string | null; recordId: string | null };
  if ('viewId' in input) {
    const view = await getView(db, caller, input.viewId).catch((error: unknown) => {
      if (isAppErrorCode(error, ['RECORD_NOT_FOUND'])) throw validationFailed([{ field: 'viewId', code: 'relationNotFound', message: `No view ${input.viewId}.` }]);
      throw error;
    });
    target = { viewId: view.id, objectId: null, recordId: null };
  } else {
    const object = caller.access.view.objects.get(input.object);
    if (!object) throw validationFailed([{ field: 'object', code: 'invalidChoice', message: `There is no object "${input.object}" you can read.` }]);
    const isFound = UUID.test(input.recordId) && (await readRecordLabel(db, caller, object, input.recordId).then(() => true, (error: unknown) => {
      if (isAppErrorCode(error, ['RECORD_NOT_FOUND'])) return false;
      throw error;
    }));
    if (!isFound) throw validationFailed([{ field: 'recordId', code: 'relationNotFound', message: `No ${object.name} with id ${input.recordId}.` }]);
    target = { viewId: null, objectId: object.id, recordId: input.recordId };
  }
  const { rows: counted } = await sql<{ n: number; next: number; existing: string | null }>`
    select count(*)::int as n, coalesce(max(position) + 1, 0)::int as next,
      (select id from rapport.favourite where workspace_id = ${caller.workspaceId} and user_id = ${userId}
         and (view_id = ${target.viewId} or (object_id = ${target.objectId} and record_id = ${target.recordId}))) as existing
    from rapport.favourite where workspace_id = ${caller.workspaceId} and user_id = ${userId}`.execute(db);
  const { n, next, existing } = counted[0]!;
  if (existing) throw new AppError('ALREADY_EXISTS', `This is already a favourite (${existing}).`);
  if (n >= MAX_FAVOURITES) throw new AppError('CONFLICT', `At most ${MAX_FAVOURITES} favourites; remove some first.`);
  const { rows } = await sql<FavouriteRow>`
    insert into rapport.favourite (workspace_id, user_id, view_id, object_id, record_id, position)
    values (${caller.workspaceId}, ${userId}, ${target.viewId}, ${target.objectId}, ${target.recordId}, ${input.position ?? next})
    returning id, view_id, object_id, record_id, position`.execute(db);
  return (await toFavourite(db, caller, rows[0]!))!;
};

export const removeFavourite = async (db: Db, caller: ViewCaller, id: string): Promise<void> => {
  const userId = userOf(caller);
  const { rows } = UUID.test(id)
    ? await sql<{ id: string }>`delete from rapport.favourite where workspace_id = ${caller.workspaceId} and user_id = ${userId} and id = ${id} returning id`.execute(db)
    : { rows: [] };
  if (rows.length === 0) throw new AppError('RECORD_NOT_FOUND', `No favourite ${id}.`);
};

/**
 * Puts the caller's favourites in the order of `ids`; favourites not named (also those hidden from
 * the caller for now) keep their order after them. An id that is not one of the caller's favourites
 * is `relationNotFound` on `ids[i]`, a repeated one `invalidFormat`; nothing changes then.
 */
export const reorderFavourites = async (db: Db, caller: ViewCaller, ids: string[]): Promise<Favourite[]> => {
  const userId = userOf(caller);
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string }>`
      select id from rapport.favourite where workspace_id = ${caller.workspaceId} and user_id = ${userId}
      order by position, created_at, id for update`.execute(trx);
    const known = new Set(rows.map((row) => row.id));
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    ids.forEach((id, index) => {
      const key = id.toLowerCase();
      if (seen.has(key)) errors.push({ field: `ids[${index}]`, code: 'invalidFormat', message: `${id} appears twice.` });
      else if (!known.has(key)) errors.push({ field: `ids[${index}]`, code: 'relationNotFound', message: `No favourite ${id} of yours.` });
      seen.add(key);
    });
    if (errors.length > 0) throw validationFailed(errors, 'The order names favourites you do not have; nothing was changed.');
    const order = [...ids.map((id) => id.toLowerCase()), ...rows.map((row) => row.id).filter((id) => !seen.has(id))];
    await sql`
      update rapport.favourite as f set position = o.position - 1
      from unnest(${order}::uuid[]) with ordinality as o(id, position)
      where f.workspace_id = ${caller.workspaceId} and f.user_id = ${userId} and f.id = o.id`.execute(trx);
  });
  return listFavourites(db, caller);
};
