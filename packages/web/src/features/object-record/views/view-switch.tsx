import { Center, SegmentedControl } from '@mantine/core';
import { IconCalendar, IconLayoutKanban, IconTable } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ViewMode } from './view-mode.ts';

const ICONS: Record<ViewMode, React.ReactNode> = {
  table: <IconTable size={16} aria-hidden />,
  kanban: <IconLayoutKanban size={16} aria-hidden />,
  calendar: <IconCalendar size={16} aria-hidden />,
};

/** Table, board or calendar for the object's records: the `modes` it offers. */
export const ViewSwitch = ({ value, modes, onChange }: { value: ViewMode; modes: readonly ViewMode[]; onChange(mode: ViewMode): void }) => {
  const { t } = useTranslation();
  const option = (mode: ViewMode, icon: React.ReactNode) => ({
    value: mode,
    label: (
      <Center style={{ gap: 6 }}>
        {icon}
        <span>{t(`views.${mode}`)}</span>
      </Center>
    ),
  });
  return (
    <div role="group" aria-label={t('views.switch')}>
      <SegmentedControl
        size="sm"
        value={value}
        onChange={(next) => onChange(next as ViewMode)}
        data={modes.map((mode) => option(mode, ICONS[mode]))}
      />
    </div>
  );
};
