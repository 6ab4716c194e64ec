import type { CalendarMode, CalendarSettings, ObjectDefinition } from '@rapport/common';
import { ActionIcon, Button, Group, SegmentedControl, Title } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CalendarSettingsMenu } from './calendar-settings-menu.tsx';

/** What the planner spans. */
export type TeamHorizon = 'day' | 'week';

export interface CalendarToolbarProps {
  object: ObjectDefinition;
  /** The range shown, in words ("December 2026"). */
  title: string;
  mode: CalendarMode;
  modes: readonly CalendarMode[];
  onModeChange(mode: CalendarMode): void;
  horizon: TeamHorizon;
  onHorizonChange(horizon: TeamHorizon): void;
  onNavigate(step: 'today' | 'prev' | 'next'): void;
  settings: CalendarSettings;
  onSettingsChange(settings: CalendarSettings): void;
}

/** Today, previous and next, the range shown (announced when it changes), the mode and the calendar's fields. */
export const CalendarToolbar = ({ object, title, mode, modes, onModeChange, horizon, onHorizonChange, onNavigate, settings, onSettingsChange }: CalendarToolbarProps) => {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" gap="sm" mb="sm" wrap="wrap">
      <Group gap="xs" wrap="nowrap">
        <Button variant="default" onClick={() => onNavigate('today')}>
          {t('calendar.today')}
        </Button>
        <ActionIcon variant="default" size="lg" aria-label={t('calendar.previous')} onClick={() => onNavigate('prev')}>
          <IconChevronLeft size={18} aria-hidden />
        </ActionIcon>
        <ActionIcon variant="default" size="lg" aria-label={t('calendar.next')} onClick={() => onNavigate('next')}>
          <IconChevronRight size={18} aria-hidden />
        </ActionIcon>
        <Title order={2} size="h4" aria-live="polite" data-calendar-title>
          {title}
        </Title>
      </Group>
      <Group gap="sm" wrap="wrap">
        {mode === 'team' ? (
          <div role="group" aria-label={t('calendar.horizon')}>
            <SegmentedControl size="sm" value={horizon} onChange={(value) => onHorizonChange(value as TeamHorizon)} data={[{ value: 'day', label: t('calendar.team.oneDay') }, { value: 'week', label: t('calendar.team.oneWeek') }]} />
          </div>
        ) : null}
        <div role="group" aria-label={t('calendar.mode')}>
          <SegmentedControl size="sm" value={mode} onChange={(value) => onModeChange(value as CalendarMode)} data={modes.map((value) => ({ value, label: t(`calendar.modes.${value}`) }))} />
        </div>
        <CalendarSettingsMenu object={object} settings={settings} onChange={onSettingsChange} />
      </Group>
    </Group>
  );
};
