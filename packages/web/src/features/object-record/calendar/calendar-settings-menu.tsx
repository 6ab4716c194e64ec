import type { CalendarSettings, FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Button, Popover, Select, Stack, Text } from '@mantine/core';
import { IconAdjustmentsHorizontal } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels.ts';
import { colorFieldsOf, durationFieldsOf, endFieldsOf, startFieldsOf } from './calendar-model.ts';

/** Which fields place and colour the calendar's records: start, end or duration, colour. */
export const CalendarSettingsMenu = ({ object, settings, onChange }: { object: ObjectDefinition; settings: CalendarSettings; onChange(settings: CalendarSettings): void }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const options = (fields: FieldDefinition[]) => fields.map((field) => ({ value: field.name, label: labels.field(object, field) }));
  const startField = startFieldsOf(object).find((field) => field.name === settings.startField);
  return (
    <Popover position="bottom-end" shadow="md" width={300} withinPortal trapFocus>
      <Popover.Target>
        <Button variant="default" leftSection={<IconAdjustmentsHorizontal size={16} aria-hidden />}>
          {t('calendar.settings')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Select
            label={t('calendar.startField')}
            data={options(startFieldsOf(object))}
            value={settings.startField}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            onChange={(name) => name && onChange({ ...settings, startField: name, endField: settings.endField === name ? null : settings.endField })}
          />
          <Select
            label={t('calendar.endField')}
            placeholder={t('calendar.none')}
            data={options(endFieldsOf(object, settings.startField))}
            value={settings.endField ?? null}
            clearable
            comboboxProps={{ withinPortal: false }}
            onChange={(name) => onChange({ ...settings, endField: name, durationField: name ? null : settings.durationField ?? null })}
          />
          {startField?.type === 'datetime' ? (
            <Select
              label={t('calendar.durationField')}
              description={t('calendar.durationHelp')}
              placeholder={t('calendar.none')}
              data={options(durationFieldsOf(object))}
              value={settings.durationField ?? null}
              disabled={Boolean(settings.endField)}
              clearable
              comboboxProps={{ withinPortal: false }}
              onChange={(name) => onChange({ ...settings, durationField: name })}
            />
          ) : null}
          <Select
            label={t('calendar.colorField')}
            placeholder={t('calendar.none')}
            data={options(colorFieldsOf(object))}
            value={settings.colorField ?? null}
            clearable
            comboboxProps={{ withinPortal: false }}
            onChange={(name) => onChange({ ...settings, colorField: name })}
          />
          <Text size="xs" c="dimmed">
            {t('calendar.settingsHelp')}
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
};
