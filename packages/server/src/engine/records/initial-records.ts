import type { Db } from '../db/database.ts';
import { loadWorkspaceMeta } from '../metadata/metadata-store.ts';
import type { MadeRecord, StandardObject } from '../metadata/standard-objects.ts';
import { createFullAccess } from '../permissions/access.ts';
import { saveRecords } from './save-records.ts';

/**
 * Writes the records standard objects start with (`initialRecords`), in the objects' order, through the write path
 * (history, events and the modules' rules alike). `only` limits it to objects an upgrade has just added.
 */
export const createInitialRecords = async ({ db, workspaceId, standardObjects, only }: { db: Db; workspaceId: string; standardObjects: readonly StandardObject[]; only?: readonly string[] }): Promise<string[]> => {
  const wanted = standardObjects.filter((standard) => standard.initialRecords && (!only || only.includes(standard.definition.name)));
  if (wanted.length === 0) return [];
  const workspace = await loadWorkspaceMeta(db, workspaceId);
  const access = createFullAccess(workspace);
  const made = new Map<string, readonly MadeRecord[]>();
  const written: string[] = [];
  for (const standard of wanted) {
    const object = workspace.objects.get(standard.definition.name);
    if (!object) continue;
    const records = standard.initialRecords!(made);
    if (records.length === 0) continue;
    const result = await saveRecords({ db, workspace, object, actorId: null, access }, { records });
    made.set(object.name, result.data);
    written.push(`${result.data.length} ${object.name}`);
  }
  return written;
};
