import type { ObjectDefinition } from '@rapport/common';
import { ActionIcon, Badge, Button, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { queryKeys, useObjects } from '../../api/queries.ts';
import type { ApiRecord, RecordPage } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useLabels } from '../object-record/labels.ts';
import { ConfirmDeleteModal, ListStatus, SettingsIntro } from '../settings/admin-ui.tsx';
import { SettingsTitle } from '../settings/settings-layout.tsx';
import { ActionTemplateEditor } from './action-template-editor.tsx';
import { isDue, moveChanges, nextPosition, objectsOf, sortTemplates, type TemplateAction } from './action-template-model.ts';

const OBJECT = 'actionTemplate';
// The select's colours, but a note's yellow is too pale for text on its light badge: grape.
const ACTION_COLORS: Record<TemplateAction, string> = { task: 'teal', reminder: 'orange', note: 'grape', followUpEmail: 'blue' };

/** Every template of the workspace (the quick-actions menus offer at most 200 too), under the records' keys. */
const useTemplates = () =>
  useQuery({
    queryKey: [...queryKeys.records(OBJECT), 'settings'],
    queryFn: ({ signal }) => api.post<RecordPage>(`/records/${OBJECT}/query`, { sort: ['position', 'name'], limit: 200 }, { signal }),
    select: (page) => sortTemplates(page.data),
  });

/**
 * Settings › Action templates: the one-click actions of record pages (a task, a reminder, a note, a follow-up email
 * draft), listed in the order the quick-actions menu offers them; add, edit, reorder and delete, all through the
 * records API (the role's permissions on `actionTemplate` apply).
 */
