import type { FieldLevel, ObjectAction } from '@rapport/common';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';

export interface ViewRules {
  can(objectName: string, action: ObjectAction): boolean;
  fieldLevel(objectName: string, fieldName: string): FieldLevel;
}

const isVisibleField = (field: FieldMeta, rules: ViewRules): boolean => {
  if (rules.fieldLevel(field.objectName, field.name) === 'hidden') return false;
  // A relation into an object the caller cannot read is data about that object: it goes with it.
  if (field.type === 'relation') return rules.can(field.options?.target ?? '', 'read');
  return true;
};

const viewOfObject = (object: ObjectMeta, rules: ViewRules): ObjectMeta => {
  const fields = object.fields.filter((field) => isVisibleField(field, rules));
  if (fields.length === object.fields.length) return object;
  return { ...object, fields, fieldsByName: new Map(fields.map((field) => [field.name, field])) };
};

/**
 * The workspace as a caller sees it: objects they cannot read and fields hidden from them are
 * absent. Everything that resolves names against it (filters, sorts, groups, `fields`, `include`,
 * record shaping, the OpenAPI document) then treats them as unknown, without a special case.
 * Returns the workspace itself when nothing is hidden.
 */
export const buildWorkspaceView = (workspace: WorkspaceMeta, rules: ViewRules): WorkspaceMeta => {
  const objects = new Map<string, ObjectMeta>();
  let isChanged = false;
  for (const [name, object] of workspace.objects) {
    if (!rules.can(name, 'read')) {
      isChanged = true;
      continue;
    }
    const view = viewOfObject(object, rules);
    if (view !== object) isChanged = true;
    objects.set(name, view);
  }
  return isChanged ? { ...workspace, objects } : workspace;
};
