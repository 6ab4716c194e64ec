import type { ObjectDefinition } from '@rapport/common';
import { Divider, Paper, Text, Title } from '@mantine/core';
import { Fragment, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useUsers } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { hoursSummary, lengthsOf, weekFromAvailability, WEEKDAYS, type Weekday, type WeekHours } from './booking-editor-model.ts';
import classes from './booking-editor.module.css';

// 2024-01-01 was a Monday: the weekday names in the interface language.
const MONDAY = Date.UTC(2024, 0, 1, 12);

const useLanguage = () => {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage ?? i18n.language;
};

/** The weekday names (`long`: "Monday", `short`: "Mon") in the interface language, by key. */
export const useWeekdayNames = (style: 'long' | 'short'): Record<Weekday, string> => {
  const language = useLanguage();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(language, { weekday: style, timeZone: 'UTC' });
    return Object.fromEntries(WEEKDAYS.map((day, index) => [day, format.format(new Date(MONDAY + index * 86_400_000))])) as Record<Weekday, string>;
  }, [language, style]);
};

/** `HH:MM` as the interface language writes a time of day ("9:00 AM", "09:00"); `24:00` is midnight. */
const useTimeOfDay = () => {
  const language = useLanguage();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    return (time: string) => format.format(new Date(Date.UTC(2024, 0, 1, Number(time.slice(0, 2)) % 24, Number(time.slice(3, 5)))));
  }, [language]);
};

/** "Monday – Thursday: 9:00 AM–12:00 PM, 2:00 PM–5:00 PM" lines of a week; a sentence when no day is on. */
export const HoursSummaryList = ({ week }: { week: WeekHours }) => {
  const { t } = useTranslation();
  const names = useWeekdayNames('long');
  const time = useTimeOfDay();
  const groups = hoursSummary(week);
  if (groups.length === 0) return <Text size="sm">{t('bookingEditor.noHours')}</Text>;
  return (
    <dl className={classes.summary}>
      {groups.map((group) => (
        <div key={group.days.join()} style={{ display: 'contents' }}>
          <dt>{group.days.length === 1 ? names[group.days[0]!] : `${names[group.days[0]!]} – ${names[group.days.at(-1)!]}`}</dt>
          <dd>
            {group.ranges.map(([start, end], index) => (
              // A range never breaks inside; the line may break between ranges.
              <Fragment key={start}>
                {index > 0 ? ', ' : null}
                <span className={classes.range}>{`${time(start)}–${time(end)}`}</span>
              </Fragment>
            ))}
          </dd>
        </div>
      ))}
    </dl>
  );
};

/**
 * On a booking page's record: its working hours, meeting lengths and members, readable (the record's details leave
 * these JSON values out). Nothing on other objects.
 */
export const BookingHoursPanel = ({ object, record }: { object: ObjectDefinition; record: ApiRecord }) => {
  const { t } = useTranslation();
  const users = useUsers();
  const week = useMemo(() => weekFromAvailability(record.availability), [record.availability]);
  if (object.name !== 'bookingPage') return null;
  const lengths = lengthsOf(record.durationMinutes, record.durationOptions);
  const memberIds = Array.isArray(record.members) ? record.members.map(String) : [];
  const memberNames = memberIds.map((id) => {
    const user = users.data?.find((candidate) => candidate.id === id);
    return user?.name || user?.email || t('bookingEditor.unknownUser');
  });
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="booking-hours-title">
      <Title order={2} size="h4" id="booking-hours-title" mb="sm">
        {t('bookingEditor.hours')}
      </Title>
      <HoursSummaryList week={week} />
      {typeof record.timezone === 'string' && record.timezone ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('bookingEditor.inZone', { zone: record.timezone })}
        </Text>
      ) : null}
      <Divider my="sm" />
      <dl className={classes.summary}>
        <dt>{t('bookingEditor.lengths')}</dt>
        <dd>{lengths.map((minutes) => t('booking.minutes', { minutes })).join(', ') || '—'}</dd>
        <dt>{t('bookingEditor.members')}</dt>
        <dd>{memberNames.length > 0 ? memberNames.join(', ') : t('bookingEditor.membersPlaceholder')}</dd>
      </dl>
    </Paper>
  );
};
