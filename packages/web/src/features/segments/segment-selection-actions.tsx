import type { ObjectDefinition, Segment } from '@rapport/common';
import { Button, Menu, Modal, Stack, TextInput, Group } from '@mantine/core';
import { IconListDetails, IconPlaylistAdd, IconPlaylistX, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { useSession } from '../auth/session.tsx';
import { canChangeSegment, useSegmentMutations, useSegments } from './segments-api.ts';

export interface SegmentSelectionActionsProps {
  object: ObjectDefinition;
  /** The selected records. */
  ids: string[];
  /** The segment the table shows, if any: a static one offers "remove from this list". */
  current: Segment | undefined;
  /** The rows removed from the list shown: they leave the table, and the selection. */
  onRemoved(ids: readonly string[]): void;
}

/** Bulk actions on the selected rows: add them to a static segment (or a new one), remove them from the list shown. */
export const SegmentSelectionActions = ({ object, ids, current, onRemoved }: SegmentSelectionActionsProps) => {
  const { t } = useTranslation();
  const { session } = useSession();
  const user = session.status === 'signedIn' ? session.user : undefined;
  const segments = useSegments();
  const { create, addMembers, removeMembers } = useSegmentMutations(object.name);
  const [isNaming, setIsNaming] = useState(false);
  const [name, setName] = useState('');
  const lists = (segments.data ?? []).filter((segment) => segment.object === object.name && segment.kind === 'static' && canChangeSegment(segment, user));
  const failed = (error: unknown) => notify({ message: problemMessage(t, error), color: 'red' });

  const addTo = (segment: Segment) =>
    addMembers.mutate(
      { id: segment.id, ids },
      { onSuccess: (change) => notify({ message: t('segments.added', { count: change.changed, name: segment.name, total: change.memberCount }) }), onError: failed },
    );
  const createList = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), kind: 'static' },
      {
        onSuccess: (segment) => {
          setIsNaming(false);
          setName('');
          addTo(segment);
        },
        onError: failed,
      },
    );
  };

  return (
    <>
      <Menu position="bottom-start" shadow="md" width={260} withinPortal transitionProps={{ duration: 0 }}>
        <Menu.Target>
          <Button size="compact-sm" variant="light" leftSection={<IconPlaylistAdd size={14} aria-hidden />} loading={addMembers.isPending}>
            {t('segments.addToList')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {lists.map((segment) => (
            <Menu.Item key={segment.id} leftSection={<IconListDetails size={14} aria-hidden />} onClick={() => addTo(segment)}>
              {segment.name}
            </Menu.Item>
          ))}
          {lists.length > 0 ? <Menu.Divider /> : null}
          <Menu.Item leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setIsNaming(true)}>
            {t('segments.newList')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {current?.kind === 'static' && canChangeSegment(current, user) ? (
        <Button
          size="compact-sm"
          variant="light"
          color="orange"
          leftSection={<IconPlaylistX size={14} aria-hidden />}
          loading={removeMembers.isPending}
          onClick={() =>
            removeMembers.mutate(
              { id: current.id, ids },
              {
                onSuccess: (change) => {
                  onRemoved(ids);
                  notify({ message: t('segments.removed', { count: change.changed, name: current.name }) });
                },
                onError: failed,
              },
            )
          }
        >
          {t('segments.removeFromList', { name: current.name })}
        </Button>
      ) : null}
      {isNaming ? (
        <Modal opened onClose={() => setIsNaming(false)} title={t('segments.newListTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
          <form onSubmit={createList}>
            <Stack gap="md">
              <TextInput label={t('segments.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} required maxLength={200} data-autofocus />
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setIsNaming(false)}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                  {t('segments.createAndAdd', { count: ids.length })}
                </Button>
              </Group>
            </Stack>
          </form>
        </Modal>
      ) : null}
    </>
  );
};
