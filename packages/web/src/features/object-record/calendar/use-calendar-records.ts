import type { CalendarSettings, Filter, ObjectDefinition } from '@rapport/common';
import { MAX_PAGE_SIZE } from '@rapport/common';
import { useEffect, useMemo } from 'react';
import { useRecordPages } from '../../../api/queries.ts';
import { rangeFilterOf, withRange, type VisibleRange } from './calendar-model.ts';

/** Pages read at most for one range: a month of a busy team fits in one; beyond a few, the range is too full to read. */
const MAX_PAGES = 5;

/**
 * The records of the visible range only, with the view's filter (and segment) on top, under the list's query keys:
 * a change anywhere (a save here, a live event) reads them again. Every page of the range is read, up to a limit.
 */
export const useCalendarRecords = ({ object, settings, filter, segment, range }: { object: ObjectDefinition; settings: CalendarSettings; filter: Filter | undefined; segment: string | undefined; range: VisibleRange | undefined }) => {
  const rangeFilter = useMemo(() => (range ? withRange(filter, rangeFilterOf({ object, settings, range })) : undefined), [object, settings, filter, range]);
  const pages = useRecordPages({ object: object.name, filter: rangeFilter, sort: [settings.startField], segment, pageSize: MAX_PAGE_SIZE, enabled: Boolean(range) });
  const loaded = pages.data?.pages.length ?? 0;
  useEffect(() => {
    if (pages.hasNextPage && !pages.isFetchingNextPage && loaded < MAX_PAGES) void pages.fetchNextPage();
  }, [pages.hasNextPage, pages.isFetchingNextPage, loaded]);
  const records = useMemo(() => pages.data?.pages.flatMap((page) => page.data) ?? [], [pages.data]);
  return { records, isLoading: pages.isLoading || !range, isFetching: pages.isFetching, error: pages.error, isTruncated: Boolean(pages.hasNextPage) && loaded >= MAX_PAGES };
};
