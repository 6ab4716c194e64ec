import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { relationKindOf, titleFieldOf, type FieldSection } from '../metadata.ts';

/** At most this many key fields stand in a record's header. */
export const MAX_KEY_FIELDS = 4;

/** Types that tell a record at a glance: how to reach it, what it is worth, where it stands, who owns it. */
const KEY_TYPES: ReadonlySet<string> = new Set(['currency', 'select', 'date', 'datetime', 'email', 'phone', 'url', 'owner']);

const isKeyField = (field: FieldDefinition) => !field.isSystem && (KEY_TYPES.has(field.type) || relationKindOf(field) === 'manyToOne');

/**
 * The fields a record page's header shows, in layout order: the first key fields of the layout's
 * sections (contacts, amounts, stages, dates, the related record it belongs to) besides the title, with
 * a place kept for the owner. Moving a field up in the layout moves it into the header.
 */
export const keyFieldsOf = (object: ObjectDefinition, sections: readonly FieldSection[], max = MAX_KEY_FIELDS): FieldDefinition[] => {
  const title = titleFieldOf(object);
  const candidates = sections.flatMap((section) => section.fields).filter((field) => field.name !== title && isKeyField(field));
  const owner = candidates.find((field) => field.type === 'owner');
  const others = candidates.filter((field) => field !== owner).slice(0, owner ? max - 1 : max);
  return candidates.filter((field) => field === owner || others.includes(field));
};
