import type { FieldDefinition } from '@rapport/common';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ClipboardEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useObjects } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { applyLookups, boundsOf, cellText, moveFocus, parseTsv, planPaste, toTsv, type CellPoint, type CellRange, type PasteCellError, type PastePlan } from './cell-range.ts';
import { useLabels } from '../labels.ts';
import { objectResolverOf } from './paste-values.ts';
import { savePaste } from './paste-cells.tsx';
import { resolvePasteLookups } from './paste-lookups.ts';

const ARROWS: Record<string, CellPoint> = { ArrowUp: { row: -1, col: 0 }, ArrowDown: { row: 1, col: 0 }, ArrowLeft: { row: 0, col: -1 }, ArrowRight: { row: 0, col: 1 } };

const cellOf = (element: EventTarget | null): (CellPoint & { td: HTMLElement }) | undefined => {
  const td = (element as HTMLElement | null)?.closest?.<HTMLElement>('td[data-col]');
  const row = Number(td?.closest('tr')?.dataset.index);
  const col = Number(td?.dataset.col);
  return td && Number.isInteger(row) && Number.isInteger(col) ? { row, col, td } : undefined;
};

export interface CellRangeOptions {
  object: string;
  records: readonly ApiRecord[];
  /** The visible data columns, in order (the selection column aside). */
  columns: readonly FieldDefinition[];
  editable: ReadonlySet<string>;
  /** The text a relation or owner value copies as. */
  nameOf(field: FieldDefinition, value: unknown): string | undefined;
  /** Scrolls the cell into view and focuses it. */
  focusCell(point: CellPoint): void;
  /** Changes when the rows start again (filter, sort): the selection goes. */
  resetKey: string;
}

/**
 * A spreadsheet's range of cells: click, Shift+click and (Shift+)arrows select; Ctrl/Cmd+C copies
 * it as tab-separated text; Ctrl/Cmd+V pastes a block from the focused range's top-left cell,
 * checked per field type (owners and related records named in it are looked up first), saved in one
 * batch request, with Undo and the refused cells marked.
 */
