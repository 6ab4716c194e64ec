import type { ObjectDefinition } from '@rapport/common';
import type { IndexDefinition } from './types.ts';

/** A standard object as a module ships it: the same definition format as a custom object, plus its indexes. */
export interface StandardObject {
  definition: ObjectDefinition;
  indexes?: IndexDefinition[];
}
