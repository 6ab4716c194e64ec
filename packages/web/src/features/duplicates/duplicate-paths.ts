import type { ObjectDefinition } from '@rapport/common';

export const duplicatePaths = {
  list: (object: string) => `/objects/${encodeURIComponent(object)}/duplicates`,
  /** The merge screen: `id` is kept by default, `other` merged into it. */
  merge: (object: string, id: string, other: string) => `/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}/merge/${encodeURIComponent(other)}`,
};

/** Objects the server compares: those with an email, phone or web address (as its scan does). */
export const hasDuplicateKeys = (object: ObjectDefinition): boolean =>
  object.fields.some((field) => (field.type === 'email' || field.type === 'phone' || field.type === 'url') && !field.options?.encrypted);
