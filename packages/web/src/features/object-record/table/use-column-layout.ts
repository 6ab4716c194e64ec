import { PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import type { ColumnOrderState, ColumnSizingInfoState, ColumnSizingState, OnChangeFn, VisibilityState } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import { readStored, writeStored } from '../views/view-mode.ts';
import { clampColumnWidth, columnLayoutKey, moveColumn, moveColumnTo, orderColumns, parseColumnLayout, type ColumnLayout } from './table-columns.ts';

const SELECT = '__select';
// One object for every render: useSensors then returns the same sensors, and the memoised header keeps them.
const POINTER = { activationConstraint: { distance: 4 } };
const NOT_RESIZING: ColumnSizingInfoState = { startOffset: null, startSize: null, deltaOffset: null, deltaPercentage: null, isResizingColumn: false, columnSizingStart: [] };

/**
 * The order and widths of a table's columns: the view's (the page writes them on applying it) or the
 * person's own, per object in `localStorage`. A width follows the pointer while a column is resized
 * and is stored when it is let go; the selection column stays first.
 */
export const useColumnLayout = ({ object, storedLayout, dataColumnIds, columnVisibility, onChange }: {
  object: string;
  /** The stored layout as the page last read it: when the page applies a view it changes, and the table follows. */
  storedLayout?: string | null | undefined;
  dataColumnIds: readonly string[];
  columnVisibility: VisibilityState;
  onChange?: (() => void) | undefined;
}) => {
  const [layout, setLayout] = useState(() => parseColumnLayout(readStored(columnLayoutKey(object))));
  // Read again when the object changes or the page stores another layout (a view applied after the table mounted).
  useEffect(() => setLayout(parseColumnLayout(readStored(columnLayoutKey(object)))), [object, storedLayout]);
  const save = (next: ColumnLayout) => {
    setLayout(next);
    writeStored(columnLayoutKey(object), JSON.stringify(next));
    queueMicrotask(() => onChange?.());
  };
  const columnOrder: ColumnOrderState = useMemo(() => [SELECT, ...orderColumns(dataColumnIds, layout.order)], [dataColumnIds, layout.order]);
  const dataOrder = columnOrder.slice(1);
  const [liveSizing, setLiveSizing] = useState<ColumnSizingState | undefined>();
  const [sizingInfo, setSizingInfo] = useState<ColumnSizingInfoState>(NOT_RESIZING);
  const isResizing = Boolean(sizingInfo.isResizingColumn);
  useEffect(() => {
    if (isResizing || !liveSizing) return;
    save({ ...layout, widths: Object.fromEntries(Object.entries(liveSizing).map(([id, width]) => [id, clampColumnWidth(width)])) });
    setLiveSizing(undefined);
  }, [isResizing, liveSizing]);

  const onColumnSizingChange: OnChangeFn<ColumnSizingState> = (updater) => setLiveSizing((previous) => (typeof updater === 'function' ? updater(previous ?? layout.widths) : updater));
  const onColumnOrderChange: OnChangeFn<ColumnOrderState> = (updater) => {
    const next = typeof updater === 'function' ? updater(columnOrder) : updater;
    save({ ...layout, order: next.filter((id) => id !== SELECT) });
  };
  // Pointer only: a key pressed on a header's sort button must sort, not pick the column up (the Columns menu moves columns with the keyboard).
  const sensors = useSensors(useSensor(PointerSensor, POINTER));

  return {
    /** Options of `useReactTable`. */
    tableOptions: {
      enableColumnResizing: true,
      columnResizeMode: 'onChange' as const,
      onColumnSizingChange,
      onColumnOrderChange,
      onColumnSizingInfoChange: setSizingInfo,
    },
    /** Parts of `useReactTable`'s state. */
    tableState: { columnOrder, columnSizing: liveSizing ?? layout.widths, columnSizingInfo: sizingInfo },
    columnOrder,
    sensors,
    resizeColumn: (id: string, width: number) => save({ ...layout, widths: { ...layout.widths, [id]: width } }),
    /** One place left or right among the columns shown (hidden ones are stepped over). */
    moveColumn: (id: string, offset: -1 | 1) => {
      const visible = dataOrder.filter((candidate) => columnVisibility[candidate] !== false);
      const neighbour = visible[visible.indexOf(id) + offset];
      save({ ...layout, order: neighbour ? moveColumnTo(dataOrder, id, neighbour) : moveColumn(dataOrder, id, offset) });
    },
    onDragEnd: ({ active, over }: DragEndEvent) => {
      if (!over || active.id === over.id) return;
      save({ ...layout, order: moveColumnTo(dataOrder, String(active.id), String(over.id)) });
    },
  };
};
