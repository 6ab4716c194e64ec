import type { ObjectDefinition } from '@rapport/common';
import { Alert, Anchor, Button, Group, Text } from '@mantine/core';
import { IconMapPin } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { queryKeys } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { canOn } from '../object-record/metadata.ts';
import { checkInPatch, mapLinkOf } from './check-in-model.ts';

/** The browser's position, or null when the person declines, the device has none, or it takes too long. */
const currentPosition = (): Promise<{ latitude: number; longitude: number } | null> =>
  new Promise((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ latitude: position.coords.latitude, longitude: position.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });

/**
 * A field visit (FEATURES T10): on a meeting's page, the rep checks in when they arrive; the time is kept, and the
 * position too when the browser is allowed to give it (it asks the person first). Managers see it on the meeting and
 * in the timelines it shows in.
 */
export const MeetingCheckIn = ({ object, record }: { object: ObjectDefinition; record: ApiRecord }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const checkIn = useMutation({
    mutationFn: async () => api.patch<ApiRecord>(`/records/meeting/${record.id}`, checkInPatch(new Date(), await currentPosition()), { ifMatch: record.version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.records('meeting') }),
  });
  if (object.name !== 'meeting' || !object.fields.some((field) => field.name === 'checkedInAt')) return null;
  const checkedInAt = typeof record.checkedInAt === 'string' ? record.checkedInAt : null;
  const mapLink = mapLinkOf(record.checkInLocation);
  if (checkedInAt) {
    return (
      <Alert color="teal" variant="light" icon={<IconMapPin size={18} aria-hidden />} title={t('checkIn.done', { time: format.dateTime(checkedInAt) })}>
        {mapLink ? (
          <Anchor href={mapLink} target="_blank" rel="noopener noreferrer" size="sm">
            {t('checkIn.onMap')}
          </Anchor>
        ) : (
          <Text size="sm">{t('checkIn.noPosition')}</Text>
        )}
      </Alert>
    );
  }
  if (!canOn(object, 'update')) return null;
  return (
    <Group gap="sm">
      <Button variant="light" leftSection={<IconMapPin size={16} aria-hidden />} loading={checkIn.isPending} onClick={() => checkIn.mutate()}>
        {t('checkIn.button')}
      </Button>
      <Text size="xs" c="dimmed" maw={360}>
        {t('checkIn.help')}
      </Text>
      {checkIn.error ? (
        <Text size="sm" c="red" role="alert">
          {problemMessage(t, checkIn.error)}
        </Text>
      ) : null}
    </Group>
  );
};
