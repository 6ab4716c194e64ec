import type { ObjectDefinition, RetentionRule } from '@rapport/common';
import { Alert, Badge, Button, Group, List, Modal, NumberInput, Radio, Select, Stack, Switch, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconEye, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useObjects } from '../../api/queries.ts';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { useLabels } from '../object-record/labels.ts';
import { findObject } from '../object-record/metadata.ts';
import { FilterBuilder } from '../object-record/table/filter-builder.tsx';
import { buildFilter, isRuleGroup, rulesOfFilter, type FilterItem } from '../object-record/table/filter-model.ts';
import { ConfirmDeleteModal, ListStatus, SettingsIntro } from './admin-ui.tsx';
import { SettingsTitle } from './settings-layout.tsx';

type RuleInput = Pick<RetentionRule, 'name' | 'object' | 'basisField' | 'afterDays' | 'action' | 'filter' | 'enabled'>;

// Conditions of a filter, groups counted by their conditions.
const conditionCount = (items: readonly FilterItem[]): number => items.reduce((sum, item) => sum + (isRuleGroup(item) ? conditionCount(item.items) : 1), 0);

const retentionKey = ['retention-rules'] as const;

/** The dates a rule may count from, labelled: created, last changed, and the object's date fields. */
const useBasisOptions = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  return (object: ObjectDefinition | undefined) => [
    { value: 'createdAt', label: t('retention.createdAt') },
    { value: 'updatedAt', label: t('retention.updatedAt') },
    ...(object?.fields ?? []).filter((field) => field.type === 'date' || field.type === 'datetime').map((field) => ({ value: field.name, label: labels.field(object!, field) })),
  ];
};

