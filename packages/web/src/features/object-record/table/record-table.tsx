import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { closestCenter, DndContext, type DragEndEvent, type SensorDescriptor, type SensorOptions } from '@dnd-kit/core';
import { horizontalListSortingStrategy, SortableContext } from '@dnd-kit/sortable';
import { Badge, Box, Button, Center, Group, Loader, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { getCoreRowModel, useReactTable, type Column, type ColumnDef, type RowSelectionState, type SortingState, type Table, type VisibilityState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../../api/types.ts';
import { useIsChangedByOthers } from '../../../api/live-events.ts';
import { isNumericKind, valueKindOf, type ValueKind } from '../../field-types/field-kind.ts';
import { FieldValue } from '../../field-types/field-value.tsx';
import { includedRecordOf, referenceOf, soleTargetOf } from '../../field-types/reference-value.ts';
import { plainTitleOf } from '../record-titles.ts';
import { useLabels } from '../labels.ts';
import { canOn, findObject, formFieldsOf, isSortable, longFieldsOf, paths, recordTitleOf, relationKindOf, tableFieldsOf, titleFieldOf } from '../metadata.ts';
import { useUsers } from '../../../api/queries.ts';
import { readStored, writeStored } from '../views/view-mode.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { buildTableItems, NO_GROUP, type Totals } from './grouping-model.ts';
import { InlineEditor } from './inline-edit-cell.tsx';
import { MassEditButton } from './mass-edit.tsx';
import { deleteWithUndo } from './mass-delete.tsx';
import { ColumnHeader } from './column-header.tsx';
import { ColumnsMenu } from './columns-menu.tsx';
import { PasteErrors } from './paste-errors.tsx';
import { hiddenColumnsKey, MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, parseHiddenColumns } from './table-columns.ts';
import { useColumnLayout } from './use-column-layout.ts';
import { useCellRange } from './use-cell-range.ts';
import { NextTaskFlag, TableBadgesContext } from './next-task-flag.tsx';
import { useActivityBadges } from '../kanban/use-activity-badges.ts';
import { StalledFlag } from '../../sales/stalled-flag.tsx';
import classes from './record-table.module.css';

export interface RecordTableProps {
  object: ObjectDefinition;
  objects: readonly ObjectDefinition[];
  records: ApiRecord[];
  sorting: SortingState;
  onSortingChange(sorting: SortingState): void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): void;
  /** Changes when the filter or sort changes: the list starts again at its top. */
  resetKey: string;
  /** Called after columns were hidden or shown (they are remembered per object). */
  onColumnsChange?: () => void;
  /** The column layout in storage when the page rendered (see useColumnLayout). */
  storedLayout?: string | null;
  /** The hidden columns in storage when the page rendered: followed like storedLayout. */
  storedHidden?: string | null;
  /** Rows come sorted by this field and show under a header per value. */
  groupBy?: FieldDefinition | undefined;
  /** Counts and sums of every matching record per group (`/aggregate`), keyed by group. */
  groupTotals?: Map<string, Totals> | undefined;
  /** The totals row: count, and sum and average of these fields, over every matching record. */
  totals?: { totals: Totals; fields: FieldDefinition[] } | undefined;
  /** The first page is on its way: headers and toolbar show, the body a loading row. */
  isLoading?: boolean;
  /** More bulk actions on the selected rows (e.g. add them to a list), after mass edit; `deselect` drops rows from the selection. */
  selectionActions?: ((ids: string[], deselect: (ids: readonly string[]) => void) => ReactNode) | undefined;
}

const ROW_HEIGHT = 41;
const ROW_STYLE = { height: ROW_HEIGHT };
const RIGHT_ALIGNED = { textAlign: 'right' } as const;
const SELECT_COLUMN = '__select';
/** The pencil's size in record-table.module.css. */
const PENCIL_SIZE = 26;

// What the body needs of a column: its field (none for the selection box) and what its cell shows.
// Cells render from the record straight away: no table cell objects per row and value.
interface BodyColumn {
  field?: FieldDefinition;
  isNumeric?: boolean;
  render(record: ApiRecord, isSelected: boolean, onSelect: (id: string, isSelected: boolean) => void): ReactNode;
}

const bodyColumnOf = (column: Column<ApiRecord>) => column.columnDef.meta as BodyColumn;

// A row renders again only when its record, its selection, its cells' state or the columns change: not on
// every scroll frame, nor when the next page of records arrives (the records already shown keep their objects).
// `rangeLeft`/`rangeRight` are the selected cells' columns in this row (-1: none), `focusCol` the focused
// cell's, `errorCols` the columns whose pasted value was refused (comma-separated), `editingField` the
// field whose editor is open in this row (`renderEditor` draws it around the cell's value).
// A cell is the td and its value: no component of its own, no pencil (the table has one for all cells).
const RecordRow = memo(({ record, index, columns, isSelected, onSelect, rangeLeft, rangeRight, focusCol, errorCols, editable, editingField, renderEditor }: { record: ApiRecord; index: number; columns: readonly BodyColumn[]; isSelected: boolean; onSelect: (id: string, isSelected: boolean) => void; rangeLeft: number; rangeRight: number; focusCol: number; errorCols: string; editable: ReadonlySet<string>; editingField: string | undefined; renderEditor: RenderEditor }) => {
  const refused = errorCols ? errorCols.split(',').map(Number) : [];
  return (
    <tr data-index={index} aria-rowindex={index + 2} data-selected={isSelected || undefined} data-live-changed={useIsChangedByOthers(record.id) || undefined} className={classes.row} style={ROW_STYLE}>
      {columns.map(({ field, isNumeric, render }, position) => {
        // The selection checkbox is no cell of the range: data columns count from 0 after it.
        const col = position - 1;
        const content = render(record, isSelected, onSelect);
        const isEditing = field !== undefined && field.name === editingField;
        return (
          <td
            key={field?.name ?? SELECT_COLUMN}
            className={classes.td}
            style={isNumeric ? RIGHT_ALIGNED : undefined}
            {...(field ? { 'data-col': col, 'data-field': field.name, tabIndex: -1 } : {})}
            data-editable={(field && editable.has(field.name)) || undefined}
            data-editing={isEditing || undefined}
            data-in-range={(field && col >= rangeLeft && col <= rangeRight) || undefined}
            data-focused={(field && col === focusCol) || undefined}
            data-paste-error={refused.includes(col) || undefined}
          >
            {isEditing ? renderEditor(record, field, content) : content}
          </td>
        );
      })}
    </tr>
  );
});

// The header row renders again only when what it shows changes (`version`: sort, sizes, order, visibility,
// the select-all box), not on every scroll frame or page of records; its handlers are stable.
const TableHead = memo(
  ({ table, sensors, onDragEnd, onResize }: { table: Table<ApiRecord>; sensors: SensorDescriptor<SensorOptions>[]; onDragEnd(event: DragEndEvent): void; onResize(id: string, width: number): void; version: string }) => (
    // dnd-kit's live region goes to the body: a <div> has no place in a <table>.
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ container: document.body }}>
      <thead className={classes.head}>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            <SortableContext items={group.headers.map((header) => header.column.id)} strategy={horizontalListSortingStrategy}>
              {group.headers.map((header) => (
                <ColumnHeader key={header.id} header={header} onResize={onResize} />
              ))}
            </SortableContext>
          </tr>
        ))}
      </thead>
    </DndContext>
  ),
  (previous, next) => previous.version === next.version && previous.table === next.table && previous.sensors === next.sensors,
);

