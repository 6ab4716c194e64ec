import { Badge } from '@mantine/core';
import { IconCalendarDue } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';

/** A task's due date; red with "Overdue" when it passed and the task is not done. Nothing without a due date. */
export const TaskDueBadge = ({ task, now }: { task: ApiRecord; now: number }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const due = typeof task.dueAt === 'string' ? task.dueAt : null;
  if (!due) return null;
  const isOverdue = task.status !== 'done' && new Date(due).getTime() < now;
  return (
    <Badge size="sm" variant="light" tt="none" color={isOverdue ? 'red' : 'gray'} leftSection={<IconCalendarDue size={12} aria-hidden />}>
      {isOverdue ? t('activities.overdue', { date: format.dateTime(due) }) : format.dateTime(due)}
    </Badge>
  );
};
