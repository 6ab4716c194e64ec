import type { FieldDefinition, Filter, ObjectDefinition } from '@rapport/common';
import { DndContext, DragOverlay, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { ActionIcon, Badge, Box, Button, Group, Menu, Paper, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlarm, IconArrowsMove, IconCheck } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useIsChangedByOthers } from '../../../api/live-events.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { FieldValue } from '../../field-types/field-value.tsx';
import { useLabels } from '../labels.ts';
import { paths, recordTitleOf } from '../metadata.ts';
import { isStale, refusalMessage, saveFields } from '../views/save-fields.ts';
import { CardFieldsMenu } from './card-fields-menu.tsx';
import {
  buildColumns,
  cardFieldOptionsOf,
  cardFieldsOf,
  groupFieldsOf,
  NO_VALUE,
  sumFieldOf,
  totalsByColumn,
  valueOfColumn,
  type ActivityBadge,
  type BoardColumn,
  type ColumnTotals,
} from './kanban-model.ts';
import { useActivityBadges } from './use-activity-badges.ts';
import classes from './kanban-board.module.css';

export interface KanbanBoardProps {
  object: ObjectDefinition;
  objects: readonly ObjectDefinition[];
  records: ApiRecord[];
  filter: Filter | undefined;
  /** The segment the board shows, if any. */
  segment?: string | undefined;
  groupField: FieldDefinition;
  onGroupFieldChange(name: string): void;
  /** The fields the cards show, in order, as chosen; null or absent for the board's default. */
  cardFields?: readonly string[] | null | undefined;
  onCardFieldsChange(fields: string[] | null): void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): void;
}

const PALETTE_COLOURS = new Set(['dark', 'gray', 'red', 'pink', 'grape', 'violet', 'indigo', 'blue', 'cyan', 'teal', 'green', 'lime', 'yellow', 'orange']);
const isEmptyValue = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
const colourOf = (column: BoardColumn) => column.choice?.color ?? 'gray';
const stripeOf = (colour: string) => (PALETTE_COLOURS.has(colour) ? `var(--mantine-color-${colour}-6)` : colour);

/** Counts and sums per column from `POST /records/{object}/aggregate` (every matching record, not only the loaded ones). */
const useColumnTotals = (object: string, filter: Filter | undefined, segment: string | undefined, groupField: string, sumField: string | undefined) =>
  useQuery({
    queryKey: [...queryKeys.records(object), 'aggregate', { filter, segment, groupField, sumField }],
    queryFn: ({ signal }) =>
      api.post<{ data: Record<string, unknown>[] }>(
        `/records/${encodeURIComponent(object)}/aggregate`,
        { ...(filter ? { filter } : {}), ...(segment ? { segment } : {}), groupBy: [groupField], metrics: [{ op: 'count' }, ...(sumField ? [{ op: 'sum', field: sumField }] : [])] },
        { signal },
      ),
    select: (result) => totalsByColumn(result.data, groupField, sumField),
  });

