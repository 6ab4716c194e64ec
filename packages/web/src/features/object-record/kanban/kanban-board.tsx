import type { FieldDefinition, Filter, ObjectDefinition } from '@rapport/common';
import { DndContext, DragOverlay, PointerSensor, useDroppable, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { Box, Button, Group, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { convertedMetricsOf, currencyCodeMetricsOf, isMixed, moneyTotalsOf, type AggregateAnswer } from '../currency-totals.ts';
import { useLabels } from '../labels.ts';
import { findObject, formFieldsOf, recordTitleOf } from '../metadata.ts';
import { isStale, refusalMessage, saveFields } from '../views/save-fields.ts';
import { CardFieldsMenu } from './card-fields-menu.tsx';
import { KanbanCard, CardBody, type CardContext } from './kanban-card.tsx';
import {
  buildColumns,
  cardFieldOptionsOf,
  cardFieldsOf,
  columnColourOf,
  columnOutcomeOf,
  columnProbabilityOf,
  groupFieldsOf,
  isRelationGroup,
  NO_VALUE,
  relatedIdOf,
  requiredByStageOf,
  sumFieldOf,
  totalsByColumn,
  valueOfColumn,
  type BoardColumn,
  type ColumnTotals,
} from './kanban-model.ts';
import { RequiredFieldsModal, type RequiredFieldsRequest } from './required-fields-modal.tsx';
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
  /** For a board grouped by a relation: the columns' records (the stages of the pipeline shown). */
  targets?: readonly ApiRecord[] | undefined;
  /** What the board is scoped by (the pipeline), its choices and the chosen one. */
  scope?: { field: string; object: ObjectDefinition; options: readonly ApiRecord[]; selected: string | undefined; onChange(id: string): void } | undefined;
}

/** Cards per column rendered first: more than a column shows in a window's height. */
const FIRST_CARDS = 8;
const PALETTE_COLOURS = new Set(['dark', 'gray', 'red', 'pink', 'grape', 'violet', 'indigo', 'blue', 'cyan', 'teal', 'green', 'lime', 'yellow', 'orange']);
const colourOf = columnColourOf;
const stripeOf = (colour: string) => (PALETTE_COLOURS.has(colour) ? `var(--mantine-color-${colour}-6)` : colour);

/**
 * Counts and sums per column from `POST /records/{object}/aggregate` (every matching record, not only the loaded ones).
 * A currency field's sums are in their one currency, or converted to the default currency when the columns mix
 * currencies (a second query, asked only then: currency-totals.ts).
 */
const useColumnTotals = (object: string, filter: Filter | undefined, segment: string | undefined, groupField: string, sumField: FieldDefinition | undefined) => {
  const body = { ...(filter ? { filter } : {}), ...(segment ? { segment } : {}), groupBy: [groupField] };
  const aggregate = (metrics: unknown[], signal: AbortSignal) => api.post<AggregateAnswer>(`/records/${encodeURIComponent(object)}/aggregate`, { ...body, metrics }, { signal });
  const plain = useQuery({
    queryKey: [...queryKeys.records(object), 'aggregate', { filter, segment, groupField, sumField: sumField?.name }],
    queryFn: ({ signal }) => aggregate([{ op: 'count' }, ...(sumField ? [{ op: 'sum', field: sumField.name }, ...currencyCodeMetricsOf(sumField)] : [])], signal),
  });
  const mixed = isMixed(plain.data?.data, sumField);
  const converted = useQuery({
    queryKey: [...queryKeys.records(object), 'aggregate', 'converted', { filter, segment, groupField, sumField: sumField?.name }],
    queryFn: ({ signal }) => aggregate(convertedMetricsOf(sumField!, ['sum']), signal),
    enabled: mixed,
  });
  const data = useMemo(() => {
    if (!plain.data) return undefined;
    const money = moneyTotalsOf({ rows: plain.data.data, converted: mixed ? converted.data : undefined, field: sumField, ops: ['sum'], keyOf: (row) => String(row[groupField] ?? '') });
    return { columns: totalsByColumn(money.rows, groupField, sumField?.name), currency: money.currency, isConverted: money.isConverted, unconverted: money.unconverted };
  }, [plain.data, converted.data, mixed, sumField, groupField]);
  return { data };
};

/** Records of an object as cards in one column per choice of a select field; drag a card (or use "Move to…") to change it. */
export const KanbanBoard = ({ object, objects, records, filter, segment, groupField, onGroupFieldChange, cardFields: chosenFields, onCardFieldsChange, hasNextPage, isFetchingNextPage, fetchNextPage, targets, scope }: KanbanBoardProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [moves, setMoves] = useState<ReadonlyMap<string, string | null>>(new Map());
  const [dragged, setDragged] = useState<ApiRecord | null>(null);
  // The cards a column shows without scrolling come first; the others once they are on screen, in a transition that
  // gives way to the person's input.
  const [isEveryCardShown, setEveryCardShown] = useState(false);
  useEffect(() => {
    if (isEveryCardShown) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setEveryCardShown(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [isEveryCardShown]);
  const sumField = useMemo(() => sumFieldOf(object), [object]);
  const totals = useColumnTotals(object.name, filter, segment, groupField.name, sumField);
  const columns = useMemo(() => buildColumns(groupField, records, moves, targets), [groupField, records, moves, targets]);
  const [required, setRequired] = useState<RequiredFieldsRequest | null>(null);
  const isRelation = isRelationGroup(groupField);
  const targetObject = isRelation ? findObject(objects, groupField.options?.target) : undefined;
  const badges = useActivityBadges(object, objects, records);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }));
  const columnName = (column: BoardColumn) =>
    column.choice ? labels.choice(object, groupField, column.choice) : column.target ? (recordTitleOf(targetObject, column.target) ?? t('fieldValue.untitled')) : t('kanban.noValue');
  const recordName = (record: ApiRecord) => recordTitleOf(object, record) ?? t('fieldValue.untitled');
  const currency = totals.data?.currency ?? sumField?.options?.defaultCurrency ?? records.map((record) => (record[sumField?.name ?? ''] as { currency?: string } | null)?.currency).find(Boolean);

  const withoutMove = (id: string) =>
    setMoves((previous) => {
      const next = new Map(previous);
      next.delete(id);
      return next;
    });

  // Optimistic: the card moves at once; a refusal puts it back and says why.
  const move = async (record: ApiRecord, key: string) => {
    const current = moves.has(record.id) ? moves.get(record.id) : isRelation ? relatedIdOf(record[groupField.name]) : record[groupField.name];
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
      // The stage needs fields the record lacks: ask for them, with their own editors, and move with them.
      const editable = new Set(formFieldsOf(object).map((field) => field.name));
      const missing = isApiError(error) && error.status === 422 ? requiredByStageOf(error.fieldErrors, object).filter((field) => editable.has(field.name)) : [];
      if (missing.length > 0 && target) {
        setRequired({ record, key, column: columnName(target), fields: missing });
        return;
      }
      notifications.show({
        color: 'red',
        title: t('kanban.moveRefused', { name: recordName(record) }),
        message: refusalMessage(t, i18n.resolvedLanguage ?? i18n.language, error),
        autoClose: 8000,
        closeButtonProps: { 'aria-label': t('common.close') },
      });
    }
  };

  // The move with the fields the stage asked for, in one save; a refusal stays in the dialog.
  const moveWith = async (request: RequiredFieldsRequest, values: Record<string, unknown>) => {
    const value = valueOfColumn(request.key);
    setMoves((previous) => new Map(previous).set(request.record.id, value));
    // The record as listed now: after a 412 the list reloads it, and a second try saves at its new version.
    const latest = records.find((record) => record.id === request.record.id) ?? request.record;
    try {
      await saveFields(object.name, latest, { ...values, [groupField.name]: value });
    } catch (error) {
      withoutMove(request.record.id);
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      throw error;
    }
    setRequired(null);
    await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
    withoutMove(request.record.id);
    notify({ message: t('kanban.moved', { name: recordName(request.record), column: request.column }) });
  };

  const onDragStart = (event: DragStartEvent) => setDragged(records.find((record) => record.id === event.active.id) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setDragged(null);
    const record = records.find((candidate) => candidate.id === event.active.id);
    if (record && event.over) void move(record, String(event.over.id));
  };

  const cardFields = useMemo(() => cardFieldsOf(object, chosenFields, groupField.name, scope?.field), [object, chosenFields, groupField, scope?.field]);
  const cardFieldOptions = useMemo(() => cardFieldOptionsOf(object), [object]);
  // The cards' shared context: the same object while the board's fields, language and columns stay, so a card
  // renders again only for its own record (a page loaded, a total or a badge arriving leave the others alone).
  const moveRef = useRef(move);
  moveRef.current = move;
  const onMove = useCallback((record: ApiRecord, key: string) => void moveRef.current(record, key), []);
  const moveTargetsKey = JSON.stringify(columns.map((column) => [column.key, columnName(column), stripeOf(colourOf(column))]));
  const moveTargets = useMemo(() => (JSON.parse(moveTargetsKey) as [string, string, string][]).map(([key, name, dot]) => ({ key, name, dot })), [moveTargetsKey]);
  const cardContext = useMemo<CardContext>(
    () => ({
      object,
      objects,
      fields: cardFields.map((field) => ({ field, label: labels.field(object, field) })),
      groupField: groupField.name,
      hasProbability: object.fields.some((field) => field.name === 'probability' && field.type === 'percent'),
      t,
      format,
      relativeDays: new Intl.RelativeTimeFormat(format.locale, { numeric: 'auto' }),
      moveTargets,
      onMove,
    }),
    [object, objects, cardFields, labels, groupField.name, t, format, moveTargets, onMove],
  );
  const groupFields = groupFieldsOf(object, objects);

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
        {scope && scope.options.length > 0 ? (
          <Select
            label={labels.objectSingular(scope.object)}
            w={260}
            data={scope.options.map((option) => ({ value: option.id, label: recordTitleOf(scope.object, option) ?? t('fieldValue.untitled') }))}
            value={scope.selected ?? null}
            onChange={(id) => id && scope.onChange(id)}
            allowDeselect={false}
            data-board-scope
          />
        ) : null}
        <CardFieldsMenu object={object} options={cardFieldOptions} shown={cardFields.map((field) => field.name)} isDefault={!chosenFields} onChange={onCardFieldsChange} />
      </Group>
      <DndContext sensors={sensors} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragged(null)} accessibility={{ screenReaderInstructions: { draggable: t('kanban.dragInstructions') } }}>
        <div className={classes.board} role="region" aria-label={t('kanban.board', { name: labels.objectPlural(object), field: labels.field(object, groupField) })}>
          {columns.map((column) => {
            const columnTotals = totals.data?.columns.get(column.key);
            const name = columnName(column);
            const probability = columnProbabilityOf(column);
            return (
              <KanbanColumn
                key={column.key}
                column={column}
                name={name}
                colour={colourOf(column)}
                probability={probability === undefined ? undefined : { text: format.percent(probability), label: t('kanban.columnProbability', { value: format.percent(probability) }) }}
              >
                <Group justify="space-between" gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {totalLabel(column, columnTotals)}
                  </Text>
                  {sumField && columnTotals?.sum !== null && columnTotals?.sum !== undefined ? (
                    <Text size="xs" fw={600} title={totals.data?.isConverted && currency ? (totals.data.unconverted > 0 ? t('currency.convertedTotalMissing', { currency, count: totals.data.unconverted }) : t('currency.convertedTotal', { currency })) : undefined} aria-label={t('kanban.sum', { field: labels.field(object, sumField), value: currency ? format.currency(columnTotals.sum, currency, sumField.options?.precision) : format.number(columnTotals.sum) })}>
                      {currency ? format.currency(columnTotals.sum, currency, sumField.options?.precision) : format.number(columnTotals.sum)}
                    </Text>
                  ) : null}
                </Group>
                <ul className={classes.cards} aria-label={name}>
                  {(isEveryCardShown ? column.records : column.records.slice(0, FIRST_CARDS)).map((record) => (
                    <li key={record.id}>
                      <KanbanCard record={record} name={recordName(record)} badge={badges.get(record.id)} columnKey={column.key} isDragging={dragged?.id === record.id} context={cardContext} />
                    </li>
                  ))}
                </ul>
              </KanbanColumn>
            );
          })}
        </div>
        <DragOverlay>
          {dragged ? (
            <div className={`${classes.card} ${classes.overlay}`}>
              <CardBody record={dragged} name={recordName(dragged)} badge={badges.get(dragged.id)} context={cardContext} />
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
      {required ? <RequiredFieldsModal key={`${required.record.id}:${required.key}`} object={object} objects={objects} request={required} onMove={(values) => moveWith(required, values)} onClose={() => setRequired(null)} /> : null}
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

const KanbanColumn = ({ column, name, colour, probability, children }: { column: BoardColumn; name: string; colour: string; probability?: { text: string; label: string } | undefined; children: React.ReactNode }) => {
  const { setNodeRef, isOver } = useDroppable({ id: column.key });
  return (
    <section
      ref={setNodeRef}
      className={classes.column}
      data-over={isOver || undefined}
      data-column={column.key === NO_VALUE ? '' : column.key}
      data-outcome={columnOutcomeOf(column)}
      aria-label={name}
      style={{ borderTopColor: stripeOf(colour), ...(columnOutcomeOf(column) ? { '--kanban-outcome': stripeOf(colour) } : {}) } as React.CSSProperties}
    >
      <Group gap={6} wrap="nowrap">
        <span className={classes.dot} style={{ background: stripeOf(colour) }} aria-hidden />
        <Text component="h2" fw={700} size="sm" className={classes.columnTitle}>
          {name}
        </Text>
        {probability ? (
          <Text span size="xs" c="dimmed" ml="auto" className={classes.probability} aria-label={probability.label} title={probability.label} data-probability>
            {probability.text}
          </Text>
        ) : null}
      </Group>
      {children}
    </section>
  );
};
