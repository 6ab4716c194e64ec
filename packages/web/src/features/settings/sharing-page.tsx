import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
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
import { conditionsToFilter } from './admin-model.ts';
import { ConfirmDeleteModal, ListStatus, SettingsIntro } from './admin-ui.tsx';
import { ConditionsEditor, FilterSummary } from './conditions-editor.tsx';
import { SettingsTitle } from './settings-layout.tsx';
import { adminKeys, useRoles, useSharingRules, useTeams, type SharingRule } from './settings-api.ts';
import { TerritoriesSection } from './territories-section.tsx';


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

/** Settings › Sharing: sharing rules (records shared with a team or role) and territories. */
export const SharingPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const { data: teams = [] } = useTeams();
  const { data: roles = [] } = useRoles();
  const rules = useSharingRules();
  const [isCreatingRule, setIsCreatingRule] = useState(false);
  const [deletingRule, setDeletingRule] = useState<SharingRule | null>(null);
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

      <TerritoriesSection />

      {isCreatingRule ? <SharingRuleModal onClose={() => setIsCreatingRule(false)} /> : null}
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
    </Stack>
  );
};
