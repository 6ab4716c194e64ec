import type { ObjectDefinition } from '@rapport/common';
import type { IndexDefinition, WorkspaceMeta } from './types.ts';
import type { MetadataChange } from './metadata.service.ts';

/** A record as the API returns it: at least its id. */
export type MadeRecord = Readonly<Record<string, unknown>> & { id: string };

/** A standard object as a module ships it: the same definition format as a custom object, plus its indexes. */
export interface StandardObject {
  definition: ObjectDefinition;
  indexes?: IndexDefinition[];
  /**
   * Records a workspace starts with (a default pipeline and its stages), written through the write path when the
   * object is created: with a new workspace, or when an upgrade adds the object. `made` holds the records made
   * for the objects before this one, so they can point at them.
   */
  initialRecords?: (made: ReadonlyMap<string, readonly MadeRecord[]>) => Record<string, unknown>[];
  /**
   * Work on a workspace made by an earlier version, around the upgrade that adds missing objects and fields:
   * `before` (e.g. moving a field whose type changed out of the way), `after` (copying its values over). Each gets
   * the workspace's metadata as it stands at that point, returns what it did, in words, and does nothing the second time.
   */
  upgrade?: {
    before?: (change: MetadataChange, workspace: WorkspaceMeta) => Promise<string[]>;
    after?: (change: MetadataChange, workspace: WorkspaceMeta) => Promise<string[]>;
  };
}
