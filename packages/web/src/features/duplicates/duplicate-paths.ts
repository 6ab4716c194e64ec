import type { ObjectDefinition } from '@rapport/common';
import { canOn } from '../object-record/metadata.ts';

export const duplicatePaths = {
  list: (object: string) => `/objects/${encodeURIComponent(object)}/duplicates`,
  /** The merge screen: `id` is kept by default, `other` merged into it. */
  merge: (object: string, id: string, other: string) => `/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}/merge/${encodeURIComponent(other)}`,
};

/** A merge updates the survivor and trashes the merged records: it needs both rights (as the server checks). */
export const canMerge = (object: ObjectDefinition): boolean => canOn(object, 'update') && canOn(object, 'delete');
