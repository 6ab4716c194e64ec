import type { ConfigurationDeployment, ConfigurationDiff } from '@rapport/common';
import type { TFunction } from 'i18next';
import { Alert, Button, Code, Group, List, Loader, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconRocket } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { ChangeList, ChangeSummaryText, DestructiveWarning } from './change-list.tsx';

/** A deployment's failure in words: a changed target gets its own sentence (compare again). */
const deployFailureMessage = (t: TFunction, error: unknown) => (isApiError(error, 'CONFIGURATION_CHANGED') ? t('sandboxes.deploy.changedSince') : problemMessage(t, error));

/** Why a preview failed; for a document that is not a valid configuration, each problem with its place in the document. */
const PreviewError = ({ error }: { error: unknown }) => {
  const { t } = useTranslation();
  const problems = isApiError(error) ? error.fieldErrors : [];
  return (
    <Alert color="red" role="alert" title={problems.length > 0 ? t('sandboxes.apply.invalidTitle') : undefined}>
      {problems.length > 0 ? (
        <List size="sm" spacing={2}>
          {problems.map((problem) => (
            <List.Item key={`${problem.field}:${problem.message}`}>
              {problem.field ? <Code fz="xs">{problem.field}</Code> : null} {problem.message}
            </List.Item>
          ))}
        </List>
      ) : (
        problemMessage(t, error)
      )}
    </Alert>
  );
};

export interface DeployModalProps {
  title: string;
  /** What is deployed where, above the preview. */
  description: ReactNode;
  /** Shown between the description and the preview (e.g. the file to apply). */
  children?: ReactNode;
  diff: ConfigurationDiff | undefined;
  isLoading: boolean;
  error: unknown;
  /** Deploys with the fingerprint of the previewed diff. */
  onDeploy(fingerprint: string | undefined): Promise<ConfigurationDeployment>;
  /** Reads the preview again (after production changed). */
  onRefresh(): void;
  onClose(): void;
}

/** Deploying in one step: the preview of every change (destructive ones flagged), a confirmation, then the result. */
export const DeployModal = ({ title, description, children, diff, isLoading, error, onDeploy, onRefresh, onClose }: DeployModalProps) => {
  const { t } = useTranslation();
  const [isDeploying, setIsDeploying] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [result, setResult] = useState<ConfigurationDeployment | null>(null);
  const count = diff?.changes.length ?? 0;

  const deploy = async () => {
    setIsDeploying(true);
    setFailure(null);
    try {
      setResult(await onDeploy(diff?.fingerprint));
    } catch (caught) {
      setFailure(caught);
    } finally {
      setIsDeploying(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={title} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }} scrollAreaComponent={ScrollArea.Autosize}>
      {result ? (
        <Stack gap="md">
          <Alert color="green" icon={<IconCircleCheck size={18} aria-hidden />} title={t('sandboxes.deploy.doneTitle')} role="status">
            {t('sandboxes.deploy.done', { count: result.changes.length })}
          </Alert>
          <Text size="sm" c="dimmed">{t('sandboxes.deploy.rollbackHint')}</Text>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>{t('common.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">{description}</Text>
          {children}
          {isLoading ? (
            <Group gap="xs" role="status">
              <Loader size="xs" aria-hidden />
              <Text size="sm">{t('sandboxes.diff.comparing')}</Text>
            </Group>
          ) : null}
          {error ? <PreviewError error={error} /> : null}
          {diff ? (
            <>
              <ChangeSummaryText changes={diff.changes} />
              <DestructiveWarning changes={diff.changes} />
              <ChangeList changes={diff.changes} headingOrder={3} />
            </>
          ) : null}
          {failure ? (
            <Alert color="red" role="alert" title={t('sandboxes.deploy.failedTitle')}>
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{deployFailureMessage(t, failure)}</Text>
                {isApiError(failure, 'CONFIGURATION_CHANGED') ? (
                  <Button size="compact-sm" variant="light" onClick={() => { setFailure(null); onRefresh(); }}>{t('sandboxes.deploy.compareAgain')}</Button>
                ) : null}
              </Stack>
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-autofocus>{t('common.cancel')}</Button>
            <Button leftSection={<IconRocket size={16} aria-hidden />} disabled={!diff || count === 0} loading={isDeploying} onClick={() => void deploy()}>
              {t('sandboxes.deploy.confirm', { count })}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
};
