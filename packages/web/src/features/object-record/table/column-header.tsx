import type { FieldDefinition } from '@rapport/common';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconGripVertical } from '@tabler/icons-react';
import { flexRender, type Header } from '@tanstack/react-table';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../../api/types.ts';
import { isNumericKind, valueKindOf } from '../../field-types/field-kind.ts';
import { clampColumnWidth, MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from './table-columns.ts';
import classes from './record-table.module.css';

const KEYBOARD_STEP = 20;

/**
 * One column header: sorts on click, moves when dragged (the Columns menu moves it with the
 * keyboard) and resizes by its right edge (pointer, or arrows on the focused edge).
 */
export const ColumnHeader = ({ header, onResize }: { header: Header<ApiRecord, unknown>; onResize(id: string, width: number): void }) => {
  const { t } = useTranslation();
  const column = header.column;
  const isData = column.id !== '__select';
  const { listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: column.id, disabled: !isData });
  const direction = column.getIsSorted();
  const field = (column.columnDef.meta as { field?: FieldDefinition } | undefined)?.field;
  const name = String(column.columnDef.header);
  const label = flexRender(column.columnDef.header, header.getContext());
  const width = column.getSize();
  const onResizeKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? KEYBOARD_STEP : event.key === 'ArrowLeft' ? -KEYBOARD_STEP : 0;
    if (step === 0) return;
    event.preventDefault();
    event.stopPropagation();
    onResize(column.id, clampColumnWidth(width + step));
  };
  return (
    <th
      ref={setNodeRef}
      scope="col"
      className={classes.th}
      data-column={column.id}
      data-dragging={isDragging || undefined}
      data-draggable={isData || undefined}
      {...(isData ? listeners : {})}
      style={{
        ...(field && isNumericKind(valueKindOf(field)) ? { textAlign: 'right' } : {}),
        transform: CSS.Translate.toString(transform),
        transition,
      }}
      aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : column.getCanSort() ? 'none' : undefined}
    >
      <span className={classes.headerInner}>
        {isData ? <IconGripVertical size={14} aria-hidden className={classes.dragHint} /> : null}
        {column.getCanSort() ? (
          <UnstyledButton className={classes.sortButton} onClick={column.getToggleSortingHandler()} title={t('table.sortBy', { field: name })}>
            <span className={classes.sortLabel}>{label}</span>
            {direction === 'asc' ? <IconArrowUp size={14} aria-hidden /> : direction === 'desc' ? <IconArrowDown size={14} aria-hidden /> : <IconArrowsSort size={14} aria-hidden className={classes.sortHint} />}
          </UnstyledButton>
        ) : (
          <span className={classes.sortLabel}>{label}</span>
        )}
      </span>
      {isData ? (
        <div
          role="separator"
          aria-orientation="vertical"
          aria-label={t('tableExtras.layout.resizeColumn', { column: name })}
          aria-valuenow={width}
          aria-valuemin={MIN_COLUMN_WIDTH}
          aria-valuemax={MAX_COLUMN_WIDTH}
          tabIndex={0}
          className={classes.resizer}
          data-resizing={column.getIsResizing() || undefined}
          // Resizing is no drag of the column: the header's drag never sees this pointer.
          onPointerDown={(event) => event.stopPropagation()}
          onMouseDown={header.getResizeHandler()}
          onTouchStart={header.getResizeHandler()}
          onDoubleClick={() => column.resetSize()}
          onKeyDown={onResizeKey}
        />
      ) : null}
    </th>
  );
};
