import { Alert, Button, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingApi, type BookingSlot } from './booking-api.ts';
import { addDays, groupSlotsByDay, localDateOf } from './slot-days.ts';

// Two weeks a screen; the server answers up to six at a time, and a visitor rarely looks further.
const WINDOW_DAYS = 14;
const MAX_WINDOWS = 6;

export const slotsQueryKey = (slug: string) => ['public-booking', slug, 'slots'] as const;

/** Formats instants in the visitor's zone and the interface language. */
export const useSlotFormat = (timeZone: string) => {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const day = new Intl.DateTimeFormat(language, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
    const shortDay = new Intl.DateTimeFormat(language, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
    const time = new Intl.DateTimeFormat(language, { timeZone, hour: 'numeric', minute: '2-digit' });
    const full = new Intl.DateTimeFormat(language, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' });
    return {
      /** A `YYYY-MM-DD` local date (already in the visitor's zone). */
      day: (date: string) => day.format(new Date(`${date}T12:00:00Z`)),
      shortDay: (date: string) => shortDay.format(new Date(`${date}T12:00:00Z`)),
      time: (instant: string) => time.format(new Date(instant)),
      when: (slot: BookingSlot) => `${full.format(new Date(slot.start))} – ${time.format(new Date(slot.end))}`,
    };
  }, [language, timeZone]);
};

/**
 * Days with free slots in the visitor's time zone, then the times of the chosen day. `onPick` gets the slot; the
 * caller decides what follows (the booking form, or a reschedule).
 */
export const SlotPicker = ({ slug, durationMinutes, timeZone, onPick }: { slug: string; durationMinutes: number; timeZone: string; onPick: (slot: BookingSlot) => void }) => {
  const { t } = useTranslation();
  const format = useSlotFormat(timeZone);
  const [windowIndex, setWindowIndex] = useState(0);
  const [chosenDay, setChosenDay] = useState<string | null>(null);
  const from = addDays(localDateOf(new Date(), timeZone), windowIndex * WINDOW_DAYS);
  const to = addDays(from, WINDOW_DAYS - 1);
  const slots = useQuery({
    queryKey: [...slotsQueryKey(slug), durationMinutes, timeZone, from],
    queryFn: () => bookingApi.listSlots(slug, { from, to, tz: timeZone, durationMinutes }),
  });
  const days = useMemo(() => groupSlotsByDay(slots.data?.slots ?? [], timeZone), [slots.data, timeZone]);
  const day = days.find((candidate) => candidate.date === chosenDay) ?? days[0];

  const moveWindow = (step: number) => {
    setWindowIndex((index) => index + step);
    setChosenDay(null);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap">
        <Button variant="subtle" onClick={() => moveWindow(-1)} disabled={windowIndex === 0}>
          {t('booking.earlier')}
        </Button>
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('booking.range', { from: format.day(from), to: format.day(to) })}
        </Text>
        <Button variant="subtle" onClick={() => moveWindow(1)} disabled={windowIndex >= MAX_WINDOWS - 1}>
          {t('booking.later')}
        </Button>
      </Group>
      {slots.isPending ? (
        <Group justify="center" p="md">
          <Loader size="sm" aria-label={t('booking.loading')} />
        </Group>
      ) : slots.isError ? (
        <Alert color="red" role="alert">
          {t('booking.error')}
        </Alert>
      ) : days.length === 0 ? (
        <Text role="status">{t('booking.noSlots')}</Text>
      ) : (
        <>
          <div>
            <Title order={2} size="h4" id="booking-days" mb="xs">
              {t('booking.pickDay')}
            </Title>
            <Group gap="xs" role="group" aria-labelledby="booking-days">
              {days.map((candidate) => (
                <Button key={candidate.date} size="compact-md" variant={candidate.date === day?.date ? 'filled' : 'default'} aria-pressed={candidate.date === day?.date} onClick={() => setChosenDay(candidate.date)}>
                  {format.shortDay(candidate.date)}
                </Button>
              ))}
            </Group>
          </div>
          {day ? (
            <div>
              <Title order={2} size="h4" id="booking-times" mb="xs">
                {t('booking.pickTime', { day: format.day(day.date) })}
              </Title>
              <SimpleGrid cols={{ base: 3, xs: 4 }} spacing="xs" role="group" aria-labelledby="booking-times">
                {day.slots.map((slot) => (
                  <Button key={slot.start} variant="light" onClick={() => onPick(slot)} aria-label={format.when(slot)}>
                    {format.time(slot.start)}
                  </Button>
                ))}
              </SimpleGrid>
            </div>
          ) : null}
        </>
      )}
    </Stack>
  );
};
