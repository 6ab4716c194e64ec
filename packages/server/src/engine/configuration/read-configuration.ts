import { createHash } from 'node:crypto';
import type { SavedView } from '@rapport/common';
import type { Db } from '../db/database.ts';
import { listSavedLayouts } from '../designer/layouts.ts';
import { loadWorkspaceMeta } from '../metadata/metadata-store.ts';
import { fieldDefinitionOf } from '../metadata/metadata.service.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { createFullAccess } from '../permissions/access.ts';
import { listRoles } from '../permissions/role.service.ts';
import { listViews } from '../views/views.service.ts';
import { canonicalJson, prune, type ConfigurationSections, type FieldEntry, type ObjectEntry, type RoleEntry, type ViewEntry } from './configuration-sections.ts';

/** The other side of a relation: one-to-many, or the many-to-many side whose junction column is `target_id`. */
export const isInverseField = (field: FieldMeta): boolean =>
  field.type === 'relation' && (field.options?.kind === 'oneToMany' || (field.options?.kind === 'manyToMany' && field.junction?.selfColumn === 'target_id'));

const objectEntryOf = (object: ObjectMeta): ObjectEntry =>
  prune({
    labelSingular: object.labelSingular,
    labelPlural: object.labelPlural,
    description: object.description,
    icon: object.icon,
    labelField: object.labelField,
    standard: object.isStandard === true,
  });

export const fieldEntryOf = (field: FieldMeta): FieldEntry => {
  const { name: _name, isSystem: _system, isReadOnly: _readOnly, isStandard, options, ...definition } = fieldDefinitionOf(field);
  return prune({ ...definition, options: options as Record<string, unknown> | undefined, standard: isStandard === true, inverse: isInverseField(field) });
};

const viewEntryOf = (view: SavedView): ViewEntry =>
  prune({ type: view.type, filter: view.filter, sort: view.sort, columns: view.columns, groupBy: view.groupBy ?? undefined, kanbanField: view.kanbanField ?? undefined, cardFields: view.cardFields ?? undefined, calendar: view.calendar ?? undefined, position: view.position });

/** Shared views by key (`object.name`, a second view of the same name `object.name (2)`); private ones are their owner's. */
export const listSharedViews = async (db: Db, workspace: WorkspaceMeta): Promise<Map<string, SavedView>> => {
  const views = await listViews(db, { workspaceId: workspace.id, access: createFullAccess(workspace), isAdmin: true });
  const byKey = new Map<string, SavedView>();
  for (const view of views) {
    if (view.visibility !== 'shared') continue;
    let key = `${view.object}.${view.name}`;
    for (let n = 2; byKey.has(key); n++) key = `${view.object}.${view.name} (${n})`;
    byKey.set(key, view);
  }
  return byKey;
};

/** Reads a workspace's configuration (in the caller's transaction when given one). */
export const readConfiguration = async (db: Db, workspaceId: string): Promise<{ workspace: WorkspaceMeta; sections: ConfigurationSections }> => {
  const workspace = await loadWorkspaceMeta(db, workspaceId);
  const sections: ConfigurationSections = { objects: {}, fields: {}, validationRules: {}, layouts: {}, views: {}, roles: {} };
  const byId = new Map<string, ObjectMeta>();
  for (const object of workspace.objects.values()) {
    byId.set(object.id, object);
    sections.objects[object.name] = objectEntryOf(object);
    for (const field of object.fields) {
      if (field.isSystem) continue;
      sections.fields[`${object.name}.${field.name}`] = fieldEntryOf(field);
    }
    if ((object.validationRules ?? []).length > 0) sections.validationRules[object.name] = object.validationRules!;
  }
  for (const [objectId, layout] of await listSavedLayouts(db, workspaceId)) {
    const object = byId.get(objectId);
    if (object) sections.layouts[object.name] = { sections: layout.sections.map(({ title, columns, fields }) => ({ title, columns, fields })) };
  }
  for (const [key, view] of await listSharedViews(db, workspace)) sections.views[key] = viewEntryOf(view);
  const roles = await listRoles(db, workspaceId);
  const roleNames = new Map(roles.map((role) => [role.id, role.name]));
  for (const role of roles) {
    sections.roles[role.name] = prune<RoleEntry>({
      description: role.description,
      parent: role.parentId ? roleNames.get(role.parentId) : undefined,
      isAdmin: role.isAdmin,
      requireTwoFactor: role.requireTwoFactor,
      licences: role.licences,
      permissions: role.permissions,
      fields: role.fields,
      recordAccess: role.recordAccess,
      sharingRules: role.sharingRules.map(({ name, object, filter, access }) => ({ name, object, filter, access })),
    });
  }
  return { workspace, sections };
};

/** Changes whenever the configuration does: a deployment previewed against one fingerprint is refused on another. */
export const fingerprintOf = (sections: ConfigurationSections): string => createHash('sha256').update(canonicalJson(sections)).digest('hex');
