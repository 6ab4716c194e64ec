import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { RETENTION_DAYS } from './metadata.service.ts';
import type { FieldMeta } from './types.ts';

interface PurgeResult {
  records: number;
  fields: number;
  objects: number;
}

/**
 * Drops what has been deleted for longer than the retention period, in every workspace:
 * trashed records, deleted fields (their columns) and deleted objects (their tables).
 */
export const purgeExpired = async (db: Db, now = new Date()): Promise<PurgeResult> => {
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000).toISOString();
  const result: PurgeResult = { records: 0, fields: 0, objects: 0 };
  const { rows: workspaces } = await sql<{ id: string; schema_name: string }>`select id, schema_name from rapport.workspace`.execute(db);
  for (const { schema_name: schema } of workspaces) {
    await db.transaction().execute(async (trx) => {
      const { rows: objects } = await sql<{ id: string; table_name: string; deleted_at: string | null }>`
        select id, table_name, deleted_at from ${sql.id(schema, '_object')}`.execute(trx);
      for (const object of objects) {
        if (object.deleted_at && object.deleted_at < cutoff) {
          await sql`drop table if exists ${sql.id(schema, object.table_name)} cascade`.execute(trx);
          await sql`delete from ${sql.id(schema, '_object')} where id = ${object.id}`.execute(trx);
          result.objects++;
          continue;
        }
        if (object.deleted_at) continue;
        const deleted = await sql<{ count: number }>`
          with gone as (delete from ${sql.id(schema, object.table_name)} where deleted_at < ${cutoff} returning 1) select count(*)::int as count from gone`.execute(trx);
        result.records += deleted.rows[0]?.count ?? 0;
        const { rows: fields } = await sql<{ id: string; type: FieldMeta['type']; column_name: string; options: FieldMeta['options']; storage: { junction?: FieldMeta['junction'] } }>`
          select id, type, column_name, options, storage from ${sql.id(schema, '_field')} where object_id = ${object.id} and deleted_at < ${cutoff}`.execute(trx);
        for (const field of fields) {
          const meta = { type: field.type, column: field.column_name, options: field.options } as FieldMeta;
          for (const spec of getFieldTypeHandler(field.type).columns(meta)) {
            await sql`alter table ${sql.id(schema, object.table_name)} drop column if exists ${sql.id(spec.column)}`.execute(trx);
          }
          if (field.storage?.junction) await sql`drop table if exists ${sql.id(schema, field.storage.junction.table)}`.execute(trx);
          await sql`delete from ${sql.id(schema, '_field')} where id = ${field.id}`.execute(trx);
          result.fields++;
        }
      }
    });
  }
  return result;
};
