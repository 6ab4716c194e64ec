import type { FieldError, NavigationOrder } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import type { ObjectMeta } from '../metadata/types.ts';
import type { ViewCaller } from './views.service.ts';

const byPosition = (a: ObjectMeta, b: ObjectMeta) => a.position - b.position || a.name.localeCompare(b.name);

const readStoredIds = async (db: Db, workspaceId: string): Promise<string[]> => {
  const { rows } = await sql<{ object_ids: string[] }>`select object_ids from rapport.navigation_order where workspace_id = ${workspaceId}`.execute(db);
  return rows[0]?.object_ids ?? [];
};

/**
 * The objects the caller can read, in the workspace's navigation order: those an administrator
 * placed first, in that order, then the others (new objects) by their metadata position.
 */
export const getNavigationOrder = async (db: Db, caller: ViewCaller): Promise<NavigationOrder> => {
  const storedIds = await readStoredIds(db, caller.workspaceId);
  const readable = [...caller.access.view.objects.values()];
  const byId = new Map(readable.map((object) => [object.id, object]));
  const placed = storedIds.map((id) => byId.get(id)).filter((object): object is ObjectMeta => object !== undefined);
  const placedIds = new Set(placed.map((object) => object.id));
  const rest = readable.filter((object) => !placedIds.has(object.id)).sort(byPosition);
  return { objects: [...placed, ...rest].map((object) => object.name) };
};

/**
 * Sets the workspace's navigation order (administrators only). `objects` names objects in their new
 * order; objects left out keep coming after, and objects the caller cannot see keep their place
 * among the stored ones.
 */
export const setNavigationOrder = async (db: Db, caller: ViewCaller, objects: string[]): Promise<NavigationOrder> => {
  if (!caller.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator changes the order of the navigation.');
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const ids: string[] = [];
  objects.forEach((name, index) => {
    const object = caller.access.view.objects.get(name);
    if (seen.has(name)) errors.push({ field: `objects[${index}]`, code: 'invalidFormat', message: `"${name}" appears twice.` });
    else if (!object) errors.push({ field: `objects[${index}]`, code: 'invalidChoice', message: `There is no object "${name}".` });
    else ids.push(object.id);
    seen.add(name);
  });
  if (errors.length > 0) throw validationFailed(errors, 'The order names unknown objects; nothing was changed.');
  const listed = new Set(ids);
  const kept = (await readStoredIds(db, caller.workspaceId)).filter((id) => !listed.has(id));
  await sql`
    insert into rapport.navigation_order (workspace_id, object_ids) values (${caller.workspaceId}, ${JSON.stringify([...ids, ...kept])}::jsonb)
    on conflict (workspace_id) do update set object_ids = excluded.object_ids, updated_at = now()`.execute(db);
  return getNavigationOrder(db, caller);
};
