import type { ObjectDefinition } from '@rapport/common';
import { Badge, Button, Checkbox, Group, Paper, Select, Skeleton, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { IconAlarm, IconCalendarDue, IconChecklist, IconNote } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Editor } from '@tiptap/react';
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys, useObjects, useUsers, type WorkspaceUser } from '../../../api/queries.ts';
import type { ApiRecord, RecordPage } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { activityLinkOf, fromLocalInput, isBlankHtml, noteTitleOf } from './activity-model.ts';
import { NoteBody, NoteEditor } from './note-editor.tsx';
import classes from './activity-panel.module.css';

const useActivities = (activity: string, link: string | undefined, recordId: string, sort: string) =>
  useQuery({
    queryKey: [...queryKeys.records(activity), 'activities', link, recordId, sort],
    queryFn: ({ signal }) =>
      api.get<RecordPage>(`/records/${activity}`, { filter: JSON.stringify({ field: link, op: 'eq', value: recordId }), sort, limit: 50 }, signal),
    enabled: Boolean(link),
  });

const nameOf = (users: readonly WorkspaceUser[], id: unknown) => {
  const user = users.find((candidate) => candidate.id === id);
  return user ? user.name || user.email || null : null;
};

const NotesTab = ({ link, recordId, users }: { link: string; recordId: string; users: readonly WorkspaceUser[] }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [editor, setEditor] = useState<Editor | null>(null);
  const onEditor = useCallback((instance: Editor | null) => setEditor(instance), []);
  const notes = useActivities('note', link, recordId, '-createdAt');
  const save = useMutation({
    mutationFn: (body: string) => api.post<ApiRecord>('/records/note', { [link]: recordId, title: noteTitleOf(editor?.getText() ?? ''), body }),
    onSuccess: () => {
      editor?.commands.clearContent(true);
      void queryClient.invalidateQueries({ queryKey: queryKeys.records('note') });
    },
  });
  const submit = () => {
    const html = editor?.getHTML() ?? '';
    if (!isBlankHtml(html)) save.mutate(html);
  };

  return (
    <Stack gap="sm">
      <NoteEditor users={users} onEditor={onEditor} label={t('activities.noteLabel')} />
      {save.error ? (
        <Text size="sm" c="red" role="alert">
          {problemMessage(t, save.error)}
        </Text>
      ) : null}
      <Group justify="flex-end">
        <Button size="xs" onClick={submit} loading={save.isPending}>
          {t('activities.addNote')}
        </Button>
      </Group>
      {notes.isLoading ? (
        <Skeleton height={60} />
      ) : (notes.data?.data.length ?? 0) === 0 ? (
        <Text size="sm" c="dimmed">
          {t('activities.noNotes')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" className={classes.list} aria-label={t('activities.notes')}>
          {notes.data!.data.map((note) => (
            <Paper key={note.id} component="li" withBorder radius="sm" p="sm" className={classes.note}>
              <NoteBody html={typeof note.body === 'string' ? note.body : ''} />
              <Text size="xs" c="dimmed" mt={4}>
                <time dateTime={note.createdAt}>{format.dateTime(note.createdAt)}</time>
                {nameOf(users, note.owner ?? note.createdBy) ? ` · ${nameOf(users, note.owner ?? note.createdBy)}` : ''}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
};

const TasksTab = ({ link, recordId, users }: { link: string; recordId: string; users: readonly WorkspaceUser[] }) => {
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
        [link]: recordId,
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
  const fieldError = (name: string) => (create.error && 'fieldErrors' in create.error ? (create.error as { fieldErrors: { field: string; message: string }[] }).fieldErrors.find((error) => error.field === name)?.message : undefined);
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
            const due = typeof task.dueAt === 'string' ? task.dueAt : null;
            const isOverdue = !isDone && due !== null && new Date(due).getTime() < now;
            return (
              <li key={task.id} className={classes.task}>
                <Checkbox
                  checked={isDone}
                  onChange={() => toggle.mutate(task)}
                  label={<span className={isDone ? classes.done : undefined}>{String(task.title ?? '')}</span>}
                  aria-label={t(isDone ? 'activities.reopenTask' : 'activities.completeTask', { title: String(task.title ?? '') })}
                />
                <Group gap={6} ml={32} mt={2}>
                  {due ? (
                    <Badge size="sm" variant="light" tt="none" color={isOverdue ? 'red' : 'gray'} leftSection={<IconCalendarDue size={12} aria-hidden />}>
                      {isOverdue ? t('activities.overdue', { date: format.dateTime(due) }) : format.dateTime(due)}
                    </Badge>
                  ) : null}
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

/** Notes (rich text, @mentions) and tasks (due date, reminder, done) of a record, for objects activities can link to. */
export const ActivityPanel = ({ object, recordId }: { object: ObjectDefinition; recordId: string }) => {
  const { t } = useTranslation();
  const headingId = useId();
  const { data: objects = [] } = useObjects();
  const { data: users = [] } = useUsers();
  const noteLink = activityLinkOf(objects.find((candidate) => candidate.name === 'note'), object.name);
  const taskLink = activityLinkOf(objects.find((candidate) => candidate.name === 'task'), object.name);
  if (!noteLink && !taskLink) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="sm">
        {t('activities.title')}
      </Title>
      <Tabs defaultValue={noteLink ? 'notes' : 'tasks'} keepMounted={false}>
        <Tabs.List mb="sm">
          {noteLink ? (
            <Tabs.Tab value="notes" leftSection={<IconNote size={16} aria-hidden />}>
              {t('activities.notes')}
            </Tabs.Tab>
          ) : null}
          {taskLink ? (
            <Tabs.Tab value="tasks" leftSection={<IconChecklist size={16} aria-hidden />}>
              {t('activities.tasks')}
            </Tabs.Tab>
          ) : null}
        </Tabs.List>
        {noteLink ? (
          <Tabs.Panel value="notes">
            <NotesTab link={noteLink} recordId={recordId} users={users} />
          </Tabs.Panel>
        ) : null}
        {taskLink ? (
          <Tabs.Panel value="tasks">
            <TasksTab link={taskLink} recordId={recordId} users={users} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Paper>
  );
};
