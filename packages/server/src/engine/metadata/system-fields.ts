import type { SystemField } from '@rapport/common';
import type { Operand } from '../fields/field-type.ts';

/** Columns every record table has, besides the field columns. */
export const SYSTEM_COLUMNS: Record<SystemField, Operand & { sqlType: string }> = {
  id: { column: 'id', kind: 'uuid', sqlType: 'uuid primary key' },
  version: { column: 'version', kind: 'number', sqlType: 'integer not null default 1' },
  createdAt: { column: 'created_at', kind: 'datetime', sqlType: 'timestamptz not null default now()' },
  updatedAt: { column: 'updated_at', kind: 'datetime', sqlType: 'timestamptz not null default now()' },
  deletedAt: { column: 'deleted_at', kind: 'datetime', sqlType: 'timestamptz' },
  createdBy: { column: 'created_by', kind: 'uuid', sqlType: 'uuid' },
  updatedBy: { column: 'updated_by', kind: 'uuid', sqlType: 'uuid' },
};

/** The search tokens of the label and searchable fields, kept by the write path; GIN-indexed (engine/search). */
export const SEARCH_COLUMN = 'search_text';

export const getSystemOperand = (name: string): Operand | undefined =>
  Object.hasOwn(SYSTEM_COLUMNS, name) ? SYSTEM_COLUMNS[name as SystemField] : undefined;