/** Records of an object as cards in one column per choice of a select field; drag a card (or use "Move to…") to change it. */
export const KanbanBoard = ({ object, objects, records, filter, segment, groupField, onGroupFieldChange, cardFields: chosenFields, onCardFieldsChange, hasNextPage, isFetchingNextPage, fetchNextPage }: KanbanBoardProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [moves, setMoves] = useState<ReadonlyMap<string, string | null>>(new Map());
  const [dragged, setDragged] = useState<ApiRecord | null>(null);
  const sumField = useMemo(() => sumFieldOf(object), [object]);
  const totals = useColumnTotals(object.name, filter, segment, groupField.name, sumField?.name);
  const columns = useMemo(() => buildColumns(groupField, records, moves), [groupField, records, moves]);
  const badges = useActivityBadges(object, objects, records);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }));
  const columnName = (column: BoardColumn) => (column.choice ? labels.choice(object, groupField, column.choice) : t('kanban.noValue'));
  const recordName = (record: ApiRecord) => recordTitleOf(object, record) ?? t('fieldValue.untitled');
  const currency = sumField?.options?.defaultCurrency ?? records.map((record) => (record[sumField?.name ?? ''] as { currency?: string } | null)?.currency).find(Boolean);

  const withoutMove = (id: string) =>
    setMoves((previous) => {
      const next = new Map(previous);
      next.delete(id);
      return next;
    });

  // Optimistic: the card moves at once; a refusal puts it back and says why.
  const move = async (record: ApiRecord, key: string) => {
    const current = moves.has(record.id) ? moves.get(record.id) : record[groupField.name];
    const value = valueOfColumn(key);
    if ((current ?? null) === value) return;
    const target = columns.find((column) => column.key === key);
    setMoves((previous) => new Map(previous).set(record.id, value));
    try {
      await saveFields(object.name, record, { [groupField.name]: value });
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      withoutMove(record.id);
      notify({ message: t('kanban.moved', { name: recordName(record), column: target ? columnName(target) : '' }) });
    } catch (error) {
      withoutMove(record.id);
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      notifications.show({
        color: 'red',
        title: t('kanban.moveRefused', { name: recordName(record) }),
        message: refusalMessage(t, i18n.resolvedLanguage ?? i18n.language, error),
        autoClose: 8000,
        closeButtonProps: { 'aria-label': t('common.close') },
      });
    }
  };

  const onDragStart = (event: DragStartEvent) => setDragged(records.find((record) => record.id === event.active.id) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setDragged(null);
    const record = records.find((candidate) => candidate.id === event.active.id);
    if (record && event.over) void move(record, String(event.over.id));
  };

  const cardFields = useMemo(() => cardFieldsOf(object, chosenFields, groupField.name), [object, chosenFields, groupField]);
  const cardFieldOptions = useMemo(() => cardFieldOptionsOf(object), [object]);
  const groupFields = groupFieldsOf(object);

  const totalLabel = (column: BoardColumn, columnTotals: ColumnTotals | undefined) => {
    const count = columnTotals?.count ?? column.records.length;
    return t('kanban.count', { count, formatted: format.number(count) });
  };

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end">
        {groupFields.length > 1 ? (
          <Select
            label={t('kanban.groupBy')}
            w={260}
            data={groupFields.map((field) => ({ value: field.name, label: labels.field(object, field) }))}
            value={groupField.name}
            onChange={(name) => name && onGroupFieldChange(name)}
            allowDeselect={false}
          />
        ) : null}
        <CardFieldsMenu object={object} options={cardFieldOptions} shown={cardFields.map((field) => field.name)} isDefault={!chosenFields} onChange={onCardFieldsChange} />
      </Group>
      <DndContext sensors={sensors} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragged(null)} accessibility={{ screenReaderInstructions: { draggable: t('kanban.dragInstructions') } }}>
        <div className={classes.board} role="region" aria-label={t('kanban.board', { name: labels.objectPlural(object), field: labels.field(object, groupField) })}>
          {columns.map((column) => {
            const columnTotals = totals.data?.get(column.key);
            const name = columnName(column);
            return (
              <KanbanColumn key={column.key} column={column} name={name} colour={colourOf(column)}>
                <Group justify="space-between" gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {totalLabel(column, columnTotals)}
                  </Text>
                  {sumField && columnTotals?.sum !== null && columnTotals?.sum !== undefined ? (
                    <Text size="xs" fw={600} aria-label={t('kanban.sum', { field: labels.field(object, sumField), value: currency ? format.currency(columnTotals.sum, currency, sumField.options?.precision) : format.number(columnTotals.sum) })}>
                      {currency ? format.currency(columnTotals.sum, currency, sumField.options?.precision) : format.number(columnTotals.sum)}
                    </Text>
                  ) : null}
                </Group>
                <ul className={classes.cards} aria-label={name}>
                  {column.records.map((record) => (
                    <li key={record.id}>
                      <KanbanCard record={record} isDragging={dragged?.id === record.id}>
                        <CardBody object={object} objects={objects} record={record} fields={cardFields} name={recordName(record)} badge={badges.get(record.id)}>
                          <Menu position="bottom-end" withinPortal>
                            <Menu.Target>
                              <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('kanban.moveTo', { name: recordName(record) })}>
                                <IconArrowsMove size={14} aria-hidden />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Label>{t('kanban.moveToLabel')}</Menu.Label>
                              {columns.map((other) => (
                                <Menu.Item
                                  key={other.key}
                                  disabled={other.key === column.key}
                                  leftSection={other.key === column.key ? <IconCheck size={14} aria-hidden /> : <span className={classes.dot} style={{ background: stripeOf(colourOf(other)) }} aria-hidden />}
                                  onClick={() => void move(record, other.key)}
                                >
                                  {columnName(other)}
                                </Menu.Item>
                              ))}
                            </Menu.Dropdown>
                          </Menu>
                        </CardBody>
                      </KanbanCard>
                    </li>
                  ))}
                </ul>
              </KanbanColumn>
            );
          })}
        </div>
        <DragOverlay>
          {dragged ? (
            <Paper withBorder shadow="md" p="xs" className={classes.card}>
              <CardBody object={object} objects={objects} record={dragged} fields={cardFields} name={recordName(dragged)} badge={badges.get(dragged.id)} />
            </Paper>
          ) : null}
        </DragOverlay>
      </DndContext>
      {hasNextPage ? (
        <Box>
          <Button variant="default" loading={isFetchingNextPage} onClick={fetchNextPage}>
            {t('kanban.loadMore')}
          </Button>
        </Box>
      ) : null}
    </Stack>
  );
};