export const useCellRange = ({ object, records, columns, editable, nameOf, focusCell, resetKey }: CellRangeOptions) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const objects = useObjects().data;
  const labels = useLabels();
  const [range, setRange] = useState<CellRange | undefined>();
  const [errors, setErrors] = useState<PasteCellError[]>([]);
  const [message, setMessage] = useState<string | undefined>();
  const [status, setStatus] = useState<string>('');
  const [isPasting, setIsPasting] = useState(false);
  useEffect(() => {
    setRange(undefined);
    setErrors([]);
    setMessage(undefined);
  }, [resetKey, object]);

  const select = (next: CellRange) => {
    setRange(next);
    const bounds = boundsOf(next);
    const rows = bounds.bottom - bounds.top + 1;
    const cols = bounds.right - bounds.left + 1;
    setStatus(rows * cols > 1 ? t('tableExtras.range.selected', { rows, cols }) : '');
  };

  const onMouseDown = (event: MouseEvent<HTMLElement>) => {
    const cell = cellOf(event.target);
    if (!cell || event.button !== 0) return;
    // Links, the edit pencil and checkboxes keep their own clicks (a Shift+click extends the range anyway).
    if (!event.shiftKey && (event.target as HTMLElement).closest('a, button, input, [role="checkbox"]')) return;
    const point = { row: cell.row, col: cell.col };
    if (event.shiftKey && range) {
      event.preventDefault();
      select({ anchor: range.anchor, focus: point });
    } else select({ anchor: point, focus: point });
    cell.td.focus({ preventScroll: true });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): boolean => {
    const cell = cellOf(event.target);
    if (!cell) return false;
    const delta = ARROWS[event.key];
    // From a link or button in a cell (the row's title link), left and right arrows and Shift+arrows
    // step into the cells; plain up and down keep moving between the rows' links.
    const isInCell = (event.target as HTMLElement).tagName !== 'TD';
    if (isInCell && !(delta && (event.shiftKey || delta.col !== 0))) return false;
    if (delta) {
      event.preventDefault();
      const here = { row: cell.row, col: cell.col };
      // Arrows go from the focused cell; a range left elsewhere (focus moved by Tab or a click on a link) starts again here.
      const current = range && range.focus.row === here.row && range.focus.col === here.col ? range : { anchor: here, focus: here };
      const next = moveFocus(current, { rows: records.length, cols: columns.length, extend: event.shiftKey }, delta);
      select(next);
      focusCell(next.focus);
      return true;
    }
    if (event.key === 'Escape' && range) {
      setRange(undefined);
      setStatus('');
      return true;
    }
    return false;
  };

  const isRangeFocused = (event: ClipboardEvent<HTMLElement>) => Boolean(range && cellOf(event.target) && (event.target as HTMLElement).tagName === 'TD');

  const onCopy = (event: ClipboardEvent<HTMLElement>) => {
    if (!range || !isRangeFocused(event)) return;
    const bounds = boundsOf(range);
    const grid: string[][] = [];
    for (let row = bounds.top; row <= Math.min(bounds.bottom, records.length - 1); row += 1) {
      const record = records[row]!;
      const line: string[] = [];
      for (let col = bounds.left; col <= bounds.right; col += 1) {
        const field = columns[col];
        line.push(field ? cellText(field, record[field.name], nameOf) : '');
      }
      grid.push(line);
    }
    event.clipboardData.setData('text/plain', toTsv(grid));
    event.preventDefault();
    setStatus(t('tableExtras.range.copied', { count: grid.length * (bounds.right - bounds.left + 1) }));
  };

  const onPaste = (event: ClipboardEvent<HTMLElement>) => {
    if (!range || !isRangeFocused(event) || isPasting) return;
    const grid = parseTsv(event.clipboardData.getData('text/plain'));
    event.preventDefault();
    if (grid.length === 0) return;
    // A pasted reference names its object by label (as copied, in the interface language) or API name.
    const objectNamed = objectResolverOf(objects ?? [], (candidate) => [labels.objectSingular(candidate), labels.objectPlural(candidate)]);
    const planned = planPaste({ grid, range, records: records.map((record) => ({ id: record.id, version: record.version, values: record })), columns, editable, objectNamed });
    setMessage(undefined);
    setErrors([]);
    if (planned.lookups.length === 0) {
      save(planned);
      return;
    }
    // Names of owners and related records become ids first; every cell's problem is then listed at once.
    setIsPasting(true);
    setStatus(t('tableExtras.range.matching'));
    resolvePasteLookups({ lookups: planned.lookups.map((pending) => pending.lookup), objects: objects ?? [] })
      .then((results) => save(applyLookups(planned, results)), (error: unknown) => {
        setMessage(problemMessage(t, error));
        setStatus('');
        setIsPasting(false);
      });
  };

  const save = (plan: PastePlan) => {
    if (plan.errors.length > 0 || plan.updates.length === 0) {
      setErrors(plan.errors);
      setStatus('');
      setIsPasting(false);
      return;
    }
    setIsPasting(true);
    setStatus(t('tableExtras.range.pasting'));
    void savePaste({ object, plan, columns, t, language: i18n.language, queryClient })
      .then((outcome) => {
        if (outcome.isSaved) {
          select({ anchor: { row: plan.bounds.top, col: plan.bounds.left }, focus: { row: plan.bounds.bottom, col: plan.bounds.right } });
          setStatus(t('tableExtras.range.pasted', { count: outcome.count }));
        } else {
          setErrors(outcome.errors);
          setMessage(outcome.message);
          setStatus('');
        }
      })
      .finally(() => setIsPasting(false));
  };

  const dismissErrors = () => {
    setErrors([]);
    setMessage(undefined);
  };

  return { range, bounds: range ? boundsOf(range) : undefined, errors, message, status, isPasting, onMouseDown, onKeyDown, onCopy, onPaste, dismissErrors };
};
