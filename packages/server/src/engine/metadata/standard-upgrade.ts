import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { listWorkspaces } from '../workspaces/workspace.service.ts';
import { loadWorkspaceMeta } from './metadata-store.ts';
import { addStandardField, createObject } from './metadata.service.ts';
import type { StandardObject } from './standard-objects.ts';

/** What the upgrade did to one workspace: `object` or `object.field` names. */
export interface StandardUpgradeResult {
  workspaceId: string;
  addedObjects: string[];
  addedFields: string[];
  /** A name the workspace already uses for something of its own: left alone, with the reason. */
  skipped: { name: string; reason: string }[];
}

export interface UpgradeStandardObjectsOptions {
  db: Db;
  standardObjects: StandardObject[];
  /** Called after each change so caches drop the old metadata. */
  onChanged?: (workspaceId: string) => void;
}

const reasonOf = (error: unknown) => (error instanceof AppError || error instanceof Error ? error.message : String(error));

/**
 * Brings one workspace's standard objects up to the shipped definitions: objects and fields added in a
 * later version are created (a workspace made before they existed lacks them). Nothing is changed or
 * removed, so a second run does nothing; a name the workspace took for a custom object or field is
 * reported and left as it is.
 */
export const upgradeWorkspaceStandardObjects = async ({ db, workspaceId, standardObjects, onChanged }: UpgradeStandardObjectsOptions & { workspaceId: string }): Promise<StandardUpgradeResult> => {
  const result: StandardUpgradeResult = { workspaceId, addedObjects: [], addedFields: [], skipped: [] };
  const change = { db, workspaceId, ...(onChanged ? { onChanged } : {}) };
  const before = await loadWorkspaceMeta(db, workspaceId);
  // Objects first, so that new relation fields find their targets.
  for (const standard of standardObjects) {
    const { name } = standard.definition;
    if (before.objects.has(name)) continue;
    try {
      await createObject({ ...change, definition: standard.definition, isStandard: true, indexes: standard.indexes ?? [] });
      result.addedObjects.push(name);
    } catch (error) {
      result.skipped.push({ name, reason: reasonOf(error) });
    }
  }
  // Read again only when objects were added: at most starts nothing changes and one read per workspace does.
  const current = result.addedObjects.length > 0 ? await loadWorkspaceMeta(db, workspaceId) : before;
  for (const standard of standardObjects) {
    const object = current.objects.get(standard.definition.name);
    if (!object || result.addedObjects.includes(object.name)) continue;
    if (!object.isStandard) {
      result.skipped.push({ name: object.name, reason: `"${object.name}" is a custom object of this workspace.` });
      continue;
    }
    for (const field of standard.definition.fields) {
      if (object.fieldsByName.has(field.name)) {
        if (!object.fieldsByName.get(field.name)!.isStandard) result.skipped.push({ name: `${object.name}.${field.name}`, reason: `"${field.name}" is a custom field of ${object.name}.` });
        continue;
      }
      try {
        if (await addStandardField({ ...change, objectName: object.name, definition: field })) result.addedFields.push(`${object.name}.${field.name}`);
      } catch (error) {
        result.skipped.push({ name: `${object.name}.${field.name}`, reason: reasonOf(error) });
      }
    }
  }
  return result;
};

/** The metadata upgrade of every workspace, run at each start after the database migrations (idempotent). */
export const upgradeStandardObjects = async (options: UpgradeStandardObjectsOptions): Promise<StandardUpgradeResult[]> => {
  const results: StandardUpgradeResult[] = [];
  for (const workspace of await listWorkspaces(options.db)) results.push(await upgradeWorkspaceStandardObjects({ ...options, workspaceId: workspace.id }));
  return results;
};
