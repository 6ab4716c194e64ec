import { Alert, Button, Code, Group, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { SettingsTitle } from './settings-layout.tsx';
import { auditExportUrl, useAuditLog, useCanReadInstanceAudit, useMembers, type AuditFilter } from './settings-api.ts';

/** Settings › Audit log: newest first, filtered by action, user and dates, 50 more at a time, exportable. */
export const AuditPage = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const { data: members = [] } = useMembers();
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const { data: canReadInstance = false } = useCanReadInstanceAudit();
  const scope = filter.scope ?? 'workspace';
  const { data, isLoading, error, hasNextPage, fetchNextPage, isFetchingNextPage } = useAuditLog(filter);
  useDocumentTitle(t('settings.audit.title'));
  const entries = data?.pages.flatMap((page) => page.data) ?? [];
  const nameOf = (id: string | null) => {
    if (!id) return t('settings.audit.system');
    const member = members.find((candidate) => candidate.id === id);
    return member ? member.name || member.email : id;
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ ...draft, scope });
  };

  // Entries of the instance belong to no workspace and have no member as actor: no user filter there.
  const changeScope = (next: string) => {
    const nextScope = next === 'instance' ? 'instance' : 'workspace';
    const { userId: _userId, ...rest } = draft;
    const nextDraft = nextScope === 'instance' ? rest : draft;
    setDraft(nextDraft);
    setFilter({ ...nextDraft, scope: nextScope });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('settings.audit.title')}</SettingsTitle>
        <Button component="a" href={auditExportUrl(filter)} download="audit.jsonl" variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
          {t('settings.audit.export')}
        </Button>
      </Group>
      {canReadInstance ? (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="audit-scope">{t('settingsMore.audit.scope')}</Text>
          <SegmentedControl
            aria-labelledby="audit-scope"
            value={scope}
            onChange={changeScope}
            data={[
              { value: 'workspace', label: t('settingsMore.audit.workspaceScope') },
              { value: 'instance', label: t('settingsMore.audit.instanceScope') },
            ]}
            style={{ alignSelf: 'flex-start' }}
          />
          <Text size="xs" c="dimmed" maw={760}>{scope === 'instance' ? t('settingsMore.audit.instanceHelp') : t('settingsMore.audit.workspaceHelp')}</Text>
        </Stack>
      ) : null}
      <form onSubmit={onSubmit} aria-label={t('settings.audit.filters')}>
        <Group align="flex-end" gap="sm">
          <TextInput label={t('settings.audit.action')} description={t('settings.audit.actionHelp')} value={draft.action ?? ''} onChange={(event) => setDraft({ ...draft, action: event.currentTarget.value })} />
          {scope === 'workspace' ? <Select label={t('settings.audit.user')} clearable searchable data={members.map((member) => ({ value: member.id, label: member.name || member.email }))} value={draft.userId ?? null} onChange={(value) => setDraft({ ...draft, userId: value ?? '' })} /> : null}
          <TextInput label={t('settings.audit.from')} type="date" value={draft.from ?? ''} onChange={(event) => setDraft({ ...draft, from: event.currentTarget.value })} />
          <TextInput label={t('settings.audit.to')} type="date" value={draft.to ?? ''} onChange={(event) => setDraft({ ...draft, to: event.currentTarget.value })} />
          <Button type="submit">{t('settings.audit.apply')}</Button>
        </Group>
      </form>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {data && entries.length === 0 ? <EmptyScreen title={t('settings.audit.emptyTitle')} description={t('settings.audit.emptyDescription')} /> : null}
      {entries.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('settings.audit.when')}</Table.Th>
                <Table.Th scope="col">{t('settings.audit.action')}</Table.Th>
                {scope === 'workspace' ? <Table.Th scope="col">{t('settings.audit.user')}</Table.Th> : null}
                <Table.Th scope="col">{t('settings.audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(entry.at)}</Table.Td>
                  <Table.Td><Code>{entry.action}</Code></Table.Td>
                  {scope === 'workspace' ? <Table.Td>{nameOf(entry.actorId)}</Table.Td> : null}
                  <Table.Td>
                    <Text size="xs" style={{ wordBreak: 'break-word' }}>
                      {[entry.objectName, entry.ip, entry.details && Object.keys(entry.details).length ? JSON.stringify(entry.details) : null].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {hasNextPage ? (
        <Group justify="center">
          <Button variant="default" loading={isFetchingNextPage} onClick={() => void fetchNextPage()}>
            {t('settings.audit.loadMore')}
          </Button>
        </Group>
      ) : entries.length > 0 ? (
        <Text size="sm" c="dimmed" ta="center">{t('settings.audit.end')}</Text>
      ) : null}
    </Stack>
  );
};
