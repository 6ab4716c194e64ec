import { Alert, Anchor, Badge, Button, Checkbox, Group, List, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconRestore, IconSearch, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys, useUsers } from '../../../api/queries.ts';
import type { ApiRecord, ObjectDefinition } from '../../../api/types.ts';
import { notify } from '../../../components/ui/notify.ts';
import { EmptyScreen, LoadingScreen, NotFoundScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { useLabels } from '../labels.ts';
import { canOn, paths, recordTitleOf } from '../metadata.ts';
import { nameOf } from '../record-page/activity-model.ts';
import { buildFilter } from '../table/filter-model.ts';
import { useObjectRoute } from '../use-object-route.ts';
import { restoreRecords, useTrashPages, type RestoreOutcome } from './trash-api.ts';
import { daysLeft, TRASH_DAYS } from './trash-model.ts';

/** `/objects/:object/trash`: records moved to the trash, newest first, to restore within 30 days. */
export const TrashPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const { object, isLoading } = useObjectRoute();
  useDocumentTitle(object ? t('trash.title', { name: labels.objectPlural(object) }) : undefined);
  if (isLoading) return <LoadingScreen />;
  if (!object) return <NotFoundScreen />;
  return <TrashOf object={object} key={object.name} />;
};

const TrashOf = ({ object }: { object: ObjectDefinition }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const users = useUsers();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const filter = useMemo(() => buildFilter({ object, rules: [], quickSearch: debouncedSearch }), [object, debouncedSearch]);
  const pages = useTrashPages({ object: object.name, filter, enabled: true });
  const records = useMemo(() => pages.data?.pages.flatMap((page) => page.data) ?? [], [pages.data]);
  const totalCount = pages.data?.pages[0]?.totalCount;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState<(RestoreOutcome['failed'][number] & { title: string })[]>([]);
  // Only those who may delete records of the object restore them; the server decides in the end.
  const canRestore = canOn(object, 'delete');
  const titleOf = (record: ApiRecord) => recordTitleOf(object, record) ?? t('fieldValue.untitled');
  const plural = labels.objectPlural(object);
  const visibleSelected = records.filter((record) => selected.has(record.id));

  const restore = async (chosen: readonly ApiRecord[]) => {
    setBusy(true);
    setFailures([]);
    const outcome = await restoreRecords(object.name, chosen.map((record) => record.id));
    const titles = new Map(chosen.map((record) => [record.id, titleOf(record)]));
    setFailures(outcome.failed.map((failure) => ({ ...failure, title: titles.get(failure.id) ?? failure.id })));
    setSelected((previous) => new Set([...previous].filter((id) => !outcome.restored.includes(id))));
    await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
    if (outcome.restored.length > 0) notify({ message: t('trash.restored', { count: outcome.restored.length }) });
    setBusy(false);
  };

  const toggle = (id: string, isOn: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (isOn) next.add(id);
      else next.delete(id);
      return next;
    });
  const isAllSelected = records.length > 0 && visibleSelected.length === records.length;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" c="dimmed">
            <Anchor component={Link} to={paths.list(object.name)} c="dimmed">{plural}</Anchor>
          </Text>
          <Group gap="sm">
            <Title order={1} size="h2" tabIndex={-1} data-page-title>{t('trash.title', { name: plural })}</Title>
            {totalCount !== undefined && totalCount > 0 ? <Badge variant="light" color="gray" size="lg">{totalCount}</Badge> : null}
          </Group>
          <Text size="sm" c="dimmed" mt={4}>{t('trash.description', { days: TRASH_DAYS })}</Text>
        </div>
        {canRestore && records.length > 0 ? (
          <Button leftSection={<IconRestore size={16} aria-hidden />} disabled={visibleSelected.length === 0} loading={busy} onClick={() => void restore(visibleSelected)}>
            {visibleSelected.length > 0 ? t('trash.restoreSelected', { count: visibleSelected.length }) : t('trash.restoreNone')}
          </Button>
        ) : null}
      </Group>
      {/* Nothing to search in an empty trash. */}
      {records.length > 0 || search !== '' ? (
        <TextInput
          aria-label={t('trash.search')}
          placeholder={t('trash.search')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          maw={360}
        />
      ) : null}
      {pages.error ? <Alert color="red" role="alert">{problemMessage(t, pages.error)}</Alert> : null}
      {failures.length > 0 ? (
        <Alert color="red" role="alert" title={t('trash.failed', { count: failures.length })} withCloseButton closeButtonLabel={t('common.close')} onClose={() => setFailures([])}>
          <List size="sm">
            {failures.map((failure) => <List.Item key={failure.id}>{failure.title}: {problemMessage(t, failure.error)}</List.Item>)}
          </List>
        </Alert>
      ) : null}
      {pages.isLoading ? (
        <LoadingScreen />
      ) : records.length === 0 && !pages.error ? (
        debouncedSearch ? (
          <EmptyScreen icon={<IconSearch size={32} aria-hidden />} title={t('trash.noMatchTitle')} description={t('trash.noMatchDescription')} />
        ) : (
          <EmptyScreen icon={<IconTrash size={32} aria-hidden />} title={t('trash.emptyTitle')} description={t('trash.emptyDescription', { days: TRASH_DAYS })} />
        )
      ) : records.length > 0 ? (
        <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md" miw={640} aria-label={t('trash.title', { name: plural })}>
            <Table.Thead>
              <Table.Tr>
                {canRestore ? (
                  <Table.Th w={40}>
                    <Checkbox aria-label={t('trash.selectAll')} checked={isAllSelected} indeterminate={visibleSelected.length > 0 && !isAllSelected}
                      onChange={(event) => setSelected(event.currentTarget.checked ? new Set(records.map((record) => record.id)) : new Set())} />
                  </Table.Th>
                ) : null}
                <Table.Th scope="col">{t('trash.record')}</Table.Th>
                <Table.Th scope="col">{t('trash.deletedAt')}</Table.Th>
                <Table.Th scope="col">{t('trash.deletedBy')}</Table.Th>
                <Table.Th scope="col">{t('trash.daysLeft')}</Table.Th>
                {canRestore ? <Table.Th scope="col"><VisuallyHidden>{t('trash.actions')}</VisuallyHidden></Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {records.map((record) => (
                <TrashRow key={record.id} record={record} title={titleOf(record)} deletedBy={nameOf(users.data ?? [], record.updatedBy)} canRestore={canRestore} busy={busy}
                  isSelected={selected.has(record.id)} onToggle={(isOn) => toggle(record.id, isOn)} onRestore={() => void restore([record])} />
              ))}
            </Table.Tbody>
          </Table>
          {pages.hasNextPage ? (
            <Group justify="center" p="sm">
              <Button variant="subtle" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>{t('trash.more')}</Button>
            </Group>
          ) : null}
        </Paper>
      ) : null}
    </Stack>
  );
};

