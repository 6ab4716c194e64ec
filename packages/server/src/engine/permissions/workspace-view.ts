import type { FieldLevel, ObjectAction } from '@rapport/common';
import { findReferencedFields } from '../expressions/expression-references.ts';
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

// A formula shows what it reads: one that reads a field the caller cannot see (directly, through
// another formula, or by using the whole record) is hidden from them too.
const withoutLeakingFormulas = (fields: FieldMeta[], all: readonly FieldMeta[]): FieldMeta[] => {
  const visible = new Set(fields.map((field) => field.name));
  let isChanged = true;
  while (isChanged) {
    isChanged = false;
    for (const field of fields) {
      if (field.type !== 'formula' || !visible.has(field.name)) continue;
      const references = findReferencedFields(field.options?.expression ?? '');
      const leaks = references === 'all' ? visible.size < all.length : [...references].some((name) => !visible.has(name));
      if (leaks) {
        visible.delete(field.name);
        isChanged = true;
      }
    }
  }
  return visible.size === fields.length ? fields : fields.filter((field) => visible.has(field.name));
};

const viewOfObject = (object: ObjectMeta, rules: ViewRules): ObjectMeta => {
  const fields = withoutLeakingFormulas(object.fields.filter((field) => isVisibleField(field, rules)), object.fields);
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