const RuleModal = ({ rule, onClose }: { rule: RetentionRule | undefined; onClose(): void }) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const [input, setInput] = useState<RuleInput>(rule ?? { name: '', object: 'person', basisField: 'updatedAt', afterDays: 1095, action: 'anonymise', filter: null, enabled: true });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const object = findObject(objects, input.object);
  const basisOptions = useBasisOptions();
  const filterRules = rulesOfFilter(input.filter);
  const save = useMutation({
    mutationFn: (body: RuleInput) => (rule ? api.patch<RetentionRule>(`/retention-rules/${rule.id}`, { ...body, object: undefined }) : api.post<RetentionRule>('/retention-rules', body)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: retentionKey });
      notify({ message: t('retention.saved', { name: saved.name }) });
      onClose();
    },
    onError: (error) => setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'object', 'basisField', 'afterDays', 'action'])),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors(NO_ERRORS);
    save.mutate({ ...input, name: input.name.trim() });
  };
  return (
    <Modal opened onClose={onClose} title={rule ? t('retention.editTitle') : t('retention.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('retention.name')} required value={input.name} onChange={(event) => setInput({ ...input, name: event.currentTarget.value })} error={errors.byField.name} data-autofocus maxLength={200} />
          <Select
            label={t('retention.object')}
            data={objects.map((each) => ({ value: each.name, label: labels.objectPlural(each) }))}
            value={input.object}
            onChange={(value) => value && setInput({ ...input, object: value, basisField: 'updatedAt', filter: null })}
            disabled={Boolean(rule)}
            allowDeselect={false}
            error={errors.byField.object}
          />
          <Group grow align="flex-start">
            <NumberInput label={t('retention.afterDays')} description={t('retention.afterDaysHelp')} min={1} max={36_500} value={input.afterDays} onChange={(value) => setInput({ ...input, afterDays: typeof value === 'number' ? value : 1 })} error={errors.byField.afterDays} />
            <Select label={t('retention.basis')} data={basisOptions(object)} value={input.basisField} onChange={(value) => value && setInput({ ...input, basisField: value })} allowDeselect={false} error={errors.byField.basisField} />
          </Group>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{input.filter ? t('retention.filterSome', { count: conditionCount(filterRules.rules) }) : t('retention.filterAll')}</Text>
            {object ? (
              <FilterBuilder object={object} rules={filterRules.rules} match={filterRules.match} onApply={(rules, match) => setInput({ ...input, filter: buildFilter({ object, rules, match }) ?? null })} />
            ) : null}
          </Group>
          <Radio.Group label={t('retention.action')} value={input.action} onChange={(value) => setInput({ ...input, action: value as RuleInput['action'] })} error={errors.byField.action}>
            <Stack gap={6} mt={6}>
              <Radio value="anonymise" label={t('retention.anonymise')} description={t('retention.anonymiseHelp')} />
              <Radio value="delete" label={t('retention.delete')} description={t('retention.deleteHelp')} />
            </Stack>
          </Radio.Group>
          <Switch label={t('retention.enabled')} description={t('retention.enabledHelp')} checked={input.enabled} onChange={(event) => setInput({ ...input, enabled: event.currentTarget.checked })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={save.isPending} disabled={!input.name.trim()}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

const PreviewModal = ({ rule, onClose }: { rule: RetentionRule; onClose(): void }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const preview = useQuery({
    queryKey: [...retentionKey, rule.id, 'preview'],
    queryFn: () => api.post<{ count: number; sample: { id: string; label: string | null }[] }>(`/retention-rules/${rule.id}/preview`, {}),
    gcTime: 0,
  });
  const run = useMutation({
    mutationFn: () => api.post<{ processed: number; hasMore: boolean }>(`/retention-rules/${rule.id}/run`, {}),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: retentionKey });
      notify({ message: t(result.hasMore ? 'retention.ranMore' : 'retention.ran', { count: result.processed, formatted: format.number(result.processed), name: rule.name }) });
      onClose();
    },
    onError: (error) => notify({ message: problemMessage(t, error), color: 'red' }),
  });
  const count = preview.data?.count ?? 0;
  return (
    <Modal opened onClose={onClose} title={t('retention.previewTitle', { name: rule.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="md">
        {preview.error ? <Alert color="red" role="alert">{problemMessage(t, preview.error)}</Alert> : null}
        {preview.data ? (
          <>
            <Text size="sm" role="status">
              {t(rule.action === 'anonymise' ? 'retention.previewAnonymise' : 'retention.previewDelete', { count, formatted: format.number(count) })}
            </Text>
            {preview.data.sample.length > 0 ? (
              <List size="sm" spacing={2}>
                {preview.data.sample.map((item) => (
                  <List.Item key={item.id}>{item.label ?? item.id}</List.Item>
                ))}
              </List>
            ) : null}
            {rule.action === 'anonymise' && count > 0 ? <Alert color="orange">{t('retention.cannotUndo')}</Alert> : null}
          </>
        ) : (
          <Text size="sm" c="dimmed">{t('retention.previewing')}</Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>{t('common.cancel')}</Button>
          <Button color={rule.action === 'anonymise' ? 'red' : 'orange'} disabled={!preview.data || count === 0} loading={run.isPending} onClick={() => run.mutate()}>
            {t('retention.runNow')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
};

/** Settings › Data retention: rules that anonymise or delete records after a period, every day. */
export const RetentionPage = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const rules = useQuery({ queryKey: retentionKey, queryFn: ({ signal }) => api.get<{ data: RetentionRule[] }>('/retention-rules', undefined, signal), select: (result) => result.data });
  const [editing, setEditing] = useState<RetentionRule | 'new' | null>(null);
  const [previewing, setPreviewing] = useState<RetentionRule | null>(null);
  const [deleting, setDeleting] = useState<RetentionRule | null>(null);
  useDocumentTitle(t('retention.title'));
  const toggle = useMutation({
    mutationFn: (rule: RetentionRule) => api.patch<RetentionRule>(`/retention-rules/${rule.id}`, { enabled: !rule.enabled }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: retentionKey }),
    onError: (error) => notify({ message: problemMessage(t, error), color: 'red' }),
  });
  const basisOptions = useBasisOptions();
  const objectLabel = (name: string) => {
    const object = findObject(objects, name);
    return object ? labels.objectPlural(object) : name;
  };
  const basisLabel = (rule: RetentionRule) => basisOptions(findObject(objects, rule.object)).find((option) => option.value === rule.basisField)?.label ?? rule.basisField;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('retention.title')}</SettingsTitle>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
          {t('retention.new')}
        </Button>
      </Group>
      <SettingsIntro>{t('retention.intro')}</SettingsIntro>
      <ListStatus isLoading={rules.isLoading} error={rules.error} items={rules.data} emptyTitle={t('retention.emptyTitle')} emptyDescription={t('retention.emptyDescription')} />
      {rules.data && rules.data.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retention.name')}</Table.Th>
                <Table.Th>{t('retention.rule')}</Table.Th>
                <Table.Th>{t('retention.lastRun')}</Table.Th>
                <Table.Th>{t('retention.active')}</Table.Th>
                <Table.Th><VisuallyHidden>{t('retention.actions')}</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.map((rule) => (
                <Table.Tr key={rule.id}>
                  <Table.Td fw={500}>{rule.name}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Badge variant="light" color={rule.action === 'anonymise' ? 'red' : 'orange'} style={{ flexShrink: 0 }}>{t(`retention.${rule.action}`)}</Badge>
                      <Text size="sm">{t('retention.summary', { object: objectLabel(rule.object), days: format.number(rule.afterDays), count: rule.afterDays, basis: basisLabel(rule).toLowerCase() })}</Text>
                      {rule.filter ? <Badge variant="outline" color="gray">{t('retention.filtered')}</Badge> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {rule.lastRun ? (
                      <Stack gap={0}>
                        <Text size="sm">{t('retention.lastRunCount', { count: rule.lastRun.count, formatted: format.number(rule.lastRun.count) })}</Text>
                        <Text size="xs" c="dimmed">{format.dateTime(rule.lastRun.at)}</Text>
                        {rule.lastRun.error ? <Text size="xs" c="red">{rule.lastRun.error}</Text> : null}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">{t('retention.neverRun')}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Switch checked={rule.enabled} onChange={() => toggle.mutate(rule)} aria-label={t('retention.enableRule', { name: rule.name })} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="compact-sm" variant="light" leftSection={<IconEye size={14} aria-hidden />} onClick={() => setPreviewing(rule)}>{t('retention.preview')}</Button>
                      <Button size="compact-sm" variant="subtle" leftSection={<IconPencil size={14} aria-hidden />} onClick={() => setEditing(rule)} aria-label={t('retention.editRule', { name: rule.name })}>{t('common.edit')}</Button>
                      <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setDeleting(rule)} aria-label={t('retention.deleteRule', { name: rule.name })}>{t('common.delete')}</Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {editing ? <RuleModal rule={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} /> : null}
      {previewing ? <PreviewModal rule={previewing} onClose={() => setPreviewing(null)} /> : null}
      {deleting ? (
        <ConfirmDeleteModal
          title={t('retention.deleteTitle', { name: deleting.name })}
          help={t('retention.deleteRuleHelp')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.delete(`/retention-rules/${deleting.id}`);
            await queryClient.invalidateQueries({ queryKey: retentionKey });
          }}
        />
      ) : null}
    </Stack>
  );
};
