import { Alert, Badge, Button, Group, Modal, Paper, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconDownload, IconExternalLink, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiDownload } from '../../api/client.ts';
import { fileNameFromDisposition, saveBlob } from '../../api/download.ts';
import { useObjects } from '../../api/queries.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { isPlainClick } from '../../app/app-links.ts';
import { notify } from '../../components/ui/notify.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useLabels } from '../object-record/labels.ts';
import { canOn, findObject, paths } from '../object-record/metadata.ts';
import { canUndo, isFinished, isUndoing, progressPercent, type ImportRun, type ImportStatus } from './import-model.ts';
import { useImportProblemMessage } from './import-problems.ts';
import { errorsUrlOf, useUndoImport } from './imports-api.ts';

export const STATUS_COLORS: Record<ImportStatus, string> = { queued: 'gray', running: 'blue', completed: 'green', failed: 'red' };
/** An undo's badge colour: a completed undo is orange (the import's records are gone), else as the status. */
export const undoColorOf = (status: ImportStatus): string => (status === 'completed' ? 'orange' : STATUS_COLORS[status]);

/** "Download errors (CSV)": a real link, downloaded by the page so a refusal shows its reason. */
const ErrorsLink = ({ run }: { run: ImportRun }) => {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const href = errorsUrlOf(run.id);
  return (
    <Button
      component="a"
      href={href}
      download
      variant="default"
      loading={pending}
      leftSection={<IconDownload size={16} aria-hidden />}
      onClick={async (event) => {
        if (!isPlainClick(event.nativeEvent)) return;
        event.preventDefault();
        setPending(true);
        try {
          const response = await apiDownload(href, 'text/csv');
          saveBlob(await response.blob(), fileNameFromDisposition(response.headers.get('content-disposition')) ?? `import-${run.id}-errors.csv`);
        } catch (error) {
          notify({ color: 'red', message: problemMessage(t, error) });
        } finally {
          setPending(false);
        }
      }}
    >
      {t('imports.run.downloadErrors')}
    </Button>
  );
};

const Count = ({ label, value, color }: { label: string; value: number; color?: string }) => {
  const format = useFormat();
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} {...(color && value > 0 ? { c: color } : {})}>
        {format.number(value)}
      </Text>
    </Paper>
  );
};

