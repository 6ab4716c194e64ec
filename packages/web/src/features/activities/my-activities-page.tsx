import type { ObjectDefinition } from '@rapport/common';
import { Anchor, Badge, Checkbox, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconCalendarEvent, IconChecklist, IconPhone } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { queryKeys, useObjects, useRecordPages } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useSession } from '../auth/session.tsx';
import { paths, recordTitleOf } from '../object-record/metadata.ts';
import { callDurationOf } from '../object-record/record-page/activity-model.ts';
import { TaskDueBadge } from '../object-record/record-page/task-due-badge.tsx';
import { bucketTasks, myMeetingsFilter, myOpenTasksFilter, myRecentCallsFilter, TASK_BUCKETS, type TaskBucket } from './my-activities-model.ts';

const LINKS = ['opportunity', 'company', 'person'] as const;
const MEETING_DAYS = 14;
const CALL_DAYS = 7;
const listStyle = { listStyle: 'none', margin: 0, padding: 0 } as const;

/** The record an activity is about, as a link: its `related` record, else the deal, the company, the person. */
const AboutLink = ({ record, objects }: { record: ApiRecord; objects: readonly ObjectDefinition[] }) => {
  // `related` (included as {object, id, record}) names any record; the typed links are read when it is absent.
  const related = record.related as { object?: unknown; record?: ApiRecord | null } | null | undefined;
  const candidates: [string, unknown][] = [
    ...(related && typeof related.object === 'string' ? [[related.object, related.record] as [string, unknown]] : []),
    ...LINKS.map((name): [string, unknown] => [name, record[name]]),
  ];
  for (const [name, linked] of candidates) {
    if (!linked || typeof linked !== 'object' || !('id' in linked)) continue;
    const object = objects.find((candidate) => candidate.name === name);
    const title = recordTitleOf(object, linked as ApiRecord);
    if (!title) continue;
    return (
      <Anchor component={Link} to={paths.record(name, String((linked as ApiRecord).id))} size="xs">
        {title}
      </Anchor>
    );
  }
  return null;
};

const Section = ({ id, title, icon, children }: { id: string; title: string; icon: ReactNode; children: ReactNode }) => (
  <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
    <Group gap="xs" mb="sm">
      {icon}
      <Title order={2} size="h4" id={id}>
        {title}
      </Title>
    </Group>
    {children}
  </Paper>
);

const BUCKET_COLOURS: Record<TaskBucket, string> = { overdue: 'red', today: 'orange', upcoming: 'blue', someday: 'gray' };

/**
 * `/activities`: what is on my plate: my open tasks (overdue, today, upcoming, no date), the meetings I organise or am invited to in
 * the next two weeks and the calls of the last week, each linked to the record it is about.
 */
