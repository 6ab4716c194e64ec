import type { ConfigurationDeployment, ConfigurationDeploymentStatus } from '@rapport/common';
import { Alert, Badge, Button, Group, Modal, Paper, ScrollArea, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconArrowBackUp, IconListDetails } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { ConfirmModal, memberNameOf } from '../settings/admin-ui.tsx';
import { useMembers } from '../settings/settings-api.ts';
import { ChangeList, ChangeSummaryText } from './change-list.tsx';
import { rollbackCandidate } from './diff-model.ts';
import { rollBackDeployment, useDeployments } from './sandboxes-api.ts';

const STATUS_COLORS: Record<ConfigurationDeploymentStatus, string> = { applied: 'green', rolledBack: 'gray', failed: 'red' };

const useSourceLabel = () => {
  const { t } = useTranslation();
  return (deployment: ConfigurationDeployment) => (deployment.source.kind === 'sandbox' ? t('sandboxes.history.fromSandbox', { name: deployment.source.name }) : t('sandboxes.history.fromFile'));
};

const ChangesModal = ({ deployment, onClose }: { deployment: ConfigurationDeployment; onClose(): void }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const sourceLabel = useSourceLabel();
  return (
    <Modal opened onClose={onClose} size="xl" title={t('sandboxes.history.changesTitle', { time: format.dateTime(deployment.createdAt) })} closeButtonProps={{ 'aria-label': t('common.close') }} scrollAreaComponent={ScrollArea.Autosize}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">{sourceLabel(deployment)}</Text>
        {deployment.error ? <Alert color="red">{deployment.error}</Alert> : null}
        <ChangeSummaryText changes={deployment.changes} />
        <ChangeList changes={deployment.changes} headingOrder={3} />
      </Stack>
    </Modal>
  );
};

const RollBackModal = ({ deployment, onClose }: { deployment: ConfigurationDeployment; onClose(): void }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  return (
    <ConfirmModal
      title={t('sandboxes.history.rollBackTitle', { time: format.dateTime(deployment.createdAt) })}
      help={t('sandboxes.history.rollBackHelp', { count: deployment.changes.length })}
      confirmLabel={t('sandboxes.history.rollBack')}
      confirmColor="orange"
      confirmIcon={<IconArrowBackUp size={16} aria-hidden />}
      onConfirm={async () => {
        await rollBackDeployment(deployment.id);
        // Objects and fields came back or went: every cached screen may be stale.
        await queryClient.invalidateQueries();
        notify({ message: t('sandboxes.history.rolledBack') });
      }}
      onClose={onClose}
    />
  );
};

/** The deployments made to this workspace, newest first: what each changed, and "Roll back" on the latest applied. */
export const DeploymentHistory = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const deployments = useDeployments();
  const { data: members = [] } = useMembers();
  const sourceLabel = useSourceLabel();
  const [viewing, setViewing] = useState<ConfigurationDeployment | null>(null);
  const [rollingBack, setRollingBack] = useState<ConfigurationDeployment | null>(null);
  const candidate = rollbackCandidate(deployments.data ?? []);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="deployment-history-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="deployment-history-title">{t('sandboxes.history.title')}</Title>
        <Text size="sm" c="dimmed">{t('sandboxes.history.intro')}</Text>
        {deployments.error ? <Alert color="red" role="alert">{problemMessage(t, deployments.error)}</Alert> : null}
        {deployments.data && deployments.data.length === 0 ? <Text size="sm" c="dimmed">{t('sandboxes.history.empty')}</Text> : null}
        {deployments.data && deployments.data.length > 0 ? (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" aria-labelledby="deployment-history-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sandboxes.history.when')}</Table.Th>
                  <Table.Th>{t('sandboxes.history.source')}</Table.Th>
                  <Table.Th>{t('sandboxes.history.changes')}</Table.Th>
                  <Table.Th>{t('sandboxes.history.status')}</Table.Th>
                  <Table.Th><VisuallyHidden>{t('sandboxes.actions')}</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {deployments.data.map((deployment) => (
                  <Table.Tr key={deployment.id}>
                    <Table.Td>
                      <Text size="sm">{format.dateTime(deployment.createdAt)}</Text>
                      {deployment.createdBy ? <Text size="xs" c="dimmed">{memberNameOf(members, deployment.createdBy)}</Text> : null}
                    </Table.Td>
                    <Table.Td><Text size="sm">{sourceLabel(deployment)}</Text></Table.Td>
                    <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{t('sandboxes.diff.summary', { count: deployment.changes.length })}</Text></Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLORS[deployment.status]}>{t(`sandboxes.history.statuses.${deployment.status}`)}</Badge>
                      {deployment.rolledBackAt ? <Text size="xs" c="dimmed">{format.dateTime(deployment.rolledBackAt)}</Text> : null}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="compact-sm" variant="subtle" leftSection={<IconListDetails size={14} aria-hidden />} onClick={() => setViewing(deployment)} aria-label={t('sandboxes.history.viewChangesOf', { time: format.dateTime(deployment.createdAt) })}>
                          {t('sandboxes.history.viewChanges')}
                        </Button>
                        {candidate?.id === deployment.id ? (
                          <Button size="compact-sm" variant="light" color="orange" leftSection={<IconArrowBackUp size={14} aria-hidden />} onClick={() => setRollingBack(deployment)}>
                            {t('sandboxes.history.rollBack')}
                          </Button>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
      {viewing ? <ChangesModal deployment={viewing} onClose={() => setViewing(null)} /> : null}
      {rollingBack ? <RollBackModal deployment={rollingBack} onClose={() => setRollingBack(null)} /> : null}
    </Paper>
  );
};
