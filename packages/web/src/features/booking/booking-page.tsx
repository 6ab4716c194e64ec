import { Alert, Anchor, Button, Group, Loader, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { bookingApi, type BookedMeeting, type BookingSlot } from './booking-api.ts';
import { BookingFrame } from './booking-frame.tsx';
import { SlotPicker, slotsQueryKey, useSlotFormat } from './slot-picker.tsx';
import { visitorTimeZone } from './slot-days.ts';

/** Moves focus to a step's heading when the step changes, so screen readers follow the flow. */
export const useFocusOnChange = (key: unknown) => {
  const ref = useRef<HTMLHeadingElement>(null);
  const isFirst = useRef(true);
  useEffect(() => {
    if (isFirst.current) {
      isFirst.current = false;
      return;
    }
    ref.current?.focus();
  }, [key]);
  return ref;
};

/** `/book/{slug}`: a visitor picks a free time and books a meeting, without an account. */
export const BookingPage = () => {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const timeZone = visitorTimeZone();
  const page = useQuery({ queryKey: ['public-booking', slug], queryFn: () => bookingApi.getPage(slug) });
  const [durationMinutes, setDurationMinutes] = useState<number | null>(null);
  const [slot, setSlot] = useState<BookingSlot | null>(null);
  const [booked, setBooked] = useState<BookedMeeting | null>(null);
  const [takenNotice, setTakenNotice] = useState(false);
  const format = useSlotFormat(timeZone);
  const stepHeading = useFocusOnChange(booked ? 'done' : slot ? 'form' : 'pick');

  if (page.isPending) {
    return (
      <BookingFrame title={t('booking.title')}>
        <Group justify="center">
          <Loader size="sm" aria-label={t('booking.loading')} />
        </Group>
      </BookingFrame>
    );
  }
  if (page.isError) {
    return (
      <BookingFrame title={t('booking.title')}>
        <Text role="alert">{isApiError(page.error, 'BOOKING_PAGE_NOT_FOUND') ? t('booking.notFound') : t('booking.error')}</Text>
      </BookingFrame>
    );
  }
  const length = durationMinutes ?? page.data.durationMinutes;

  if (booked) {
    return (
      <BookingFrame title={page.data.name}>
        <Stack gap="sm">
          <Text fw={600} size="lg" component="h2" ref={stepHeading} tabIndex={-1} role="status">
            {t('booking.bookedTitle')}
          </Text>
          <Text>{format.when(booked)}</Text>
          <Text c="dimmed">{t('booking.bookedText')}</Text>
          <Anchor href={booked.manageUrl}>{t('booking.manageLink')}</Anchor>
        </Stack>
      </BookingFrame>
    );
  }

  return (
    <BookingFrame title={page.data.name} subtitle={page.data.description}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('booking.timeZone', { zone: timeZone })}
        </Text>
        {takenNotice ? (
          <Alert color="orange" role="alert">
            {t('booking.slotTaken')}
          </Alert>
        ) : null}
        {slot ? (
          <BookingForm
            slug={slug}
            slot={slot}
            durationMinutes={length}
            timeZone={timeZone}
            headingRef={stepHeading}
            onBack={() => setSlot(null)}
            onBooked={setBooked}
            onTaken={() => {
              setSlot(null);
              setTakenNotice(true);
            }}
          />
        ) : (
          <>
            {page.data.durations.length > 1 ? (
              <div>
                <Text component="label" id="booking-length" size="sm" fw={500}>
                  {t('booking.length')}
                </Text>
                <SegmentedControl
                  mt={4}
                  aria-labelledby="booking-length"
                  value={String(length)}
                  onChange={(value) => setDurationMinutes(Number(value))}
                  data={page.data.durations.map((minutes) => ({ value: String(minutes), label: t('booking.minutes', { minutes }) }))}
                />
              </div>
            ) : (
              <Text size="sm">{t('booking.minutes', { minutes: length })}</Text>
            )}
            <Text fw={600} component="h2" ref={stepHeading} tabIndex={-1}>
              {t('booking.pickSlot')}
            </Text>
            <SlotPicker slug={slug} durationMinutes={length} timeZone={timeZone} onPick={(picked) => { setTakenNotice(false); setSlot(picked); }} />
          </>
        )}
      </Stack>
    </BookingFrame>
  );
};

const BookingForm = ({
  slug, slot, durationMinutes, timeZone, headingRef, onBack, onBooked, onTaken,
}: {
  slug: string;
  slot: BookingSlot;
  durationMinutes: number;
  timeZone: string;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onBack: () => void;
  onBooked: (booked: BookedMeeting) => void;
  onTaken: () => void;
}) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const format = useSlotFormat(timeZone);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<{ name?: string; email?: string; general?: string }>({});
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = { ...(name.trim() ? {} : { name: t('booking.nameRequired') }), ...(/^\S+@\S+\.\S+$/.test(email.trim()) ? {} : { email: t('booking.emailInvalid') }) };
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setIsBusy(true);
    try {
      onBooked(await bookingApi.book(slug, { start: slot.start, name: name.trim(), email: email.trim(), tz: timeZone, durationMinutes, ...(notes.trim() ? { notes: notes.trim() } : {}) }));
    } catch (error) {
      // Taken, or no longer offered: show the times free now.
      if (isApiError(error, 'SLOT_TAKEN') || (isApiError(error, 'VALIDATION_FAILED') && error.fieldErrors.some((fieldError) => fieldError.field === 'start'))) {
        await queryClient.invalidateQueries({ queryKey: slotsQueryKey(slug) });
        onTaken();
        return;
      }
      const byField = isApiError(error) ? Object.fromEntries(error.fieldErrors.filter((fieldError) => fieldError.field === 'email' || fieldError.field === 'name').map((fieldError) => [fieldError.field, fieldError.message])) : {};
      setErrors({ ...byField, ...(Object.keys(byField).length ? {} : { general: isApiError(error, 'RATE_LIMITED') ? t('booking.rateLimited') : t('booking.error') }) });
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <Text fw={600} component="h2" ref={headingRef} tabIndex={-1}>
          {format.when(slot)}
        </Text>
        {errors.general ? (
          <Alert color="red" role="alert">
            {errors.general}
          </Alert>
        ) : null}
        <TextInput label={t('booking.name')} autoComplete="name" required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.name} autoFocus />
        <TextInput label={t('booking.email')} type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} error={errors.email} />
        <Textarea label={t('booking.notes')} autosize minRows={2} maxLength={2000} value={notes} onChange={(event) => setNotes(event.currentTarget.value)} />
        <Group justify="space-between">
          <Button variant="default" onClick={onBack}>
            {t('booking.back')}
          </Button>
          <Button type="submit" loading={isBusy}>
            {t('booking.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
};
