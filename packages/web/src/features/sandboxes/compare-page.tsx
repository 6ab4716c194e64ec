import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconArrowLeft, IconExternalLink, IconRefresh, IconRocket } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { problemMessage } from '../../api/problem-messages.ts';
import { LoadingScreen, NotFoundScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { SettingsIntro } from '../settings/admin-ui.tsx';
import { SettingsTitle } from '../settings/settings-layout.tsx';
import { ChangeList, ChangeSummaryText, DestructiveWarning } from './change-list.tsx';
import { SandboxDeployModal } from './sandbox-deploy-modal.tsx';
import { useSandboxDiff, useSandboxes } from './sandboxes-api.ts';
import { useOpenSandbox, useWorkspaceName } from './workspace-switch.ts';

/** Settings › Sandboxes › Compare: what deploying a sandbox would change in production, grouped by section, then Deploy. */
export const SandboxComparePage = () => {
  const { t } = useTranslation();
  const { id } = useParams();
  const sandboxes = useSandboxes();
  const sandbox = sandboxes.data?.find((each) => each.id === id);
  const diff = useSandboxDiff(sandbox ? sandbox.id : undefined);
  const production = useWorkspaceName();
  const { open, isOpening } = useOpenSandbox();
  const [isDeploying, setIsDeploying] = useState(false);
  useDocumentTitle(sandbox ? t('sandboxes.compareTitle', { name: sandbox.name }) : t('sandboxes.title'));

  if (sandboxes.isLoading) return <LoadingScreen />;
  if (sandboxes.error) return <Alert color="red" role="alert">{problemMessage(t, sandboxes.error)}</Alert>;
  if (!sandbox) return <NotFoundScreen />;
  const changes = diff.data?.changes ?? [];

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/settings/sandboxes" size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          {t('sandboxes.backToList')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <SettingsTitle>{t('sandboxes.compareTitle', { name: sandbox.name })}</SettingsTitle>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} loading={diff.isFetching} onClick={() => void diff.refetch()}>
            {t('sandboxes.compareAgain')}
          </Button>
          <Button variant="default" leftSection={<IconExternalLink size={16} aria-hidden />} loading={isOpening(sandbox)} onClick={() => void open(sandbox)}>
            {t('sandboxes.openSandbox')}
          </Button>
          <Button leftSection={<IconRocket size={16} aria-hidden />} disabled={!diff.data || changes.length === 0} onClick={() => setIsDeploying(true)}>
            {t('sandboxes.deployToProduction')}
          </Button>
        </Group>
      </Group>
      <SettingsIntro>{t('sandboxes.compareIntro', { name: sandbox.name, production })}</SettingsIntro>
      {diff.isLoading ? (
        <Group gap="xs" role="status">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t('sandboxes.diff.comparing')}</Text>
        </Group>
      ) : null}
      {diff.error ? <Alert color="red" role="alert">{problemMessage(t, diff.error)}</Alert> : null}
      {diff.data ? (
        <>
          <Paper withBorder p="sm" radius="md" role="status">
            <ChangeSummaryText changes={changes} />
          </Paper>
          <DestructiveWarning changes={changes} />
          <ChangeList changes={changes} />
        </>
      ) : null}
      {isDeploying ? <SandboxDeployModal sandbox={sandbox} productionName={production} diff={{ data: diff.data, refetch: () => void diff.refetch() }} onClose={() => setIsDeploying(false)} /> : null}
    </Stack>
  );
};
