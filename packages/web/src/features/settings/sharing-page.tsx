import { Alert, Badge, Button, Group, Modal, MultiSelect, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { Filter, ObjectDefinition } from '@rapport/common';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useObjects } from '../../api/queries.ts';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { findObject } from '../object-record/metadata.ts';
import { useLabels } from '../object-record/labels.ts';
import type { FilterRule } from '../object-record/table/filter-model.ts';
import { conditionsOf, conditionsToFilter, isAdvancedFilter } from './admin-model.ts';
import { ConfirmDeleteModal, ListStatus, SettingsIntro } from './admin-ui.tsx';
import { ConditionsEditor, useDescribeCondition } from './conditions-editor.tsx';
import { SettingsTitle } from './settings-layout.tsx';
import { adminKeys, useMembers, useRoles, useSharingRules, useTeams, useTerritories, type SharingRule, type Territory } from './settings-api.ts';

const FilterSummary = ({ object, filter }: { object: ObjectDefinition | undefined; filter: Filter }) => {
  const { t } = useTranslation();
  const describe = useDescribeCondition(object);
  if (isAdvancedFilter(filter)) return <Text size="sm" c="dimmed">{t('admin.sharing.advanced')}</Text>;
  const conditions = conditionsOf(filter);
  if (conditions.length === 0) return <Text size="sm" c="dimmed">{t('admin.sharing.allRecords')}</Text>;
  return <Text size="sm">{conditions.map(describe).join(` ${t('admin.sharing.and')} `)}</Text>;
};

