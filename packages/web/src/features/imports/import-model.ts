import type { FieldDefinition, ImportFormat, ImportMapping, ImportRun, ObjectDefinition, SavedImportMapping } from '@rapport/common';
import { canOn, findObject, formFieldsOf, relationKindOf } from '../object-record/metadata.ts';

export type { ImportMapping, ImportRun, ImportStatus } from '@rapport/common';

export interface PreviewCellError {
  column: string | null;
  field: string;
  code: string;
  message: string;
}

export interface PreviewRow {
  rowNumber: number;
  /** The row as the file holds it, one cell per header. */
  cells: string[];
  values: Record<string, unknown>;
  errors: PreviewCellError[];
}

/** `POST /imports/preview`. */
export interface ImportPreview {
  format: ImportFormat;
  encoding: string;
  delimiter: string | null;
  headers: string[];
  suggestedMapping: ImportMapping;
  mapping: ImportMapping;
  sampleRows: PreviewRow[];
}

/** A saved mapping (`/import-mappings`). */
export type SavedMapping = SavedImportMapping;

/** Files the wizard takes, and the preview's share of a CSV (the server reads the first rows only). */
export const ACCEPTED_EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx', '.vcf'] as const;
export const PREVIEW_BYTES = 1024 * 1024;
/** The API's limit for one file (`IMPORT_MAX_BYTES`). */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export const isAcceptedFile = (name: string): boolean => ACCEPTED_EXTENSIONS.some((extension) => name.toLowerCase().endsWith(extension));
export const isSpreadsheet = (name: string): boolean => name.toLowerCase().endsWith('.xlsx');

/** The part of the file the preview needs: a text file's first megabyte, a workbook whole (it is a zip). */
export const previewPartOf = (file: Blob & { name: string }): Blob => (isSpreadsheet(file.name) || file.size <= PREVIEW_BYTES ? file : file.slice(0, PREVIEW_BYTES));

/** Objects a person may import into: the role allows import and create. */
export const importableObjects = (objects: readonly ObjectDefinition[]): ObjectDefinition[] =>
  objects.filter((object) => canOn(object, 'import') && canOn(object, 'create'));

const ADDRESS_PARTS = ['street', 'city', 'postalCode', 'region', 'country'] as const;

/** What names the parts of a target in the mapping's list. */
export interface TargetNames {
  field(object: ObjectDefinition, field: FieldDefinition): string;
  addressPart(part: (typeof ADDRESS_PARTS)[number]): string;
}

export interface ImportTarget {
  /** The mapping's value. */
  value: string;
  /** "Company › Name". */
  label: string;
  /** The object's own fields, or the related object's (its field's label). */
  group: string;
  /** The object's field the target fills. */
  field: FieldDefinition;
}

/**
 * Everything a column can fill: the object's fields, an address's parts, and for each many-to-one
 * relation the related object's text-like fields (found by that value, created when missing). A reference is
 * filled from `object:id` cells, as an export writes them ("Related to (record)").
 */
export const targetsOf = (object: ObjectDefinition, objects: readonly ObjectDefinition[], names: TargetNames): ImportTarget[] => {
  const own: ImportTarget[] = [];
  const related: ImportTarget[] = [];
  for (const field of formFieldsOf(object)) {
    const label = names.field(object, field);
    if (field.type === 'address') {
      for (const part of ADDRESS_PARTS) own.push({ value: `${field.name}.${part}`, label: `${label} › ${names.addressPart(part)}`, group: '', field });
      continue;
    }
    own.push({ value: field.name, label, group: '', field });
    if (relationKindOf(field) === 'manyToOne') {
      const target = findObject(objects, field.options?.target);
      if (!target) continue;
      for (const relatedField of formFieldsOf(target)) {
        if (relationKindOf(relatedField) || ['address', 'json', 'richText', 'owner', 'boolean', 'reference'].includes(relatedField.type)) continue;
        related.push({ value: `${field.name}.${relatedField.name}`, label: `${label} › ${names.field(target, relatedField)}`, group: label, field });
      }
    }
  }
  return [...own, ...related];
};

/** How the mapping's list names a target ("Company › Name"); the value itself when the object no longer has it. */
export const targetLabelOf = (targets: readonly ImportTarget[], value: string): string => targets.find((target) => target.value === value)?.label ?? value;

/** Targets used by more than one column. */
export const duplicateTargets = (mapping: ImportMapping): Set<string> => {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const target of Object.values(mapping)) {
    if (!target) continue;
    if (seen.has(target)) twice.add(target);
    seen.add(target);
  }
  return twice;
};

/** The field a target fills on the object: `company.name` fills `company`, `address.city` fills `address`. */
export const fieldOfTarget = (target: string): string => target.split('.')[0] ?? target;

/** Required fields no column fills (a field with a default value fills itself). */
export const missingRequiredFields = (object: ObjectDefinition, mapping: ImportMapping): FieldDefinition[] => {
  const filled = new Set(Object.values(mapping).filter((target): target is string => Boolean(target)).map(fieldOfTarget));
  return formFieldsOf(object).filter((field) => field.required && field.defaultValue === undefined && !filled.has(field.name));
};

export interface MappingProblems {
  duplicates: Set<string>;
  missingRequired: FieldDefinition[];
  /** Nothing is imported: every column is skipped. */
  isEmpty: boolean;
  /** The upsert field is not filled by any column. */
  upsertUnmapped: boolean;
}

