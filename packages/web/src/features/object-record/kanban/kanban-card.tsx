import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { useDraggable } from '@dnd-kit/core';
import { ActionIcon, Badge, Menu } from '@mantine/core';
import { IconAlarm, IconArrowsMove, IconCheck } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { memo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useIsChangedByOthers } from '../../../api/live-events.ts';
import type { ApiRecord } from '../../../api/types.ts';
import type { Formatters } from '../../../i18n/format.ts';
import { FieldValue } from '../../field-types/field-value.tsx';
import { StalledFlag } from '../../sales/stalled-flag.tsx';
import { paths } from '../metadata.ts';
import { daysInColumnOf, type ActivityBadge } from './kanban-model.ts';
import classes from './kanban-board.module.css';

/**
 * What every card of a board shares, made once per board (not once per card): a board opens with a hundred
 * cards, and hooks, translations and component layers repeated in each are most of its time.
 */
export interface CardContext {
  object: ObjectDefinition;
  objects: readonly ObjectDefinition[];
  /** The fields under the title, in order, with their labels. */
  fields: readonly { field: FieldDefinition; label: string }[];
  groupField: string;
  hasProbability: boolean;
  t: TFunction;
  format: Formatters;
  /** "in 3 days", "yesterday": one formatter for the board's language. */
  relativeDays: Intl.RelativeTimeFormat;
  /** The columns a card can move to, for its "Move to…" menu. */
  moveTargets: readonly { key: string; name: string; dot: string }[];
  onMove(record: ApiRecord, key: string): void;
}

const isEmptyValue = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** A record's next open task: red when overdue, blue when due within a week; the full date is its accessible name. */
const TaskBadge = ({ badge, context }: { badge: ActivityBadge; context: CardContext }) => {
  const { t, format } = context;
  const label = t(badge.kind === 'overdue' ? 'kanban.taskOverdue' : 'kanban.taskUpcoming', { date: format.dateTime(badge.due) });
  return (
    <Badge size="sm" variant="light" tt="none" color={badge.kind === 'overdue' ? 'red' : 'blue'} leftSection={<IconAlarm size={12} aria-hidden />} role="img" aria-label={label} title={label} className={classes.taskBadge} data-badge={badge.kind}>
      {t('kanban.taskDue', { when: context.relativeDays.format(badge.days, 'day') })}
    </Badge>
  );
};

/** Under a card's fields: the record's win probability and how long it has been in its column ("12 d in stage"). */
const cardFooter = (record: ApiRecord, context: CardContext) => {
  const { t, format } = context;
  const probability = context.hasProbability && typeof record.probability === 'number' ? record.probability : undefined;
  const days = daysInColumnOf(record, context.groupField, Date.now());
  if (probability === undefined && days === undefined) return null;
  return (
    <div className={classes.cardFooter}>
      {probability !== undefined ? (
        <span className={classes.dimmed} data-card-probability aria-label={t('kanban.cardProbability', { value: format.percent(probability) })}>
          {format.percent(probability)}
        </span>
      ) : null}
      {days !== undefined ? (
        <span className={classes.dimmed} data-days-in-column={days}>
          {t('kanban.daysInColumn', { count: days, formatted: format.number(days) })}
        </span>
      ) : null}
    </div>
  );
};

/** A card's title, fields, footer and badges; `action` beside the title (the "Move to…" menu). */
export const CardBody = ({ record, name, badge, context, action }: { record: ApiRecord; name: string; badge?: ActivityBadge | undefined; context: CardContext; action?: ReactNode }) => (
  <div className={classes.cardBody}>
    <div className={classes.cardHead}>
      <Link to={paths.record(context.object.name, record.id)} className={classes.cardTitle}>
        {name}
      </Link>
      {action}
    </div>
    {context.fields
      .filter(({ field }) => !isEmptyValue(record[field.name]))
      .map(({ field, label }) => (
        <div key={field.name} className={classes.cardField} data-field={field.name}>
          <span className={`${classes.dimmed} ${classes.fieldLabel}`}>{label}</span>
          <span className={classes.fieldValue}>
            <FieldValue object={context.object} field={field} value={record[field.name]} objects={context.objects} isCompact />
          </span>
        </div>
      ))}
    {cardFooter(record, context)}
    {badge ? <TaskBadge badge={badge} context={context} /> : null}
    <StalledFlag record={record} variant="badge" />
  </div>
);

/**
 * "Move to…": a plain button until first used, then the menu (a menu per card, each measuring its
 * place on the page as it mounts, would cost a board of a hundred cards more than the cards).
 */
const MoveMenu = ({ record, name, columnKey, context }: { record: ApiRecord; name: string; columnKey: string; context: CardContext }) => {
  const [isMounted, setMounted] = useState(false);
  const [isOpen, setOpen] = useState(false);
  const { t } = context;
  const button = (
    <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('kanban.moveTo', { name })} aria-haspopup="menu" onClick={isMounted ? undefined : () => (setMounted(true), setOpen(true))}>
      <IconArrowsMove size={14} aria-hidden />
    </ActionIcon>
  );
  if (!isMounted) return button;
  return (
    <Menu position="bottom-end" withinPortal opened={isOpen} onChange={setOpen}>
      <Menu.Target>{button}</Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('kanban.moveToLabel')}</Menu.Label>
        {context.moveTargets.map((other) => (
          <Menu.Item
            key={other.key}
            disabled={other.key === columnKey}
            leftSection={other.key === columnKey ? <IconCheck size={14} aria-hidden /> : <span className={classes.dot} style={{ background: other.dot }} aria-hidden />}
            onClick={() => context.onMove(record, other.key)}
          >
            {other.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
};

/** One card on the board: dragged by its body; rendered again only when its own record, badge or the board's context change. */
export const KanbanCard = memo(({ record, name, badge, columnKey, isDragging, context }: { record: ApiRecord; name: string; badge: ActivityBadge | undefined; columnKey: string; isDragging: boolean; context: CardContext }) => {
  const isChangedByOthers = useIsChangedByOthers(record.id);
  // Only the pointer listeners: the card itself is no button (its link and menu are the controls).
  const { setNodeRef, listeners } = useDraggable({ id: record.id });
  return (
    <div ref={setNodeRef} {...listeners} className={classes.card} data-dragging={isDragging || undefined} data-record-id={record.id} data-live-changed={isChangedByOthers || undefined}>
      <CardBody record={record} name={name} badge={badge} context={context} action={<MoveMenu record={record} name={name} columnKey={columnKey} context={context} />} />
    </div>
  );
});
KanbanCard.displayName = 'KanbanCard';
