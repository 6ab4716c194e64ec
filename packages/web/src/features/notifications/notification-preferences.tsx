import { Radio, Skeleton, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification-bell.tsx';

const CHANNELS = ['inApp', 'digest', 'off'] as const;
type Channel = (typeof CHANNELS)[number];
type Preferences = Record<NotificationKind, Channel>;

const preferencesKey = ['notification-preferences'] as const;

/**
 * Per kind of notification (mentions, assignments, reminders, changes to followed records, missed calls): in the app,
 * in the app and in a daily email digest, or off — saved as soon as it is chosen.
 */
export const NotificationPreferences = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const preferences = useQuery({ queryKey: preferencesKey, queryFn: ({ signal }) => api.get<Preferences>('/notifications/preferences', undefined, signal) });
  const save = useMutation({
    mutationFn: (change: Partial<Preferences>) => api.patch<Preferences>('/notifications/preferences', change),
    // The choice shows at once; a refused one is read back from the server.
    onMutate: (change) => queryClient.setQueryData<Preferences>(preferencesKey, (old) => (old ? { ...old, ...change } : old)),
    onSuccess: (saved) => queryClient.setQueryData(preferencesKey, saved),
    onError: () => queryClient.invalidateQueries({ queryKey: preferencesKey }),
  });
  if (preferences.isLoading) return <Skeleton height={160} />;
  if (preferences.error || !preferences.data) return <Text size="sm" c="red" role="alert">{problemMessage(t, preferences.error)}</Text>;
  const current = preferences.data;
  return (
    <>
      <Text size="sm" c="dimmed">
        {t('notificationPreferences.help')}
      </Text>
      <Table verticalSpacing="xs" withRowBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('notificationPreferences.kind')}</Table.Th>
            {CHANNELS.map((channel) => (
              <Table.Th key={channel} ta="center">
                {t(`notificationPreferences.channels.${channel}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {NOTIFICATION_KINDS.map((kind) => (
            <Table.Tr key={kind}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {t(`notificationPreferences.kinds.${kind}`)}
                </Text>
              </Table.Td>
              {CHANNELS.map((channel) => (
                <Table.Td key={channel} ta="center">
                  {/* One native radio group per kind (same name): arrow keys move within the row. */}
                  <Radio
                    name={`notify-${kind}`}
                    value={channel}
                    checked={current[kind] === channel}
                    onChange={() => save.mutate({ [kind]: channel })}
                    display="inline-block"
                    aria-label={t('notificationPreferences.choice', { kind: t(`notificationPreferences.kinds.${kind}`), channel: t(`notificationPreferences.channels.${channel}`) })}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.error ? (
        <Text size="sm" c="red" role="alert">
          {problemMessage(t, save.error)}
        </Text>
      ) : null}
    </>
  );
};
