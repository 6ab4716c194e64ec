import type { RawBuilder } from 'kysely';
import type { ObjectMeta } from '../metadata/types.ts';

export type RowMode = 'read' | 'write';

/**
 * Which rows a caller may read or write, as the permission layer (engine/permissions) decides it.
 * The compiler asks it for a condition on every record table a query reads — the queried object,
 * each relation hop of a filter, included and aggregated related records — and ANDs it in.
 */
export interface RowScope {
  /** A boolean SQL condition on the rows of `object` aliased `alias`; undefined when every row qualifies. */
  predicate(options: { object: ObjectMeta; alias: string; mode: RowMode }): RawBuilder<unknown> | undefined;
}

/** Every row: for the engine's own work (jobs, migrations, the permission rules themselves) and admins. */
export const ALL_ROWS: RowScope = Object.freeze({ predicate: () => undefined });
