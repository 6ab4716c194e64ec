import type { ObjectDefinition } from '@rapport/common';
import { Badge, Button, Checkbox, Group, Paper, Select, Skeleton, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { IconAlarm, IconCalendarEvent, IconChecklist, IconHistory, IconMessages, IconNote, IconPhone, IconTimeline } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys, useObjects, useUsers, type WorkspaceUser } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { activityLinksOf, activityLinkValueOf, fieldErrorOf, fromLocalInput, hasActivities, nameOf, type ActivityObject } from './activity-model.ts';
import { CallsTab } from './calls-tab.tsx';
import { MeetingsTab } from './meetings-tab.tsx';
import { HistoryEntries } from './history-timeline.tsx';
import { RecordTimeline } from './record-timeline.tsx';
import { TaskDueBadge } from './task-due-badge.tsx';
import { useActivities } from './use-activities.ts';
import classes from './activity-panel.module.css';

// The notes tab brings the rich-text editor (tiptap): read once the panel shows, so the timeline does not wait for it.
const loadNotesTab = () => import('./notes-tab.tsx');
const NotesTab = lazy(() => loadNotesTab().then((module) => ({ default: module.NotesTab })));

const TasksTab = ({ link, recordId, linkValue, users }: { link: string; recordId: string; linkValue: Record<string, unknown>; users: readonly WorkspaceUser[] }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const tasks = useActivities('task', link, recordId, 'dueAt');
  const [title, setTitle] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [reminderAt, setReminderAt] = useState('');
  const [assignee, setAssignee] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.records('task') });
  const create = useMutation({
    mutationFn: () =>
      api.post<ApiRecord>('/records/task', {
        title: title.trim(),
        ...linkValue,
        ...(fromLocalInput(dueAt) ? { dueAt: fromLocalInput(dueAt) } : {}),
        ...(fromLocalInput(reminderAt) ? { reminderAt: fromLocalInput(reminderAt) } : {}),
        ...(assignee ? { assignee } : {}),
      }),
    onSuccess: () => {
      setTitle('');
      setDueAt('');
      setReminderAt('');
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (task: ApiRecord) => api.patch<ApiRecord>(`/records/task/${task.id}`, { status: task.status === 'done' ? 'todo' : 'done' }, { ifMatch: task.version }),
    onSettled: refresh,
  });
  const fieldError = (name: string) => fieldErrorOf(create.error, name);
  const now = Date.now();

  return (
    <Stack gap="sm">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (title.trim()) create.mutate();
        }}
      >
        <Stack gap="xs">
          <TextInput label={t('activities.taskTitle')} value={title} onChange={(event) => setTitle(event.currentTarget.value)} required error={fieldError('title')} />
          <Group grow gap="xs" align="flex-start">
            <TextInput type="datetime-local" label={t('activities.due')} value={dueAt} onChange={(event) => setDueAt(event.currentTarget.value)} error={fieldError('dueAt')} />
            <TextInput type="datetime-local" label={t('activities.reminder')} value={reminderAt} onChange={(event) => setReminderAt(event.currentTarget.value)} error={fieldError('reminderAt')} />
          </Group>
          <Select
            label={t('activities.assignee')}
            data={users.map((user) => ({ value: user.id, label: user.name || user.email || user.id }))}
            value={assignee}
            onChange={setAssignee}
            clearable
            searchable
            placeholder={t('activities.assignToMe')}
          />
          {create.error && !fieldError('title') ? (
            <Text size="sm" c="red" role="alert">
              {problemMessage(t, create.error)}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button size="xs" type="submit" loading={create.isPending} disabled={!title.trim()}>
              {t('activities.addTask')}
            </Button>
          </Group>
        </Stack>
      </form>
      {tasks.isLoading ? (
        <Skeleton height={60} />
      ) : (tasks.data?.data.length ?? 0) === 0 ? (
        <Text size="sm" c="dimmed">
          {t('activities.noTasks')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" className={classes.list} aria-label={t('activities.tasks')}>
          {tasks.data!.data.map((task) => {
            const isDone = task.status === 'done';
            return (
              <li key={task.id} className={classes.task}>
                <Checkbox
                  checked={isDone}
                  onChange={() => toggle.mutate(task)}
                  label={<span className={isDone ? classes.done : undefined}>{String(task.title ?? '')}</span>}
                  aria-label={t(isDone ? 'activities.reopenTask' : 'activities.completeTask', { title: String(task.title ?? '') })}
                />
                <Group gap={6} ml={32} mt={2}>
                  <TaskDueBadge task={task} now={now} />
                  {typeof task.reminderAt === 'string' ? (
                    <Badge size="sm" variant="light" tt="none" color="orange" leftSection={<IconAlarm size={12} aria-hidden />}>
                      {format.dateTime(task.reminderAt)}
                    </Badge>
                  ) : null}
                  {nameOf(users, task.assignee) ? (
                    <Text size="xs" c="dimmed">
                      {nameOf(users, task.assignee)}
                    </Text>
                  ) : null}
                </Group>
              </li>
            );
          })}
        </Stack>
      )}
      {toggle.error ? (
        <Text size="sm" c="red" role="alert">
          {problemMessage(t, toggle.error)}
        </Text>
      ) : null}
    </Stack>
  );
};

/**
 * A record's activities: everything that happened in one timeline (the first tab), then its notes and discussion
 * (rich text, @mentions), its tasks (due date, reminder, done), meetings (planned with invitations), calls (logged by
 * hand or by the telephony integration) and its history of changes, for objects activities can link to.
 */
export const ActivityPanel = ({ object, recordId }: { object: ObjectDefinition; recordId: string }) => {
  const { t } = useTranslation();
  const headingId = useId();
  const { data: objects = [] } = useObjects();
  const { data: users = [] } = useUsers();
  const links = activityLinksOf(objects, object.name);
  const richText = Boolean(links.note || links.comment);
  useEffect(() => {
    if (richText) void loadNotesTab();
  }, [richText]);
  if (!hasActivities(links)) return null;
  const linkValue = (activity: ActivityObject, link: string) => activityLinkValueOf(objects, activity, link, object.name, recordId);
  const tab = (value: string, label: string, Icon: typeof IconNote) => (
    <Tabs.Tab value={value} leftSection={<Icon size={16} aria-hidden />}>
      {label}
    </Tabs.Tab>
  );
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="sm">
        {t('activities.title')}
      </Title>
      <Tabs defaultValue="all" keepMounted={false}>
        <Tabs.List mb="sm">
          {tab('all', t('timeline.all'), IconTimeline)}
          {links.note ? tab('notes', t('activities.notes'), IconNote) : null}
          {links.comment ? tab('discussion', t('activities.discussion'), IconMessages) : null}
          {links.task ? tab('tasks', t('activities.tasks'), IconChecklist) : null}
          {links.meeting ? tab('meetings', t('activities.meetings'), IconCalendarEvent) : null}
          {links.call ? tab('calls', t('activities.calls'), IconPhone) : null}
          {tab('history', t('history.title'), IconHistory)}
        </Tabs.List>
        <Tabs.Panel value="all">
          <RecordTimeline object={object} recordId={recordId} links={links} />
        </Tabs.Panel>
        {links.note ? (
          <Tabs.Panel value="notes">
            <Suspense fallback={<Skeleton height={120} />}>
              <NotesTab activity="note" link={links.note} recordId={recordId} linkValue={linkValue('note', links.note)} users={users} />
            </Suspense>
          </Tabs.Panel>
        ) : null}
        {links.comment ? (
          <Tabs.Panel value="discussion">
            <Suspense fallback={<Skeleton height={120} />}>
              <NotesTab activity="comment" link={links.comment} recordId={recordId} linkValue={linkValue('comment', links.comment)} users={users} />
            </Suspense>
          </Tabs.Panel>
        ) : null}
        {links.task ? (
          <Tabs.Panel value="tasks">
            <TasksTab link={links.task} recordId={recordId} linkValue={linkValue('task', links.task)} users={users} />
          </Tabs.Panel>
        ) : null}
        {links.meeting ? (
          <Tabs.Panel value="meetings">
            <MeetingsTab link={links.meeting} object={object.name} recordId={recordId} linkValue={linkValue('meeting', links.meeting)} users={users} />
          </Tabs.Panel>
        ) : null}
        {links.call ? (
          <Tabs.Panel value="calls">
            <CallsTab link={links.call} recordId={recordId} linkValue={linkValue('call', links.call)} users={users} callObject={objects.find((candidate) => candidate.name === 'call')} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="history">
          <HistoryEntries object={object} recordId={recordId} />
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
};
