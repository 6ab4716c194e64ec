import { Alert, Anchor, Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useImportProblemMessage } from './import-problems.ts';
import { useObjects } from '../../api/queries.ts';
import { EmptyScreen, LoadingScreen, NotFoundScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useValueContext } from '../field-types/value-context.tsx';
import { useLabels } from '../object-record/labels.ts';
import { findObject } from '../object-record/metadata.ts';
import { importableObjects, type ImportRun } from './import-model.ts';
import { importPaths } from './import-paths.ts';
import { ImportRunView, STATUS_COLORS, undoColorOf } from './import-run-view.tsx';
import { useImportRun, useImportRuns } from './imports-api.ts';

const UndoState = ({ run }: { run: ImportRun }) => {
  const { t } = useTranslation();
  if (run.dryRun) return <Text size="sm" c="dimmed">—</Text>;
  if (!run.undo) return <Text size="sm" c="dimmed">{t('imports.history.notUndone')}</Text>;
  return (
    <Badge variant="light" color={undoColorOf(run.undo.status)}>
      {t(`imports.undoStatus.${run.undo.status}`)}
    </Badge>
  );
};

/** `/imports`: every import of the workspace the person may see, newest first, by object. */
export const ImportHistoryPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const { userName } = useValueContext();
  const [params, setParams] = useSearchParams();
  const { data: objects = [] } = useObjects();
  const object = params.get('object') ?? undefined;
  const runs = useImportRuns(object);
  useDocumentTitle(t('imports.history.title'));
  const objectLabel = (name: string) => {
    const found = findObject(objects, name);
    return found ? labels.objectPlural(found) : name;
  };
  const canImport = importableObjects(objects).length > 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {t('imports.history.title')}
        </Title>
        <Group gap="sm">
          <Select
            aria-label={t('imports.history.object')}
            placeholder={t('imports.history.allObjects')}
            data={objects.map((entry) => ({ value: entry.name, label: labels.objectPlural(entry) }))}
            value={object ?? null}
            onChange={(value) => setParams(value ? { object: value } : {}, { replace: true })}
            clearable
            searchable
            w={240}
          />
          {canImport ? (
            <Button component={Link} to={importPaths.wizard(object)} leftSection={<IconPlus size={16} aria-hidden />}>
              {t('imports.history.new')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Text size="sm" c="dimmed" maw={760}>
        {t('imports.history.intro')}
      </Text>
      {runs.isLoading ? <LoadingScreen /> : null}
      {runs.error ? (
        <Alert color="red" role="alert">
          {problemMessage(t, runs.error)}
        </Alert>
      ) : null}
      {runs.data && runs.data.length === 0 ? (
        <EmptyScreen
          icon={<IconFileImport size={32} aria-hidden />}
          title={t('imports.history.emptyTitle')}
          description={t('imports.history.emptyDescription')}
          action={
            canImport ? (
              <Button component={Link} to={importPaths.wizard(object)}>
                {t('imports.history.new')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      {runs.data && runs.data.length > 0 ? (
        <Table.ScrollContainer minWidth={960}>
          <Table striped highlightOnHover verticalSpacing="xs" aria-label={t('imports.history.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.history.file')}</Table.Th>
                <Table.Th>{t('imports.history.object')}</Table.Th>
                <Table.Th>{t('imports.history.by')}</Table.Th>
                <Table.Th>{t('imports.history.when')}</Table.Th>
                <Table.Th>{t('imports.history.status')}</Table.Th>
                <Table.Th ta="right">{t('imports.run.created')}</Table.Th>
                <Table.Th ta="right">{t('imports.run.updated')}</Table.Th>
                <Table.Th ta="right">{t('imports.run.failed')}</Table.Th>
                <Table.Th>{t('imports.history.undo')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>
                    <Group gap={6}>
                      <Anchor component={Link} to={importPaths.run(run.id)} fw={600} size="sm">
                        {run.fileName}
                      </Anchor>
                      {run.dryRun ? (
                        <Badge variant="light" color="grape" size="sm">
                          {t('imports.history.dryRun')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>{objectLabel(run.object)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{run.createdBy ? userName(run.createdBy) : '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(run.createdAt)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATUS_COLORS[run.status]} styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>
                      {t(`imports.status.${run.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{format.number(run.created)}</Table.Td>
                  <Table.Td ta="right">{format.number(run.updated)}</Table.Td>
                  <Table.Td ta="right">{format.number(run.failed)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <UndoState run={run} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
};

/** `/imports/:id`: one import, live while it runs, with its summary, errors and undo. */
export const ImportRunPage = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useLabels();
  const problemText = useImportProblemMessage();
  const { userName } = useValueContext();
  const { id } = useParams();
  const { data: objects = [] } = useObjects();
  const run = useImportRun(id);
  useDocumentTitle(run.data ? run.data.fileName : t('imports.history.title'));
  if (run.isLoading) return <LoadingScreen />;
  if (!run.data) return run.error && !isApiError(run.error, 'IMPORT_NOT_FOUND') ? <Alert color="red" role="alert">{problemText(run.error)}</Alert> : <NotFoundScreen />;
  const object = findObject(objects, run.data.object);
  return (
    <Stack gap="md" maw={880}>
      <Anchor component={Link} to={importPaths.history()} size="sm">
        {t('imports.history.back')}
      </Anchor>
      <Title order={1} size="h2" tabIndex={-1} data-page-title>
        {run.data.fileName}
      </Title>
      <Text size="sm" c="dimmed">
        {t('imports.history.meta', {
          object: object ? labels.objectPlural(object) : run.data.object,
          who: run.data.createdBy ? userName(run.data.createdBy) : '—',
          when: format.dateTime(run.data.createdAt),
        })}
      </Text>
      <ImportRunView run={run.data} />
    </Stack>
  );
};
