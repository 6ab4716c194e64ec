import type { ObjectDefinition } from '@rapport/common';
import { Badge } from '@mantine/core';
import { IconAlarm } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { useActivityBadges } from '../kanban/use-activity-badges.ts';

/**
 * In a record's header, its next open task when it is overdue (red) or due within a week (blue), as on its kanban card
 * (FEATURES X10): the same aggregate, so a task done anywhere clears it.
 */
export const NextTaskBadge = ({ object, objects, record }: { object: ObjectDefinition; objects: readonly ObjectDefinition[]; record: ApiRecord }) => {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const records = useMemo(() => [record], [record]);
  const badge = useActivityBadges(object, objects, records).get(record.id);
  const relative = useMemo(() => new Intl.RelativeTimeFormat(i18n.resolvedLanguage ?? i18n.language, { numeric: 'auto' }), [i18n.resolvedLanguage, i18n.language]);
  if (!badge) return null;
  const label = t(badge.kind === 'overdue' ? 'kanban.taskOverdue' : 'kanban.taskUpcoming', { date: format.dateTime(badge.due) });
  return (
    <Badge mt={6} variant="light" tt="none" color={badge.kind === 'overdue' ? 'red' : 'blue'} leftSection={<IconAlarm size={14} aria-hidden />} title={label} aria-label={label} data-badge={badge.kind}>
      {t('kanban.taskDue', { when: relative.format(badge.days, 'day') })}
    </Badge>
  );
};
