import type { ObjectDefinition } from '@rapport/common';
import { api, isApiError } from '../../../api/client.ts';
import { fetchAllUsers } from '../../../api/queries.ts';
import type { RecordPage, SearchHit } from '../../../api/types.ts';
import { findObject, recordTitleOf, titleFieldOf } from '../metadata.ts';
import { isUuid, matchRecord, matchUser, type MatchableRecord, type MatchableUser, type MatchResult } from './paste-matches.ts';
import { lookupKey, type PasteLookup } from './paste-values.ts';

// Searches run a few at a time: a pasted column of 200 names should not queue 200 requests at once.
const CONCURRENT_SEARCHES = 4;
const SEARCH_LIMIT = 20;

const inBatches = async <T>(items: readonly T[], size: number, run: (item: T) => Promise<void>) => {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
};

/**
 * Records of `target` whose title is exactly one of the names, in one query (`in` on the title field:
 * what a copy from this table pastes). Undefined when the title cannot be filtered that way.
 */
const findByExactTitle = async (target: ObjectDefinition, names: string[], signal?: AbortSignal): Promise<MatchableRecord[] | undefined> => {
  const titleField = titleFieldOf(target);
  if (!titleField) return undefined;
  try {
    const page = await api.post<RecordPage>(
      `/records/${encodeURIComponent(target.name)}/query`,
      { filter: { field: titleField, op: 'in', value: names }, fields: [titleField], limit: 1000 },
      { ...(signal ? { signal } : {}) },
    );
    return page.data.map((record) => ({ id: record.id, title: recordTitleOf(target, record) ?? '' }));
  } catch (error) {
    if (isApiError(error) && (error.status === 400 || error.status === 422)) return undefined;
    throw error;
  }
};

/** Records the search finds for a name (`GET /search`): case, accents and word order aside. */
const searchByTitle = async (target: ObjectDefinition, name: string, signal?: AbortSignal): Promise<MatchableRecord[]> => {
  const found = await api.get<{ data: SearchHit[] }>('/search', { q: name, objects: target.name, limit: SEARCH_LIMIT }, signal);
  return found.data.filter((hit) => hit.object === target.name).map((hit) => ({ id: hit.id, title: hit.label }));
};

/**
 * Finds the members and records named in pasted owner and relation cells, through the public API:
 * members from `GET /users`; records first by exact title (one query per related object), then, for
 * names not found that way, through the search, where a title equal but for case and accents counts.
 * Answers one result per `lookupKey`: the id, or why there is none (unknown or ambiguous).
 */
export const resolvePasteLookups = async ({ lookups, objects, signal }: {
  lookups: readonly PasteLookup[];
  objects: readonly ObjectDefinition[];
  signal?: AbortSignal;
}): Promise<Map<string, MatchResult>> => {
  const results = new Map<string, MatchResult>();
  const namesOf = (wanted: readonly PasteLookup[]) => [...new Map(wanted.flatMap((lookup) => lookup.texts.filter((text) => !isUuid(text)).map((text) => [lookupKey(lookup, text), text.trim()] as const))).entries()];

  const owners = namesOf(lookups.filter((lookup) => lookup.kind === 'owner'));
  if (owners.length > 0) {
    const members = await fetchAllUsers<MatchableUser>(signal);
    for (const [key, name] of owners) results.set(key, matchUser(members, name));
  }

  const targets = new Set(lookups.filter((lookup) => lookup.kind === 'relation').map((lookup) => lookup.target ?? ''));
  for (const targetName of targets) {
    const names = namesOf(lookups.filter((lookup) => lookup.kind === 'relation' && (lookup.target ?? '') === targetName));
    const target = findObject(objects, targetName);
    if (!target) {
      for (const [key] of names) results.set(key, { error: 'unknownRecord' });
      continue;
    }
    const exact = (await findByExactTitle(target, [...new Set(names.map(([, name]) => name))], signal)) ?? [];
    const rest: (readonly [string, string])[] = [];
    for (const [key, name] of names) {
      const same = exact.filter((record) => record.title.trim() === name);
      if (same.length > 0) results.set(key, matchRecord(same, name));
      else rest.push([key, name]);
    }
    await inBatches(rest, CONCURRENT_SEARCHES, async ([key, name]) => {
      results.set(key, matchRecord(await searchByTitle(target, name, signal), name));
    });
  }
  return results;
};