/** A new sharing rule: which records (object and conditions), with whom (a team or a role), how (read or write). */
const SharingRuleModal = ({ onClose }: { onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const { data: teams = [] } = useTeams();
  const { data: roles = [] } = useRoles();
  const [name, setName] = useState('');
  const [objectName, setObjectName] = useState<string | null>(null);
  const [rules, setRules] = useState<FilterRule[]>([{ field: '', op: 'eq', value: '' }]);
  const [targetKind, setTargetKind] = useState<'team' | 'role'>('team');
  const [targetId, setTargetId] = useState<string | null>(null);
  const [access, setAccess] = useState<'read' | 'write'>('read');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);
  const object = findObject(objects, objectName ?? undefined);
  const clearError = (field: string) => setErrors((current) => ({ ...current, byField: { ...current.byField, [field]: '' } }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const filter = object ? conditionsToFilter(object, rules) : undefined;
    const local: Record<string, string> = {};
    if (!object) local.object = t('admin.sharing.objectRequired');
    else if (!filter) local.filter = t('admin.sharing.conditionRequired');
    if (!targetId) local.target = t('admin.sharing.targetRequired');
    if (Object.keys(local).length > 0) {
      setErrors({ byField: local, general: null });
      return;
    }
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/sharing-rules', { name: name.trim(), object: objectName, filter, access, teamId: targetKind === 'team' ? targetId : null, roleId: targetKind === 'role' ? targetId : null });
      await queryClient.invalidateQueries({ queryKey: adminKeys.sharingRules });
      notify({ message: t('admin.sharing.created') });
      onClose();
    } catch (error) {
      const split = formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'object', 'filter', 'teamId', 'roleId', 'access']);
      const byField = { ...split.byField, ...(split.byField.teamId || split.byField.roleId ? { target: split.byField.teamId ?? split.byField.roleId ?? '' } : {}) };
      setErrors({ byField, general: split.general });
    } finally {
      setIsBusy(false);
    }
  };

  const targets = targetKind === 'team' ? teams.map((team) => ({ value: team.id, label: team.name })) : roles.map((role) => ({ value: role.id, label: role.name }));
  return (
    <Modal opened onClose={onClose} size="xl" title={t('admin.sharing.newRuleTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('admin.sharing.ruleName')} description={t('admin.sharing.ruleNameHelp')} value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
          <Select
            label={t('admin.sharing.object')}
            description={t('admin.sharing.objectHelp')}
            required
            searchable
            data={objects.map((each) => ({ value: each.name, label: labels.objectPlural(each) }))}
            value={objectName}
            onChange={(value) => {
              setObjectName(value);
              setRules([{ field: '', op: 'eq', value: '' }]);
              clearError('object');
            }}
            error={errors.byField.object}
          />
          {object ? <ConditionsEditor object={object} rules={rules} onChange={(next) => { setRules(next); clearError('filter'); }} error={errors.byField.filter || undefined} /> : null}
          <Stack gap={4}>
            <Text size="sm" fw={600} id="share-with">{t('admin.sharing.shareWith')}</Text>
            <SegmentedControl
              aria-labelledby="share-with"
              data={[{ value: 'team', label: t('admin.sharing.team') }, { value: 'role', label: t('admin.sharing.role') }]}
              value={targetKind}
              onChange={(value) => {
                setTargetKind(value as 'team' | 'role');
                setTargetId(null);
              }}
              w="fit-content"
            />
          </Stack>
          <Select
            label={targetKind === 'team' ? t('admin.sharing.team') : t('admin.sharing.role')}
            description={targetKind === 'team' ? t('admin.sharing.teamHelp') : t('admin.sharing.roleHelp')}
            required
            data={targets}
            value={targetId}
            onChange={(value) => {
              setTargetId(value);
              clearError('target');
            }}
            error={errors.byField.target}
            nothingFoundMessage={t('admin.sharing.noTeams')}
          />
          <Stack gap={4}>
            <Text size="sm" fw={600} id="share-access">{t('admin.sharing.access')}</Text>
            <SegmentedControl
              aria-labelledby="share-access"
              data={[{ value: 'read', label: t('admin.sharing.readOnly') }, { value: 'write', label: t('admin.sharing.readWrite') }]}
              value={access}
              onChange={(value) => setAccess(value as 'read' | 'write')}
              w="fit-content"
            />
            <Text size="xs" c="dimmed">{t('admin.sharing.accessHelp')}</Text>
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('admin.sharing.createRule')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** A new territory: records of one object matching conditions, seen by its members. */
const TerritoryModal = ({ onClose }: { onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const { data: members = [] } = useMembers();
  const [name, setName] = useState('');
  const [objectName, setObjectName] = useState<string | null>(null);
  const [rules, setRules] = useState<FilterRule[]>([{ field: '', op: 'eq', value: '' }]);
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);
  const object = findObject(objects, objectName ?? undefined);
  const clearError = (field: string) => setErrors((current) => ({ ...current, byField: { ...current.byField, [field]: '' } }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const filter = object ? conditionsToFilter(object, rules) : undefined;
    const local: Record<string, string> = {};
    if (!object) local.object = t('admin.sharing.objectRequired');
    else if (!filter) local.filter = t('admin.sharing.conditionRequired');
    if (Object.keys(local).length > 0) {
      setErrors({ byField: local, general: null });
      return;
    }
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/territories', { name: name.trim(), rules: { [objectName!]: filter }, memberIds });
      await queryClient.invalidateQueries({ queryKey: adminKeys.territories });
      notify({ message: t('admin.territories.created', { name: name.trim() }) });
      onClose();
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'memberIds']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} size="xl" title={t('admin.territories.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('admin.territories.name')} description={t('admin.territories.nameHelp')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
          <Select
            label={t('admin.sharing.object')}
            description={t('admin.territories.objectHelp')}
            required
            searchable
            data={objects.map((each) => ({ value: each.name, label: labels.objectPlural(each) }))}
            value={objectName}
            onChange={(value) => {
              setObjectName(value);
              setRules([{ field: '', op: 'eq', value: '' }]);
              clearError('object');
            }}
            error={errors.byField.object}
          />
          {object ? <ConditionsEditor object={object} rules={rules} onChange={(next) => { setRules(next); clearError('filter'); }} error={errors.byField.filter || undefined} /> : null}
          <MultiSelect
            label={t('admin.territories.members')}
            description={t('admin.territories.membersHelp')}
            searchable
            data={members.filter((member) => member.status !== 'deactivated').map((member) => ({ value: member.id, label: member.name || member.email }))}
            value={memberIds}
            onChange={setMemberIds}
            error={errors.byField.memberIds}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('admin.territories.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Settings › Sharing: sharing rules (records shared with a team or role) and territories. */
export const SharingPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const { data: teams = [] } = useTeams();
  const { data: roles = [] } = useRoles();
  const { data: members = [] } = useMembers();
  const rules = useSharingRules();
  const territories = useTerritories();
  const [isCreatingRule, setIsCreatingRule] = useState(false);
  const [isCreatingTerritory, setIsCreatingTerritory] = useState(false);
  const [deletingRule, setDeletingRule] = useState<SharingRule | null>(null);
  const [deletingTerritory, setDeletingTerritory] = useState<Territory | null>(null);
  useDocumentTitle(t('admin.sharing.title'));
  const objectLabel = (name: string) => {
    const object = findObject(objects, name);
    return object ? labels.objectPlural(object) : name;
  };
  const targetOf = (rule: SharingRule) =>
    rule.teamId ? t('admin.sharing.teamTarget', { name: teams.find((team) => team.id === rule.teamId)?.name ?? '…' }) : t('admin.sharing.roleTarget', { name: roles.find((role) => role.id === rule.roleId)?.name ?? '…' });
  const ruleName = (rule: SharingRule) => rule.name || t('admin.sharing.unnamed', { object: objectLabel(rule.object) });

  return (
    <Stack gap="lg">
      <SettingsTitle>{t('admin.sharing.title')}</SettingsTitle>
      <SettingsIntro>{t('admin.sharing.intro')}</SettingsIntro>

      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="sharing-rules">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4" id="sharing-rules">{t('admin.sharing.rulesTitle')}</Title>
            <Button size="sm" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setIsCreatingRule(true)}>{t('admin.sharing.newRule')}</Button>
          </Group>
          <Text size="sm" c="dimmed">{t('admin.sharing.rulesHelp')}</Text>
          <ListStatus isLoading={rules.isLoading} error={rules.error} items={rules.data} emptyTitle={t('admin.sharing.emptyTitle')} emptyDescription={t('admin.sharing.emptyDescription')} />
          {rules.data && rules.data.length > 0 ? (
            <Table.ScrollContainer minWidth={720}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('admin.sharing.ruleName')}</Table.Th>
                    <Table.Th scope="col">{t('admin.sharing.records')}</Table.Th>
                    <Table.Th scope="col">{t('admin.sharing.shareWith')}</Table.Th>
                    <Table.Th scope="col">{t('admin.sharing.access')}</Table.Th>
                    <Table.Th scope="col">{t('settings.users.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rules.data.map((rule) => (
                    <Table.Tr key={rule.id}>
                      <Table.Td fw={500}>{ruleName(rule)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>{objectLabel(rule.object)}</Text>
                        <FilterSummary object={findObject(objects, rule.object)} filter={rule.filter} />
                      </Table.Td>
                      <Table.Td>{targetOf(rule)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={rule.access === 'write' ? 'orange' : 'blue'}>{rule.access === 'write' ? t('admin.sharing.readWrite') : t('admin.sharing.readOnly')}</Badge>
                      </Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="default" color="red" onClick={() => setDeletingRule(rule)} aria-label={t('admin.deleteLabel', { name: ruleName(rule) })}>{t('common.delete')}</Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
        </Stack>
      </Paper>

      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="territories">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4" id="territories">{t('admin.territories.title')}</Title>
            <Button size="sm" variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setIsCreatingTerritory(true)}>{t('admin.territories.new')}</Button>
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
                        {territory.memberIds.length === 0 ? (
                          <Text size="sm" c="dimmed">{t('admin.teams.noMembers')}</Text>
                        ) : (
                          <Text size="sm">{territory.memberIds.map((id) => { const member = members.find((each) => each.id === id); return member ? member.name || member.email : '…'; }).join(', ')}</Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="default" color="red" onClick={() => setDeletingTerritory(territory)} aria-label={t('admin.deleteLabel', { name: territory.name })}>{t('common.delete')}</Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
        </Stack>
      </Paper>

      {isCreatingRule ? <SharingRuleModal onClose={() => setIsCreatingRule(false)} /> : null}
      {isCreatingTerritory ? <TerritoryModal onClose={() => setIsCreatingTerritory(false)} /> : null}
      {deletingRule ? (
        <ConfirmDeleteModal
          title={t('admin.deleteTitle', { name: ruleName(deletingRule) })}
          help={t('admin.sharing.deleteHelp')}
          onClose={() => setDeletingRule(null)}
          onConfirm={async () => {
            await api.delete(`/sharing-rules/${deletingRule.id}`);
            await queryClient.invalidateQueries({ queryKey: adminKeys.sharingRules });
            notify({ message: t('admin.deleted', { name: ruleName(deletingRule) }) });
          }}
        />
      ) : null}
      {deletingTerritory ? (
        <ConfirmDeleteModal
          title={t('admin.deleteTitle', { name: deletingTerritory.name })}
          help={t('admin.territories.deleteHelp')}
          onClose={() => setDeletingTerritory(null)}
          onConfirm={async () => {
            await api.delete(`/territories/${deletingTerritory.id}`);
            await queryClient.invalidateQueries({ queryKey: adminKeys.territories });
            notify({ message: t('admin.deleted', { name: deletingTerritory.name }) });
          }}
        />
      ) : null}
    </Stack>
  );
};
