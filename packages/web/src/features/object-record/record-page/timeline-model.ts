import type { ApiRecord, HistoryEntry } from '../../../api/types.ts';
import { activityTimeOf, type ActivityObject } from './activity-model.ts';

/** One line of a record's timeline: a change of the record, or an activity linked to it. */
export type TimelineItem =
  | { kind: 'history'; key: string; at: string; entry: HistoryEntry }
  | { kind: ActivityObject; key: string; at: string; record: ApiRecord };

/** A source of the timeline as loaded so far: its items newest first, and whether older pages remain. */
export interface TimelineSource {
  name: string;
  items: readonly TimelineItem[];
  hasMore: boolean;
}

export interface MergedTimeline {
  items: TimelineItem[];
  /** Sources to load the next page of before anything older can be shown. */
  toLoad: string[];
}

export const historyItem = (entry: HistoryEntry): TimelineItem => ({ kind: 'history', key: `history-${entry.id}`, at: entry.occurredAt, entry });

/** An activity, dated when it happened (a meeting's start, a call's start) or else when it was added. */
export const activityItem = (kind: ActivityObject, record: ApiRecord): TimelineItem => ({ kind, key: `${kind}-${record.id}`, at: activityTimeOf(kind, record), record });

const timeOf = (item: TimelineItem) => Date.parse(item.at);

/**
 * Merges the sources (each newest first) into one list, newest first. A source with older pages left
 * bounds the list: nothing older than its oldest loaded item is shown yet, since one of its next items
 * could come before it. `toLoad` names the sources that bound the list (load them for more).
 */
export const mergeTimeline = (sources: readonly TimelineSource[]): MergedTimeline => {
  const oldest = (source: TimelineSource) => {
    const last = source.items.at(-1);
    return last ? timeOf(last) : Number.POSITIVE_INFINITY;
  };
  const bounding = sources.filter((source) => source.hasMore);
  const horizon = Math.max(Number.NEGATIVE_INFINITY, ...bounding.map(oldest));
  const items = sources
    .flatMap((source) => source.items)
    .filter((item) => timeOf(item) >= horizon)
    .sort((a, b) => timeOf(b) - timeOf(a));
  return { items, toLoad: bounding.filter((source) => oldest(source) === horizon).map((source) => source.name) };
};
