import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { bookingApi, type BookingSlot } from './booking-api.ts';
import { BookingFrame } from './booking-frame.tsx';
import { useFocusOnChange } from './booking-page.tsx';
import { SlotPicker, slotsQueryKey, useSlotFormat } from './slot-picker.tsx';
import { visitorTimeZone } from './slot-days.ts';

const MINUTE = 60_000;

/** `/book/manage/{token}`: the link in the visitor's invitation, to move or cancel their meeting. */
export const ManageBookingPage = () => {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const timeZone = visitorTimeZone();
  const format = useSlotFormat(timeZone);
  const booking = useQuery({ queryKey: ['public-booking', 'manage', token], queryFn: () => bookingApi.getBooking(token) });
  const [isPicking, setIsPicking] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const heading = useFocusOnChange(`${booking.data?.status}-${booking.data?.start}-${isPicking}`);

  if (booking.isPending) {
    return (
      <BookingFrame title={t('booking.manageTitle')}>
        <Group justify="center">
          <Loader size="sm" aria-label={t('booking.loading')} />
        </Group>
      </BookingFrame>
    );
  }
  if (booking.isError) {
    return (
      <BookingFrame title={t('booking.manageTitle')}>
        <Text role="alert">{isApiError(booking.error, 'BOOKING_NOT_FOUND') ? t('booking.linkInvalid') : t('booking.error')}</Text>
      </BookingFrame>
    );
  }
  const { data } = booking;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['public-booking', 'manage', token] });

  const change = async (action: () => Promise<unknown>, done: string) => {
    setIsBusy(true);
    setMessage(null);
    try {
      await action();
      setIsPicking(false);
      setMessage({ color: 'green', text: done });
    } catch (error) {
      if (isApiError(error, 'SLOT_TAKEN') && data.page) await queryClient.invalidateQueries({ queryKey: slotsQueryKey(data.page.slug) });
      setMessage({ color: 'red', text: isApiError(error, 'SLOT_TAKEN') ? t('booking.slotTaken') : isApiError(error, 'BOOKING_CLOSED') ? t('booking.cannotChange') : t('booking.error') });
    } finally {
      setIsBusy(false);
      await refresh();
    }
  };
  const onReschedule = (slot: BookingSlot) => change(() => bookingApi.reschedule(token, slot.start, timeZone), t('booking.rescheduled'));
  const onCancel = () => change(() => bookingApi.cancel(token, timeZone), t('booking.cancelledDone'));

  return (
    <BookingFrame title={data.page?.name ?? t('booking.manageTitle')}>
      <Stack gap="md">
        <Text fw={600} component="h2" ref={heading} tabIndex={-1}>
          {data.status === 'cancelled' ? t('booking.isCancelled') : t('booking.yourMeeting')}
        </Text>
        <Text td={data.status === 'cancelled' ? 'line-through' : undefined}>{format.when(data)}</Text>
        {message ? (
          <Alert color={message.color} role="alert">
            {message.text}
          </Alert>
        ) : null}
        {isPicking && data.page ? (
          <>
            <Text size="sm" c="dimmed">
              {t('booking.timeZone', { zone: timeZone })}
            </Text>
            <SlotPicker slug={data.page.slug} durationMinutes={Math.round((Date.parse(data.end) - Date.parse(data.start)) / MINUTE)} timeZone={timeZone} onPick={(slot) => void onReschedule(slot)} />
            <Button variant="default" onClick={() => setIsPicking(false)} disabled={isBusy}>
              {t('booking.back')}
            </Button>
          </>
        ) : (
          <Group>
            {data.canReschedule ? (
              <Button onClick={() => setIsPicking(true)} disabled={isBusy}>
                {t('booking.reschedule')}
              </Button>
            ) : null}
            {data.canCancel ? (
              <Button color="red" variant="light" onClick={() => void onCancel()} loading={isBusy}>
                {t('booking.cancel')}
              </Button>
            ) : null}
            {!data.canCancel && !data.canReschedule && data.status !== 'cancelled' ? <Text>{t('booking.cannotChange')}</Text> : null}
          </Group>
        )}
      </Stack>
    </BookingFrame>
  );
};
