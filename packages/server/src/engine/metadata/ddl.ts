import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { mapUniqueIndexError, sharedValuesError } from '../records/db-errors.ts';
import { createSearchIndex } from '../search/search-index.ts';
import { createTypoDictionary } from '../search/search-typos.ts';
import { SEARCH_COLUMN, SYSTEM_COLUMNS, getSystemOperand } from './system-fields.ts';
import type { FieldMeta, IndexDefinition, ObjectMeta } from './types.ts';

// Every statement here builds identifiers from metadata that the validator has already
// restricted to [a-z0-9_]; they are still quoted with sql.id so nothing is ever spliced raw.
const table = (schema: string, name: string) => sql.id(schema, name);

/** The metadata and history tables of a workspace schema. */
export const createWorkspaceStorage = async (db: Db, schema: string): Promise<void> => {
  await sql`create schema ${sql.id(schema)}`.execute(db);
  await sql`
    create table ${table(schema, '_object')} (
      id uuid primary key,
      name text not null,
      table_name text not null unique,
      label_singular text not null,
      label_plural text not null,
      description text,
      icon text,
      label_field text,
      is_standard boolean not null default false,
      validation_rules jsonb not null default '[]',
      indexes jsonb not null default '[]',
      position integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db);
  await sql`create unique index on ${table(schema, '_object')} (name) where deleted_at is null`.execute(db);
  await sql`
    create table ${table(schema, '_field')} (
      id uuid primary key,
      object_id uuid not null references ${table(schema, '_object')}(id) on delete cascade,
      name text not null,
      type text not null,
      label text not null,
      description text,
      help_text text,
      is_required boolean not null default false,
      is_unique boolean not null default false,
      default_value jsonb,
      validation jsonb not null default '[]',
      options jsonb not null default '{}',
      is_searchable boolean not null default false,
      is_standard boolean not null default false,
      column_name text not null,
      storage jsonb not null default '{}',
      position integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db);
  await sql`create unique index on ${table(schema, '_field')} (object_id, name) where deleted_at is null`.execute(db);
  await sql`
    create table ${table(schema, '_history')} (
      id bigserial primary key,
      object_name text not null,
      record_id uuid not null,
      change_type text not null,
      field text,
      old_value jsonb,
      new_value jsonb,
      actor_id uuid,
      occurred_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index on ${table(schema, '_history')} (object_name, record_id, id)`.execute(db);
  await createTypoDictionary(db, schema);
};

export const createObjectTable = async (db: Db, schema: string, tableName: string): Promise<void> => {
  const columns = Object.values(SYSTEM_COLUMNS).map(({ column, sqlType }) => sql`${sql.id(column)} ${sql.raw(sqlType)}`);
  columns.push(sql`${sql.id(SEARCH_COLUMN)} text not null default ''`);
  await sql`create table ${table(schema, tableName)} (${sql.join(columns)})`.execute(db);
  // Partial indexes: live records only, as every query filters `deleted_at is null`.
  await sql`create index ${sql.id(`${tableName}_created_idx`)} on ${table(schema, tableName)} (created_at, id) where deleted_at is null`.execute(db);
  await sql`create index ${sql.id(`${tableName}_updated_idx`)} on ${table(schema, tableName)} (updated_at, id) where deleted_at is null`.execute(db);
  await sql`create index ${sql.id(`${tableName}_trash_idx`)} on ${table(schema, tableName)} (deleted_at, id) where deleted_at is not null`.execute(db);
  await createSearchIndex(db, { schema, table: tableName });
};

const indexName = (tableName: string, column: string, kind: string) => `${tableName}_${column}_${kind}`.slice(0, 63);

export interface AddFieldStorageOptions {
  schema: string;
  object: ObjectMeta;
  field: FieldMeta;
  /** For manyToOne: the target's table. */
  targetTable?: string;
}

export const addFieldStorage = async (db: Db, { schema, object, field, targetTable }: AddFieldStorageOptions): Promise<void> => {
  const target = table(schema, object.table);
  // A unique field's unique index serves its lookups and sorts: a second btree would only slow writes.
  const [uniqueColumn] = field.unique ? uniqueColumns(field) : [];
  for (const spec of getFieldTypeHandler(field.type).columns(field)) {
    await sql`alter table ${target} add column ${sql.id(spec.column)} ${sql.raw(spec.sqlType)}`.execute(db);
    if (spec.index === 'btree' && spec.column !== uniqueColumn) {
      await createPlainIndex(db, { schema, object, column: spec.column });
    } else if (spec.index === 'gin') {
      await sql`create index ${sql.id(indexName(object.table, spec.column, 'gin'))} on ${target} using gin (${sql.id(spec.column)}) where deleted_at is null`.execute(db);
    }
  }
  if (field.type === 'relation' && relationKind(field) === 'manyToOne' && targetTable) {
    const onDelete = field.options?.onDelete === 'cascade' ? sql`cascade` : field.options?.onDelete === 'restrict' ? sql`restrict` : sql`set null`;
    await sql`alter table ${target} add constraint ${sql.id(indexName(object.table, field.column, 'fk'))}
      foreign key (${sql.id(field.column)}) references ${table(schema, targetTable)}(id) on delete ${onDelete}`.execute(db);
  }
  if (field.type === 'owner') {
    await sql`alter table ${target} add constraint ${sql.id(indexName(object.table, field.column, 'fk'))}
      foreign key (${sql.id(field.column)}) references rapport.user(id) on delete set null`.execute(db);
  }
  if (field.unique) await addUniqueIndex(db, { schema, object, field });
};

