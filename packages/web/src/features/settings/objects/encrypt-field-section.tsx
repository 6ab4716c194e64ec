import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Badge, Button, Group, List, Progress, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { notify } from '../../../components/ui/notify.ts';
import { metadataPath, useMetadataRefresh } from './designer-api.ts';
import { encryptionBlockerOf, formulasReading, hasEqualityLookups, isFinished, type JobStatus } from './encryption-model.ts';

interface JobState {
  id: string;
  status: JobStatus;
  progress: unknown;
  lastError: string | null;
}

const useJob = (id: string | null) =>
  useQuery({
    queryKey: ['jobs', id],
    queryFn: ({ signal }) => api.get<JobState>(`/jobs/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data.status) ? false : 750),
  });

/** What an encrypted field gives up: the database cannot compare what it cannot read. */
const Limits = ({ field }: { field: FieldDefinition }) => {
  const { t } = useTranslation();
  return (
    <List size="sm" spacing={2}>
      <List.Item>{t('settingsMore.encrypt.limitSort')}</List.Item>
      <List.Item>{hasEqualityLookups(field) ? t('settingsMore.encrypt.limitFilterEquality') : t('settingsMore.encrypt.limitFilter')}</List.Item>
      <List.Item>{t('settingsMore.encrypt.limitSearch')}</List.Item>
      <List.Item>{t('settingsMore.encrypt.limitFormula')}</List.Item>
    </List>
  );
};

/**
 * Turning encryption on for a field that holds data (`POST …/fields/{f}/encrypt`, a background job
 * followed through `GET /jobs/{id}`). It cannot be turned off again.
 */
export const EncryptFieldSection = ({ object, field: initial }: { object: ObjectDefinition; field: FieldDefinition }) => {
  const { t } = useTranslation();
  const refresh = useMetadataRefresh();
  const reasonId = useId();
  // The object is read again after each change; the field as it is now comes from it.
  const field = object.fields.find((each) => each.name === initial.name) ?? initial;
  const [isConfirming, setIsConfirming] = useState(false);
  const [isStarting, setIsStarting] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJob(jobId);
  const status = job.data?.status ?? (jobId ? 'queued' : null);

  useEffect(() => {
    if (!job.data || !isFinished(job.data.status)) return;
    if (job.data.status === 'completed') {
      void refresh(object.name);
      notify({ message: t('settingsMore.encrypt.done', { name: field.label }) });
    }
    // Only the end of the job matters, once.
  }, [job.data?.status]);

  const start = async () => {
    setIsStarting(true);
    setError(null);
    try {
      const answer = await api.post<{ job: { id: string; status: JobStatus } }>(`${metadataPath.field(object.name, field.name)}/encrypt`);
      setJobId(answer.job.id);
      setIsConfirming(false);
    } catch (failure) {
      setError(problemMessage(t, failure));
    } finally {
      setIsStarting(false);
    }
  };

  const blocker = encryptionBlockerOf(object, field);
  const isEncrypted = blocker === 'encrypted';
  const isRunning = status !== null && !isFinished(status);

  return (
    <Stack gap="xs" component="section" aria-label={t('settingsMore.encrypt.title')}>
      <Group gap="xs">
        <Text size="sm" fw={500}>{t('settingsMore.encrypt.title')}</Text>
        {isEncrypted ? <Badge size="sm" variant="light" color="orange" leftSection={<IconLock size={12} aria-hidden />}>{t('designer.field.encrypted')}</Badge> : null}
      </Group>
      {isEncrypted ? (
        <>
          <Text size="xs" c="dimmed">{t('settingsMore.encrypt.isEncrypted')}</Text>
          <Limits field={field} />
        </>
      ) : (
        <>
          <Text size="xs" c="dimmed">{t('settingsMore.encrypt.help')}</Text>
          {blocker ? (
            <Text size="xs" id={reasonId} c="dimmed" fs="italic">
              {t(`settingsMore.encrypt.blocked.${blocker}`, { formulas: formulasReading(object, field).map((each) => each.label).join(', ') })}
            </Text>
          ) : null}
          {error ? <Alert color="red" role="alert">{error}</Alert> : null}
          {isConfirming ? (
            <Alert color="orange" variant="light" title={t('settingsMore.encrypt.confirmTitle', { name: field.label })}>
              <Stack gap="xs">
                <Text size="sm">{t('settingsMore.encrypt.confirmHelp')}</Text>
                <Limits field={field} />
                <Group justify="flex-end">
                  <Button variant="default" size="xs" onClick={() => setIsConfirming(false)}>{t('common.cancel')}</Button>
                  <Button size="xs" loading={isStarting} onClick={() => void start()}>{t('settingsMore.encrypt.confirm')}</Button>
                </Group>
              </Stack>
            </Alert>
          ) : null}
          {!isConfirming && !isRunning ? (
            <Group>
              <Button
                type="button"
                variant="default"
                size="xs"
                leftSection={<IconLock size={14} aria-hidden />}
                disabled={blocker !== null}
                aria-describedby={blocker ? reasonId : undefined}
                onClick={() => setIsConfirming(true)}
              >
                {t('settingsMore.encrypt.action')}
              </Button>
            </Group>
          ) : null}
        </>
      )}
      {/* Still shown once the field reads as encrypted: the metadata refresh at the job's end must not hide its outcome. */}
      {status !== null ? (
        <Stack gap={4} role="status">
          <Text size="sm">{t(`settingsMore.encrypt.status.${status}`, { error: job.data?.lastError ?? '' })}</Text>
          {isRunning ? <Progress value={100} striped animated aria-label={t('settingsMore.encrypt.progress')} /> : null}
        </Stack>
      ) : null}
    </Stack>
  );
};
