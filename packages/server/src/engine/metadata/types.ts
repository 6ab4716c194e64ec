import type { FieldDefinition, ObjectDefinition } from '@rapport/common';

/** A field as the engine sees it: its definition plus where it lives. */
export interface FieldMeta extends FieldDefinition {
  id: string;
  objectName: string;
  /** The column (or column prefix for composite types) holding the value; stable across renames. */
  column: string;
  /** manyToMany: the junction table and which of its two columns points at this field's own records. */
  junction?: { table: string; selfColumn: string; otherColumn: string };
  position: number;
}

export interface IndexDefinition {
  /** Field names or composite parts (`address.country`), in index order. */
  fields: string[];
}

export interface ObjectMeta extends Omit<ObjectDefinition, 'fields'> {
  id: string;
  /** Unquoted table name inside the workspace schema. */
  table: string;
  labelField: string;
  fields: FieldMeta[];
  fieldsByName: ReadonlyMap<string, FieldMeta>;
  indexes: IndexDefinition[];
  position: number;
}

export interface WorkspaceMeta {
  id: string;
  name: string;
  schema: string;
  timezone: string;
  defaultCurrency: string;
  version: number;
  objects: ReadonlyMap<string, ObjectMeta>;
}

export const getObjectMeta = (workspace: WorkspaceMeta, name: string): ObjectMeta | undefined => workspace.objects.get(name);

/**
 * `compute`, worked out once per metadata snapshot: objects and their field lists are replaced, never
 * changed, when metadata changes, so a snapshot is a stable key (held weakly: dropped with it).
 */
export const oncePerSnapshot = <K extends object, V>(compute: (snapshot: K) => V): ((snapshot: K) => V) => {
  const values = new WeakMap<K, V>();
  return (snapshot) => {
    if (values.has(snapshot)) return values.get(snapshot)!;
    const value = compute(snapshot);
    values.set(snapshot, value);
    return value;
  };
};

/** An object by its id: what views, segments and rules keep, so that renaming the object keeps them. */
export const getObjectMetaById = (workspace: WorkspaceMeta, id: string): ObjectMeta | undefined => [...workspace.objects.values()].find((object) => object.id === id);
