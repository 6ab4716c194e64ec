import type { RecordReference } from '@rapport/common';
import { useQueries } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import type { RecordPage } from '../../../api/types.ts';
import { referenceOf, includedRecordOf, referenceToText } from '../../field-types/reference-value.ts';
import { plainTitleOf, referenceKey, useRecordTitles } from '../record-titles.ts';
import { findObject } from '../metadata.ts';
import { useObjects } from '../../../api/queries.ts';
import { referenceValuesOf, relationIdsOf, type FilterItem, type FilterTarget } from './filter-model.ts';

/**
 * Titles of the records relation and reference conditions name, so a condition reads "Company is Acme", not an id:
 * by id for relations, by `object:id` (and by id) for references. One query per related object (record-titles.ts).
 */
export const useRelationTitles = (object: string, targets: readonly FilterTarget[], items: readonly FilterItem[]): ReadonlyMap<string, string> => {
  const relations = [...relationIdsOf(targets, items)].flatMap(([related, ids]) => ids.map((id) => ({ object: related, id })));
  const { references, bareIds } = referenceValuesOf(targets, items);
  const found = useReferencedRecords(object, bareIds);
  const named = useRecordTitles([...relations, ...references]);
  const titles = new Map<string, string>();
  for (const reference of relations) {
    const title = named.get(referenceKey(reference));
    if (title?.title) titles.set(reference.id, title.title);
  }
  for (const reference of references) {
    const title = named.get(referenceKey(reference));
    if (title?.title) titles.set(referenceToText(reference), title.title);
  }
  for (const [id, { title }] of found) if (title) titles.set(id, title);
  return titles;
};

/**
 * The object and title of records a saved reference filter names by id alone (a filter keeps ids, not objects):
 * read from a record of the listed object that points at each, with the reference included (one small query per id).
 * Ids no record points at stay unnamed.
 */
export const useReferencedRecords = (listed: string, bareIds: ReadonlyMap<string, readonly string[]>): ReadonlyMap<string, { reference: RecordReference; title: string | undefined }> => {
  const objects = useObjects().data;
  const wanted = [...bareIds].flatMap(([field, ids]) => ids.map((id) => ({ field, id })));
  const results = useQueries({
    queries: wanted.map(({ field, id }) => ({
      queryKey: ['records', listed, 'referenced', field, id],
      staleTime: 60_000,
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.post<RecordPage>(`/records/${encodeURIComponent(listed)}/query`, { filter: { field, op: 'eq', value: id }, fields: [field], include: [field], limit: 1 }, { signal }),
    })),
  });
  const found = new Map<string, { reference: RecordReference; title: string | undefined }>();
  results.forEach((result, index) => {
    const { field, id } = wanted[index]!;
    const value = result.data?.data[0]?.[field];
    const reference = referenceOf(value);
    if (!reference) return;
    const record = includedRecordOf(value);
    found.set(id, { reference, title: record ? plainTitleOf(findObject(objects, reference.object), record) : undefined });
  });
  return found;
};

