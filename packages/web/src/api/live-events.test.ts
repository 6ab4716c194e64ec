import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventApplier, notificationsQueryKey, patchCachedData, type LiveEvent } from './live-events.ts';

const event = (overrides: Partial<LiveEvent>): LiveEvent => ({
  id: 1,
  type: 'record.updated',
  object: 'person',
  recordId: 'r1',
  changedFields: ['firstName'],
  payload: {},
  actorId: 'someone-else',
  ...overrides,
});

describe('live events', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('window', { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms) });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('should refetch each changed object once per burst, and the bell on a notification', () => {
    const invalidateQueries = vi.fn(async (_filter?: { queryKey?: unknown }) => undefined);
    const setQueriesData = vi.fn();
    const apply = createEventApplier({ invalidateQueries, setQueriesData }, { selfId: 'me', delayMs: 50 });

    apply(event({ id: 1, object: 'person' }));
    apply(event({ id: 2, object: 'person', recordId: 'r2' }));
    apply(event({ id: 3, object: 'company' }));
    apply(event({ id: 4, type: 'notification.created', object: 'notification' }));
    expect(invalidateQueries).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60);

    expect(invalidateQueries.mock.calls.map(([filter]) => filter?.queryKey)).toEqual([['records', 'person'], ['records', 'company'], notificationsQueryKey]);
    expect(setQueriesData).toHaveBeenCalledTimes(3);
  });

  it('should put the new values in cached lists and records at once, keeping included relations', () => {
    const changed = event({ payload: { id: 'r1', jobTitle: 'Pioneer', company: 'c2', version: 4 } });
    const list = { pages: [{ data: [{ id: 'r0', jobTitle: 'A' }, { id: 'r1', jobTitle: 'B', company: { id: 'c1', name: 'Acme' }, version: 3 }] }], pageParams: [null] };
    const patched = patchCachedData(list, changed) as typeof list;

    expect(patched.pages[0]!.data[1]).toEqual({ id: 'r1', jobTitle: 'Pioneer', company: { id: 'c1', name: 'Acme' }, version: 4 });
    expect(patched.pages[0]!.data[0]).toBe(list.pages[0]!.data[0]);
    expect(patchCachedData({ id: 'r1', jobTitle: 'B' }, changed)).toEqual({ id: 'r1', jobTitle: 'Pioneer', company: 'c2', version: 4 });
    const other = { pages: [{ data: [{ id: 'r9' }] }] };
    expect(patchCachedData(other, changed)).toBe(other);
    expect(patchCachedData(list, event({ type: 'record.deleted' }))).toBe(list);
  });

  it('should leave my own changes to the screens that made them', () => {
    const invalidateQueries = vi.fn(async (_filter?: { queryKey?: unknown }) => undefined);
    const setQueriesData = vi.fn();
    const apply = createEventApplier({ invalidateQueries, setQueriesData }, { selfId: 'me', delayMs: 50 });

    apply(event({ actorId: 'me' }));
    vi.advanceTimersByTime(60);

    expect(invalidateQueries).not.toHaveBeenCalled();
  });
});
