/** The import API's shapes (FEATURES I1), shared by the server and the web app. */

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_FORMATS = ['csv', 'xlsx', 'vcard'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Column header → mapping target (`email`, `company.name`, `address.city`...) or null to skip the column. */
export type ImportMapping = Record<string, string | null>;

/** An import as the API shows it (`GET /imports/{id}`). */
export interface ImportRun {
  id: string;
  object: string;
  fileName: string;
  format: ImportFormat;
  status: ImportStatus;
  dryRun: boolean;
  upsertOn: string | null;
  mapping: ImportMapping;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  totalRows: number | null;
  error: string | null;
  undo: null | { status: ImportStatus; removed: number; restored: number; conflicts: number; finishedAt: string | null };
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A named column mapping, saved to reuse for files of the same shape (`/import-mappings`). */
export interface SavedImportMapping {
  id: string;
  name: string;
  object: string;
  mapping: ImportMapping;
  upsertOn: string | null;
  createdAt: string;
}
