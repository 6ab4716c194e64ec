import { Tooltip } from '@mantine/core';
import { IconAlarm } from '@tabler/icons-react';
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../i18n/use-format.ts';
import type { ActivityBadge } from '../kanban/kanban-model.ts';

/** The next-task badges of the table's loaded rows, by record id (use-activity-badges.ts). */
export const TableBadgesContext = createContext<ReadonlyMap<string, ActivityBadge>>(new Map());

/**
 * Before a row's title, its next open task when overdue (red alarm) or due within a week (blue), as on its kanban card
 * and record header (FEATURES X10); the due date is its tooltip and accessible name. Nothing otherwise.
 */
export const NextTaskFlag = ({ recordId }: { recordId: string }) => {
  const badge = useContext(TableBadgesContext).get(recordId);
  const { t } = useTranslation();
  const format = useFormat();
  if (!badge) return null;
  const label = t(badge.kind === 'overdue' ? 'kanban.taskOverdue' : 'kanban.taskUpcoming', { date: format.dateTime(badge.due) });
  return (
    <Tooltip label={label} withArrow openDelay={150}>
      <span role="img" aria-label={label} data-badge={badge.kind} style={{ display: 'inline-flex', verticalAlign: 'middle', marginRight: 6, color: `var(--mantine-color-${badge.kind === 'overdue' ? 'red-7' : 'blue-6'})` }}>
        <IconAlarm size={14} aria-hidden />
      </span>
    </Tooltip>
  );
};
