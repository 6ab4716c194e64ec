import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconArrowMerge, IconCopy, IconRefresh, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { EmptyScreen, LoadingScreen, NotFoundScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useLabels } from '../object-record/labels.ts';
import { paths, recordTitleOf } from '../object-record/metadata.ts';
import { useObjectRoute } from '../object-record/use-object-route.ts';
import { useIsAdmin } from '../settings/use-is-admin.ts';
import { dismissPair, duplicateKeys, scanNow, useDuplicatePairs, type DuplicatePair } from './duplicates-api.ts';
import { canMerge, duplicatePaths } from './duplicate-paths.ts';
import { ReasonBadges } from './reason-badges.tsx';

/** `/objects/:object/duplicates`: pairs the scheduled scan found, with Merge and Not duplicates. */
export const DuplicatesPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const queryClient = useQueryClient();
  const isAdmin = useIsAdmin();
  const { object, objectName, isLoading } = useObjectRoute();
  const pairs = useDuplicatePairs(objectName);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(object ? t('duplicates.list.title', { name: labels.objectPlural(object) }) : undefined);

  if (isLoading) return <LoadingScreen />;
  if (!object) return <NotFoundScreen />;
  const rows = pairs.data?.pages.flatMap((page) => page.data) ?? [];
  const titleOf = (record: DuplicatePair['a']) => recordTitleOf(object, record) ?? t('fieldValue.untitled');

  const run = async (key: string, action: () => Promise<unknown>, message: string) => {
    setBusy(key);
    setError(null);
    try {
      await action();
      await queryClient.invalidateQueries({ queryKey: duplicateKeys.pairs(object.name) });
      notify({ message });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" c="dimmed">
            <Anchor component={Link} to={paths.list(object.name)} c="dimmed">{labels.objectPlural(object)}</Anchor>
          </Text>
          <Title order={1} size="h2" tabIndex={-1} data-page-title>
            {t('duplicates.list.title', { name: labels.objectPlural(object) })}
          </Title>
          <Text size="sm" c="dimmed" mt={4}>{t('duplicates.list.description')}</Text>
        </div>
        {isAdmin ? (
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} loading={busy === 'scan'}
            onClick={() => void run('scan', () => scanNow(object.name), t('duplicates.list.scanned'))}>
            {t('duplicates.list.scan')}
          </Button>
        ) : null}
      </Group>
      {error || pairs.error ? <Alert color="red" role="alert">{problemMessage(t, error ?? pairs.error)}</Alert> : null}
      {pairs.isLoading ? (
        <LoadingScreen />
      ) : rows.length === 0 ? (
        <EmptyScreen icon={<IconCopy size={32} aria-hidden />} title={t('duplicates.list.emptyTitle')} description={t('duplicates.list.emptyDescription')} />
      ) : (
        <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md" miw={720} aria-label={t('duplicates.list.title', { name: labels.objectPlural(object) })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('duplicates.list.record')}</Table.Th>
                <Table.Th scope="col">{t('duplicates.list.duplicate')}</Table.Th>
                <Table.Th scope="col">{t('duplicates.list.reasons')}</Table.Th>
                <Table.Th scope="col">{t('duplicates.list.similarity')}</Table.Th>
                <Table.Th scope="col"><VisuallyHidden>{t('duplicates.list.actions')}</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((pair) => (
                <Table.Tr key={pair.id}>
                  <Table.Td><Anchor component={Link} to={paths.record(object.name, pair.a.id)}>{titleOf(pair.a)}</Anchor></Table.Td>
                  <Table.Td><Anchor component={Link} to={paths.record(object.name, pair.b.id)}>{titleOf(pair.b)}</Anchor></Table.Td>
                  <Table.Td><ReasonBadges reasons={pair.reasons} /></Table.Td>
                  <Table.Td>{format.percent(Math.round(pair.score * 100), 0)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {canMerge(object) ? (
                        <Button component={Link} to={duplicatePaths.merge(object.name, pair.a.id, pair.b.id)} size="compact-sm" variant="light" leftSection={<IconArrowMerge size={14} aria-hidden />}
                          aria-label={t('duplicates.list.mergeNamed', { a: titleOf(pair.a), b: titleOf(pair.b) })}>
                          {t('duplicates.list.merge')}
                        </Button>
                      ) : null}
                      <Button size="compact-sm" variant="subtle" color="gray" leftSection={<IconX size={14} aria-hidden />} loading={busy === pair.id}
                        aria-label={t('duplicates.list.dismissNamed', { a: titleOf(pair.a), b: titleOf(pair.b) })}
                        onClick={() => void run(pair.id, () => dismissPair(pair.id), t('duplicates.list.dismissed'))}>
                        {t('duplicates.list.dismiss')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {pairs.hasNextPage ? (
            <Group justify="center" p="sm">
              <Button variant="subtle" onClick={() => void pairs.fetchNextPage()} loading={pairs.isFetchingNextPage}>{t('duplicates.list.more')}</Button>
            </Group>
          ) : null}
        </Paper>
      )}
    </Stack>
  );
};
