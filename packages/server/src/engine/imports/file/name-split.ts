import type { ObjectMeta } from '../../metadata/types.ts';

/** How a whole-name column fills an object whose title is computed from a first and a last name. */
export interface NameSplit {
  /** The mapping target for a whole name: the object's title field (`fullName`). */
  target: string;
  firstName: string;
  lastName: string;
}

/**
 * The name split of an object: its title is a formula and it has writable `firstName` and `lastName` text
 * fields (person). A column mapped to `target` is written as `splitFullName(cell)` into the two fields.
 */
export const nameSplitOf = (object: ObjectMeta): NameSplit | null => {
  const title = object.fieldsByName.get(object.labelField);
  const first = object.fieldsByName.get('firstName');
  const last = object.fieldsByName.get('lastName');
  if (!title || title.type !== 'formula' || !first || !last) return null;
  if (first.type !== 'text' || last.type !== 'text' || first.isReadOnly || last.isReadOnly) return null;
  return { target: title.name, firstName: first.name, lastName: last.name };
};

/**
 * Splits a whole name: `Last, First` at the comma; otherwise the first word is the first name and the
 * rest the last name (`Jean-Luc de la Tour` → `Jean-Luc` / `de la Tour`); one word is a first name.
 */
export const splitFullName = (text: string): { firstName: string; lastName: string } => {
  const name = text.replace(/\s+/g, ' ').trim();
  const comma = name.indexOf(',');
  if (comma > 0) return { firstName: name.slice(comma + 1).trim(), lastName: name.slice(0, comma).trim() };
  const space = name.indexOf(' ');
  if (space === -1) return { firstName: name, lastName: '' };
  return { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
};
