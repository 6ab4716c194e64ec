import { Center, SegmentedControl } from '@mantine/core';
import { IconLayoutKanban, IconTable } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ViewMode } from './view-mode.ts';

/** Table or kanban for the object's records. */
export const ViewSwitch = ({ value, onChange }: { value: ViewMode; onChange(mode: ViewMode): void }) => {
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
        data={[option('table', <IconTable size={16} aria-hidden />), option('kanban', <IconLayoutKanban size={16} aria-hidden />)]}
      />
    </div>
  );
};
