import { Paper, Text, UnstyledButton } from '@mantine/core';
import { Link, RichTextEditor } from '@mantine/tiptap';
import '@mantine/tiptap/styles.css';
import Mention from '@tiptap/extension-mention';
import Placeholder from '@tiptap/extension-placeholder';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import type { SuggestionKeyDownProps, SuggestionProps } from '@tiptap/suggestion';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkspaceUser } from '../../../api/queries.ts';
import { findMentionCandidates, type MentionableTeam, type MentionCandidate } from './mention-candidates.ts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import classes from './activity-panel.module.css';

interface SuggestionState {
  items: MentionCandidate[];
  rect: DOMRect | null;
  selected: number;
  command(item: MentionCandidate): void;
}

// Mentions are stored as `<span data-type="mention" data-id="<user id>" data-label="Name">@Name</span>`: the server notifies the ids.
const mentionExtension = (usersRef: { current: readonly WorkspaceUser[] }, teamsRef: { current: readonly MentionableTeam[] }, setSuggestion: (state: SuggestionState | null) => void, keyRef: { current: (event: KeyboardEvent) => boolean }) =>
  Mention.configure({
    HTMLAttributes: { class: classes.mention },
    suggestion: {
      items: ({ query }) => findMentionCandidates(usersRef.current, query, teamsRef.current),
      render: () => {
        let current: SuggestionState | null = null;
        const show = (props: SuggestionProps<MentionCandidate>) => {
          current = { items: props.items, rect: props.clientRect?.() ?? null, selected: 0, command: (item) => props.command({ id: item.id, label: item.label }) };
          setSuggestion(current);
        };
        return {
          onStart: show,
          onUpdate: show,
          onKeyDown: ({ event }: SuggestionKeyDownProps) => keyRef.current(event),
          onExit: () => setSuggestion(null),
        };
      },
    },
  });

export const noteExtensions = (placeholder?: string) => [StarterKit.configure({ link: false }), Link, ...(placeholder ? [Placeholder.configure({ placeholder })] : [])];

/** A rich-text note editor with a toolbar and @mentions of the workspace's users and teams. */
export const NoteEditor = ({ users, onEditor, label }: { users: readonly WorkspaceUser[]; onEditor(editor: Editor | null): void; label: string }) => {
  const { t } = useTranslation();
  const usersRef = useRef(users);
  usersRef.current = users;
  // Everyone may list the teams; mentioning one tells its members.
  const teams = useQuery({ queryKey: ['teams', 'mentionable'], queryFn: async ({ signal }) => (await api.get<{ data: MentionableTeam[] }>('/teams', undefined, signal)).data, staleTime: 60_000 });
  const teamsRef = useRef<readonly MentionableTeam[]>([]);
  teamsRef.current = teams.data ?? [];
  const [suggestion, setSuggestion] = useState<SuggestionState | null>(null);
  const suggestionRef = useRef(suggestion);
  suggestionRef.current = suggestion;
  const keyRef = useRef((event: KeyboardEvent) => {
    const state = suggestionRef.current;
    if (!state || state.items.length === 0) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setSuggestion({ ...state, selected: (state.selected + step + state.items.length) % state.items.length });
      return true;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      state.command(state.items[state.selected]!);
      return true;
    }
    return false;
  });
  const editor = useEditor({
    extensions: [...noteExtensions(t('activities.notePlaceholder')), mentionExtension(usersRef, teamsRef, setSuggestion, keyRef)],
    editorProps: { attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox' } },
    immediatelyRender: true,
  });
  useEffect(() => {
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);

  return (
    <>
      <RichTextEditor editor={editor} className={classes.editor}>
        <RichTextEditor.Toolbar>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Strikethrough />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
            <RichTextEditor.Link />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
        <RichTextEditor.Content />
      </RichTextEditor>
      {suggestion && suggestion.rect ? (
        <Paper
          withBorder
          shadow="md"
          className={classes.suggestions}
          style={{ top: suggestion.rect.bottom + 4, left: suggestion.rect.left }}
          role="listbox"
          aria-label={t('activities.mentionSuggestions')}
        >
          {suggestion.items.length === 0 ? (
            <Text size="sm" c="dimmed" px="sm" py={6}>
              {t('activities.noMentionMatch')}
            </Text>
          ) : (
            suggestion.items.map((item, index) => (
              <UnstyledButton
                key={item.id}
                role="option"
                aria-selected={index === suggestion.selected}
                className={classes.suggestion}
                data-selected={index === suggestion.selected || undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  suggestion.command(item);
                }}
              >
                {item.label}
                {item.isTeam ? (
                  <Text span size="xs" c="dimmed" ml={6}>
                    {t('activities.mentionTeam')}
                  </Text>
                ) : null}
              </UnstyledButton>
            ))
          )}
        </Paper>
      ) : null}
    </>
  );
};

/** A stored note shown read-only: the editor's schema keeps only the markup it knows (no scripts, no foreign attributes). */
export const NoteBody = ({ html }: { html: string }) => {
  const editor = useEditor({
    extensions: [...noteExtensions(), Mention.configure({ HTMLAttributes: { class: classes.mention } })],
    content: html,
    editable: false,
    // Shown, not edited: no textbox for assistive technology.
    editorProps: { attributes: { role: 'document' } },
    immediatelyRender: true,
  });
  useEffect(() => {
    if (editor && editor.getHTML() !== html) editor.commands.setContent(html);
  }, [editor, html]);
  return <EditorContent editor={editor} className={classes.noteBody} />;
};
