import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { IconMapPin, IconVideo } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys, type WorkspaceUser } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { paths } from '../metadata.ts';
import { fieldErrorOf, fromLocalInput, nameOf, splitMeetings, toLocalInput } from './activity-model.ts';
import { useActivities } from './use-activities.ts';
import classes from './activity-panel.module.css';

const HOUR = 3_600_000;

/** The next whole hour, as a `datetime-local` value: a new meeting's default start. */
const nextHour = (now: number) => toLocalInput(new Date(Math.ceil(now / HOUR) * HOUR).toISOString());

const MeetingItem = ({ meeting, users }: { meeting: ApiRecord; users: readonly WorkspaceUser[] }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const organiser = nameOf(users, meeting.owner);
  const isCancelled = meeting.status === 'cancelled';
  return (
    <Paper component="li" withBorder radius="sm" p="sm">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Anchor component={Link} to={paths.record('meeting', meeting.id)} size="sm" fw={500} td={isCancelled ? 'line-through' : undefined} lineClamp={1}>
          {String(meeting.title ?? '')}
        </Anchor>
        {meeting.status === 'held' ? <Badge size="sm" variant="light" color="green" tt="none">{t('activities.held')}</Badge> : null}
        {isCancelled ? <Badge size="sm" variant="light" color="gray" tt="none">{t('activities.cancelled')}</Badge> : null}
      </Group>
      <Text size="xs" c="dimmed" mt={2}>
        <time dateTime={String(meeting.start)}>{format.dateTime(String(meeting.start))}</time>
        {typeof meeting.end === 'string' ? ` – ${format.dateTime(meeting.end)}` : ''}
        {organiser ? ` · ${organiser}` : ''}
      </Text>
      {typeof meeting.location === 'string' && meeting.location ? (
        <Group gap={4} mt={2}>
          <IconMapPin size={12} aria-hidden />
          <Text size="xs">{meeting.location}</Text>
        </Group>
      ) : null}
      {typeof meeting.videoUrl === 'string' && meeting.videoUrl ? (
        <Group gap={4} mt={2}>
          <IconVideo size={12} aria-hidden />
          <Anchor href={meeting.videoUrl} target="_blank" rel="noopener noreferrer" size="xs">
            {t('activities.joinVideo')}
          </Anchor>
        </Group>
      ) : null}
    </Paper>
  );
};

/**
 * A record's meetings, those to come first, and a short form to plan one (title, start, end, place, video link).
 * On a person's page the person attends the new meeting; its invitations go out from the server.
 */
export const MeetingsTab = ({ link, object, recordId, linkValue, users }: { link: string; object: string; recordId: string; linkValue: Record<string, unknown>; users: readonly WorkspaceUser[] }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const meetings = useActivities('meeting', link, recordId, '-start');
  const [now] = useState(() => Date.now());
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(() => nextHour(now));
  const [end, setEnd] = useState(() => nextHour(now + HOUR));
  const [location, setLocation] = useState('');
  const [videoUrl, setVideoUrl] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<ApiRecord>('/records/meeting', {
        title: title.trim(),
        start: fromLocalInput(start),
        end: fromLocalInput(end),
        ...linkValue,
        ...(object === 'person' ? { attendees: [recordId] } : {}),
        ...(location.trim() ? { location: location.trim() } : {}),
        ...(videoUrl.trim() ? { videoUrl: videoUrl.trim() } : {}),
      }),
    onSuccess: () => {
      setTitle('');
      setLocation('');
      setVideoUrl('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.records('meeting') });
    },
  });
  const { upcoming, past } = splitMeetings(meetings.data?.data ?? [], now);
  const onStart = (value: string) => {
    // The end keeps the meeting's length when the start moves.
    const length = (Date.parse(end) || 0) - (Date.parse(start) || 0);
    setStart(value);
    const moved = Date.parse(value);
    if (!Number.isNaN(moved) && length > 0) setEnd(toLocalInput(new Date(moved + length).toISOString()));
  };

  return (
    <Stack gap="sm">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (title.trim()) create.mutate();
        }}
      >
        <Stack gap="xs">
          <TextInput label={t('activities.meetingTitle')} value={title} onChange={(event) => setTitle(event.currentTarget.value)} required error={fieldErrorOf(create.error, 'title')} />
          <Group grow gap="xs" align="flex-start">
            <TextInput type="datetime-local" label={t('activities.start')} value={start} onChange={(event) => onStart(event.currentTarget.value)} required error={fieldErrorOf(create.error, 'start')} />
            <TextInput type="datetime-local" label={t('activities.end')} value={end} onChange={(event) => setEnd(event.currentTarget.value)} required error={fieldErrorOf(create.error, 'end')} />
          </Group>
          <Group grow gap="xs" align="flex-start">
            <TextInput label={t('activities.location')} value={location} onChange={(event) => setLocation(event.currentTarget.value)} error={fieldErrorOf(create.error, 'location')} />
            <TextInput type="url" label={t('activities.videoUrl')} value={videoUrl} onChange={(event) => setVideoUrl(event.currentTarget.value)} error={fieldErrorOf(create.error, 'videoUrl')} />
          </Group>
          {create.error && !['title', 'start', 'end', 'location', 'videoUrl'].some((name) => fieldErrorOf(create.error, name)) ? (
            <Text size="sm" c="red" role="alert">
              {problemMessage(t, create.error)}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button size="xs" type="submit" loading={create.isPending} disabled={!title.trim()}>
              {t('activities.addMeeting')}
            </Button>
          </Group>
        </Stack>
      </form>
      {meetings.isLoading ? (
        <Skeleton height={60} />
      ) : upcoming.length + past.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('activities.noMeetings')}
        </Text>
      ) : (
        <>
          {upcoming.length > 0 ? (
            <Stack gap={6} component="ul" className={classes.list} aria-label={t('activities.upcomingMeetings')}>
              {upcoming.map((meeting) => (
                <MeetingItem key={meeting.id} meeting={meeting} users={users} />
              ))}
            </Stack>
          ) : null}
          {past.length > 0 ? (
            <>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                {t('activities.pastMeetings')}
              </Text>
              <Stack gap={6} component="ul" className={classes.list} aria-label={t('activities.pastMeetings')}>
                {past.map((meeting) => (
                  <MeetingItem key={meeting.id} meeting={meeting} users={users} />
                ))}
              </Stack>
            </>
          ) : null}
        </>
      )}
    </Stack>
  );
};