interface TrashRowProps {
  record: ApiRecord;
  title: string;
  /** The delete is the record's last change (a record in the trash cannot be updated): its `updatedBy`. */
  deletedBy: string | null;
  canRestore: boolean;
  busy: boolean;
  isSelected: boolean;
  onToggle: (isOn: boolean) => void;
  onRestore: () => void;
}

const TrashRow = ({ record, title, deletedBy, canRestore, busy, isSelected, onToggle, onRestore }: TrashRowProps) => {
  const { t } = useTranslation();
  const format = useFormat();
  const left = record.deletedAt ? daysLeft(record.deletedAt) : TRASH_DAYS;
  return (
    <Table.Tr>
      {canRestore ? (
        <Table.Td>
          <Checkbox aria-label={t('trash.select', { title })} checked={isSelected} onChange={(event) => onToggle(event.currentTarget.checked)} />
        </Table.Td>
      ) : null}
      <Table.Td><Text size="sm" fw={500}>{title}</Text></Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{record.deletedAt ? format.dateTime(record.deletedAt) : '—'}</Table.Td>
      <Table.Td>{deletedBy ?? '—'}</Table.Td>
      <Table.Td>
        <Badge variant="light" tt="none" color={left <= 3 ? 'red' : left <= 7 ? 'orange' : 'gray'}>{t('trash.daysLeftValue', { count: left })}</Badge>
      </Table.Td>
      {canRestore ? (
        <Table.Td>
          <Group justify="flex-end">
            <Button size="compact-sm" variant="light" leftSection={<IconRestore size={14} aria-hidden />} disabled={busy} onClick={onRestore} aria-label={t('trash.restoreNamed', { title })}>
              {t('trash.restore')}
            </Button>
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
};
