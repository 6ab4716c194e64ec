import type { ObjectDefinition } from './metadata.ts';

/** The duplicates and merge API's shapes (engine/duplicates), shared by the server and the web app. */

/** Why two records look alike: an email, a phone (E.164) or a web domain in common, or similar titles. */
export const DUPLICATE_REASONS = ['email', 'phone', 'domain', 'name'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** A record like the values checked or the record asked about (`…/duplicates/check`, `…/{id}/duplicates`). */
export interface DuplicateCandidate<R = Record<string, unknown>> {
  record: R;
  /** How alike, 0..1. */
  score: number;
  reasons: DuplicateReason[];
}

/** Two records the scheduled scan found alike (`GET /duplicates`). */
export interface DuplicatePair<R = Record<string, unknown>> {
  id: string;
  object: string;
  a: R;
  b: R;
  score: number;
  reasons: DuplicateReason[];
  foundAt: string;
}

/** A merge, kept for undo (`GET /merges/{id}`). */
export interface Merge {
  id: string;
  object: string;
  survivorId: string;
  mergedIds: string[];
  /** Related records re-pointed from the merged records to the survivor. */
  movedRelations: number;
  actorId: string | null;
  createdAt: string;
  undoneAt: string | null;
}

/** A merge or its undo, with the survivor as it is now. */
export interface MergeResult<R = Record<string, unknown>> {
  merge: Merge;
  record: R;
}

/** Field types the comparison reads (a web address by its domain); encrypted fields are left out. */
export const DUPLICATE_KEY_TYPES = ['email', 'phone', 'url'] as const;

/** Objects whose records are compared (and scanned): those with a plain email, phone or web address field. */
export const hasDuplicateKeys = (object: Pick<ObjectDefinition, 'fields'>): boolean =>
  object.fields.some((field) => (DUPLICATE_KEY_TYPES as readonly string[]).includes(field.type) && !field.options?.encrypted);
