import type { FieldDefinition, ObjectAction, ObjectDefinition, RelationKind } from '@rapport/common';
import type { ApiRecord } from '../../api/types.ts';

/** What the web app reads of a relation field: its kind and the object it points to. */
export const relationKindOf = (field: FieldDefinition): RelationKind | undefined =>
  field.type === 'relation' ? (field.options?.kind ?? 'manyToOne') : undefined;

const byPosition = (a: FieldDefinition, b: FieldDefinition) => (a.position ?? 0) - (b.position ?? 0);

/**
 * Whether the signed-in person may do this with the object's records, as the metadata says
 * (`permissions`): screens hide what the API would refuse. Unknown (older answers) counts as allowed.
 */
export const canOn = (object: ObjectDefinition, action: ObjectAction): boolean => object.permissions?.[action] !== false;

/** One-to-many relations are not in a record: they are related lists. */
export const isInRecord = (field: FieldDefinition) => relationKindOf(field) !== 'oneToMany';

const isLongBody = (field: FieldDefinition) => field.type === 'richText' || field.type === 'longText' || field.type === 'json';

/** Columns of the table view: every field in the record except long bodies. */
export const tableFieldsOf = (object: ObjectDefinition): FieldDefinition[] => object.fields.filter((field) => isInRecord(field) && !isLongBody(field)).sort(byPosition);

/** Long bodies (long and rich text, JSON): the table offers them as columns, hidden until shown. */
export const longFieldsOf = (object: ObjectDefinition): FieldDefinition[] => object.fields.filter((field) => isInRecord(field) && isLongBody(field)).sort(byPosition);

/** Fields shown on the record page. */
export const detailFieldsOf = (object: ObjectDefinition): FieldDefinition[] => object.fields.filter(isInRecord).sort(byPosition);

/** Fields a person can write in the create and edit forms. */
export const formFieldsOf = (object: ObjectDefinition): FieldDefinition[] =>
  object.fields.filter((field) => isInRecord(field) && !field.isReadOnly && !field.isSystem && field.type !== 'formula').sort(byPosition);

/** The one-to-many relations shown as related lists on the record page. */
export const relatedListsOf = (object: ObjectDefinition): FieldDefinition[] => object.fields.filter((field) => relationKindOf(field) === 'oneToMany').sort(byPosition);

/**
 * Relations to read as whole records (for their labels): many-to-one and many-to-many relations, and references
 * (`{object, id, record}`), at most 10 (the API's limit).
 */
export const includesOf = (fields: FieldDefinition[]): string[] =>
  fields.filter((field) => relationKindOf(field) === 'manyToOne' || relationKindOf(field) === 'manyToMany' || field.type === 'reference').slice(0, 10).map((field) => field.name);

const SORTABLE_TYPES = new Set(['text', 'number', 'currency', 'percent', 'rating', 'boolean', 'date', 'datetime', 'select', 'formula']);

/** The API sorts on scalar columns: not on lists, composites or relations. */
export const isSortable = (field: FieldDefinition): boolean => {
  if (!SORTABLE_TYPES.has(field.type)) {
    return (field.type === 'email' || field.type === 'phone' || field.type === 'url') && !field.options?.multiple;
  }
  return true;
};

/** The field that names a record: the object's label field, else `name`, else the first text field. */
export const titleFieldOf = (object: ObjectDefinition): string | undefined =>
  object.labelField ?? object.fields.find((field) => field.name === 'name')?.name ?? object.fields.find((field) => field.type === 'text')?.name;

/** A record's title as text, or undefined when its label field is empty. */
export const recordTitleOf = (object: ObjectDefinition | undefined, record: Partial<ApiRecord> | null | undefined): string | undefined => {
  if (!object || !record) return undefined;
  const name = titleFieldOf(object);
  const value = name ? record[name] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined;
};

export const findObject = (objects: readonly ObjectDefinition[] | undefined, name: string | undefined): ObjectDefinition | undefined =>
  name ? objects?.find((object) => object.name === name) : undefined;

/** Client routes of the app, in one place. */
export const paths = {
  home: () => '/',
  list: (object: string) => `/objects/${encodeURIComponent(object)}`,
  create: (object: string) => `/objects/${encodeURIComponent(object)}/new`,
  record: (object: string, id: string) => `/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}`,
  edit: (object: string, id: string) => `/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}/edit`,
};

/** A section of a record page or form: a title (null for fields no section names), one or two columns. */
export interface FieldSection {
  title: string | null;
  columns: 1 | 2;
  fields: FieldDefinition[];
}

/**
 * Groups `fields` (already filtered for the page or form) by the object's layout, in layout order.
 * Fields the layout does not name (added after it was saved) follow in a last untitled section; empty
 * sections are left out. Without a layout, one untitled section holds every field.
 */
export const sectionsOf = (fields: readonly FieldDefinition[], layout?: { sections: readonly { title: string; columns: 1 | 2; fields: readonly string[] }[] } | null): FieldSection[] => {
  const byName = new Map(fields.map((field) => [field.name, field]));
  const placed = new Set<string>();
  const sections: FieldSection[] = [];
  for (const section of layout?.sections ?? []) {
    const inSection = section.fields.flatMap((name) => {
      const field = byName.get(name);
      if (!field || placed.has(name)) return [];
      placed.add(name);
      return [field];
    });
    if (inSection.length > 0) sections.push({ title: section.title, columns: section.columns, fields: inSection });
  }
  const rest = fields.filter((field) => !placed.has(field.name));
  if (rest.length > 0) sections.push({ title: null, columns: 2, fields: rest });
  return sections;
};
