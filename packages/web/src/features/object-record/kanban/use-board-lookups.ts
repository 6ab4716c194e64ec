import type { FieldDefinition, Filter, ObjectDefinition } from '@rapport/common';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord, RecordPage } from '../../../api/types.ts';
import { boardScopeOf, isRelationGroup, LOOKUP_LIMIT, POSITION, resolveScope, scopeConditionOf, scopedColumns, scopeOptionsOf, scopeOptionsQuery, type BoardScope } from './kanban-model.ts';

/** A small list (stages, pipelines) through `POST /records/{object}/query`, under the object's query key (live updates refresh it). */
const useLookup = (object: string | undefined, body: { filter?: Filter; sort?: string[]; limit: number }, enabled: boolean) =>
  useQuery({
    queryKey: [...queryKeys.records(object ?? ''), 'lookup', body],
    queryFn: ({ signal }) => api.post<RecordPage>(`/records/${encodeURIComponent(object ?? '')}/query`, body, { signal }),
    select: (page) => page.data,
    enabled: enabled && Boolean(object),
    staleTime: 30_000,
  });

export interface BoardLookups {
  /** What the board is scoped by (the pipeline), when its columns belong to one. */
  scope: BoardScope | undefined;
  /** The records to choose the scope among (active pipelines, by position). */
  scopeOptions: ApiRecord[];
  /** The chosen one (the URL's, else the first). */
  selectedScope: string | undefined;
  /** The columns' records for a board grouped by a relation (the chosen pipeline's stages). */
  targets: ApiRecord[];
  /** The condition the list and totals add: only the records of the chosen scope. */
  condition: Filter | undefined;
  /** False while the columns or the scope are being read: the list waits (it is filtered by the scope). */
  isReady: boolean;
}

/**
 * The lookups a board grouped by a many-to-one relation needs: the target's records as columns and,
 * when they belong to a parent the records also point to, the parent to show (`requested`, from the URL).
 */
export const useBoardLookups = ({ object, objects, groupField, requested, enabled }: { object: ObjectDefinition | undefined; objects: readonly ObjectDefinition[]; groupField: FieldDefinition | undefined; requested: string | null; enabled: boolean }): BoardLookups => {
  const isRelation = enabled && Boolean(groupField && isRelationGroup(groupField));
  const scope = useMemo(() => (isRelation && object && groupField ? boardScopeOf(object, groupField, objects) : undefined), [isRelation, object, groupField, objects]);
  const targetQuery = useLookup(groupField?.options?.target, { sort: [POSITION], limit: LOOKUP_LIMIT }, isRelation);
  const optionsQuery = useLookup(scope?.object.name, scope ? scopeOptionsQuery(scope) : { limit: LOOKUP_LIMIT }, Boolean(scope));
  return useMemo(() => {
    // A scope the caller cannot read (or none defined yet): the board shows every column and record.
    const usable = scope && optionsQuery.isSuccess && optionsQuery.data.length > 0 ? scope : undefined;
    const scopeOptions = usable ? scopeOptionsOf(optionsQuery.data ?? []) : [];
    const selectedScope = usable ? resolveScope(scopeOptions, requested) : undefined;
    return {
      scope: usable,
      scopeOptions,
      selectedScope,
      targets: scopedColumns(targetQuery.data ?? [], usable, selectedScope),
      condition: usable && selectedScope ? scopeConditionOf(usable, selectedScope) : undefined,
      isReady: !isRelation || ((targetQuery.isSuccess || targetQuery.isError) && (!scope || optionsQuery.isSuccess || optionsQuery.isError)),
    };
  }, [scope, optionsQuery.isSuccess, optionsQuery.isError, optionsQuery.data, targetQuery.isSuccess, targetQuery.isError, targetQuery.data, requested, isRelation]);
};
