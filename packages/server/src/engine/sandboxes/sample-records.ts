import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { SEARCH_COLUMN } from '../metadata/system-fields.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';

export interface CopySampleOptions {
  db: Db;
  source: WorkspaceMeta;
  target: WorkspaceMeta;
  /** Records per object, the most recently changed ones. */
  sampleSize: number;
}

// Copied as they are: ids too, so relations among the copied records hold.
const RECORD_COLUMNS = ['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by', SEARCH_COLUMN];

const isEncrypted = (field: FieldMeta) => field.options?.encrypted === true;
const isManyToOne = (field: FieldMeta) => field.type === 'relation' && (field.options?.kind ?? 'manyToOne') === 'manyToOne';

/** Pairs of (source column, target column) of the fields both objects have with the same type. */
const columnPairs = (from: ObjectMeta, to: ObjectMeta, include: (field: FieldMeta) => boolean): [string, string][] =>
  to.fields.flatMap((field) => {
    const original = from.fieldsByName.get(field.name);
    // Encrypted values are sealed with the production's data key, which the sandbox does not hold: left out.
    if (!original || original.type !== field.type || isEncrypted(field) || isEncrypted(original) || !include(field)) return [];
    const sourceColumns = getFieldTypeHandler(original.type).columns(original);
    const targetColumns = getFieldTypeHandler(field.type).columns(field);
    if (sourceColumns.length !== targetColumns.length) return [];
    return sourceColumns.map((spec, index): [string, string] => [spec.column, targetColumns[index]!.column]);
  });

/**
 * Copies a sample of each object's live records from a production into its new sandbox (raw rows, not through
 * the write path: no events, history or duplicate checks for a copy). Relations to records not copied are emptied;
 * encrypted fields are left empty; many-to-many links between copied records are kept.
 */
export const copySampleRecords = async ({ db, source, target, sampleSize }: CopySampleOptions): Promise<Record<string, number>> => {
  const copied: Record<string, number> = {};
  const pairs = [...target.objects.values()].flatMap((object) => {
    const from = source.objects.get(object.name);
    return from ? [{ from, to: object }] : [];
  });
  const table = (workspace: WorkspaceMeta, object: ObjectMeta) => sql.id(workspace.schema, object.table);
  for (const { from, to } of pairs) {
    const columns = [...RECORD_COLUMNS.map((column): [string, string] => [column, column]), ...columnPairs(from, to, (field) => !isManyToOne(field))];
    const { rows } = await sql<{ n: number }>`
      with inserted as (
        insert into ${table(target, to)} (${sql.join(columns.map(([, column]) => sql.id(column)))})
        select ${sql.join(columns.map(([column]) => sql.id(column)))} from ${table(source, from)}
        where deleted_at is null order by updated_at desc, id limit ${sampleSize}
        returning 1)
      select count(*)::int as n from inserted`.execute(db);
    copied[to.name] = rows[0]?.n ?? 0;
  }
  // Relations once every object's records are in: only to records that were copied too.
  for (const { from, to } of pairs) {
    for (const [sourceColumn, targetColumn] of columnPairs(from, to, isManyToOne)) {
      const field = to.fields.find((candidate) => candidate.column === targetColumn)!;
      const related = target.objects.get(field.options?.target ?? '');
      if (!related) continue;
      await sql`
        update ${table(target, to)} t set ${sql.id(targetColumn)} = s.${sql.id(sourceColumn)}
        from ${table(source, from)} s
        where s.id = t.id and s.${sql.id(sourceColumn)} in (select id from ${table(target, related)})`.execute(db);
    }
    for (const field of to.fields) {
      const original = from.fieldsByName.get(field.name);
      if (field.junction?.selfColumn !== 'source_id' || !original?.junction) continue;
      const related = target.objects.get(field.options?.target ?? '');
      if (!related) continue;
      await sql`
        insert into ${sql.id(target.schema, field.junction.table)} (source_id, target_id)
        select j.source_id, j.target_id from ${sql.id(source.schema, original.junction.table)} j
        where j.source_id in (select id from ${table(target, to)}) and j.target_id in (select id from ${table(target, related)})`.execute(db);
    }
  }
  return copied;
};
