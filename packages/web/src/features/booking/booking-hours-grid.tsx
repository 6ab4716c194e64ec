import { ActionIcon, Button, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconCopy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { addRange, copyMondayToWeekdays, removeRange, weekProblems, WEEKDAYS, type DayHours, type Weekday, type WeekHours } from './booking-editor-model.ts';
import { useWeekdayNames } from './booking-hours-summary.tsx';
import classes from './booking-editor.module.css';

/** Working hours per weekday: a switch per day, one or more from–to ranges, "copy Monday to weekdays". */
export const BookingHoursGrid = ({ value, onChange, error }: { value: WeekHours; onChange(week: WeekHours): void; error?: string | undefined }) => {
  const { t } = useTranslation();
  const dayNames = useWeekdayNames('long');
  const problems = weekProblems(value);
  const setDay = (day: Weekday, hours: DayHours) => onChange({ ...value, [day]: hours });
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          {t('bookingEditor.hoursHelp')}
        </Text>
        <Button variant="subtle" size="compact-sm" leftSection={<IconCopy size={14} aria-hidden />} onClick={() => onChange(copyMondayToWeekdays(value))}>
          {t('bookingEditor.copyMonday')}
        </Button>
      </Group>
      <div className={classes.week}>
        {WEEKDAYS.map((day) => {
          const hours = value[day];
          const dayName = dayNames[day];
          return (
            <div key={day} className={classes.day} data-day={day}>
              <Switch
                className={classes.dayToggle}
                label={dayName}
                checked={hours.enabled}
                onChange={(event) => setDay(day, { ...hours, enabled: event.currentTarget.checked })}
              />
              {hours.enabled ? (
                <Stack gap={6} className={classes.ranges}>
                  {hours.ranges.map((range, index) => {
                    const problem = problems[day]?.[index];
                    const n = index + 1;
                    return (
                      <div key={index}>
                        <Group gap="xs" wrap="nowrap" align="center">
                          <TextInput
                            type="time"
                            size="sm"
                            w={130}
                            aria-label={t('bookingEditor.from', { day: dayName, n })}
                            value={range.start}
                            error={Boolean(problem)}
                            onChange={(event) => setDay(day, { ...hours, ranges: hours.ranges.map((r, i) => (i === index ? { ...r, start: event.currentTarget.value } : r)) })}
                          />
                          <Text size="sm" c="dimmed" aria-hidden>
                            –
                          </Text>
                          <TextInput
                            type="time"
                            size="sm"
                            w={130}
                            aria-label={t('bookingEditor.to', { day: dayName, n })}
                            value={range.end}
                            error={Boolean(problem)}
                            onChange={(event) => setDay(day, { ...hours, ranges: hours.ranges.map((r, i) => (i === index ? { ...r, end: event.currentTarget.value } : r)) })}
                          />
                          <ActionIcon variant="subtle" color="gray" aria-label={t('bookingEditor.removeRange', { day: dayName, n })} onClick={() => setDay(day, removeRange(hours, index))}>
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Group>
                        {problem ? (
                          <Text size="xs" c="red" mt={2}>
                            {t(`bookingEditor.rangeErrors.${problem}`)}
                          </Text>
                        ) : null}
                      </div>
                    );
                  })}
                  <div>
                    <Button variant="subtle" size="compact-xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setDay(day, addRange(hours))} aria-label={t('bookingEditor.addRangeTo', { day: dayName })}>
                      {t('bookingEditor.addRange')}
                    </Button>
                  </div>
                </Stack>
              ) : (
                <Text size="sm" c="dimmed" className={classes.ranges}>
                  {t('bookingEditor.unavailable')}
                </Text>
              )}
            </div>
          );
        })}
      </div>
      {error ? (
        <Text size="sm" c="red" role="alert" data-hours-error>
          {error}
        </Text>
      ) : null}
    </Stack>
  );
};