// The same function on every render, calling the latest `handler`: for props of memoised parts.
const useStableHandler = <Args extends unknown[]>(handler: (...args: Args) => void) => {
  const latest = useRef(handler);
  latest.current = handler;
  return useCallback((...args: Args) => latest.current(...args), []);
};

type RenderEditor = (record: ApiRecord, field: FieldDefinition, value: ReactNode) => ReactNode;

// Stands for the row's name in a label translated once per table: `fillName` puts the name in its place.
const NAME_SLOT = '\u0000';
const fillName = (template: string, name: string) => template.split(NAME_SLOT).join(name);

const WIDTHS: Partial<Record<ValueKind, number>> = { boolean: 110, number: 140, percent: 120, rating: 130, currency: 160, date: 150, datetime: 190, address: 280, relation: 220, reference: 220, email: 240, url: 220 };
const widthOf = (field: FieldDefinition, isTitle: boolean) => (isTitle ? 260 : (WIDTHS[valueKindOf(field)] ?? 200));

/** The records of an object as a spreadsheet-like table: virtualised rows, sortable headers, more rows on scroll. */
export const RecordTable = ({ object, objects, records, sorting, onSortingChange, hasNextPage, isFetchingNextPage, fetchNextPage, resetKey, onColumnsChange, storedLayout, storedHidden, groupBy, groupTotals, totals, isLoading = false, selectionActions }: RecordTableProps) => {
  const { t } = useTranslation();
  const format = useFormat();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setCollapsed(new Set()), [groupBy?.name]);
  const labels = useLabels();
  const scrollRef = useRef<HTMLDivElement>(null);
  const titleField = titleFieldOf(object);
  const queryClient = useQueryClient();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [isDeleting, setIsDeleting] = useState(false);
  const hiddenByDefault = useMemo(() => longFieldsOf(object).map((field) => field.name), [object]);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(() => parseHiddenColumns(readStored(hiddenColumnsKey(object.name)), hiddenByDefault));
  useEffect(() => setColumnVisibility(parseHiddenColumns(readStored(hiddenColumnsKey(object.name)), hiddenByDefault)), [object.name, storedHidden, hiddenByDefault]);
  useEffect(() => setRowSelection({}), [object.name, resetKey]);
  // Overdue and upcoming tasks of the loaded rows, in one aggregate request per thousand rows.
  const badges = useActivityBadges(object, objects, records);
  // Cells open an editor only where the person may change the object's records.
  const editable = useMemo(() => new Set(canOn(object, 'update') ? formFieldsOf(object).map((field) => field.name) : []), [object]);

  const columns = useMemo<ColumnDef<ApiRecord>[]>(() => {
    const fields = [...tableFieldsOf(object), ...longFieldsOf(object)];
    // Labels that name the row are translated once per column, then given each row's name.
    const titleOf = (record: ApiRecord) => recordTitleOf(object, record) ?? t('fieldValue.untitled');
    const selectRowLabel = t('table.selectRow', { name: NAME_SLOT });
    // The title column comes first and links to the record page.
    const ordered = [...fields.filter((field) => field.name === titleField), ...fields.filter((field) => field.name !== titleField)];
    const select: ColumnDef<ApiRecord> = {
      id: SELECT_COLUMN,
      size: 44,
      enableSorting: false,
      enableHiding: false,
      header: ({ table: current }) => {
        const isSome = current.getIsSomeRowsSelected();
        return (
          <input
            type="checkbox"
            className={classes.check}
            aria-label={t('table.selectAll')}
            checked={current.getIsAllRowsSelected()}
            aria-checked={isSome ? 'mixed' : undefined}
            ref={(input) => {
              if (input) input.indeterminate = isSome;
            }}
            onChange={current.getToggleAllRowsSelectedHandler()}
          />
        );
      },
      meta: {
        render: (record, isSelected, onSelect) => (
          <input type="checkbox" className={classes.check} aria-label={fillName(selectRowLabel, titleOf(record))} checked={isSelected} onChange={(event) => onSelect(record.id, event.target.checked)} />
        ),
      } satisfies BodyColumn,
    };
    return [select, ...ordered.map((field): ColumnDef<ApiRecord> => {
      const fieldLabel = labels.field(object, field);
      return {
        minSize: MIN_COLUMN_WIDTH,
        maxSize: MAX_COLUMN_WIDTH,
        id: field.name,
        accessorFn: (record: ApiRecord) => record[field.name],
        header: fieldLabel,
        enableSorting: isSortable(field),
        size: widthOf(field, field.name === titleField),
        meta: {
          field,
          isNumeric: isNumericKind(valueKindOf(field)),
          // The title is a plain anchor that navigates within the app (app-links.ts).
          render: (record) =>
            field.name === titleField ? (
              <><StalledFlag record={record} /><NextTaskFlag recordId={record.id} /><a href={paths.record(object.name, record.id)} className={classes.titleLink} data-row-link data-app-link>
                {titleOf(record)}
              </a></>
            ) : (
              <FieldValue object={object} field={field} value={record[field.name]} objects={objects} isCompact />
            ),
        } satisfies BodyColumn,
      };
    })];
  }, [object, objects, labels, titleField, t]);

  const dataColumnIds = useMemo(() => columns.slice(1).map((column) => column.id!), [columns]);
  const layout = useColumnLayout({ object: object.name, storedLayout, dataColumnIds, columnVisibility, onChange: onColumnsChange });
  const table = useReactTable({
    data: records,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableMultiSort: false,
    ...layout.tableOptions,
    state: { sorting, rowSelection, columnVisibility, ...layout.tableState },
    enableRowSelection: true,
    onRowSelectionChange: setRowSelection,
    onColumnVisibilityChange: (updater) =>
      setColumnVisibility((previous) => {
        const next = typeof updater === 'function' ? updater(previous) : updater;
        writeStored(hiddenColumnsKey(object.name), JSON.stringify(Object.keys(next).filter((id) => next[id] === false)));
        queueMicrotask(() => onColumnsChange?.());
        return next;
      }),
    onSortingChange: (updater) => onSortingChange(typeof updater === 'function' ? updater(sorting) : updater),
    getRowId: (record) => record.id,
  });
  const visibleColumns = table.getVisibleLeafColumns();
  const bodyColumns = useMemo(() => visibleColumns.map(bodyColumnOf), [visibleColumns]);
  // Through the table, so its rules for selection hold; the same function for every row and render.
  const onSelect = useCallback((id: string, isSelected: boolean) => table.getRow(id).toggleSelected(isSelected), [table]);
  const tableItems = useMemo(() => buildTableItems({ records, groupBy: groupBy?.name, collapsed }), [records, groupBy?.name, collapsed]);
  const toggleGroup = (key: string) =>
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const virtualizer = useVirtualizer({
    count: tableItems.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    // Until the scroller is measured, assume it is as tall as the window: the first render then holds the
    // rows a person sees, not a handful followed by a second render with the rest.
    initialRect: { width: 0, height: typeof window === 'undefined' ? 0 : window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  // Near the end of what is loaded, ask for the next page.
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= tableItems.length - 20) fetchNextPage();
  }, [lastIndex, tableItems.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const totalWidth = table.getTotalSize();

  const visibleFields = useMemo(() => bodyColumns.map((column) => column.field).filter((field): field is FieldDefinition => field !== undefined), [bodyColumns]);
  const users = useUsers();
  const nameOf = useCallback((field: FieldDefinition, value: unknown) => {
    if (field.type === 'owner') {
      const user = users.data?.find((candidate) => candidate.id === value);
      return user ? (user.name || user.email) ?? undefined : typeof value === 'string' ? value : undefined;
    }
    if (field.type === 'reference') {
      // "Person: Ada Lovelace" (the title alone when the field points to one object); unknown titles copy as `person:<id>`.
      const reference = referenceOf(value);
      const target = findObject(objects, reference?.object);
      const record = includedRecordOf(value);
      const title = record ? plainTitleOf(target, record) : undefined;
      if (!reference || !target || !title) return undefined;
      return soleTargetOf(field) ? title : `${labels.objectSingular(target)}: ${title}`;
    }
    if (value && typeof value === 'object') return recordTitleOf(findObject(objects, field.options?.target), value as ApiRecord) ?? undefined;
    return typeof value === 'string' ? value : undefined;
  }, [users.data, objects, labels]);
  const focusCell = ({ row, col }: { row: number; col: number }) => {
    const itemIndex = tableItems.findIndex((entry) => entry.type !== 'group' && entry.index === row);
    if (itemIndex >= 0) virtualizer.scrollToIndex(itemIndex, { align: 'auto' });
    const focus = () => {
      const td = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${row}"] td[data-col="${col}"]`);
      td?.focus({ preventScroll: true });
      td?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      return td;
    };
    // A cell already on screen takes the focus at once, so the next key pressed starts from it; one the
    // virtualiser has yet to render gets it in the next frame.
    if (!focus()) requestAnimationFrame(focus);
  };
  const cells = useCellRange({ object: object.name, records, columns: visibleFields, editable, nameOf, focusCell, resetKey });

  // One cell's editor at a time, opened by the pencil, a double click, or Enter/F2 on the cell.
  const [editing, setEditing] = useState<{ id: string; index: number; field: string } | undefined>();
  useEffect(() => setEditing(undefined), [object.name, resetKey]);
  const editLabelOf = useCallback((record: ApiRecord, field: FieldDefinition) => t('inlineEdit.edit', { field: labels.field(object, field), name: recordTitleOf(object, record) ?? t('fieldValue.untitled') }), [t, labels, object]);
  const editableCellOf = (target: EventTarget | null) => {
    const td = (target as HTMLElement | null)?.closest?.<HTMLElement>('td[data-editable]');
    return td && scrollRef.current?.contains(td) ? td : undefined;
  };
  const cellTarget = (td: HTMLElement) => {
    const index = Number(td.closest('tr')?.dataset.index);
    const record = records[index];
    const field = object.fields.find((candidate) => candidate.name === td.dataset.field);
    return record && field ? { index, record, field } : undefined;
  };
  const openEditor = (td: HTMLElement) => {
    const target = cellTarget(td);
    if (!target) return;
    hidePencil();
    setEditing({ id: target.record.id, index: target.index, field: target.field.name });
  };
  const closeEditor = useCallback(() => {
    setEditing((current) => {
      // Focus goes back to the cell the editor was opened from.
      if (current) requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${current.index}"] td[data-field="${current.field}"]`)?.focus());
      return undefined;
    });
  }, []);
  const renderEditor = useCallback<RenderEditor>(
    (record, field, value) => (
      <InlineEditor object={object} objects={objects} field={field} record={record} editLabel={editLabelOf(record, field)} onClose={closeEditor}>
        {value}
      </InlineEditor>
    ),
    [object, objects, editLabelOf, closeEditor],
  );

  // The pencil: one button, placed by hand (no render) on the editable cell under the mouse or with the focus.
  const pencilRef = useRef<HTMLButtonElement>(null);
  const pencilCell = useRef<HTMLElement | undefined>(undefined);
  const hidePencil = () => {
    pencilCell.current = undefined;
    if (pencilRef.current && !pencilRef.current.hidden) pencilRef.current.hidden = true;
  };
  const showPencil = (td: HTMLElement | undefined) => {
    const pencil = pencilRef.current;
    const target = td && !td.hasAttribute('data-editing') ? cellTarget(td) : undefined;
    if (!pencil || !td || !target) return hidePencil();
    if (pencilCell.current === td && !pencil.hidden) return;
    pencilCell.current = td;
    const label = editLabelOf(target.record, target.field);
    pencil.setAttribute('aria-label', label);
    pencil.title = label;
    const tableElement = td.closest('table')!;
    pencil.style.top = `${tableElement.offsetTop + td.offsetTop + (td.offsetHeight - PENCIL_SIZE) / 2}px`;
    pencil.style.left = `${tableElement.offsetLeft + td.offsetLeft + td.offsetWidth - PENCIL_SIZE - 4}px`;
    pencil.hidden = false;
  };
  const focusedCell = () => editableCellOf(document.activeElement);

  // Up and down arrows move between rows (focus stays on each row's link); in a cell they move the cell.
  // Enter or F2 on a cell opens its editor.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const td = editableCellOf(event.target);
    if (td && event.target === td && (event.key === 'Enter' || event.key === 'F2') && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      openEditor(td);
      return;
    }
    if (cells.onKeyDown(event)) return;
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const target = event.target as HTMLElement;
    const index = Number(target.closest('tr')?.dataset.index);
    if (!Number.isInteger(index)) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(records.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)));
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${next}"] [data-row-link]`)?.focus());
  };

  const keysHintId = useId();

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  const onDragEnd = useStableHandler(layout.onDragEnd);
  const onResize = useStableHandler(layout.resizeColumn);
  const onMoveColumn = useStableHandler(layout.moveColumn);
  const isAllSelected = selectedIds.length > 0 && table.getIsAllRowsSelected();
  // The headers' names are part of what the header row and the columns menu show (another language renames them).
  const columnNames = useMemo(() => columns.map((column) => (typeof column.header === 'string' ? column.header : column.id)), [columns]);
  const headVersion = JSON.stringify([columnNames, sorting, layout.tableState, columnVisibility, isAllSelected, selectedIds.length > 0]);
  const errorColsOf = (row: number) => cells.errors.filter((error) => error.row === row).map((error) => error.col).join(',');
  const deleteSelected = async () => {
    setIsDeleting(true);
    try {
      const deleted = await deleteWithUndo({ object: object.name, ids: selectedIds, t, queryClient });
      setRowSelection((previous) => Object.fromEntries(Object.entries(previous).filter(([id]) => !deleted.includes(id))));
    } finally {
      setIsDeleting(false);
    }
  };

  return (
    <TableBadgesContext.Provider value={badges}>
    <Stack gap="xs">
      <Group justify="space-between" gap="sm" wrap="wrap" mih={30}>
        <Group gap="sm">
          {selectedIds.length > 0 ? (
            <>
              <Text size="sm" fw={600} role="status">
                {t('table.selected', { count: selectedIds.length })}
              </Text>
              {canOn(object, 'update') ? <MassEditButton object={object} objects={objects} records={records.filter((record) => rowSelection[record.id])} /> : null}
              {selectionActions?.(selectedIds, (ids) => setRowSelection((previous) => Object.fromEntries(Object.entries(previous).filter(([id]) => !ids.includes(id)))))}
              {canOn(object, 'delete') ? (
                <Button size="compact-sm" color="red" variant="light" leftSection={<IconTrash size={14} aria-hidden />} loading={isDeleting} onClick={() => void deleteSelected()}>
                  {t('table.deleteSelected', { count: selectedIds.length })}
                </Button>
              ) : null}
              <Button size="compact-sm" variant="subtle" onClick={() => setRowSelection({})}>
                {t('table.clearSelection')}
              </Button>
            </>
          ) : cells.status ? (
            <Text size="sm" c="dimmed">
              {cells.status}
            </Text>
          ) : null}
        </Group>
        <ColumnsMenu table={table} onMove={onMoveColumn} version={JSON.stringify([columnNames, columnVisibility, layout.columnOrder])} />
      </Group>
      <PasteErrors object={object} records={records} columns={visibleFields} errors={cells.errors} message={cells.message} onClose={cells.dismissErrors} />
      <Box
        ref={scrollRef}
        className={classes.scroller}
        onKeyDown={onKeyDown}
        onMouseDown={cells.onMouseDown}
        onDoubleClick={(event) => {
          const td = editableCellOf(event.target);
          if (td && !(event.target as HTMLElement).closest('a, button, input')) openEditor(td);
        }}
        onMouseOver={(event) => {
          if (event.target !== pencilRef.current) showPencil(editableCellOf(event.target));
        }}
        onMouseLeave={() => showPencil(focusedCell())}
        onFocus={(event) => {
          if ((event.target as Element) !== pencilRef.current) showPencil(editableCellOf(event.target));
        }}
        // The pencil scrolls with its cell; it goes when the virtualiser takes the cell's row away.
        onScroll={() => {
          if (pencilCell.current && !pencilCell.current.isConnected) hidePencil();
        }}
        onCopy={cells.onCopy}
        onPaste={cells.onPaste}
        role="region"
        aria-label={labels.objectPlural(object)}
        aria-describedby={keysHintId}
        aria-busy={cells.isPasting || isLoading || undefined}
        data-loading={isLoading || undefined}
        tabIndex={-1}
      >
        <table className={classes.table} style={{ width: totalWidth }} aria-rowcount={records.length + 1}>
          <colgroup>
            {visibleColumns.map((column) => (
              <col key={column.id} style={{ width: column.getSize() }} />
            ))}
          </colgroup>
          <TableHead table={table} sensors={layout.sensors} onDragEnd={onDragEnd} onResize={onResize} version={headVersion} />
          <tbody>
            {isLoading ? (
              <tr>
                <td colSpan={visibleColumns.length} className={classes.loadingCell}>
                  <Loader size="sm" aria-label={t('common.loading')} />
                </td>
              </tr>
            ) : null}
            {paddingTop > 0 ? (
              <tr aria-hidden>
                <td style={{ height: paddingTop }} colSpan={visibleColumns.length} />
              </tr>
            ) : null}
            {items.map((item) => {
              const entry = tableItems[item.index];
              if (!entry) return null;
              if (entry.type === 'group') {
                const groupCount = groupTotals?.get(entry.key)?.count;
                return (
                  <tr key={`group-${entry.key}-${item.index}`} className={classes.groupRow} style={{ height: ROW_HEIGHT }}>
                    <td colSpan={visibleColumns.length} className={classes.groupCell}>
                      <UnstyledButton className={classes.groupButton} aria-expanded={!entry.isCollapsed} onClick={() => toggleGroup(entry.key)}>
                        {entry.isCollapsed ? <IconChevronRight size={16} aria-hidden /> : <IconChevronDown size={16} aria-hidden />}
                        <span className={classes.groupLabel}>
                          {entry.key === NO_GROUP ? (
                            t('savedViews.noValue')
                          ) : relationKindOf(groupBy!) ? (
                            // A related record by its title, as text: a link inside the group's button would nest two controls.
                            (recordTitleOf(findObject(objects, groupBy!.options?.target), entry.record[groupBy!.name] as ApiRecord | null) ?? t('fieldValue.untitled'))
                          ) : (
                            <FieldValue object={object} field={groupBy!} value={entry.record[groupBy!.name]} objects={objects} isCompact />
                          )}
                        </span>
                        {groupCount !== undefined ? (
                          <Badge size="sm" variant="light" color="gray" aria-label={t('table.count', { count: groupCount, formatted: format.number(groupCount) })}>
                            {format.number(groupCount)}
                          </Badge>
                        ) : null}
                      </UnstyledButton>
                    </td>
                  </tr>
                );
              }
              const record = records[entry.index]!;
              const bounds = cells.bounds;
              const isInRange = bounds !== undefined && entry.index >= bounds.top && entry.index <= bounds.bottom;
              return (
                <RecordRow
                  key={record.id}
                  record={record}
                  index={entry.index}
                  columns={bodyColumns}
                  isSelected={rowSelection[record.id] === true}
                  onSelect={onSelect}
                  rangeLeft={isInRange ? bounds.left : -1}
                  rangeRight={isInRange ? bounds.right : -2}
                  focusCol={cells.range?.focus.row === entry.index ? cells.range.focus.col : -1}
                  errorCols={errorColsOf(entry.index)}
                  editable={editable}
                  editingField={editing?.id === record.id ? editing.field : undefined}
                  renderEditor={renderEditor}
                />
              );
            })}
            {paddingBottom > 0 ? (
              <tr aria-hidden>
                <td style={{ height: paddingBottom }} colSpan={visibleColumns.length} />
              </tr>
            ) : null}
          </tbody>
          {totals ? (
            <tfoot className={classes.foot}>
              <tr aria-label={t('savedViews.totals')}>
                {visibleColumns.map((column, index) => {
                  const field = (column.columnDef.meta as { field?: FieldDefinition } | undefined)?.field;
                  const value = field ? totals.totals.values[field.name] : undefined;
                  // The one currency of the amounts, or the default currency they were converted to (currency-totals.ts).
                  const currency = field?.type === 'currency' ? (value?.currency ?? field.options?.defaultCurrency ?? records.map((record) => (record[field.name] as { currency?: string } | null)?.currency).find(Boolean)) : undefined;
                  const converted = value?.isConverted && currency ? ((value.unconverted ?? 0) > 0 ? t('currency.convertedTotalMissing', { currency, count: value.unconverted ?? 0 }) : t('currency.convertedTotal', { currency })) : undefined;
                  const show = (number: number) => (currency ? format.currency(number, currency, field?.options?.precision) : format.number(number));
                  return (
                    <td key={column.id} className={classes.footCell} style={value ? { textAlign: 'right' } : undefined}>
                      {index === 1 ? (
                        <Text size="sm" fw={600} span>
                          {t('savedViews.totalCount', { count: totals.totals.count, formatted: format.number(totals.totals.count) })}
                        </Text>
                      ) : value && value.sum !== null ? (
                        <Stack gap={0}>
                          <Text size="sm" fw={600} span title={converted} aria-label={t('savedViews.sumOf', { field: String(column.columnDef.header), value: show(value.sum) })}>
                            {show(value.sum)}
                          </Text>
                          {value.avg !== null ? (
                            <Text size="xs" c="dimmed" span>
                              {t('savedViews.average', { value: show(value.avg) })}
                            </Text>
                          ) : null}
                        </Stack>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            </tfoot>
          ) : null}
        </table>
        <button
          ref={pencilRef}
          type="button"
          className={classes.editButton}
          hidden
          tabIndex={-1}
          // The focus stays where it was (the cell, or nowhere in the table) until the editor takes it.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            if (pencilCell.current?.isConnected) openEditor(pencilCell.current);
            else hidePencil();
          }}
        />
        <VisuallyHidden id={keysHintId}>{t('table.keysHint')}</VisuallyHidden>
        {isFetchingNextPage ? (
          <Center py="sm">
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        ) : null}
        {!hasNextPage && records.length > 0 ? (
          <Text size="xs" c="dimmed" ta="center" py="xs">
            {t('table.end')}
          </Text>
        ) : null}
      </Box>
    </Stack>
    </TableBadgesContext.Provider>
  );
};
