import { ActionIcon, Alert, Button, Group, Paper, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconDownload, IconExternalLink, IconFileUpload, IconGitCompare, IconPlus, IconRocket, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { ConfirmDeleteModal, ListStatus, SettingsIntro } from '../settings/admin-ui.tsx';
import { SettingsTitle } from '../settings/settings-layout.tsx';
import { ApplyFileModal } from './apply-file-modal.tsx';
import { DeploymentHistory } from './deployment-history.tsx';
import { NewSandboxModal } from './new-sandbox-modal.tsx';
import { SandboxDeployModal } from './sandbox-deploy-modal.tsx';
import { deleteSandbox, downloadConfiguration, sandboxesQueryKey, useCurrentSandbox, useSandboxes, type Sandbox } from './sandboxes-api.ts';
import { useOpenSandbox, useWorkspaceName } from './workspace-switch.ts';

/** Download this workspace's configuration, or apply one from a file. */
const ConfigurationFile = () => {
  const { t } = useTranslation();
  const [isDownloading, setIsDownloading] = useState(false);
  const [isApplying, setIsApplying] = useState(false);
  const download = async () => {
    setIsDownloading(true);
    try {
      await downloadConfiguration();
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
    } finally {
      setIsDownloading(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="configuration-file-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="configuration-file-title">{t('sandboxes.file.title')}</Title>
        <Text size="sm" c="dimmed">{t('sandboxes.file.intro')}</Text>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} loading={isDownloading} onClick={() => void download()}>
            {t('sandboxes.file.download')}
          </Button>
          <Button variant="default" leftSection={<IconFileUpload size={16} aria-hidden />} onClick={() => setIsApplying(true)}>
            {t('sandboxes.file.apply')}
          </Button>
        </Group>
      </Stack>
      {isApplying ? <ApplyFileModal onClose={() => setIsApplying(false)} /> : null}
    </Paper>
  );
};

const SandboxRow = ({ sandbox, onDeploy, onDelete }: { sandbox: Sandbox; onDeploy(): void; onDelete(): void }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const { open, isOpening } = useOpenSandbox();
  return (
    <Table.Tr>
      <Table.Td fw={500}>{sandbox.name}</Table.Td>
      <Table.Td>
        <Text size="sm">
          {sandbox.data === 'sample' ? t('sandboxes.sampleOf', { count: sandbox.sampleSize, formatted: format.number(sandbox.sampleSize) }) : t('sandboxes.configurationOnly')}
        </Text>
      </Table.Td>
      <Table.Td><Text size="sm">{format.dateTime(sandbox.createdAt)}</Text></Table.Td>
      <Table.Td>
        {sandbox.lastDeployedAt ? <Text size="sm">{format.dateTime(sandbox.lastDeployedAt)}</Text> : <Text size="sm" c="dimmed">{t('sandboxes.neverDeployed')}</Text>}
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="compact-sm" variant="light" leftSection={<IconExternalLink size={14} aria-hidden />} loading={isOpening(sandbox)} onClick={() => void open(sandbox)} aria-label={t('sandboxes.openNamed', { name: sandbox.name })}>
            {t('sandboxes.open')}
          </Button>
          <Button size="compact-sm" variant="subtle" component={Link} to={`/settings/sandboxes/${sandbox.id}`} leftSection={<IconGitCompare size={14} aria-hidden />} aria-label={t('sandboxes.compareNamed', { name: sandbox.name })}>
            {t('sandboxes.compare')}
          </Button>
          <Button size="compact-sm" variant="subtle" leftSection={<IconRocket size={14} aria-hidden />} onClick={onDeploy} aria-label={t('sandboxes.deployNamed', { name: sandbox.name })}>
            {t('sandboxes.deployButton')}
          </Button>
          <Tooltip label={t('common.delete')}>
            <ActionIcon variant="subtle" color="red" onClick={onDelete} aria-label={t('sandboxes.deleteNamed', { name: sandbox.name })}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
};

/** Settings › Sandboxes: sandboxes made from this workspace, the configuration file, and the deployment history. */
export const SandboxesPage = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sandboxes = useSandboxes();
  const current = useCurrentSandbox();
  const workspaceName = useWorkspaceName();
  const [isCreating, setIsCreating] = useState(false);
  const [deploying, setDeploying] = useState<Sandbox | null>(null);
  const [deleting, setDeleting] = useState<Sandbox | null>(null);
  useDocumentTitle(t('sandboxes.title'));
  const production = current.data?.sandbox ? current.data.production : null;

  return (
    <Stack gap="lg">
      <Stack gap="md">
        <Group justify="space-between">
          <SettingsTitle>{t('sandboxes.title')}</SettingsTitle>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setIsCreating(true)}>
            {t('sandboxes.new')}
          </Button>
        </Group>
        <SettingsIntro>{t('sandboxes.intro')}</SettingsIntro>
        {production ? <Alert color="orange">{t('sandboxes.inSandbox', { production: production.name })}</Alert> : null}
        <ListStatus isLoading={sandboxes.isLoading} error={sandboxes.error} items={sandboxes.data} emptyTitle={t('sandboxes.emptyTitle')} emptyDescription={t('sandboxes.emptyDescription')} />
        {sandboxes.data && sandboxes.data.length > 0 ? (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" highlightOnHover aria-label={t('sandboxes.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sandboxes.name')}</Table.Th>
                  <Table.Th>{t('sandboxes.data')}</Table.Th>
                  <Table.Th>{t('sandboxes.createdAt')}</Table.Th>
                  <Table.Th>{t('sandboxes.lastDeployedAt')}</Table.Th>
                  <Table.Th><VisuallyHidden>{t('sandboxes.actions')}</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sandboxes.data.map((sandbox) => (
                  <SandboxRow key={sandbox.id} sandbox={sandbox} onDeploy={() => setDeploying(sandbox)} onDelete={() => setDeleting(sandbox)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
      <ConfigurationFile />
      <DeploymentHistory />
      {isCreating ? <NewSandboxModal onClose={() => setIsCreating(false)} /> : null}
      {deploying ? <SandboxDeployModal sandbox={deploying} productionName={workspaceName} onClose={() => setDeploying(null)} /> : null}
      {deleting ? (
        <ConfirmDeleteModal
          title={t('sandboxes.deleteTitle', { name: deleting.name })}
          help={t('sandboxes.deleteHelp')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteSandbox(deleting.id);
            await queryClient.invalidateQueries({ queryKey: sandboxesQueryKey });
            notify({ message: t('sandboxes.deleted', { name: deleting.name }) });
          }}
        />
      ) : null}
    </Stack>
  );
};
