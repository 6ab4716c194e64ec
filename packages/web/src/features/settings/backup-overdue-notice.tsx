import { Alert, Anchor, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useLocation } from 'react-router';
import { useFormat } from '../../i18n/use-format.ts';
import { useBackups, type BackupsOverview } from './backups-api.ts';

/** Scheduled backups are on and the newest verified one is older than the schedule allows (or there is none). */
export const OverdueAlert = ({ overview, withLink = false }: { overview: BackupsOverview; withLink?: boolean }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const last = overview.lastVerified;
  return (
    <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('backups.overdue.title')} mb={withLink ? 'md' : 0}>
      <Text size="sm">
        {last ? t('backups.overdue.since', { time: format.dateTime(last.finishedAt ?? last.createdAt) }) : t('backups.overdue.never')}{' '}
        {withLink ? (
          <Anchor component={RouterLink} to="/settings/backups" size="sm" c="inherit" td="underline">
            {t('backups.overdue.open')}
          </Anchor>
        ) : null}
      </Text>
    </Alert>
  );
};

/** On the other settings screens, for the instance's administrators: the last verified backup is older than the schedule allows. */
export const BackupOverdueNotice = () => {
  const { data: overview } = useBackups();
  const location = useLocation();
  if (!overview?.isOverdue || location.pathname.startsWith('/settings/backups')) return null;
  return <OverdueAlert overview={overview} withLink />;
};
