import type { ObjectDefinition, RecordReference } from '@rapport/common';
import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import { useObjects } from '../../api/queries.ts';
import type { ApiRecord, RecordPage } from '../../api/types.ts';
import { htmlToText } from '../field-types/html-text.ts';
import { findObject, recordTitleOf, titleFieldOf } from './metadata.ts';

/** A record's title as plain text: a rich-text title (a comment's body) is shown as its text, never as HTML. */
export const plainTitleOf = (object: ObjectDefinition | undefined, record: Partial<ApiRecord> | null | undefined): string | undefined => {
  const title = recordTitleOf(object, record);
  if (title === undefined || !object) return title;
  const field = object.fields.find((candidate) => candidate.name === titleFieldOf(object));
  return field?.type === 'richText' ? htmlToText(title) || undefined : title;
};

/** A record's title (undefined when its title field is empty); null for a record the reader cannot see. */
export type RecordTitle = { title: string | undefined } | null;

interface Waiter {
  object: ObjectDefinition;
  resolve(title: RecordTitle): void;
  reject(error: unknown): void;
}

// Ids asked for within one tick, per object: one query per object names them all (a table of a hundred rows
// pointing at people and companies asks twice, not a hundred times).
const pending = new Map<string, Map<string, Waiter[]>>();
let timer: ReturnType<typeof setTimeout> | undefined;
/** Ids per request: the API takes up to a thousand values in an `in` list. */
const CHUNK = 500;

const readTitles = async (object: ObjectDefinition, ids: string[]): Promise<Map<string, RecordTitle>> => {
  const titleField = titleFieldOf(object);
  const ask = (fields?: string[]) =>
    api.post<RecordPage>(`/records/${encodeURIComponent(object.name)}/query`, { filter: { field: 'id', op: 'in', value: ids }, limit: ids.length, ...(fields ? { fields } : {}) });
  let page: RecordPage;
  try {
    page = await ask(titleField ? [titleField] : undefined);
  } catch (error) {
    // The title field hidden from this reader: read the records as they may see them.
    if (!(titleField && isApiError(error) && error.status === 400)) throw error;
    page = await ask();
  }
  const titles = new Map<string, RecordTitle>(ids.map((id) => [id, null]));
  for (const record of page.data) titles.set(record.id.toLowerCase(), { title: plainTitleOf(object, record) });
  return titles;
};

const flush = () => {
  timer = undefined;
  const batches = [...pending];
  pending.clear();
  for (const [, byId] of batches) {
    const ids = [...byId.keys()];
    const object = byId.values().next().value![0]!.object;
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      readTitles(object, chunk).then(
        (titles) => {
          for (const id of chunk) for (const waiter of byId.get(id) ?? []) waiter.resolve(titles.get(id) ?? null);
        },
        (error: unknown) => {
          // An object the reader may not list at all names nothing; other failures are the query's error.
          const isHidden = isApiError(error) && (error.status === 403 || error.status === 404);
          for (const id of chunk) for (const waiter of byId.get(id) ?? []) (isHidden ? waiter.resolve(null) : waiter.reject(error));
        },
      );
    }
  }
};

/** The title of one record, read together with the others asked for in the same tick (one query per object). */
export const loadRecordTitle = (object: ObjectDefinition, id: string): Promise<RecordTitle> =>
  new Promise((resolve, reject) => {
    const key = id.toLowerCase();
    const byId = pending.get(object.name) ?? new Map<string, Waiter[]>();
    pending.set(object.name, byId);
    byId.set(key, [...(byId.get(key) ?? []), { object, resolve, reject }]);
    timer ??= setTimeout(flush, 0);
  });

/** Under the object's records key: a change to its records (live events, saves) names them again. */
export const recordTitleQuery = (object: ObjectDefinition | undefined, reference: RecordReference) =>
  queryOptions({
    queryKey: ['records', reference.object, 'title', reference.id.toLowerCase()] as const,
    // An object missing from the metadata is one the reader may not read: nothing to ask.
    queryFn: (): Promise<RecordTitle> => (object ? loadRecordTitle(object, reference.id) : Promise.resolve(null)),
    staleTime: 60_000,
  });

/** The title of the record a reference names (batched with the other titles asked for at the same time). */
export const useRecordTitle = (reference: RecordReference | undefined, enabled = true) => {
  const objects = useObjects().data;
  const object = findObject(objects, reference?.object);
  return useQuery({ ...recordTitleQuery(object, reference ?? { object: '', id: '' }), enabled: Boolean(reference && objects) && enabled });
};

export const referenceKey = (reference: RecordReference) => `${reference.object}:${reference.id.toLowerCase()}`;

/** Titles of many records of any objects, by `referenceKey`, read per object in one query each. */
export const useRecordTitles = (references: readonly RecordReference[]): ReadonlyMap<string, RecordTitle> => {
  const objects = useObjects().data;
  const unique = [...new Map(references.map((reference) => [referenceKey(reference), reference])).values()];
  const results = useQueries({ queries: unique.map((reference) => ({ ...recordTitleQuery(findObject(objects, reference.object), reference), enabled: Boolean(objects) })) });
  const titles = new Map<string, RecordTitle>();
  results.forEach((result, index) => {
    if (result.data !== undefined) titles.set(referenceKey(unique[index]!), result.data);
  });
  return titles;
};
