import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { ImportMapping, SavedImportMapping } from '@rapport/common';

export type { SavedImportMapping } from '@rapport/common';

interface MappingRow {
  id: string;
  name: string;
  object: string;
  mapping: ImportMapping;
  upsert_on: string | null;
  created_at: string;
}

const toMapping = (row: MappingRow): SavedImportMapping => ({ id: row.id, name: row.name, object: row.object, mapping: row.mapping, upsertOn: row.upsert_on, createdAt: row.created_at });

export const listImportMappings = async (db: Db, { workspaceId, object }: { workspaceId: string; object?: string }): Promise<SavedImportMapping[]> => {
  const byObject = object ? sql`and object = ${object}` : sql``;
  const { rows } = await sql<MappingRow>`
    select id, name, object, mapping, upsert_on, created_at from rapport.import_mapping
    where workspace_id = ${workspaceId} ${byObject} order by lower(name), id`.execute(db);
  return rows.map(toMapping);
};

export interface CreateImportMappingOptions {
  workspaceId: string;
  createdBy: string | null;
  name: string;
  object: string;
  mapping: ImportMapping;
  upsertOn: string | null;
}

export const createImportMapping = async (db: Db, options: CreateImportMappingOptions): Promise<SavedImportMapping> => {
  const { rows } = await sql<MappingRow>`
    insert into rapport.import_mapping (id, workspace_id, name, object, mapping, upsert_on, created_by)
    values (${randomUUID()}, ${options.workspaceId}, ${options.name.trim()}, ${options.object}, ${JSON.stringify(options.mapping)}::jsonb, ${options.upsertOn}, ${options.createdBy})
    on conflict do nothing
    returning id, name, object, mapping, upsert_on, created_at`.execute(db);
  if (!rows[0]) {
    throw new AppError('ALREADY_EXISTS', `A mapping named "${options.name.trim()}" already exists for ${options.object}.`, { errors: [{ field: 'name', code: 'unique', message: 'Choose another name.' }] });
  }
  return toMapping(rows[0]);
};

/** Deletes a mapping of one of `objects` (those the caller may import into); any other is not found. */
export const deleteImportMapping = async (db: Db, { workspaceId, id, objects }: { workspaceId: string; id: string; objects: string[] }): Promise<void> => {
  const result = await sql`delete from rapport.import_mapping where workspace_id = ${workspaceId} and id = ${id} and object = any(${objects}::text[])`.execute(db);
  if (result.numAffectedRows === 0n) throw new AppError('IMPORT_MAPPING_NOT_FOUND', `No import mapping with id ${id} in this workspace.`);
};