/** Undo with a confirmation: what the import created goes away, what it updated gets its values back. */
const UndoButton = ({ run }: { run: ImportRun }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const problemText = useImportProblemMessage();
  const [open, setOpen] = useState(false);
  const undo = useUndoImport();
  return (
    <>
      <Button variant="light" color="red" leftSection={<IconArrowBackUp size={16} aria-hidden />} onClick={() => setOpen(true)}>
        {t('imports.run.undo')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('imports.run.undoTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md">
          <Text size="sm">
            {[
              run.created > 0 ? t('imports.run.undoCreated', { count: run.created, formatted: format.number(run.created) }) : null,
              run.updated > 0 ? t('imports.run.undoUpdated', { count: run.updated, formatted: format.number(run.updated) }) : null,
              t('imports.run.undoKept'),
            ]
              .filter(Boolean)
              .join(' ')}
          </Text>
          {undo.error ? (
            <Alert color="red" role="alert">
              {problemText(undo.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={undo.isPending}
              onClick={() =>
                undo.mutate(run.id, {
                  onSuccess: () => {
                    setOpen(false);
                    notify({ message: t('imports.run.undoStarted') });
                  },
                })
              }
            >
              {t('imports.run.undoAction')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
};

/** Where an import is: progress while it runs, then what it did, with its errors, its records and undo. */
export const ImportRunView = ({ run, onImportForReal }: { run: ImportRun; onImportForReal?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useLabels();
  const { data: objects } = useObjects();
  const object = findObject(objects, run.object);
  const percent = progressPercent(run);
  const finished = isFinished(run);
  const processedText =
    run.totalRows !== null
      ? t('imports.run.processedOf', { processed: format.number(run.processed), total: format.number(run.totalRows) })
      : t('imports.run.processed', { processed: format.number(run.processed) });
  return (
    <Stack gap="md">
      <Group gap="sm">
        <Badge color={STATUS_COLORS[run.status]} variant="light" size="lg">
          {t(`imports.status.${run.status}`)}
        </Badge>
        {run.dryRun ? (
          <Badge color="grape" variant="light" size="lg">
            {t('imports.history.dryRun')}
          </Badge>
        ) : null}
        {run.undo ? (
          <Badge color={undoColorOf(run.undo.status)} variant="light" size="lg">
            {t(`imports.undoStatus.${run.undo.status}`)}
          </Badge>
        ) : null}
      </Group>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            {processedText}
          </Text>
          {percent !== null ? <Text size="sm" c="dimmed">{format.percent(percent, 0)}</Text> : null}
        </Group>
        <Progress.Root size="lg">
          <Progress.Section
            value={percent ?? 100}
            animated={!finished}
            striped={!finished && percent === null}
            color={run.status === 'failed' ? 'red' : finished ? 'green' : 'blue'}
            aria-label={processedText}
          />
        </Progress.Root>
      </Stack>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Count label={run.dryRun ? t('imports.run.wouldCreate') : t('imports.run.created')} value={run.created} color="green" />
        <Count label={run.dryRun ? t('imports.run.wouldUpdate') : t('imports.run.updated')} value={run.updated} color="blue" />
        <Count label={run.dryRun ? t('imports.run.wouldFail') : t('imports.run.failed')} value={run.failed} color="red" />
      </SimpleGrid>
      {!finished ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
          {t('imports.run.canLeave')}
        </Alert>
      ) : null}
      {finished ? (
        <Alert
          role="status"
          color={run.status === 'failed' ? 'red' : run.failed > 0 ? 'orange' : run.dryRun ? 'blue' : 'green'}
          title={
            run.status === 'failed'
              ? t('imports.run.failedTitle')
              : run.dryRun
                ? t('imports.run.dryRunDoneTitle')
                : t('imports.run.doneTitle')
          }
        >
          <Stack gap={4}>
            {run.status === 'failed' && run.error ? <Text size="sm">{run.error}</Text> : null}
            {run.dryRun && run.status === 'completed' ? <Text size="sm">{t('imports.run.dryRunDone')}</Text> : null}
            {run.failed > 0 ? <Text size="sm">{t('imports.run.someFailed', { count: run.failed, formatted: format.number(run.failed) })}</Text> : null}
            {run.undo?.status === 'completed' ? (
              <Text size="sm">
                {t('imports.run.undone', { removed: format.number(run.undo.removed), restored: format.number(run.undo.restored) })}
                {run.undo.conflicts > 0 ? ` ${t('imports.run.undoConflicts', { count: run.undo.conflicts, formatted: format.number(run.undo.conflicts) })}` : ''}
              </Text>
            ) : null}
            {isUndoing(run) ? <Text size="sm">{t('imports.run.undoing')}</Text> : null}
          </Stack>
        </Alert>
      ) : null}
      {finished ? (
        <Group gap="sm">
          {!run.dryRun && object && run.created + run.updated > 0 && run.undo?.status !== 'completed' ? (
            <Button component={Link} to={paths.list(run.object)} leftSection={<IconExternalLink size={16} aria-hidden />}>
              {t('imports.run.viewRecords', { name: labels.objectPlural(object) })}
            </Button>
          ) : null}
          {run.dryRun && run.status === 'completed' && onImportForReal ? <Button onClick={onImportForReal}>{t('imports.run.importForReal')}</Button> : null}
          {run.failed > 0 ? <ErrorsLink run={run} /> : null}
          {canUndo(run) && (!object || (canOn(object, 'delete') && canOn(object, 'update'))) ? <UndoButton run={run} /> : null}
        </Group>
      ) : null}
    </Stack>
  );
};