const uniqueColumns = (field: FieldMeta) => getFieldTypeHandler(field.type).columns(field).slice(0, 1).map((spec) => spec.column);

const createPlainIndex = (db: Db, { schema, object, column }: { schema: string; object: ObjectMeta; column: string }) =>
  sql`create index if not exists ${sql.id(indexName(object.table, column, 'idx'))} on ${table(schema, object.table)} (${sql.id(column)}, id) where deleted_at is null`.execute(db);

/**
 * The unique index of a field, which replaces its plain one. Refused with a 409 naming the field while live
 * records share a value: the caller's transaction then rolls back, leaving nothing half changed.
 */
export const addUniqueIndex = async (db: Db, { schema, object, field }: Omit<AddFieldStorageOptions, 'targetTable'>): Promise<void> => {
  const [column] = uniqueColumns(field);
  if (!column) return;
  const { rows } = await sql<{ shared: number }>`
    select count(*)::int as shared from (select 1 from ${table(schema, object.table)}
      where deleted_at is null and ${sql.id(column)} is not null group by ${sql.id(column)} having count(*) > 1) as duplicates`.execute(db);
  if ((rows[0]?.shared ?? 0) > 0) throw sharedValuesError(object, field, rows[0]!.shared);
  try {
    await sql`create unique index ${sql.id(indexName(object.table, column, 'uniq'))} on ${table(schema, object.table)} (${sql.id(column)}) where deleted_at is null`.execute(db);
  } catch (error) {
    throw mapUniqueIndexError(error, object, field);
  }
  await sql`drop index if exists ${table(schema, indexName(object.table, column, 'idx'))}`.execute(db);
};

/** Drops a field's unique index and gives it back its plain one, if its type has one. */
export const dropUniqueIndex = async (db: Db, { schema, object, field }: Omit<AddFieldStorageOptions, 'targetTable'>): Promise<void> => {
  const [column] = uniqueColumns(field);
  if (!column) return;
  await sql`drop index if exists ${table(schema, indexName(object.table, column, 'uniq'))}`.execute(db);
  const spec = getFieldTypeHandler(field.type).columns(field).find((candidate) => candidate.column === column);
  if (spec?.index === 'btree') await createPlainIndex(db, { schema, object, column });
};

/** The junction table of a manyToMany relation; rows vanish with either side when purged. */
export const createJunctionTable = async (db: Db, options: { schema: string; name: string; sourceTable: string; targetTable: string }): Promise<void> => {
  const { schema, name, sourceTable, targetTable } = options;
  await sql`
    create table ${table(schema, name)} (
      source_id uuid not null references ${table(schema, sourceTable)}(id) on delete cascade,
      target_id uuid not null references ${table(schema, targetTable)}(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (source_id, target_id)
    )`.execute(db);
  await sql`create index ${sql.id(`${name}_target_idx`)} on ${table(schema, name)} (target_id, source_id)`.execute(db);
};

/** Column list of a composite index, resolved from field names and parts (`address.country`). */
export const resolveIndexColumns = (object: ObjectMeta, index: IndexDefinition): string[] =>
  index.fields.map((path) => {
    const [name = '', part] = path.split('.');
    const system = getSystemOperand(name);
    if (system) return system.column;
    const field = object.fieldsByName.get(name);
    const operand = field && getFieldTypeHandler(field.type).operand(field, part);
    if (!operand) throw new Error(`Index on unknown field ${object.name}.${path}`);
    return operand.column;
  });

/** The name of a composite index (PostgreSQL keeps 63 characters of a name). */
export const compositeIndexName = (object: ObjectMeta, index: IndexDefinition): string => `${object.table}_${resolveIndexColumns(object, index).join('_')}_cidx`.slice(0, 63);

/** `isConcurrent` (PostgreSQL, outside a transaction) builds it without blocking writes to a table that has rows. */
export const createCompositeIndex = async (db: Db, options: { schema: string; object: ObjectMeta; index: IndexDefinition; isConcurrent?: boolean }): Promise<void> => {
  const { schema, object, index } = options;
  const columns = resolveIndexColumns(object, index);
  const name = compositeIndexName(object, index);
  await sql`create index ${sql.raw(options.isConcurrent ? 'concurrently ' : '')}if not exists ${sql.id(name)} on ${table(schema, object.table)} (${sql.join([...columns, 'id'].map((c) => sql.id(c)))}) where deleted_at is null`.execute(db);
};
