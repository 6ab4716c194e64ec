import type { FieldDefinition, Filter, ObjectDefinition } from '@rapport/common';
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord, RecordPage } from '../../../api/types.ts';
import { boardLookupsOf, boardScopeOf, isRelationGroup, LOOKUP_LIMIT, POSITION, scopeOptionsQuery, type BoardLookups, type BoardScope } from './kanban-model.ts';

/** The columns' records of a board grouped by a relation: all of them, in position order. */
const TARGETS_BODY = { sort: [POSITION], limit: LOOKUP_LIMIT };

/** A small list (stages, pipelines) through `POST /records/{object}/query`, under the object's query key (live updates refresh it). */
export const lookupQuery = (object: string, body: { filter?: Filter; sort?: string[]; limit: number }) =>
  queryOptions({
    queryKey: [...queryKeys.records(object), 'lookup', body],
    queryFn: ({ signal }) => api.post<RecordPage>(`/records/${encodeURIComponent(object)}/query`, body, { signal }),
    staleTime: 30_000,
  });

const useLookup = (object: string | undefined, body: { filter?: Filter; sort?: string[]; limit: number }, enabled: boolean) =>
  useQuery({ ...lookupQuery(object ?? '', body), select: (page) => page.data, enabled: enabled && Boolean(object) });

/** The board's lookups asked for ahead (a saved view's link pressed): the columns' records and the scope's choices. */
export const prefetchBoardLookups = (queryClient: QueryClient, groupField: FieldDefinition, scope: BoardScope | undefined) => {
  const target = groupField.options?.target;
  if (target) void queryClient.prefetchQuery(lookupQuery(target, TARGETS_BODY));
  if (scope) void queryClient.prefetchQuery(lookupQuery(scope.object.name, scopeOptionsQuery(scope)));
};


/**
 * The lookups a board grouped by a many-to-one relation needs: the target's records as columns and,
 * when they belong to a parent the records also point to, the parent to show (`requested`, from the URL).
 */
export const useBoardLookups = ({ object, objects, groupField, requested, enabled }: { object: ObjectDefinition | undefined; objects: readonly ObjectDefinition[]; groupField: FieldDefinition | undefined; requested: string | null; enabled: boolean }): BoardLookups => {
  const isRelation = enabled && Boolean(groupField && isRelationGroup(groupField));
  const scope = useMemo(() => (isRelation && object && groupField ? boardScopeOf(object, groupField, objects) : undefined), [isRelation, object, groupField, objects]);
  const targetQuery = useLookup(groupField?.options?.target, TARGETS_BODY, isRelation);
  const optionsQuery = useLookup(scope?.object.name, scope ? scopeOptionsQuery(scope) : { limit: LOOKUP_LIMIT }, Boolean(scope));
  return useMemo(
    () => boardLookupsOf({ isRelation, scope, requested, targets: targetQuery, options: optionsQuery }),
    // The queries' states, not the query objects (new on each render).
    [scope, optionsQuery.isSuccess, optionsQuery.isError, optionsQuery.data, targetQuery.isSuccess, targetQuery.isError, targetQuery.data, requested, isRelation],
  );
};
