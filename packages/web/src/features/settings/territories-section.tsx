import { Alert, Button, Group, Modal, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useObjects } from '../../api/queries.ts';
import { notify } from '../../components/ui/notify.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { findObject } from '../object-record/metadata.ts';
import { useLabels } from '../object-record/labels.ts';
import type { FilterRule } from '../object-record/table/filter-model.ts';
import { conditionsToFilter } from './admin-model.ts';
import { ConfirmDeleteModal, ListStatus, memberNamesOf, MembersSelect } from './admin-ui.tsx';
import { ConditionsEditor, FilterSummary } from './conditions-editor.tsx';
import { adminKeys, useMembers, useTerritories, type Territory } from './settings-api.ts';
import { editableRulesOf } from './territory-model.ts';

const EMPTY_RULE: FilterRule = { field: '', op: 'eq', value: '' };

/**
 * Create a territory, or edit one (`PATCH /territories/{id}`): its name, members, and — when it covers one
 * object with simple conditions — the records. Records set through the API otherwise (several objects,
 * `or`/`not`) are kept as they are.
 */
const TerritoryModal = ({ territory, onClose }: { territory?: Territory | undefined; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const { data: members = [] } = useMembers();
  const editable = territory ? editableRulesOf(territory) : { objectName: null, rules: [EMPTY_RULE] };
  const [name, setName] = useState(territory?.name ?? '');
  const [objectName, setObjectName] = useState<string | null>(editable?.objectName ?? null);
  const [rules, setRules] = useState<FilterRule[]>(editable?.rules.length ? editable.rules : [EMPTY_RULE]);
  const [memberIds, setMemberIds] = useState<string[]>(territory?.memberIds ?? []);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);
  const object = findObject(objects, objectName ?? undefined);
  const canEditRecords = editable !== null;
  const clearError = (field: string) => setErrors((current) => ({ ...current, byField: { ...current.byField, [field]: '' } }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const filter = canEditRecords && object ? conditionsToFilter(object, rules) : undefined;
    const local: Record<string, string> = {};
    if (canEditRecords && !object) local.object = t('admin.sharing.objectRequired');
    else if (canEditRecords && !filter) local.filter = t('admin.sharing.conditionRequired');
    if (Object.keys(local).length > 0) {
      setErrors({ byField: local, general: null });
      return;
    }
    setIsBusy(true);
    setErrors(NO_ERRORS);
    const body = { name: name.trim(), memberIds, ...(canEditRecords ? { rules: { [objectName!]: filter } } : {}) };
    try {
      if (territory) await api.patch(`/territories/${territory.id}`, body);
      else await api.post('/territories', body);
      await queryClient.invalidateQueries({ queryKey: adminKeys.territories });
      notify({ message: territory ? t('settingsMore.territories.saved', { name: body.name }) : t('admin.territories.created', { name: body.name }) });
      onClose();
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'memberIds']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} size="xl" title={territory ? t('settingsMore.territories.editTitle', { name: territory.name }) : t('admin.territories.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('admin.territories.name')} description={t('admin.territories.nameHelp')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
          {canEditRecords ? (
            <>
              <Select
                label={t('admin.sharing.object')}
                description={t('admin.territories.objectHelp')}
                required
                searchable
                data={objects.map((each) => ({ value: each.name, label: labels.objectPlural(each) }))}
                value={objectName}
                onChange={(value) => {
                  setObjectName(value);
                  setRules([EMPTY_RULE]);
                  clearError('object');
                }}
                error={errors.byField.object}
              />
              {object ? <ConditionsEditor object={object} rules={rules} onChange={(next) => { setRules(next); clearError('filter'); }} error={errors.byField.filter || undefined} /> : null}
            </>
          ) : (
            <Alert color="gray" variant="light">{t('settingsMore.territories.recordsKept')}</Alert>
          )}
          <MembersSelect label={t('admin.territories.members')} description={t('admin.territories.membersHelp')} members={members} value={memberIds} onChange={setMemberIds} error={errors.byField.memberIds} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{territory ? t('common.save') : t('admin.territories.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Settings › Sharing › Territories: list, create, edit (rename, records, members) and delete. */
export const TerritoriesSection = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const { data: members = [] } = useMembers();
  const territories = useTerritories();
  const [editing, setEditing] = useState<Territory | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Territory | null>(null);
  const objectLabel = (name: string) => {
    const object = findObject(objects, name);
    return object ? labels.objectPlural(object) : name;
  };

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="territories">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="territories">{t('admin.territories.title')}</Title>
          <Button size="sm" variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>{t('admin.territories.new')}</Button>
        </Group>
        <Text size="sm" c="dimmed">{t('admin.territories.help')}</Text>
        <ListStatus isLoading={territories.isLoading} error={territories.error} items={territories.data} emptyTitle={t('admin.territories.emptyTitle')} emptyDescription={t('admin.territories.emptyDescription')} />
        {territories.data && territories.data.length > 0 ? (
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.territories.name')}</Table.Th>
                  <Table.Th scope="col">{t('admin.sharing.records')}</Table.Th>
                  <Table.Th scope="col">{t('admin.territories.members')}</Table.Th>
                  <Table.Th scope="col">{t('settings.users.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {territories.data.map((territory) => (
                  <Table.Tr key={territory.id}>
                    <Table.Td fw={500}>{territory.name}</Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        {Object.entries(territory.rules).map(([objectName, filter]) => (
                          <div key={objectName}>
                            <Text size="sm" fw={500}>{objectLabel(objectName)}</Text>
                            <FilterSummary object={findObject(objects, objectName)} filter={filter} />
                          </div>
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      {territory.memberIds.length === 0 ? <Text size="sm" c="dimmed">{t('admin.teams.noMembers')}</Text> : <Text size="sm">{memberNamesOf(members, territory.memberIds)}</Text>}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(territory)} aria-label={t('settingsMore.territories.editLabel', { name: territory.name })}>{t('common.edit')}</Button>
                        <Button size="xs" variant="default" color="red" onClick={() => setDeleting(territory)} aria-label={t('admin.deleteLabel', { name: territory.name })}>{t('common.delete')}</Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
      {editing ? <TerritoryModal key={editing === 'new' ? 'new' : editing.id} territory={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <ConfirmDeleteModal
          title={t('admin.deleteTitle', { name: deleting.name })}
          help={t('admin.territories.deleteHelp')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.delete(`/territories/${deleting.id}`);
            await queryClient.invalidateQueries({ queryKey: adminKeys.territories });
            notify({ message: t('admin.deleted', { name: deleting.name }) });
          }}
        />
      ) : null}
    </Paper>
  );
};
