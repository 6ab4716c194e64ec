import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { findObject, relationKindOf, titleFieldOf, type FieldSection } from '../metadata.ts';

/** At most this many key fields stand in a record's header. */
export const MAX_KEY_FIELDS = 4;

/** Types that tell a record at a glance: how to reach it, what it is worth, where it stands, who owns it. */
const KEY_TYPES: ReadonlySet<string> = new Set(['currency', 'select', 'date', 'datetime', 'email', 'phone', 'url', 'owner']);

const isKeyField = (field: FieldDefinition) => !field.isSystem && (KEY_TYPES.has(field.type) || relationKindOf(field) === 'manyToOne');

/**
 * Many-to-one fields another one implies: a deal's stage belongs to one pipeline (the stage's required
 * relation to it), so the stage says the deal's pipeline. `objects` are the targets' definitions.
 */
export const impliedRelationsOf = (object: ObjectDefinition, objects: readonly ObjectDefinition[]): Set<string> => {
  const implied = new Set<string>();
  const manyToOne = object.fields.filter((field) => relationKindOf(field) === 'manyToOne');
  for (const field of manyToOne) {
    for (const parent of findObject(objects, field.options?.target)?.fields ?? []) {
      if (relationKindOf(parent) !== 'manyToOne' || !parent.required) continue;
      for (const other of manyToOne) if (other.name !== field.name && other.options?.target === parent.options?.target) implied.add(other.name);
    }
  }
  return implied;
};

/**
 * The fields a record page's header shows, in layout order: the first key fields of the layout's
 * sections (contacts, amounts, stages, dates, the related record it belongs to) besides the title, with
 * a place kept for the owner, but a relation another one implies (the pipeline of a deal's stage). Moving
 * a field up in the layout moves it into the header.
 */
export const keyFieldsOf = (object: ObjectDefinition, sections: readonly FieldSection[], max = MAX_KEY_FIELDS, objects: readonly ObjectDefinition[] = []): FieldDefinition[] => {
  const title = titleFieldOf(object);
  const implied = impliedRelationsOf(object, objects);
  const candidates = sections.flatMap((section) => section.fields).filter((field) => field.name !== title && isKeyField(field) && !implied.has(field.name));
  const owner = candidates.find((field) => field.type === 'owner');
  const others = candidates.filter((field) => field !== owner).slice(0, owner ? max - 1 : max);
  return candidates.filter((field) => field === owner || others.includes(field));
};