export const MyActivitiesPage = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const { session } = useSession();
  const userId = session.status === 'signedIn' ? session.user.id : '';
  const { data: objects = [] } = useObjects();
  const has = (name: string) => objects.some((object) => object.name === name);
  const [now] = useState(() => new Date());
  useDocumentTitle(t('myActivities.title'));
  const include = ['related', ...LINKS];
  const tasks = useRecordPages({ object: 'task', filter: myOpenTasksFilter(userId), sort: ['dueAt'], include, pageSize: 200, enabled: Boolean(userId) && has('task') });
  const meetings = useRecordPages({ object: 'meeting', filter: useMemo(() => myMeetingsFilter(userId, now, MEETING_DAYS), [userId, now]), sort: ['start'], include, pageSize: 100, enabled: Boolean(userId) && has('meeting') });
  const calls = useRecordPages({ object: 'call', filter: myRecentCallsFilter(userId, CALL_DAYS), sort: ['-startedAt'], include, pageSize: 100, enabled: Boolean(userId) && has('call') });
  const complete = useMutation({
    mutationFn: (task: ApiRecord) => api.patch<ApiRecord>(`/records/task/${task.id}`, { status: 'done' }, { ifMatch: task.version }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.records('task') }),
  });
  const taskList = tasks.data?.pages.flatMap((page) => page.data) ?? [];
  const buckets = bucketTasks(taskList, now);
  const meetingList = meetings.data?.pages.flatMap((page) => page.data) ?? [];
  const callList = calls.data?.pages.flatMap((page) => page.data) ?? [];
  const callObject = objects.find((object) => object.name === 'call');
  const outcomeLabel = (value: unknown) => callObject?.fields.find((field) => field.name === 'outcome')?.options?.choices?.find((choice) => choice.value === value)?.label;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {t('myActivities.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('myActivities.subtitle')}
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section id="my-tasks" title={t('myActivities.tasks', { n: taskList.length })} icon={<IconChecklist size={20} aria-hidden />}>
            {tasks.isLoading ? (
              <Skeleton height={120} />
            ) : tasks.error ? (
              <Text size="sm" c="red" role="alert">{problemMessage(t, tasks.error)}</Text>
            ) : taskList.length === 0 ? (
              <Text size="sm" c="dimmed">{t('myActivities.noTasks')}</Text>
            ) : (
              <Stack gap="md">
                {TASK_BUCKETS.filter((bucket) => buckets[bucket].length > 0).map((bucket) => (
                  <div key={bucket}>
                    <Group gap={6} mb={6}>
                      <Badge color={BUCKET_COLOURS[bucket]} variant="light" tt="none" id={`bucket-${bucket}`}>
                        {t(`myActivities.bucket.${bucket}`)} · {buckets[bucket].length}
                      </Badge>
                    </Group>
                    <Stack gap={6} component="ul" style={listStyle} aria-labelledby={`bucket-${bucket}`}>
                      {buckets[bucket].map((task) => (
                        <li key={task.id}>
                          <Group gap="sm" wrap="nowrap" align="flex-start">
                            <Checkbox
                              mt={2}
                              checked={false}
                              disabled={complete.isPending && complete.variables?.id === task.id}
                              onChange={() => complete.mutate(task)}
                              aria-label={t('activities.completeTask', { title: String(task.title ?? '') })}
                            />
                            <div>
                              <Anchor component={Link} to={paths.record('task', task.id)} size="sm" fw={500}>
                                {String(task.title ?? '')}
                              </Anchor>
                              <Group gap={6} mt={2}>
                                <TaskDueBadge task={task} now={now.getTime()} />
                                {task.priority === 'high' ? <Badge size="sm" color="red" variant="outline" tt="none">{t('myActivities.highPriority')}</Badge> : null}
                                <AboutLink record={task} objects={objects} />
                              </Group>
                            </div>
                          </Group>
                        </li>
                      ))}
                    </Stack>
                  </div>
                ))}
              </Stack>
            )}
            {complete.error ? <Text size="sm" c="red" role="alert" mt="xs">{problemMessage(t, complete.error)}</Text> : null}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Section id="my-meetings" title={t('myActivities.meetings')} icon={<IconCalendarEvent size={20} aria-hidden />}>
              {meetings.isLoading ? (
                <Skeleton height={80} />
              ) : meetingList.length === 0 ? (
                <Text size="sm" c="dimmed">{t('myActivities.noMeetings')}</Text>
              ) : (
                <Stack gap={6} component="ul" style={listStyle} aria-label={t('myActivities.meetings')}>
                  {meetingList.map((meeting) => (
                    <li key={meeting.id}>
                      <Anchor component={Link} to={paths.record('meeting', meeting.id)} size="sm" fw={500}>
                        {String(meeting.title ?? '')}
                      </Anchor>
                      <Group gap={6}>
                        <Text size="xs" c="dimmed">
                          <time dateTime={String(meeting.start)}>{format.dateTime(String(meeting.start))}</time>
                        </Text>
                        {meeting.owner !== userId ? (
                          <Badge size="xs" variant="light" color="grape">
                            {t('myActivities.invited')}
                          </Badge>
                        ) : null}
                        <AboutLink record={meeting} objects={objects} />
                      </Group>
                    </li>
                  ))}
                </Stack>
              )}
            </Section>
            <Section id="my-calls" title={t('myActivities.calls')} icon={<IconPhone size={20} aria-hidden />}>
              {calls.isLoading ? (
                <Skeleton height={80} />
              ) : callList.length === 0 ? (
                <Text size="sm" c="dimmed">{t('myActivities.noCalls')}</Text>
              ) : (
                <Stack gap={6} component="ul" style={listStyle} aria-label={t('myActivities.calls')}>
                  {callList.map((call) => (
                    <li key={call.id}>
                      <Group gap={6}>
                        <Anchor component={Link} to={paths.record('call', call.id)} size="sm">
                          {typeof call.startedAt === 'string' ? format.dateTime(call.startedAt) : t('fieldValue.untitled')}
                        </Anchor>
                        {outcomeLabel(call.outcome) ? <Badge size="sm" variant="light" color={call.outcome === 'missed' ? 'red' : 'gray'} tt="none">{outcomeLabel(call.outcome)}</Badge> : null}
                        {callDurationOf(call.durationSeconds) ? <Text size="xs" c="dimmed">{callDurationOf(call.durationSeconds)}</Text> : null}
                        <AboutLink record={call} objects={objects} />
                      </Group>
                    </li>
                  ))}
                </Stack>
              )}
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
};
