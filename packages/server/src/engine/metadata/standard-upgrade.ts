import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { listWorkspaces } from '../workspaces/workspace.service.ts';
import { compositeIndexName, createCompositeIndex } from './ddl.ts';
import { loadWorkspaceMeta } from './metadata-store.ts';
import { createInitialRecords } from '../records/initial-records.ts';
import { addStandardField, createObject } from './metadata.service.ts';
import type { StandardObject } from './standard-objects.ts';
import { getSystemOperand } from './system-fields.ts';
import type { IndexDefinition, ObjectMeta, WorkspaceMeta } from './types.ts';

/** What the upgrade did to one workspace: `object` or `object.field` names. */
export interface StandardUpgradeResult {
  workspaceId: string;
  addedObjects: string[];
  addedFields: string[];
  /** Composite indexes built on objects the workspace already had, as `object (field, field)`. */
  addedIndexes: string[];
  /** A name the workspace already uses for something of its own: left alone, with the reason. */
  skipped: { name: string; reason: string }[];
  /** What modules' upgrade steps did (a field converted) and the records added objects start with. */
  converted: string[];
}

export interface UpgradeStandardObjectsOptions {
  db: Db;
  standardObjects: StandardObject[];
  /** Called after each change so caches drop the old metadata. */
  onChanged?: (workspaceId: string) => void;
  /**
   * Also build the composite indexes a new workspace gets on its standard objects, where they are missing
   * (`rapport migrate`; not at start, where building one on a big table would hold the server back).
   * `isConcurrent` (PostgreSQL) builds them without blocking writes.
   */
  indexes?: { isConcurrent: boolean };
}

const reasonOf = (error: unknown) => (error instanceof AppError || error instanceof Error ? error.message : String(error));

/**
 * Brings one workspace's standard objects up to the shipped definitions: objects and fields added in a
 * later version are created (a workspace made before they existed lacks them). Nothing is changed or
 * removed, so a second run does nothing; a name the workspace took for a custom object or field is
 * reported and left as it is.
 */
export const upgradeWorkspaceStandardObjects = async ({ db, workspaceId, standardObjects, onChanged, indexes }: UpgradeStandardObjectsOptions & { workspaceId: string }): Promise<StandardUpgradeResult> => {
  const result: StandardUpgradeResult = { workspaceId, addedObjects: [], addedFields: [], addedIndexes: [], skipped: [], converted: [] };
  const change = { db, workspaceId, ...(onChanged ? { onChanged } : {}) };
  // Modules' steps see the metadata as read: at most starts they find nothing to do and cost no read of their own.
  const read = await loadWorkspaceMeta(db, workspaceId);
  const moved: string[] = [];
  for (const standard of standardObjects) if (standard.upgrade?.before) moved.push(...(await standard.upgrade.before(change, read)));
  result.converted.push(...moved);
  const before = moved.length > 0 ? await loadWorkspaceMeta(db, workspaceId) : read;
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
  if (result.addedObjects.length > 0) {
    result.converted.push(...(await createInitialRecords({ db, workspaceId, standardObjects, only: result.addedObjects })).map((made) => `created ${made}`));
  }
  const withFields = result.addedFields.length > 0 ? await loadWorkspaceMeta(db, workspaceId) : current;
  for (const standard of standardObjects) if (standard.upgrade?.after) result.converted.push(...(await standard.upgrade.after(change, withFields)));
  if (indexes) {
    result.addedIndexes = await addMissingIndexes({ db, workspace: withFields, standardObjects, skip: result.addedObjects, isConcurrent: indexes.isConcurrent });
    if (result.addedIndexes.length > 0) onChanged?.(workspaceId);
  }
  return result;
};

// Standard fields (or system columns) only: an index over a custom field that took a standard name is not the shipped one.
const isOverStandardFields = (object: ObjectMeta, index: IndexDefinition) =>
  index.fields.every((path) => {
    const name = path.split('.')[0]!;
    return Boolean(getSystemOperand(name)) || object.fieldsByName.get(name)?.isStandard === true;
  });

/** true: built and usable; false: left invalid by an interrupted concurrent build; undefined: missing. */
const indexState = async (db: Db, schema: string, name: string): Promise<boolean | undefined> => {
  const { rows } = await sql<{ isValid: boolean }>`
    select i.indisvalid as "isValid" from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relname = ${name}`.execute(db);
  return rows[0]?.isValid;
};

const sameIndex = (a: IndexDefinition, b: IndexDefinition) => a.fields.length === b.fields.length && a.fields.every((field, position) => b.fields[position] === field);

/** Builds the shipped composite indexes that objects made by an earlier version lack, and notes them in the object's metadata. */
const addMissingIndexes = async ({ db, workspace, standardObjects, skip, isConcurrent }: { db: Db; workspace: WorkspaceMeta; standardObjects: StandardObject[]; skip: string[]; isConcurrent: boolean }): Promise<string[]> => {
  const added: string[] = [];
  for (const standard of standardObjects) {
    const object = workspace.objects.get(standard.definition.name);
    if (!object?.isStandard || skip.includes(object.name)) continue;
    for (const index of standard.indexes ?? []) {
      if (!isOverStandardFields(object, index)) continue;
      const name = compositeIndexName(object, index);
      const state = await indexState(db, workspace.schema, name);
      if (state === false) await sql`drop index ${sql.raw(isConcurrent ? 'concurrently ' : '')}${sql.id(workspace.schema, name)}`.execute(db);
      if (state !== true) {
        await createCompositeIndex(db, { schema: workspace.schema, object, index, isConcurrent });
        added.push(`${object.name} (${index.fields.join(', ')})`);
      }
      if (!object.indexes.some((known) => sameIndex(known, index))) {
        await sql`update ${sql.id(workspace.schema, '_object')} set indexes = indexes || ${JSON.stringify([{ fields: index.fields }])}::jsonb where id = ${object.id}`.execute(db);
      }
    }
  }
  return added;
};

/** The metadata upgrade of every workspace, run at each start after the database migrations and by `rapport migrate` (idempotent). */
export const upgradeStandardObjects = async (options: UpgradeStandardObjectsOptions): Promise<StandardUpgradeResult[]> => {
  const results: StandardUpgradeResult[] = [];
  for (const workspace of await listWorkspaces(options.db)) results.push(await upgradeWorkspaceStandardObjects({ ...options, workspaceId: workspace.id }));
  return results;
};
