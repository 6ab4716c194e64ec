import type { ObjectDefinition } from '@rapport/common';
import { Anchor, Badge, Button, Group, Skeleton, Text, Timeline } from '@mantine/core';
import { IconChecklist, IconCircleCheck, IconNote } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useRecordHistory, useRecordPages, useUsers } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { paths } from '../metadata.ts';
import { nameOf } from './activity-model.ts';
import { useHistoryItem } from './history-timeline.tsx';
import { TaskDueBadge } from './task-due-badge.tsx';
import { activityItem, historyItem, mergeTimeline, type TimelineItem } from './timeline-model.ts';

/** Notes and tasks read per page; the history reads 50 a page. */
const PAGE_SIZE = 20;

/** The notes or tasks linked to the record, newest first. */
const useActivityPages = (object: 'note' | 'task', link: string | undefined, recordId: string) =>
  useRecordPages({ object, filter: { field: link ?? '', op: 'eq', value: recordId }, sort: ['-createdAt'], pageSize: PAGE_SIZE, enabled: Boolean(link) });

const ActivityItem = ({ item }: { item: Extract<TimelineItem, { kind: 'note' | 'task' }> }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const { data: users = [] } = useUsers();
  const { record } = item;
  const isTask = item.kind === 'task';
  const isDone = isTask && record.status === 'done';
  const Icon = isTask ? (isDone ? IconCircleCheck : IconChecklist) : IconNote;
  const author = nameOf(users, record.owner ?? record.createdBy);
  const title = typeof record.title === 'string' && record.title.trim() !== '' ? record.title : t('fieldValue.untitled');
  return (
    <Timeline.Item
      bullet={<Icon size={12} aria-hidden />}
      color={isTask ? 'teal' : 'yellow'}
      title={<Text size="sm" fw={500} component="h3" m={0}>{t(isTask ? 'timeline.taskAdded' : 'timeline.noteAdded')}</Text>}
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
        <time dateTime={record.createdAt}>{format.dateTime(record.createdAt)}</time>
        {author ? ` · ${author}` : ''}
      </Text>
    </Timeline.Item>
  );
};

/**
 * Everything that happened to a record in one list, newest first: its changes (field history), and the
 * notes and tasks linked to it (dated when added). Each source is read page by page; "Show more" reads
 * the next page of the sources that hold the list back (timeline-model.ts).
 */
export const RecordTimeline = ({ object, recordId, noteLink, taskLink }: { object: ObjectDefinition; recordId: string; noteLink?: string | undefined; taskLink?: string | undefined }) => {
  const { t } = useTranslation();
  const history = useRecordHistory({ object: object.name, id: recordId });
  const notes = useActivityPages('note', noteLink, recordId);
  const tasks = useActivityPages('task', taskLink, recordId);
  const renderHistory = useHistoryItem(object);
  const sources = { history, note: notes, task: tasks };

  const merged = useMemo(
    () =>
      mergeTimeline([
        { name: 'history', items: history.data?.pages.flatMap((page) => page.data.map(historyItem)) ?? [], hasMore: history.hasNextPage },
        { name: 'note', items: noteLink ? (notes.data?.pages.flatMap((page) => page.data.map((record: ApiRecord) => activityItem('note', record))) ?? []) : [], hasMore: Boolean(noteLink) && notes.hasNextPage },
        { name: 'task', items: taskLink ? (tasks.data?.pages.flatMap((page) => page.data.map((record: ApiRecord) => activityItem('task', record))) ?? []) : [], hasMore: Boolean(taskLink) && tasks.hasNextPage },
      ]),
    [history.data, history.hasNextPage, notes.data, notes.hasNextPage, tasks.data, tasks.hasNextPage, noteLink, taskLink],
  );
  const active = [history, ...(noteLink ? [notes] : []), ...(taskLink ? [tasks] : [])];
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
