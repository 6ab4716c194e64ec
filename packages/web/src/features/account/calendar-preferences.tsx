import { Alert, Button, Code, CopyButton, Group, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';

const feedKey = ['account', 'calendar-feed'] as const;
const reminderKey = ['account', 'reminder-preferences'] as const;

/**
 * The private address of the user's calendar (meetings and dated tasks) for a calendar app to subscribe to. Anyone
 * with it reads the calendar, so it can be revoked: the old address stops working and a new one is made.
 */
export const CalendarFeedSection = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const feed = useQuery({ queryKey: feedKey, queryFn: ({ signal }) => api.get<{ url: string }>('/me/calendar-feed', undefined, signal), staleTime: Infinity });
  const revoke = useMutation({
    mutationFn: () => api.delete('/me/calendar-feed'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: feedKey }),
  });
  return (
    <Stack gap="xs">
      <Text size="sm">{t('account.preferences.calendarFeedHelp')}</Text>
      {feed.isError ? <Alert color="red">{t('account.preferences.calendarFeedError')}</Alert> : null}
      {feed.data ? (
        <Group gap="xs" wrap="nowrap" align="center">
          <Code style={{ overflowWrap: 'anywhere' }} aria-label={t('account.preferences.calendarFeedUrl')}>{feed.data.url}</Code>
          <CopyButton value={feed.data.url}>
            {({ copied, copy }) => (
              <Button size="compact-sm" variant="default" onClick={copy}>
                {copied ? t('account.preferences.calendarFeedCopied') : t('account.preferences.calendarFeedCopy')}
              </Button>
            )}
          </CopyButton>
        </Group>
      ) : null}
      <Group>
        <Button size="compact-sm" variant="light" color="red" loading={revoke.isPending} disabled={!feed.data} onClick={() => revoke.mutate()}>
          {t('account.preferences.calendarFeedRevoke')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">{t('account.preferences.calendarFeedRevokeHelp')}</Text>
    </Stack>
  );
};

/** Reminders of the user's tasks by email too (the bell rings either way); a preference of the person. */
export const ReminderEmailsSwitch = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const preferences = useQuery({ queryKey: reminderKey, queryFn: ({ signal }) => api.get<{ reminderEmails: boolean }>('/me/reminder-preferences', undefined, signal) });
  const update = useMutation({
    mutationFn: (reminderEmails: boolean) => api.patch<{ reminderEmails: boolean }>('/me/reminder-preferences', { reminderEmails }),
    onSuccess: (saved) => queryClient.setQueryData(reminderKey, saved),
  });
  return (
    <Switch
      label={t('account.preferences.reminderEmails')}
      description={t('account.preferences.reminderEmailsHelp')}
      checked={update.isPending ? (update.variables ?? false) : (preferences.data?.reminderEmails ?? true)}
      disabled={!preferences.data || update.isPending}
      onChange={(event) => update.mutate(event.currentTarget.checked)}
    />
  );
};
