import { Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Editor } from '@tiptap/react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys, type WorkspaceUser } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { isBlankHtml, nameOf, noteTitleOf } from './activity-model.ts';
import { NoteBody, NoteEditor } from './note-editor.tsx';
import { useActivities } from './use-activities.ts';
import classes from './activity-panel.module.css';

interface NotesTabProps {
  /** Notes (titled by their first line) or the record's discussion (comments, which name the record they are about). */
  activity: 'note' | 'comment';
  link: string;
  recordId: string;
  /** What a note made here writes to link itself (activityLinkValueOf). */
  linkValue: Record<string, unknown>;
  users: readonly WorkspaceUser[];
}

/**
 * A record's notes, or its discussion, in rich text with @mentions (the server notifies who is mentioned), and the
 * editor to add one (loaded with the tab: it brings tiptap).
 */
export const NotesTab = ({ activity, link, recordId, linkValue, users }: NotesTabProps) => {
  const isComment = activity === 'comment';
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [editor, setEditor] = useState<Editor | null>(null);
  const onEditor = useCallback((instance: Editor | null) => setEditor(instance), []);
  const notes = useActivities(activity, link, recordId, '-createdAt');
  const save = useMutation({
    mutationFn: (body: string) =>
      api.post<ApiRecord>(
        `/records/${activity}`,
        isComment ? { ...linkValue, body } : { ...linkValue, title: noteTitleOf(editor?.getText() ?? ''), body },
      ),
    onSuccess: () => {
      editor?.commands.clearContent(true);
      void queryClient.invalidateQueries({ queryKey: queryKeys.records(activity) });
    },
  });
  const submit = () => {
    const html = editor?.getHTML() ?? '';
    if (!isBlankHtml(html)) save.mutate(html);
  };

  return (
    <Stack gap="sm">
      <NoteEditor users={users} onEditor={onEditor} label={t(isComment ? 'activities.commentLabel' : 'activities.noteLabel')} />
      {save.error ? (
        <Text size="sm" c="red" role="alert">
          {problemMessage(t, save.error)}
        </Text>
      ) : null}
      <Group justify="flex-end">
        <Button size="xs" onClick={submit} loading={save.isPending}>
          {t(isComment ? 'activities.addComment' : 'activities.addNote')}
        </Button>
      </Group>
      {notes.isLoading ? (
        <Skeleton height={60} />
      ) : (notes.data?.data.length ?? 0) === 0 ? (
        <Text size="sm" c="dimmed">
          {t(isComment ? 'activities.noComments' : 'activities.noNotes')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" className={classes.list} aria-label={t(isComment ? 'activities.discussion' : 'activities.notes')}>
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
