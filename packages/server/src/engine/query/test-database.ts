import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { SYSTEM_COLUMNS } from '../metadata/system-fields.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';

/**
 * Creates the workspace schema and the tables of its objects by hand (system columns plus the
 * columns each field type declares), and the junction tables of many-to-many relations.
 */
export const createTestTables = async (db: Db, workspace: WorkspaceMeta): Promise<void> => {
  await sql`create schema ${sql.id(workspace.schema)}`.execute(db);
  const junctions = new Set<string>();
  for (const object of workspace.objects.values()) {
    const columns = [
      ...Object.values(SYSTEM_COLUMNS).map(({ column, sqlType }) => sql`${sql.id(column)} ${sql.raw(sqlType)}`),
      ...object.fields.flatMap((field) =>
        getFieldTypeHandler(field.type).columns(field).map((spec) => sql`${sql.id(spec.column)} ${sql.raw(spec.sqlType)}`),
      ),
    ];
    await sql`create table ${sql.id(workspace.schema, object.table)} (${sql.join(columns)})`.execute(db);
    for (const field of object.fields) if (field.junction) junctions.add(field.junction.table);
  }
  for (const junction of junctions) {
    await sql`create table ${sql.id(workspace.schema, junction)} (source_id uuid not null, target_id uuid not null, primary key (source_id, target_id))`.execute(db);
  }
};

/** Inserts rows given as column → value (missing columns take their defaults or null). */
export const insertRows = async (db: Db, options: { workspace: WorkspaceMeta; table: string; rows: Record<string, unknown>[] }): Promise<void> => {
  for (const row of options.rows) {
    const columns = Object.keys(row);
    await sql`insert into ${sql.id(options.workspace.schema, options.table)} (${sql.join(columns.map((column) => sql.id(column)))})
      values (${sql.join(columns.map((column) => sql`${row[column]}`))})`.execute(db);
  }
};
