import type { ConfigurationChange, ConfigurationSection, SavedViewInput } from '@rapport/common';
import type { Db } from '../db/database.ts';
import { deleteLayout, saveLayout, type ObjectLayout } from '../designer/layouts.ts';
import { AppError } from '../errors.ts';
import { loadWorkspaceMeta } from '../metadata/metadata-store.ts';
import { addField, createObject, deleteField, deleteObject, restoreField, restoreObject, updateField, updateObject } from '../metadata/metadata.service.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { createFullAccess } from '../permissions/access.ts';
import { createRole, deleteRole, listRoles, updateRole, type RoleInput } from '../permissions/role.service.ts';
import { createView, deleteView, updateView, type ViewCaller } from '../views/views.service.ts';
import { canonicalJson, splitKey, type FieldEntry, type ObjectEntry, type RoleEntry, type ViewEntry } from './configuration-sections.ts';
import { fieldEntryOf, listSharedViews } from './read-configuration.ts';

export interface ApplyChangesOptions {
  /** An open transaction: every change is a step of it, so all of them commit or none. */
  trx: Db;
  workspaceId: string;
  changes: ConfigurationChange[];
  /** `section:key` of objects and fields to bring back from the trash, with their data, instead of making anew (a rollback). */
  restorable?: ReadonlySet<string>;
}

const OBJECT_LABELS = ['labelSingular', 'labelPlural', 'description', 'icon'] as const;
const FIELD_SETTINGS = ['label', 'description', 'helpText', 'required', 'unique', 'defaultValue', 'validation', 'options', 'isSearchable', 'position'] as const;
// A relation keeps its target, kind and inverse: the metadata service refuses to change them.
const RELATION_FIXED = new Set(['target', 'kind', 'inverseName']);

const pick = <T extends object>(entry: T, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((key) => [key, (entry as Record<string, unknown>)[key]]));

const fieldPatchOf = (entry: FieldEntry, properties: readonly string[]): Record<string, unknown> => {
  const patch = pick(entry, properties.filter((property) => (FIELD_SETTINGS as readonly string[]).includes(property)));
  if ('options' in patch && entry.type === 'relation') {
    patch.options = Object.fromEntries(Object.entries(entry.options ?? {}).filter(([key]) => !RELATION_FIXED.has(key)));
  }
  return patch;
};

const roleInputOf = (entry: RoleEntry): RoleInput => ({
  description: entry.description ?? '',
  isAdmin: entry.isAdmin ?? false,
  requireTwoFactor: entry.requireTwoFactor ?? false,
  licences: entry.licences ?? [],
  permissions: entry.permissions ?? {},
  fields: entry.fields ?? {},
  recordAccess: entry.recordAccess,
  sharingRules: entry.sharingRules ?? [],
});

const viewInputOf = (entry: ViewEntry): SavedViewInput => ({
  type: entry.type,
  filter: (entry.filter ?? null) as SavedViewInput['filter'],
  sort: entry.sort ?? [],
  columns: entry.columns ?? [],
  groupBy: entry.groupBy ?? null,
  kanbanField: entry.kanbanField ?? null,
  cardFields: entry.cardFields ?? null,
  calendar: entry.calendar ?? null,
  ...(entry.position !== undefined ? { position: entry.position } : {}),
});

/**
 * Makes `changes` (from diffConfiguration) in a workspace through the same services as the designer, roles and
 * views routes. Order: objects, fields (relations before the inverse side they bring), titles, validation rules,
 * layouts, views, roles; then removals of fields and objects (to the trash, restorable for 30 days).
 */