const KanbanColumn = ({ column, name, colour, children }: { column: BoardColumn; name: string; colour: string; children: React.ReactNode }) => {
  const { setNodeRef, isOver } = useDroppable({ id: column.key });
  return (
    <section ref={setNodeRef} className={classes.column} data-over={isOver || undefined} data-column={column.key === NO_VALUE ? '' : column.key} aria-label={name} style={{ borderTopColor: stripeOf(colour) }}>
      <Group gap={6} wrap="nowrap">
        <span className={classes.dot} style={{ background: stripeOf(colour) }} aria-hidden />
        <Text component="h2" fw={700} size="sm" className={classes.columnTitle}>
          {name}
        </Text>
      </Group>
      {children}
    </section>
  );
};

const KanbanCard = ({ record, isDragging, children }: { record: ApiRecord; isDragging: boolean; children: React.ReactNode }) => {
  const isChangedByOthers = useIsChangedByOthers(record.id);
  // Only the pointer listeners: the card itself is no button (its link and menu are the controls).
  const { setNodeRef, listeners } = useDraggable({ id: record.id });
  return (
    <Paper ref={setNodeRef} {...listeners} withBorder p="xs" className={classes.card} data-dragging={isDragging || undefined} data-record-id={record.id} data-live-changed={isChangedByOthers || undefined}>
      {children}
    </Paper>
  );
};

/** A record's next open task: red when overdue, blue when due within a week; the full date is its accessible name. */
const TaskBadge = ({ badge }: { badge: ActivityBadge }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const when = useMemo(() => new Intl.RelativeTimeFormat(format.locale, { numeric: 'auto' }).format(badge.days, 'day'), [format.locale, badge.days]);
  const label = t(badge.kind === 'overdue' ? 'kanban.taskOverdue' : 'kanban.taskUpcoming', { date: format.dateTime(badge.due) });
  return (
    <Badge size="sm" variant="light" tt="none" color={badge.kind === 'overdue' ? 'red' : 'blue'} leftSection={<IconAlarm size={12} aria-hidden />} role="img" aria-label={label} title={label} className={classes.taskBadge} data-badge={badge.kind}>
      {t('kanban.taskDue', { when })}
    </Badge>
  );
};

const CardBody = ({ object, objects, record, fields, name, badge, children }: { object: ObjectDefinition; objects: readonly ObjectDefinition[]; record: ApiRecord; fields: FieldDefinition[]; name: string; badge?: ActivityBadge | undefined; children?: React.ReactNode }) => {
  const labels = useLabels();
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap" gap={4} align="flex-start">
        <Link to={paths.record(object.name, record.id)} className={classes.cardTitle}>
          {name}
        </Link>
        {children}
      </Group>
      {fields.filter((field) => !isEmptyValue(record[field.name])).map((field) => (
        <Group key={field.name} gap={6} wrap="nowrap" className={classes.cardField} data-field={field.name}>
          <Text span size="xs" c="dimmed" className={classes.fieldLabel}>
            {labels.field(object, field)}
          </Text>
          <Text span size="xs" className={classes.fieldValue}>
            <FieldValue object={object} field={field} value={record[field.name]} objects={objects} isCompact />
          </Text>
        </Group>
      ))}
      {badge ? <TaskBadge badge={badge} /> : null}
    </Stack>
  );
};