export const ActionTemplatesPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const templates = useTemplates();
  const [editing, setEditing] = useState<ApiRecord | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ApiRecord | null>(null);
  const [isMoving, setIsMoving] = useState(false);
  useDocumentTitle(t('settings.tabs.action-templates'));
  const object = objects.find((candidate) => candidate.name === OBJECT);
  const list = templates.data;

  const fieldOf = (name: string) => object?.fields.find((field) => field.name === name);
  const actionLabel = (action: string) => {
    const field = fieldOf('action');
    const choice = field?.options?.choices?.find((each) => each.value === action);
    return object && field && choice ? labels.choice(object, field, choice) : action;
  };
  const objectLabel = (name: string) => {
    const found = objects.find((candidate: ObjectDefinition) => candidate.name === name);
    return found ? labels.objectPlural(found) : name;
  };
  const dueOf = (template: ApiRecord) => {
    if (!isDue(template.action as TemplateAction)) return t('actionTemplates.noDue');
    const days = typeof template.dueInDays === 'number' ? template.dueInDays : 0;
    const time = typeof template.dueTime === 'string' && template.dueTime ? template.dueTime : '09:00';
    return days === 0 ? t('actionTemplates.dueSameDay', { time }) : t('actionTemplates.dueIn', { count: days, time });
  };
  const titleOf = (template: ApiRecord) => String(template.name ?? '');

  const move = async (index: number, step: -1 | 1) => {
    if (!list) return;
    const changes = moveChanges(list, index, step);
    if (changes.length === 0) return;
    setIsMoving(true);
    try {
      // One after the other, each with the version it was read at.
      for (const { record, position } of changes) await api.patch(`/records/${OBJECT}/${encodeURIComponent(record.id)}`, { position }, { ifMatch: record.version });
      notify({ message: t('actionTemplates.moved', { name: titleOf(list[index]!), position: index + step + 1 }) });
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
    } finally {
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(OBJECT) });
      await queryClient.invalidateQueries({ queryKey: ['action-templates'] });
      setIsMoving(false);
    }
  };

  const canWrite = object?.permissions?.create !== false;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('settings.tabs.action-templates')}</SettingsTitle>
        {canWrite ? <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>{t('actionTemplates.new')}</Button> : null}
      </Group>
      <SettingsIntro>{t('actionTemplates.intro')}</SettingsIntro>
      <ListStatus isLoading={templates.isLoading} error={templates.error} items={list} emptyTitle={t('actionTemplates.emptyTitle')} emptyDescription={t('actionTemplates.emptyDescription')} />
      {list && list.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped aria-label={t('settings.tabs.action-templates')} aria-busy={isMoving || templates.isFetching || undefined}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('actionTemplates.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('actionTemplates.columns.action')}</Table.Th>
                <Table.Th scope="col">{t('actionTemplates.columns.objects')}</Table.Th>
                <Table.Th scope="col">{t('actionTemplates.columns.due')}</Table.Th>
                <Table.Th scope="col">{t('actionTemplates.columns.status')}</Table.Th>
                <Table.Th scope="col"><VisuallyHidden>{t('settings.users.actions')}</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((template, index) => {
                const name = titleOf(template);
                const shownOn = objectsOf(template.objects);
                return (
                  <Table.Tr key={template.id} data-template={name}>
                    <Table.Td>
                      <Text fw={500} size="sm">{name}</Text>
                      <Text size="xs" c="dimmed" lineClamp={1}>{String(template.title ?? '')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={ACTION_COLORS[template.action as TemplateAction] ?? 'gray'} tt="none" style={{ minWidth: 'max-content' }}>{actionLabel(String(template.action))}</Badge>
                    </Table.Td>
                    <Table.Td>
                      {shownOn.length === 0 ? (
                        <Text size="sm" c="dimmed">{t('actionTemplates.everywhere')}</Text>
                      ) : (
                        <Group gap={4}>{shownOn.map((each) => <Badge key={each} variant="outline" color="gray" tt="none" style={{ minWidth: 'max-content' }}>{objectLabel(each)}</Badge>)}</Group>
                      )}
                    </Table.Td>
                    <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{dueOf(template)}</Text></Table.Td>
                    <Table.Td>
                      <Text size="sm" c={template.isActive === false ? 'dimmed' : undefined}>{template.isActive === false ? t('actionTemplates.inactive') : t('actionTemplates.active')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {canWrite ? (
                          <>
                            <ActionIcon variant="subtle" color="gray" aria-label={t('actionTemplates.moveUp', { name })} disabled={index === 0 || isMoving} onClick={() => void move(index, -1)}>
                              <IconArrowUp size={16} aria-hidden />
                            </ActionIcon>
                            <ActionIcon variant="subtle" color="gray" aria-label={t('actionTemplates.moveDown', { name })} disabled={index === list.length - 1 || isMoving} onClick={() => void move(index, 1)}>
                              <IconArrowDown size={16} aria-hidden />
                            </ActionIcon>
                            <ActionIcon variant="subtle" color="gray" onClick={() => setEditing(template)} aria-label={t('settings.users.editLabel', { name })}>
                              <IconPencil size={16} aria-hidden />
                            </ActionIcon>
                            <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(template)} aria-label={t('admin.deleteLabel', { name })}>
                              <IconTrash size={16} aria-hidden />
                            </ActionIcon>
                          </>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {editing && object ? (
        <Modal
          opened
          size="lg"
          onClose={() => setEditing(null)}
          title={editing === 'new' ? t('actionTemplates.newTitle') : t('actionTemplates.editTitle', { name: titleOf(editing) })}
          closeButtonProps={{ 'aria-label': t('common.close') }}
        >
          <ActionTemplateEditor
            object={object}
            objects={objects}
            {...(editing === 'new' ? { defaults: { position: nextPosition(list ?? []) } as unknown as ApiRecord } : { record: editing })}
            onSaved={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        </Modal>
      ) : null}
      {deleting ? (
        <ConfirmDeleteModal
          title={t('admin.deleteTitle', { name: titleOf(deleting) })}
          help={t('actionTemplates.deleteHelp')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.delete(`/records/${OBJECT}/${encodeURIComponent(deleting.id)}`);
            await queryClient.invalidateQueries({ queryKey: queryKeys.records(OBJECT) });
            await queryClient.invalidateQueries({ queryKey: ['action-templates'] });
            notify({ message: t('admin.deleted', { name: titleOf(deleting) }) });
          }}
        />
      ) : null}
    </Stack>
  );
};