export const mappingProblems = (object: ObjectDefinition, mapping: ImportMapping, upsertOn: string | null): MappingProblems => {
  const targets = Object.values(mapping).filter(Boolean);
  return {
    duplicates: duplicateTargets(mapping),
    missingRequired: missingRequiredFields(object, mapping),
    isEmpty: targets.length === 0,
    upsertUnmapped: upsertOn !== null && !targets.includes(upsertOn),
  };
};

export const hasBlockingProblems = (problems: MappingProblems): boolean =>
  problems.duplicates.size > 0 || problems.missingRequired.length > 0 || problems.isEmpty || problems.upsertUnmapped;

/** Fields records can be matched on (the API upserts on a unique field). */
export const upsertFieldsOf = (object: ObjectDefinition): FieldDefinition[] => formFieldsOf(object).filter((field) => field.unique);

const normalise = (header: string) => header.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/**
 * Applies a saved mapping to this file's headers: a column takes the saved target of the column with
 * the same header (exact first, then ignoring case, spaces, dashes and underscores); columns the
 * saved mapping does not know keep their current target. Targets the object no longer has are dropped.
 */
export const applySavedMapping = (headers: readonly string[], current: ImportMapping, saved: ImportMapping, validTargets: ReadonlySet<string>): ImportMapping => {
  const byNormalised = new Map<string, string | null>();
  for (const [header, target] of Object.entries(saved)) if (!byNormalised.has(normalise(header))) byNormalised.set(normalise(header), target);
  const next: ImportMapping = {};
  for (const header of headers) {
    const found = Object.hasOwn(saved, header) ? saved[header] : byNormalised.get(normalise(header));
    if (found === undefined) next[header] = current[header] ?? null;
    else next[header] = found !== null && validTargets.has(found) ? found : null;
  }
  return next;
};

/** How many of a saved mapping's columns this file has: the best match comes first in the list. */
export const savedMappingFit = (headers: readonly string[], saved: ImportMapping): number => {
  const names = new Set(headers.map(normalise));
  return Object.keys(saved).filter((header) => names.has(normalise(header))).length;
};

/**
 * Only the file's own columns, with every column present (null when skipped): what the API is sent. With `known`,
 * targets the wizard does not offer (a suggestion of the server's for a field no column can fill) are skipped too.
 */
export const mappingForFile = (headers: readonly string[], mapping: ImportMapping, known?: ReadonlySet<string>): ImportMapping =>
  Object.fromEntries(headers.map((header) => {
    const target = mapping[header] ?? null;
    return [header, target !== null && known && !known.has(target) ? null : target];
  }));

/** The first values of a column in the preview (non-empty, distinct), for the mapping step. */
export const sampleValuesOf = (rawRows: readonly Record<string, string>[], header: string, count = 3): string[] => {
  const values: string[] = [];
  for (const row of rawRows) {
    const value = (row[header] ?? '').trim();
    if (value && !values.includes(value)) values.push(value);
    if (values.length === count) break;
  }
  return values;
};

/** The preview's columns: the mapped targets in the file's order, once each. */
export const previewColumnsOf = (headers: readonly string[], mapping: ImportMapping): { target: string; column: string }[] => {
  const seen = new Set<string>();
  const columns: { target: string; column: string }[] = [];
  for (const header of headers) {
    const target = mapping[header];
    if (!target || seen.has(target)) continue;
    seen.add(target);
    columns.push({ target, column: header });
  }
  return columns;
};

/**
 * Puts each problem of a preview row on its cell: the problem's field when it is a column of the
 * preview, else the target of its file column, else the row (no cell: shown beside the row).
 */
export const errorsByCell = (row: PreviewRow, mapping: ImportMapping, targets: ReadonlySet<string>): { cells: Map<string, PreviewCellError[]>; rest: PreviewCellError[] } => {
  const cells = new Map<string, PreviewCellError[]>();
  const rest: PreviewCellError[] = [];
  for (const error of row.errors) {
    const byColumn = error.column ? mapping[error.column] : undefined;
    const cell = targets.has(error.field) ? error.field : byColumn && targets.has(byColumn) ? byColumn : targets.has(fieldOfTarget(error.field)) ? fieldOfTarget(error.field) : undefined;
    if (cell) cells.set(cell, [...(cells.get(cell) ?? []), error]);
    else rest.push(error);
  }
  return { cells, rest };
};

/** A preview value at a target: the API gives values by field, or by the target itself (`company.name`). */
export const previewValueAt = (row: PreviewRow, target: string): unknown => {
  if (Object.hasOwn(row.values, target)) return row.values[target];
  const [field, part] = target.split('.');
  const value = field ? row.values[field] : undefined;
  if (part && value && typeof value === 'object' && !Array.isArray(value)) return (value as Record<string, unknown>)[part];
  return part ? undefined : value;
};

export const isFinished = (run: Pick<ImportRun, 'status'>): boolean => run.status === 'completed' || run.status === 'failed';

/** Its undo is queued or running. */
export const isUndoing = (run: Pick<ImportRun, 'undo'>): boolean => run.undo?.status === 'queued' || run.undo?.status === 'running';

/** Processed share of the file in percent, when the total is known. */
export const progressPercent = (run: Pick<ImportRun, 'processed' | 'totalRows' | 'status'>): number | null => {
  if (run.status === 'completed') return 100;
  if (!run.totalRows) return null;
  return Math.min(100, Math.round((run.processed / run.totalRows) * 100));
};

/** Undo is offered for a finished real import that changed something and was not undone. */
export const canUndo = (run: ImportRun): boolean => !run.dryRun && isFinished(run) && run.undo === null && run.created + run.updated > 0;
