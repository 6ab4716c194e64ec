import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { ObjectMeta } from '../metadata/types.ts';

export interface LayoutSection {
  title: string;
  /** One or two columns of fields on wide screens. */
  columns: 1 | 2;
  /** Field names, in reading order. */
  fields: string[];
}

export interface ObjectLayout {
  sections: LayoutSection[];
}

export interface ServedLayout extends ObjectLayout {
  /** True when no layout was saved: one section with every field the caller sees. */
  isDefault: boolean;
  updatedAt: string | null;
}

/** One-to-many relations (the inverse side) show as related lists, not fields. */
const isLayoutField = (object: ObjectMeta, name: string) => {
  const field = object.fieldsByName.get(name);
  return field !== undefined && !(field.type === 'relation' && field.options?.kind === 'oneToMany');
};

const defaultLayout = (object: ObjectMeta): ObjectLayout => ({
  sections: [{ title: object.labelSingular, columns: 2, fields: object.fields.filter((field) => isLayoutField(object, field.name)).map((field) => field.name) }],
});

/**
 * The object's layout as `object` (the caller's view of it) allows: fields the caller may not see,
 * and fields deleted since the layout was saved, are left out.
 */
export const readLayout = async (db: Db, workspaceId: string, object: ObjectMeta): Promise<ServedLayout> => {
  const { rows } = await sql<{ layout: ObjectLayout; updated_at: Date | string }>`
    select layout, updated_at from rapport.object_layout where workspace_id = ${workspaceId} and object_id = ${object.id}`.execute(db);
  const row = rows[0];
  if (!row) return { ...defaultLayout(object), isDefault: true, updatedAt: null };
  const sections = row.layout.sections.map((section) => ({ ...section, fields: section.fields.filter((name) => isLayoutField(object, name)) }));
  return { sections, isDefault: false, updatedAt: new Date(row.updated_at).toISOString() };
};

/** The layouts saved in a workspace, by object id, as stored (objects without one show the default layout). */
export const listSavedLayouts = async (db: Db, workspaceId: string): Promise<Map<string, ObjectLayout>> => {
  const { rows } = await sql<{ object_id: string; layout: ObjectLayout }>`select object_id, layout from rapport.object_layout where workspace_id = ${workspaceId}`.execute(db);
  return new Map(rows.map((row) => [row.object_id, row.layout]));
};

/** Back to the default layout. */
export const deleteLayout = async (db: Db, workspaceId: string, object: ObjectMeta): Promise<void> => {
  await sql`delete from rapport.object_layout where workspace_id = ${workspaceId} and object_id = ${object.id}`.execute(db);
};

/** Every field named must be a field of the object (not a to-many relation) and appear once. */
export const checkLayout = (object: ObjectMeta, layout: ObjectLayout): FieldError[] => {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  layout.sections.forEach((section, s) => {
    if (section.title.trim() === '') errors.push({ field: `sections[${s}].title`, code: 'required', message: 'A section needs a title.' });
    section.fields.forEach((name, f) => {
      const path = `sections[${s}].fields[${f}]`;
      if (!object.fieldsByName.has(name)) errors.push({ field: path, code: 'unknownField', message: `"${name}" is not a field of ${object.name}.` });
      else if (!isLayoutField(object, name)) errors.push({ field: path, code: 'invalidType', message: `"${name}" lists related records; it shows as a related list, not in a section.` });
      else if (seen.has(name)) errors.push({ field: path, code: 'unique', message: `"${name}" is already in the layout; a field appears once.` });
      seen.add(name);
    });
  });
  return errors;
};

export const saveLayout = async (db: Db, workspaceId: string, object: ObjectMeta, layout: ObjectLayout): Promise<void> => {
  const errors = checkLayout(object, layout);
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'The layout is invalid; nothing was saved.', { errors });
  const stored: ObjectLayout = { sections: layout.sections.map(({ title, columns, fields }) => ({ title: title.trim(), columns, fields })) };
  await sql`
    insert into rapport.object_layout (workspace_id, object_id, layout) values (${workspaceId}, ${object.id}, ${JSON.stringify(stored)})
    on conflict (workspace_id, object_id) do update set layout = excluded.layout, updated_at = now()`.execute(db);
};
