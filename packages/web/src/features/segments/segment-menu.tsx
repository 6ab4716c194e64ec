import type { Filter, ObjectDefinition, Segment, SegmentKind, ViewVisibility } from '@rapport/common';
import { Badge, Button, Group, Menu, Modal, Radio, Stack, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconChevronDown, IconFilter, IconListDetails, IconPencil, IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useSession } from '../auth/session.tsx';
import { canChangeSegment, useSegmentMutations } from './segments-api.ts';

export interface SegmentMenuProps {
  object: ObjectDefinition;
  /** The object's segments the caller sees. */
  segments: Segment[];
  current: Segment | undefined;
  /** The table's own filter (rules and quick search): what "save as segment" keeps. */
  filter: Filter | undefined;
  onSelect(segment: Segment | undefined): void;
}

type Dialog = { kind: 'create'; segmentKind: SegmentKind } | { kind: 'edit' } | { kind: 'delete' } | undefined;

interface SegmentForm {
  name: string;
  description: string;
  visibility: ViewVisibility;
}

const SegmentDialog = ({ title, help, initial, isSaving, errors, onSubmit, onClose }: {
  title: string;
  help: string;
  initial: SegmentForm;
  isSaving: boolean;
  errors: Record<string, string>;
  onSubmit(form: SegmentForm): void;
  onClose(): void;
}) => {
  const { t } = useTranslation();
  const [form, setForm] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.name.trim()) onSubmit({ ...form, name: form.name.trim(), description: form.description.trim() });
  };
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {help}
          </Text>
          <TextInput label={t('segments.name')} value={form.name} onChange={(event) => setForm({ ...form, name: event.currentTarget.value })} required maxLength={200} data-autofocus error={errors.name} />
          <Textarea label={t('segments.description')} value={form.description} onChange={(event) => setForm({ ...form, description: event.currentTarget.value })} maxLength={2000} autosize minRows={2} error={errors.description} />
          <Radio.Group label={t('segments.visibility')} value={form.visibility} onChange={(value) => setForm({ ...form, visibility: value as ViewVisibility })} error={errors.visibility}>
            <Stack gap={6} mt={6}>
              <Radio value="private" label={t('savedViews.private')} description={t('segments.privateHelp')} />
              <Radio value="shared" label={t('savedViews.shared')} description={t('segments.sharedHelp')} />
            </Stack>
          </Radio.Group>
          {errors.filter ? (
            <Text size="sm" c="red" role="alert">
              {errors.filter}
            </Text>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isSaving} disabled={!form.name.trim()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

const fieldErrorsOf = (error: unknown): Record<string, string> =>
  isApiError(error) ? Object.fromEntries(error.fieldErrors.map((item) => [item.field, item.message])) : {};

/** The object's segments: show one as the table, save the filters as a dynamic segment, make a static list, edit, delete. */
export const SegmentMenu = ({ object, segments, current, filter, onSelect }: SegmentMenuProps) => {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const user = session.status === 'signedIn' ? session.user : undefined;
  const { create, update, remove } = useSegmentMutations(object.name);
  const [dialog, setDialog] = useState<Dialog>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const canChange = Boolean(current && canChangeSegment(current, user));
  const failed = (error: unknown) => {
    const fields = fieldErrorsOf(error);
    if (Object.keys(fields).length > 0) setErrors(fields);
    else notify({ message: problemMessage(t, error), color: 'red' });
  };
  const close = () => {
    setDialog(undefined);
    setErrors({});
  };
  const sizeOf = (segment: Segment) => (segment.kind === 'static' ? t('segments.memberCount', { count: segment.memberCount ?? 0, formatted: format.number(segment.memberCount ?? 0) }) : t('segments.dynamic'));

  return (
    <>
      <Menu position="bottom-start" shadow="md" width={300} withinPortal transitionProps={{ duration: 0 }}>
        <Menu.Target>
          <Button variant={current ? 'light' : 'default'} leftSection={<IconUsersGroup size={16} aria-hidden />} rightSection={<IconChevronDown size={14} aria-hidden />}>
            <VisuallyHidden>{t('segments.menuPrefix')}</VisuallyHidden>
            <Text size="sm" fw={500} truncate maw={200}>
              {current?.name ?? t('segments.menu')}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {current ? (
            <Menu.Item leftSection={<span style={{ width: 14 }} />} onClick={() => onSelect(undefined)}>
              {t('segments.showAll')}
            </Menu.Item>
          ) : null}
          {segments.length === 0 ? (
            <Text size="sm" c="dimmed" px="sm" py={6}>
              {t('segments.none')}
            </Text>
          ) : (
            segments.map((segment) => (
              <Menu.Item
                key={segment.id}
                leftSection={segment.id === current?.id ? <IconCheck size={14} aria-hidden /> : segment.kind === 'dynamic' ? <IconFilter size={14} aria-hidden /> : <IconListDetails size={14} aria-hidden />}
                rightSection={
                  <Badge size="xs" variant="light" color={segment.kind === 'dynamic' ? 'blue' : 'gray'}>
                    {sizeOf(segment)}
                  </Badge>
                }
                onClick={() => onSelect(segment)}
              >
                {segment.name}
              </Menu.Item>
            ))
          )}
          <Menu.Divider />
          <Menu.Item leftSection={<IconFilter size={14} aria-hidden />} disabled={!filter} onClick={() => setDialog({ kind: 'create', segmentKind: 'dynamic' })}>
            {t('segments.saveFilters')}
          </Menu.Item>
          <Menu.Item leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setDialog({ kind: 'create', segmentKind: 'static' })}>
            {t('segments.newList')}
          </Menu.Item>
          {current ? (
            <>
              <Menu.Divider />
              {current.kind === 'dynamic' ? (
                <Menu.Item
                  leftSection={<IconFilter size={14} aria-hidden />}
                  disabled={!canChange || !filter}
                  onClick={() =>
                    update.mutate(
                      { id: current.id, filter: filter ? { and: [current.filter!, filter] } : current.filter },
                      { onSuccess: (segment) => { notify({ message: t('segments.narrowed', { name: segment.name }) }); onSelect(segment); }, onError: failed },
                    )
                  }
                >
                  {t('segments.narrow')}
                </Menu.Item>
              ) : null}
              <Menu.Item leftSection={<IconPencil size={14} aria-hidden />} disabled={!canChange} onClick={() => setDialog({ kind: 'edit' })}>
                {t('segments.edit')}
              </Menu.Item>
              <Menu.Item leftSection={<IconTrash size={14} color="var(--mantine-color-red-filled)" aria-hidden />} disabled={!canChange} onClick={() => setDialog({ kind: 'delete' })}>
                {t('segments.delete')}
              </Menu.Item>
            </>
          ) : null}
        </Menu.Dropdown>
      </Menu>
      {dialog?.kind === 'create' ? (
        <SegmentDialog
          title={dialog.segmentKind === 'dynamic' ? t('segments.saveFiltersTitle') : t('segments.newListTitle')}
          help={dialog.segmentKind === 'dynamic' ? t('segments.dynamicHelp') : t('segments.staticHelp')}
          initial={{ name: '', description: '', visibility: 'private' }}
          isSaving={create.isPending}
          errors={errors}
          onClose={close}
          onSubmit={(form) =>
            create.mutate(
              { ...form, kind: dialog.segmentKind, ...(dialog.segmentKind === 'dynamic' && filter ? { filter } : {}) },
              {
                onSuccess: (segment) => {
                  close();
                  notify({ message: t('segments.created', { name: segment.name }) });
                  onSelect(segment);
                },
                onError: failed,
              },
            )
          }
        />
      ) : null}
      {dialog?.kind === 'edit' && current ? (
        <SegmentDialog
          title={t('segments.editTitle')}
          help={current.kind === 'dynamic' ? t('segments.dynamicHelp') : t('segments.staticHelp')}
          initial={{ name: current.name, description: current.description, visibility: current.visibility }}
          isSaving={update.isPending}
          errors={errors}
          onClose={close}
          onSubmit={(form) =>
            update.mutate(
              { id: current.id, name: form.name, description: form.description, ...(form.visibility !== current.visibility ? { visibility: form.visibility } : {}) },
              { onSuccess: (segment) => { close(); onSelect(segment); }, onError: failed },
            )
          }
        />
      ) : null}
      {dialog?.kind === 'delete' && current ? (
        <Modal opened onClose={close} title={t('segments.deleteTitle', { name: current.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
          <Stack gap="md">
            <Text size="sm">{t('segments.deleteHelp')}</Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} data-autofocus>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                loading={remove.isPending}
                onClick={() =>
                  remove.mutate(current.id, {
                    onSuccess: () => {
                      close();
                      notify({ message: t('segments.deleted', { name: current.name }) });
                      onSelect(undefined);
                    },
                    onError: failed,
                  })
                }
              >
                {t('segments.deleteConfirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </>
  );
};
