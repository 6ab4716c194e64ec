import type { ObjectDefinition } from '@rapport/common';
import { Anchor, Badge, Button, Group, Skeleton, Text, Timeline } from '@mantine/core';
import { IconCalendarEvent, IconChecklist, IconCircleCheck, IconMessage, IconNote, IconPhone, type Icon as TablerIcon } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useObjects, useRecordHistory, useRecordPages, useUsers } from '../../../api/queries.ts';
import { useLabels } from '../labels.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { paths } from '../metadata.ts';
import { ACTIVITY_OBJECTS, callDurationOf, nameOf, type ActivityLinks, type ActivityObject } from './activity-model.ts';
import { useHistoryItem } from './history-timeline.tsx';
import { TaskDueBadge } from './task-due-badge.tsx';
import { activityItem, historyItem, mergeTimeline, type TimelineItem } from './timeline-model.ts';

/** Activities read per page; the history reads 50 a page. */
const PAGE_SIZE = 20;

/** The field each activity is ordered by in the timeline: when it happened. */
const TIME_FIELD: Record<ActivityObject, string> = { note: 'createdAt', comment: 'createdAt', task: 'createdAt', meeting: 'start', call: 'startedAt' };

/** The activities of one object linked to the record, latest first. */
const useActivityPages = (object: ActivityObject, link: string | undefined, recordId: string) =>
  useRecordPages({ object, filter: { field: link ?? '', op: 'eq', value: recordId }, sort: [`-${TIME_FIELD[object]}`], pageSize: PAGE_SIZE, enabled: Boolean(link) });

const LOOK: Record<ActivityObject, { color: string; heading: string; icon: TablerIcon }> = {
  note: { color: 'yellow', heading: 'timeline.noteAdded', icon: IconNote },
  comment: { color: 'grape', heading: 'timeline.commentAdded', icon: IconMessage },
  task: { color: 'teal', heading: 'timeline.taskAdded', icon: IconChecklist },
  meeting: { color: 'blue', heading: 'timeline.meetingPlanned', icon: IconCalendarEvent },
  call: { color: 'cyan', heading: 'timeline.callLogged', icon: IconPhone },
};

/** What names an activity in the timeline: its title, a call's subject, a comment's text. */
const activityTitleOf = (record: ApiRecord): string | null => {
  for (const field of ['title', 'subject']) {
    const value = record[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  if (typeof record.body === 'string') {
    const text = record.body.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
    if (text) return text.length > 140 ? `${text.slice(0, 139)}…` : text;
  }
  return null;
};

const ActivityItem = ({ item }: { item: Extract<TimelineItem, { kind: ActivityObject }> }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const { data: users = [] } = useUsers();
  const { data: objects = [] } = useObjects();
  const labels = useLabels();
  const { record } = item;
  const isTask = item.kind === 'task';
  // A call without a subject is named by how it went: "Inbound · Connected".
  const callObject = item.kind === 'call' ? objects.find((candidate) => candidate.name === 'call') : undefined;
  const choiceOf = (field: string) => {
    const definition = callObject?.fields.find((candidate) => candidate.name === field);
    const choice = definition?.options?.choices?.find((candidate) => candidate.value === record[field]);
    return callObject && definition && choice ? labels.choice(callObject, definition, choice) : null;
  };
  const callTitle = callObject ? [choiceOf('direction'), choiceOf('outcome')].filter(Boolean).join(' · ') || null : null;
  const isDone = isTask && record.status === 'done';
  const look = LOOK[item.kind];
  const Icon = isDone ? IconCircleCheck : look.icon;
  const author = nameOf(users, record.owner ?? record.createdBy);
  const duration = item.kind === 'call' ? callDurationOf(record.durationSeconds) : null;
  const title = activityTitleOf(record) ?? callTitle ?? duration ?? t('fieldValue.untitled');
  return (
    <Timeline.Item
      bullet={<Icon size={12} aria-hidden />}
      color={look.color}
      title={<Text size="sm" fw={500} component="h3" m={0}>{t(look.heading as 'timeline.noteAdded')}</Text>}
    >
      <Anchor component={Link} to={paths.record(item.kind, record.id)} size="sm" lineClamp={2}>
        {title}
      </Anchor>
      {isTask ? (
        <Group gap={6} mt={4}>
          {isDone ? <Badge size="sm" variant="light" color="teal" tt="none">{t('timeline.done')}</Badge> : null}
          <TaskDueBadge task={record} now={Date.now()} />
        </Group>
      ) : null}
      <Text size="xs" c="dimmed" mt={4}>
        <time dateTime={item.at}>{format.dateTime(item.at)}</time>
        {duration && title !== duration ? ` · ${duration}` : ''}
        {author ? ` · ${author}` : ''}
      </Text>
    </Timeline.Item>
  );
};

/**
 * Everything that happened to a record in one list, newest first: its changes (field history), and the activities
 * linked to it (notes, comments and tasks when added, meetings and calls when they happen). Each source is read page
 * by page; "Show more" reads the next page of the sources that hold the list back (timeline-model.ts).
 */
export const RecordTimeline = ({ object, recordId, links }: { object: ObjectDefinition; recordId: string; links: ActivityLinks }) => {
  const { t } = useTranslation();
  const history = useRecordHistory({ object: object.name, id: recordId });
  // One hook per activity object, always called in the same order.
  const activities = {
    note: useActivityPages('note', links.note, recordId),
    comment: useActivityPages('comment', links.comment, recordId),
    task: useActivityPages('task', links.task, recordId),
    meeting: useActivityPages('meeting', links.meeting, recordId),
    call: useActivityPages('call', links.call, recordId),
  };
  const renderHistory = useHistoryItem(object);
  const linked = ACTIVITY_OBJECTS.filter((kind) => Boolean(links[kind]));
  const sources = { history, ...activities };

  const merged = useMemo(
    () =>
      mergeTimeline([
        { name: 'history', items: history.data?.pages.flatMap((page) => page.data.map(historyItem)) ?? [], hasMore: history.hasNextPage },
        ...linked.map((kind) => ({
          name: kind,
          items: activities[kind].data?.pages.flatMap((page) => page.data.map((record: ApiRecord) => activityItem(kind, record))) ?? [],
          hasMore: activities[kind].hasNextPage,
        })),
      ]),
    // Recomputed when a page of any source arrives.
    [history.data, history.hasNextPage, ...ACTIVITY_OBJECTS.flatMap((kind) => [activities[kind].data, activities[kind].hasNextPage]), linked.join()],
  );
  const active = [history, ...linked.map((kind) => activities[kind])];
  const error = active.find((query) => query.error)?.error;
  const isFetchingMore = active.some((query) => query.isFetchingNextPage);

  if (active.some((query) => query.isLoading)) return <Skeleton height={80} />;
  if (error) return <Text size="sm" c="red" role="alert">{problemMessage(t, error)}</Text>;
  return (
    <>
      {merged.items.length === 0 ? (
        <Text size="sm" c="dimmed">{t('timeline.empty')}</Text>
      ) : (
        <Timeline bulletSize={24} lineWidth={2}>
          {merged.items.map((item) => (item.kind === 'history' ? renderHistory(item.entry) : <ActivityItem key={item.key} item={item} />))}
        </Timeline>
      )}
      {merged.toLoad.length > 0 ? (
        <Button variant="subtle" size="xs" mt="sm" loading={isFetchingMore} onClick={() => merged.toLoad.forEach((name) => void sources[name as keyof typeof sources].fetchNextPage())}>
          {t('timeline.more')}
        </Button>
      ) : null}
    </>
  );
};
