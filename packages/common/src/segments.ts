import type { Filter } from './filter.ts';
import type { ViewVisibility } from './views.ts';

/** Dynamic: the records matching a saved filter, re-evaluated on every use. Static: a hand-made list of records. */
export const SEGMENT_KINDS = ['dynamic', 'static'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/** A named list of one object's records, for campaigns, exports and bulk actions (FEATURES C11). */
export interface Segment {
  id: string;
  object: string;
  name: string;
  description: string;
  kind: SegmentKind;
  visibility: ViewVisibility;
  ownerId: string | null;
  /** Dynamic segments: the filter (the query language). Static segments: null. */
  filter: Filter | null;
  /** Static segments: how many records were added (some may be in the trash or not readable by the caller). */
  memberCount: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentInput {
  object?: string;
  name?: string;
  description?: string;
  kind?: SegmentKind;
  visibility?: ViewVisibility;
  filter?: Filter | null;
}

/** Records added to or removed from a static segment in one call. */
export const MAX_SEGMENT_CHANGE = 1000;
/** Records one "add every record of this filter" call adds at most. */
export const MAX_SEGMENT_ADD_FROM_FILTER = 100_000;
