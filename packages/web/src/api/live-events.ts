import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { queryKeys } from './queries.ts';

/** An event of `GET /api/v1/events/stream` (the change feed, filtered by the server for this user). */
export interface LiveEvent {
  id: number;
  type: 'record.created' | 'record.updated' | 'record.deleted' | 'record.restored' | 'notification.created' | 'call.ringing';
  object: string;
  recordId: string;
  changedFields: string[];
  payload: Record<string, unknown>;
  actorId: string | null;
}

export const notificationsQueryKey = ['notifications'] as const;

// How long a row changed by someone else is marked.
const MARK_MS = 3000;
const marked = new Map<string, number>();
const listeners = new Set<() => void>();
let version = 0;

const notify = () => {
  version++;
  for (const listener of listeners) listener();
};

const markChanged = (recordId: string) => {
  marked.set(recordId, Date.now());
  notify();
  window.setTimeout(() => {
    if ((marked.get(recordId) ?? 0) + MARK_MS <= Date.now()) {
      marked.delete(recordId);
      notify();
    }
  }, MARK_MS + 20);
};

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** True for a few seconds after someone else changed the record: rows show a subtle mark. */
export const useIsChangedByOthers = (recordId: string): boolean =>
  useSyncExternalStore(
    subscribe,
    () => marked.has(recordId),
    () => false,
  );

/** For tests: how many marks changed so far. */
export const liveMarksVersion = () => version;

const isIncluded = (value: unknown) => typeof value === 'object' && value !== null && 'id' in value;

const patchRecord = (record: Record<string, unknown>, event: LiveEvent): Record<string, unknown> => {
  const patched = { ...record };
  // The event's values, except relations the screen shows as included records: the refetch brings those.
  for (const [key, value] of Object.entries(event.payload)) if (!isIncluded(record[key])) patched[key] = value;
  return patched;
};

/**
 * A cached record, page of records or infinite list with the event's new values, so the screen shows the
 * change at once, before the refetch that follows; anything else is returned as it is.
 */
export const patchCachedData = (data: unknown, event: LiveEvent): unknown => {
  if (event.type !== 'record.updated' || typeof data !== 'object' || data === null) return data;
  const value = data as Record<string, unknown>;
  if (value.id === event.recordId) return patchRecord(value, event);
  const patchList = (list: unknown) =>
    Array.isArray(list) && list.some((item) => (item as { id?: unknown })?.id === event.recordId)
      ? list.map((item: Record<string, unknown>) => (item.id === event.recordId ? patchRecord(item, event) : item))
      : list;
  if (Array.isArray(value.pages)) {
    const pages = value.pages.map((page: Record<string, unknown>) => {
      const patched = patchList(page?.data);
      return patched === page?.data ? page : { ...page, data: patched };
    });
    return pages.some((page, index) => page !== (value.pages as unknown[])[index]) ? { ...value, pages } : data;
  }
  const patched = patchList(value.data);
  return patched === value.data ? data : { ...value, data: patched };
};

/**
 * What an event means for the caches: the object's lists, the record and its history are refetched
 * (every key under `['records', object]`), once per burst of events; a notification refreshes the bell.
 */
export const createEventApplier = (queryClient: Pick<QueryClient, 'invalidateQueries' | 'setQueriesData'>, options: { selfId: string | null; delayMs?: number }) => {
  const objects = new Set<string>();
  let isNotified = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    for (const object of objects) void queryClient.invalidateQueries({ queryKey: queryKeys.records(object) });
    if (isNotified) void queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
    objects.clear();
    isNotified = false;
  };
  return (event: LiveEvent) => {
    // Addressed to this user, about no record's values: its own listeners handle it (onLiveEvent).
    if (event.type === 'call.ringing') return;
    if (event.type === 'notification.created') isNotified = true;
    // My own changes are already in the caches (each screen updates what it saved).
    else if (event.actorId === null || event.actorId !== options.selfId) {
      objects.add(event.object);
      queryClient.setQueriesData({ queryKey: queryKeys.records(event.object) }, (data: unknown) => patchCachedData(data, event));
      markChanged(event.recordId);
    }
    timer ??= setTimeout(flush, options.delayMs ?? 100);
  };
};

const EVENT_TYPES: LiveEvent['type'][] = ['record.created', 'record.updated', 'record.deleted', 'record.restored', 'notification.created', 'call.ringing'];

const eventListeners = new Set<(event: LiveEvent) => void>();

/** Every event of the stream, as it arrives (a feature's own reaction, e.g. a ringing call); returns the unsubscribe. */
export const onLiveEvent = (listener: (event: LiveEvent) => void): (() => void) => {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
};

/**
 * Follows the change feed while signed in (server-sent events with the session cookie; the browser
 * reconnects by itself with Last-Event-ID) and keeps the TanStack Query caches up to date.
 */
export const useLiveEvents = (selfId: string | null) => {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!selfId || typeof EventSource === 'undefined') return;
    const apply = createEventApplier(queryClient, { selfId });
    const source = new EventSource('/api/v1/events/stream', { withCredentials: true });
    const onMessage = (message: MessageEvent<string>) => {
      try {
        const event = JSON.parse(message.data) as LiveEvent;
        apply(event);
        for (const listener of eventListeners) listener(event);
      } catch {
        // A malformed message is skipped; the next refetch repairs anything missed.
      }
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onMessage);
    return () => source.close();
  }, [queryClient, selfId]);
};
