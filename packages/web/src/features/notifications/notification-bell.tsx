import { ActionIcon, Anchor, Button, Chip, Group, Indicator, Popover, ScrollArea, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconAlarm, IconAt, IconBell, IconEye, IconPhoneX, IconUserCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { notificationsQueryKey } from '../../api/live-events.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { paths } from '../object-record/metadata.ts';
import classes from './notification-bell.module.css';

/** A notification of `GET /api/v1/notifications`. */
export interface AppNotification {
  id: string;
  kind: NotificationKind;
  object: string;
  recordId: string;
  actorId: string | null;
  actorName: string | null;
  title: string;
  excerpt: string | null;
  createdAt: string;
  readAt: string | null;
}

export const NOTIFICATION_KINDS = ['mention', 'assignment', 'reminder', 'missedCall', 'recordChange'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const KIND_ICONS = { mention: IconAt, assignment: IconUserCheck, reminder: IconAlarm, missedCall: IconPhoneX, recordChange: IconEye } as const;
const KIND_COLORS = { mention: 'blue', assignment: 'teal', reminder: 'orange', missedCall: 'red', recordChange: 'grape' } as const;

/** The notification centre's filters: every kind, or one group of them. */
const FILTERS = { all: null, mention: ['mention'], assignment: ['assignment'], reminder: ['reminder'], recordChange: ['recordChange'], missedCall: ['missedCall'] } as const;
type NotificationFilter = keyof typeof FILTERS;

/** The latest notifications, of the kinds of `filter` (all by default); the unread count is always of all of them. */
export const useNotifications = (filter: NotificationFilter = 'all') =>
  useQuery({
    queryKey: filter === 'all' ? notificationsQueryKey : [...notificationsQueryKey, filter],
    queryFn: ({ signal }) => api.get<{ data: AppNotification[]; unreadCount: number }>('/notifications', { limit: 30, ...(FILTERS[filter] ? { kind: FILTERS[filter].join(',') } : {}) }, signal),
    // The change feed refreshes it at once (live-events.ts); this is the fallback when the stream is down.
    refetchInterval: 60_000,
  });

const NotificationItem = ({ notification, onOpen }: { notification: AppNotification; onOpen(notification: AppNotification): void }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const Icon = KIND_ICONS[notification.kind] ?? IconBell;
  const actor = notification.actorName ?? t('notifications.someone');
  const text =
    notification.kind === 'mention'
      ? t('notifications.mention', { actor, title: notification.title })
      : notification.kind === 'assignment'
        ? t('notifications.assignment', { actor, title: notification.title })
        : notification.kind === 'missedCall'
          ? t('notifications.missedCall', { title: notification.title })
          : notification.kind === 'recordChange'
            ? t('notifications.recordChange', { actor, title: notification.title })
            : t('notifications.reminder', { title: notification.title });
  return (
    <UnstyledButton className={classes.item} data-unread={notification.readAt === null || undefined} onClick={() => onOpen(notification)}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" color={KIND_COLORS[notification.kind] ?? 'gray'} radius="xl" size="md" aria-hidden>
          <Icon size={16} />
        </ThemeIcon>
        <Stack gap={2} className={classes.itemText}>
          <Text size="sm" fw={notification.readAt === null ? 600 : 400} lineClamp={2}>
            {text}
          </Text>
          {notification.excerpt && notification.excerpt !== notification.title ? (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {notification.excerpt}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            {format.dateTime(notification.createdAt)}
            {notification.readAt === null ? <span className={classes.srOnly}> · {t('notifications.unread')}</span> : null}
          </Text>
        </Stack>
        {notification.readAt === null ? <span className={classes.dot} aria-hidden /> : null}
      </Group>
    </UnstyledButton>
  );
};

/** The header's bell: how many notifications are unread, the latest ones, mark read, go to the record. */
export const NotificationBell = () => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const [filter, setFilter] = useState<NotificationFilter>('all');
  const notifications = useNotifications(filter);
  const unread = notifications.data?.unreadCount ?? 0;
  const refresh = () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
  const markRead = useMutation({ mutationFn: (id: string) => api.post(`/notifications/${encodeURIComponent(id)}/read`), onSettled: refresh });
  const markAllRead = useMutation({ mutationFn: () => api.post('/notifications/read-all'), onSettled: refresh });

  const open = (notification: AppNotification) => {
    if (notification.readAt === null) markRead.mutate(notification.id);
    setOpen(false);
    void navigate(paths.record(notification.object, notification.recordId));
  };

  const list = notifications.data?.data ?? [];
  return (
    <Popover opened={isOpen} onChange={setOpen} position="bottom-end" width={360} shadow="md" withinPortal trapFocus>
      <Indicator label={unread > 99 ? '99+' : unread} size={16} offset={6} color="red" disabled={unread === 0} inline>
        <Popover.Target>
          <ActionIcon variant="subtle" color="gray" size="lg" onClick={() => setOpen((value) => !value)} aria-label={t('notifications.bell', { count: unread })} data-unread-count={unread}>
            <IconBell size={20} aria-hidden />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p={0} aria-label={t('notifications.title')} role="dialog">
        <Group justify="space-between" px="md" py="xs" className={classes.header}>
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          <Button variant="subtle" size="compact-xs" disabled={unread === 0} loading={markAllRead.isPending} onClick={() => markAllRead.mutate()}>
            {t('notifications.markAllRead')}
          </Button>
        </Group>
        <Chip.Group value={filter} onChange={(value) => setFilter(value as NotificationFilter)}>
          <Group gap={6} px="md" py={8} className={classes.header} role="radiogroup" aria-label={t('notifications.filter')}>
            {(Object.keys(FILTERS) as NotificationFilter[]).map((key) => (
              <Chip key={key} value={key} size="xs" variant="light">
                {t(`notifications.filters.${key}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {list.length === 0 ? (
          <Stack align="center" gap={4} p="lg">
            <IconBell size={28} aria-hidden className={classes.emptyIcon} />
            <Text size="sm" fw={500}>
              {t('notifications.emptyTitle')}
            </Text>
            <Text size="xs" c="dimmed" ta="center">
              {t('notifications.emptyHint')}
            </Text>
          </Stack>
        ) : (
          <ScrollArea.Autosize mah={420}>
            <Stack gap={0} component="ul" className={classes.list}>
              {list.map((notification) => (
                <li key={notification.id}>
                  <NotificationItem notification={notification} onOpen={open} />
                </li>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Group justify="flex-end" px="md" py={6} className={classes.footer}>
          <Anchor component={Link} to="/account/preferences#notifications" size="xs" onClick={() => setOpen(false)}>
            {t('notifications.preferences')}
          </Anchor>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
};
