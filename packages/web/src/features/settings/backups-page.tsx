import { Alert, Badge, Button, Group, Loader, NumberInput, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck, IconCircleX, IconDatabaseExport } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { backupsQueryKey, formatBytes, isRunActive, saveBackupSettings, startBackup, useBackups, type BackupRun, type BackupSettings, type BackupsOverview } from './backups-api.ts';
import { OverdueAlert } from './backup-overdue-notice.tsx';
import { SettingsTitle } from './settings-layout.tsx';

const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
const STATUS_COLORS: Record<BackupRun['status'], string> = { queued: 'gray', running: 'blue', completed: 'green', failed: 'red' };

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/** The newest verified backup, or what went wrong with the latest run. */
const LastBackup = ({ overview }: { overview: BackupsOverview }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const last = overview.lastVerified;
  const latest = overview.runs.find((run) => !isRunActive(run));
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Title order={2} size="h4">{t('backups.last.title')}</Title>
        {last ? (
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <IconCircleCheck size={22} color="var(--mantine-color-green-7)" aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
            <div>
              <Text fw={600}>{t('backups.last.verified', { time: format.dateTime(last.finishedAt ?? last.createdAt) })}</Text>
              <Text size="sm" c="dimmed">
                {[last.bytes !== null ? formatBytes(last.bytes, format.number) : null, t(`backups.runs.triggers.${last.trigger}`)].filter(Boolean).join(' · ')}
              </Text>
              {last.file ? <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>{last.file}</Text> : null}
            </div>
          </Group>
        ) : (
          <Text c="dimmed">{t('backups.last.none')}</Text>
        )}
        {latest && latest.status === 'failed' ? (
          <Alert color="red" icon={<IconCircleX size={18} aria-hidden />} title={t('backups.last.failedTitle', { time: format.dateTime(latest.finishedAt ?? latest.createdAt) })}>
            <Text size="sm" style={{ wordBreak: 'break-word' }}>{latest.error ?? latest.problems.join('; ')}</Text>
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
};

const BackUpNow = ({ overview }: { overview: BackupsOverview }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [isStarting, setIsStarting] = useState(false);
  const active = overview.runs.find(isRunActive);
  const start = async () => {
    setError(null);
    setIsStarting(true);
    try {
      await startBackup();
      notify({ message: t('backups.now.started') });
      await queryClient.invalidateQueries({ queryKey: backupsQueryKey });
    } catch (caught) {
      setError(problemMessage(t, caught));
    } finally {
      setIsStarting(false);
    }
  };
  return (
    <Stack gap="xs">
      <Group gap="md">
        <Button onClick={() => void start()} loading={isStarting} disabled={Boolean(active)} leftSection={<IconDatabaseExport size={16} aria-hidden />}>
          {t('backups.now.button')}
        </Button>
        {active ? (
          <Group gap="xs" role="status">
            <Loader size="xs" aria-hidden />
            <Text size="sm">{t(`backups.now.${active.status === 'queued' ? 'queued' : 'running'}`)}</Text>
          </Group>
        ) : null}
      </Group>
      {error ? <Alert color="red" role="alert">{error}</Alert> : null}
    </Stack>
  );
};

const ScheduleForm = ({ overview }: { overview: BackupsOverview }) => {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<BackupSettings>(overview.settings);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isSaving, setIsSaving] = useState(false);
  useEffect(() => setDraft(overview.settings), [overview.settings]);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsSaving(true);
    setErrors(NO_ERRORS);
    try {
      await saveBackupSettings(draft);
      notify({ message: t('backups.schedule.saved') });
      await queryClient.invalidateQueries({ queryKey: backupsQueryKey });
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['isEnabled', 'cron', 'timezone', 'keepDays', 'keepLast']));
    } finally {
      setIsSaving(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={onSubmit} noValidate aria-labelledby="backup-schedule-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="backup-schedule-title">{t('backups.schedule.title')}</Title>
        <Switch label={t('backups.schedule.enabled')} checked={draft.isEnabled} onChange={(event) => setDraft({ ...draft, isEnabled: event.currentTarget.checked })} />
        <Group grow align="flex-start">
          <TextInput label={t('backups.schedule.cron')} description={t('backups.schedule.cronHelp')} value={draft.cron} onChange={(event) => setDraft({ ...draft, cron: event.currentTarget.value })} error={errors.byField.cron} required />
          <Select label={t('backups.schedule.timezone')} data={TIME_ZONES} searchable value={draft.timezone} onChange={(value) => setDraft({ ...draft, timezone: value ?? 'UTC' })} error={errors.byField.timezone} allowDeselect={false} />
        </Group>
        <Group grow align="flex-start">
          <NumberInput label={t('backups.schedule.keepDays')} description={t('backups.schedule.keepDaysHelp')} min={1} max={3650} value={draft.keepDays} onChange={(value) => setDraft({ ...draft, keepDays: Number(value) || 1 })} error={errors.byField.keepDays} />
          <NumberInput label={t('backups.schedule.keepLast')} description={t('backups.schedule.keepLastHelp')} min={1} max={1000} value={draft.keepLast} onChange={(value) => setDraft({ ...draft, keepLast: Number(value) || 1 })} error={errors.byField.keepLast} />
        </Group>
        {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {overview.nextRunAt ? t('backups.schedule.nextRun', { time: format.dateTime(overview.nextRunAt) }) : t('backups.schedule.off')}
          </Text>
          <Button type="submit" loading={isSaving}>{t('backups.schedule.save')}</Button>
        </Group>
      </Stack>
    </Paper>
  );
};

const RunsTable = ({ runs }: { runs: BackupRun[] }) => {
  const { t } = useTranslation();
  const format = useFormat();
  if (runs.length === 0) return <EmptyScreen title={t('backups.runs.emptyTitle')} description={t('backups.runs.emptyDescription')} />;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped aria-labelledby="backup-runs-title">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('backups.runs.started')}</Table.Th>
            <Table.Th scope="col">{t('backups.runs.trigger')}</Table.Th>
            <Table.Th scope="col">{t('backups.runs.status')}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('backups.runs.size')}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('backups.runs.duration')}</Table.Th>
            <Table.Th scope="col">{t('backups.runs.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => {
            const backupSeconds = seconds(run.backupMs);
            const verifySeconds = seconds(run.verifyMs);
            return (
              <Table.Tr key={run.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(run.startedAt ?? run.createdAt)}</Table.Td>
                <Table.Td>{t(`backups.runs.triggers.${run.trigger}`)}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLORS[run.status]} variant="light">
                    {run.status === 'completed' && run.isVerified ? t('backups.runs.verified') : t(`backups.runs.statuses.${run.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{run.bytes !== null ? formatBytes(run.bytes, format.number) : '—'}</Table.Td>
                <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  {backupSeconds !== null ? t('backups.runs.timing', { backup: format.number(backupSeconds, 1), verify: verifySeconds !== null ? format.number(verifySeconds, 1) : '—' }) : '—'}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" style={{ wordBreak: 'break-word' }} c={run.error ? 'red' : 'dimmed'}>
                    {run.error ?? (run.pruned.length > 0 ? t('backups.runs.pruned', { count: run.pruned.length }) : '')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
};

/** Settings › Backups: the last verified backup, "Back up now", the schedule and retention, recent runs. */
export const BackupsPage = () => {
  const { t } = useTranslation();
  const { data: overview, isLoading, error } = useBackups();
  useDocumentTitle(t('backups.title'));
  return (
    <Stack gap="md" maw={960}>
      <SettingsTitle>{t('backups.title')}</SettingsTitle>
      <Text c="dimmed" size="sm" maw={760}>{t('backups.intro')}</Text>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {overview === null ? <Alert color="gray">{t('backups.notInstanceAdmin')}</Alert> : null}
      {overview ? (
        <>
          {overview.isOverdue ? <OverdueAlert overview={overview} /> : null}
          <LastBackup overview={overview} />
          <BackUpNow overview={overview} />
          {overview.folder ? <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>{t('backups.folder', { folder: overview.folder })}</Text> : null}
          <ScheduleForm overview={overview} />
          <Title order={2} size="h4" id="backup-runs-title">{t('backups.runs.title')}</Title>
          <RunsTable runs={overview.runs} />
        </>
      ) : null}
    </Stack>
  );
};
