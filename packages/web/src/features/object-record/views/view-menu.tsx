import type { ObjectDefinition, SavedView, SavedViewInput, ViewVisibility } from '@rapport/common';
import { Badge, Button, Group, Menu, Modal, Radio, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconChevronDown, IconDeviceFloppy, IconLock, IconPencil, IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useSession } from '../../auth/session.tsx';
import { FavouriteButton } from './favourite-button.tsx';
import { isViewChanged } from './view-state.ts';
import { useViewMutations } from './views-api.ts';

export interface ViewMenuProps {
  object: ObjectDefinition;
  /** The object's views the caller sees. */
  views: SavedView[];
  current: SavedView | undefined;
  /** What the page shows now, as a view body. */
  input: SavedViewInput;
  /** The table's own column order, which columns a view does not list follow. */
  defaultColumns?: readonly string[];
  onSelect(view: SavedView | undefined): void;
}

type Dialog = { kind: 'saveAs' } | { kind: 'rename' } | { kind: 'delete' } | undefined;

const SaveDialog = ({ title, initialName, withVisibility, isSaving, error, onSubmit, onClose }: {
  title: string;
  initialName: string;
  withVisibility: boolean;
  isSaving: boolean;
  error: string | undefined;
  onSubmit(name: string, visibility: ViewVisibility): void;
  onClose(): void;
}) => {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [visibility, setVisibility] = useState<ViewVisibility>('private');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) onSubmit(name.trim(), visibility);
  };
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput label={t('savedViews.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} required maxLength={200} data-autofocus error={error} />
          {withVisibility ? (
            <Radio.Group label={t('savedViews.visibility')} value={visibility} onChange={(value) => setVisibility(value as ViewVisibility)}>
              <Stack gap={6} mt={6}>
                <Radio value="private" label={t('savedViews.private')} description={t('savedViews.privateHelp')} />
                <Radio value="shared" label={t('savedViews.shared')} description={t('savedViews.sharedHelp')} />
              </Stack>
            </Radio.Group>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isSaving} disabled={!name.trim()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** The object's saved views: switch, save as new, save changes, rename, share, delete. */
export const ViewMenu = ({ object, views, current, input, defaultColumns, onSelect }: ViewMenuProps) => {
  const { t } = useTranslation();
  const { session } = useSession();
  const { create, update, remove } = useViewMutations();
  const [dialog, setDialog] = useState<Dialog>();
  const userId = session.status === 'signedIn' ? session.user.id : undefined;
  const isAdmin = session.status === 'signedIn' && session.user.isAdmin === true;
  const isOwner = Boolean(current && current.ownerId === userId);
  const canChange = Boolean(current && (isOwner || (current.visibility === 'shared' && isAdmin)));
  const isChanged = Boolean(current && isViewChanged(current, input, defaultColumns));
  const failed = (error: unknown) => notify({ message: problemMessage(t, error), color: 'red' });
  const fieldError = (error: unknown) => (isApiError(error) ? error.fieldErrors.map((item) => item.message).join(' ') || problemMessage(t, error) : undefined);

  const saveChanges = () => {
    if (!current) return;
    update.mutate({ id: current.id, ...input }, { onSuccess: (view) => { notify({ message: t('savedViews.saved', { name: view.name }) }); onSelect(view); }, onError: failed });
  };
  const setVisibility = (visibility: ViewVisibility) => {
    if (!current) return;
    update.mutate({ id: current.id, visibility }, { onSuccess: (view) => onSelect(view), onError: failed });
  };

  return (
    <Group gap={4} wrap="nowrap">
      <Menu position="bottom-start" shadow="md" width={280} withinPortal transitionProps={{ duration: 0 }}>
        <Menu.Target>
          <Button variant="default" rightSection={<IconChevronDown size={14} aria-hidden />}>
            <Group gap={6} wrap="nowrap">
              <VisuallyHidden>{t('savedViews.menuPrefix')}</VisuallyHidden>
              {current ? current.visibility === 'shared' ? <IconUsers size={14} aria-hidden /> : <IconLock size={14} aria-hidden /> : null}
              <Text size="sm" fw={500} truncate maw={220}>
                {current?.name ?? t('savedViews.allRecords')}
              </Text>
              {isChanged ? (
                <Badge size="xs" variant="light" color="orange">
                  {t('savedViews.edited')}
                </Badge>
              ) : null}
            </Group>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={current ? <span style={{ width: 14 }} /> : <IconCheck size={14} aria-hidden />} onClick={() => onSelect(undefined)}>
            {t('savedViews.allRecords')}
          </Menu.Item>
          {views.map((view) => (
            <Menu.Item
              key={view.id}
              leftSection={view.id === current?.id ? <IconCheck size={14} aria-hidden /> : <span style={{ width: 14 }} />}
              rightSection={view.visibility === 'shared' ? <IconUsers size={14} aria-label={t('savedViews.shared')} /> : <IconLock size={14} aria-label={t('savedViews.private')} />}
              onClick={() => onSelect(view)}
            >
              {view.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setDialog({ kind: 'saveAs' })}>
            {t('savedViews.saveAsNew')}
          </Menu.Item>
          {current ? (
            <>
              <Menu.Item leftSection={<IconDeviceFloppy size={14} aria-hidden />} disabled={!canChange || !isChanged} onClick={saveChanges}>
                {t('savedViews.saveChanges')}
              </Menu.Item>
              <Menu.Item leftSection={<IconPencil size={14} aria-hidden />} disabled={!canChange} onClick={() => setDialog({ kind: 'rename' })}>
                {t('savedViews.rename')}
              </Menu.Item>
              {isOwner ? (
                current.visibility === 'private' ? (
                  <Menu.Item leftSection={<IconUsers size={14} aria-hidden />} onClick={() => setVisibility('shared')}>
                    {t('savedViews.makeShared')}
                  </Menu.Item>
                ) : (
                  <Menu.Item leftSection={<IconLock size={14} aria-hidden />} onClick={() => setVisibility('private')}>
                    {t('savedViews.makePrivate')}
                  </Menu.Item>
                )
              ) : null}
              <Menu.Item leftSection={<IconTrash size={14} color="var(--mantine-color-red-filled)" aria-hidden />} disabled={!canChange} onClick={() => setDialog({ kind: 'delete' })}>
                {t('savedViews.delete')}
              </Menu.Item>
            </>
          ) : null}
        </Menu.Dropdown>
      </Menu>
      {current ? <FavouriteButton target={{ viewId: current.id }} name={current.name} /> : null}

      {dialog?.kind === 'saveAs' ? (
        <SaveDialog
          title={t('savedViews.saveAsNewTitle')}
          initialName=""
          withVisibility
          isSaving={create.isPending}
          error={create.error ? fieldError(create.error) : undefined}
          onClose={() => { create.reset(); setDialog(undefined); }}
          onSubmit={(name, visibility) =>
            create.mutate(
              { ...input, object: object.name, name, visibility },
              { onSuccess: (view) => { setDialog(undefined); notify({ message: t('savedViews.saved', { name: view.name }) }); onSelect(view); } },
            )
          }
        />
      ) : null}
      {dialog?.kind === 'rename' && current ? (
        <SaveDialog
          title={t('savedViews.renameTitle')}
          initialName={current.name}
          withVisibility={false}
          isSaving={update.isPending}
          error={update.error ? fieldError(update.error) : undefined}
          onClose={() => { update.reset(); setDialog(undefined); }}
          onSubmit={(name) => update.mutate({ id: current.id, name }, { onSuccess: (view) => { setDialog(undefined); onSelect(view); } })}
        />
      ) : null}
      {dialog?.kind === 'delete' && current ? (
        <Modal opened onClose={() => setDialog(undefined)} title={t('savedViews.deleteTitle', { name: current.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
          <Stack gap="md">
            <Text size="sm">{current.visibility === 'shared' ? t('savedViews.deleteSharedHelp') : t('savedViews.deleteHelp')}</Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setDialog(undefined)}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                loading={remove.isPending}
                onClick={() => remove.mutate(current.id, { onSuccess: () => { setDialog(undefined); notify({ message: t('savedViews.deleted', { name: current.name }) }); onSelect(undefined); }, onError: failed })}
              >
                {t('common.delete')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </Group>
  );
};
