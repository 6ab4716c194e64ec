import type { ExportFormat, Filter } from '@rapport/common';
import { fileNameFromDisposition } from '../../../api/download.ts';

/** The table as the page shows it: what an export of the current view takes. */
export interface ExportView {
  object: string;
  format: ExportFormat;
  /** The table's filter (filter rules and quick search), as sent to the records API. */
  filter: Filter | undefined;
  /** The segment the table shows, if any. */
  segment?: string | undefined;
  /** Sort specs in order, `-` for descending. */
  sort: readonly string[];
  /** Column ids in display order. */
  columnOrder: readonly string[];
  /** Column ids the person hid. */
  hiddenColumns: readonly string[];
}

/** `GET /api/v1/records/{object}/export` for the view: its filter, sort and visible columns in their order. */
export const exportUrlOf = ({ object, format, filter, segment, sort, columnOrder, hiddenColumns }: ExportView): string => {
  const hidden = new Set(hiddenColumns);
  const fields = columnOrder.filter((id) => !hidden.has(id));
  const params = new URLSearchParams({ format });
  if (filter) params.set('filter', JSON.stringify(filter));
  if (segment) params.set('segment', segment);
  if (sort.length > 0) params.set('sort', sort.join(','));
  // A vCard has its own fields (names, emails, phones, organisation, title, address).
  if (fields.length > 0 && format !== 'vcf') params.set('fields', fields.join(','));
  return `/api/v1/records/${encodeURIComponent(object)}/export?${params.toString()}`;
};

/** What the server names the file (`Content-Disposition`), else `<object>-<YYYY-MM-DD>.<format>`. */
export const exportFileName = (contentDisposition: string | null, object: string, format: ExportFormat, today = new Date()): string =>
  fileNameFromDisposition(contentDisposition) ?? `${object}-${today.toISOString().slice(0, 10)}.${format}`;
