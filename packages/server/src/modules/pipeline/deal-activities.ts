import type { RawBuilder } from 'kysely';
import type { WorkspaceMeta } from '../../engine/metadata/types.ts';
import { tableOf } from '../../engine/query/sql-parts.ts';

/** A kind of activity about deals: its table and the column pointing at the deal. */
export interface DealActivitySource {
  table: RawBuilder<unknown>;
  dealColumn: string;
}

/**
 * Where a deal's activities are: the tasks and notes whose `opportunity` relation points at it (the activities
 * module's objects, meetings, calls and comments too). Stalled-deal checks and the win model read them.
 */
export const dealActivitySources = (workspace: WorkspaceMeta): DealActivitySource[] =>
  ['task', 'note', 'meeting', 'call', 'comment'].flatMap((name) => {
    const object = workspace.objects.get(name);
    const link = object?.fieldsByName.get('opportunity');
    return object && link?.type === 'relation' ? [{ table: tableOf(workspace, object), dealColumn: link.column }] : [];
  });