export const applyConfigurationChanges = async ({ trx, workspaceId, changes, restorable = new Set() }: ApplyChangesOptions): Promise<void> => {
  const change = { db: trx, workspaceId };
  const meta = () => loadWorkspaceMeta(trx, workspaceId);
  const of = (section: ConfigurationSection, ...actions: ConfigurationChange['action'][]) => changes.filter((item) => item.section === section && actions.includes(item.action));

  for (const item of of('objects', 'add', 'change')) {
    const entry = item.after as ObjectEntry;
    if (item.action === 'add' && restorable.has(`objects:${item.key}`)) await restoreObject({ ...change, objectName: item.key });
    else if (item.action === 'add') await createObject({ ...change, definition: { name: item.key, ...pick(entry, OBJECT_LABELS), fields: [] } });
    const current = (await meta()).objects.get(item.key)!;
    const patch = Object.fromEntries(OBJECT_LABELS.filter((key) => current[key] !== entry[key]).map((key) => [key, entry[key]]));
    if (Object.keys(patch).length > 0) await updateObject({ ...change, objectName: item.key, patch });
  }

  // New fields in their positions: each is added at the end of its object.
  const position = (item: ConfigurationChange) => (item.after as FieldEntry).position ?? Number.MAX_SAFE_INTEGER;
  const fieldChanges = of('fields', 'add', 'change').sort((a, b) => position(a) - position(b));
  const isInverseAdd = (item: ConfigurationChange) => item.action === 'add' && (item.after as FieldEntry).inverse === true;
  for (const item of [...fieldChanges.filter((item) => !isInverseAdd(item)), ...fieldChanges.filter(isInverseAdd)]) {
    const [objectName, fieldName] = splitKey(item.key);
    const entry = item.after as FieldEntry;
    if (item.action === 'change' && item.properties?.includes('type')) await deleteField({ ...change, objectName, fieldName });
    if (item.action === 'add' && restorable.has(`fields:${item.key}`) && !(await meta()).objects.get(objectName)?.fieldsByName.has(fieldName)) {
      await restoreField({ ...change, objectName, fieldName });
    }
    const existing = (await meta()).objects.get(objectName)?.fieldsByName.get(fieldName);
    if (existing) {
      // Already there: the other side of a relation just added (it follows its relation), or a field back from the trash.
      const now = fieldEntryOf(existing);
      const differing = FIELD_SETTINGS.filter((key) => canonicalJson(now[key]) !== canonicalJson(entry[key]));
      if (differing.length > 0 && !now.inverse) await updateField({ ...change, objectName, fieldName, patch: fieldPatchOf(entry, differing) });
      continue;
    }
    if (entry.inverse) {
      throw new AppError('INVALID_METADATA', `${item.key} is the other side of a relation: it comes with that relation, which the configuration does not hold.`, {
        errors: [{ field: `fields.${item.key}`, code: 'relationNotFound', message: 'No relation names it as its inverse.' }],
      });
    }
    const { standard: _standard, inverse: _inverse, ...definition } = entry;
    // The other side is made with the relation: it takes the label the configuration gives it.
    const inverse = entry.type === 'relation' ? changes.find((other) => other.section === 'fields' && other.action === 'add' && other.key === `${String(entry.options?.target)}.${String(entry.options?.inverseName)}`) : undefined;
    const options = inverse && entry.options?.inverseLabel === undefined ? { ...entry.options, inverseLabel: (inverse.after as FieldEntry).label } : entry.options;
    await addField({ ...change, objectName, definition: { name: fieldName, ...definition, ...(options ? { options } : {}) } });
  }

  // Titles last: an object's title field may be one of the fields just added.
  for (const item of [...of('objects', 'add', 'change')]) {
    const entry = item.after as ObjectEntry;
    const current = (await meta()).objects.get(item.key);
    if (entry.labelField && current && current.labelField !== entry.labelField) await updateObject({ ...change, objectName: item.key, patch: { labelField: entry.labelField } });
  }

  for (const item of of('validationRules', 'add', 'change', 'remove')) {
    if (!(await meta()).objects.has(item.key)) continue;
    await updateObject({ ...change, objectName: item.key, patch: { validationRules: item.action === 'remove' ? [] : item.after } });
  }

  for (const item of of('layouts', 'add', 'change', 'remove')) {
    const object = (await meta()).objects.get(item.key);
    if (!object) continue;
    if (item.action === 'remove') await deleteLayout(trx, workspaceId, object);
    else await saveLayout(trx, workspaceId, object, item.after as ObjectLayout);
  }

  const views = of('views', 'add', 'change', 'remove');
  if (views.length > 0) {
    const workspace = await meta();
    const caller: ViewCaller = { workspaceId, access: createFullAccess(workspace), isAdmin: true };
    const existing = await listSharedViews(trx, workspace);
    for (const item of views) {
      const [object, name] = splitKey(item.key);
      const view = existing.get(item.key);
      if (item.action === 'remove') {
        if (view) await deleteView(trx, caller, view.id);
      } else if (view) {
        await updateView(trx, caller, view.id, viewInputOf(item.after as ViewEntry));
      } else {
        await createView(trx, caller, { object, name: name.replace(/ \(\d+\)$/, ''), visibility: 'shared', ...viewInputOf(item.after as ViewEntry) });
      }
    }
  }

  await applyRoles(trx, workspaceId, of('roles', 'add', 'change', 'remove'), await meta());

  for (const item of of('fields', 'remove')) {
    const [objectName, fieldName] = splitKey(item.key);
    if ((await meta()).objects.get(objectName)?.fieldsByName.has(fieldName)) await deleteField({ ...change, objectName, fieldName });
  }
  for (const item of of('objects', 'remove')) await deleteObject({ ...change, objectName: item.key });
};

const applyRoles = async (trx: Db, workspaceId: string, changes: ConfigurationChange[], workspace: WorkspaceMeta) => {
  if (changes.length === 0) return;
  const idsByName = async () => new Map((await listRoles(trx, workspaceId)).map((role) => [role.name, role.id]));
  let ids = await idsByName();
  for (const item of changes) {
    if (item.action === 'add') await createRole(trx, workspace, { name: item.key, ...roleInputOf(item.after as RoleEntry) });
    if (item.action === 'change') await updateRole(trx, workspace, ids.get(item.key)!, roleInputOf(item.after as RoleEntry));
  }
  // Parents once every role exists: a new role may report to another new one.
  ids = await idsByName();
  for (const item of changes) {
    if (item.action === 'remove') continue;
    const parent = (item.after as RoleEntry).parent;
    if (parent !== undefined && !ids.has(parent)) {
      throw new AppError('VALIDATION_FAILED', `The role "${item.key}" reports to "${parent}", which is not a role.`, { errors: [{ field: `roles.${item.key}.parent`, code: 'relationNotFound', message: `No role "${parent}".` }] });
    }
    await updateRole(trx, workspace, ids.get(item.key)!, { parentId: parent === undefined ? null : ids.get(parent)! });
  }
  for (const item of changes) if (item.action === 'remove') await deleteRole(trx, workspaceId, ids.get(item.key)!);
};
