import type { FieldDefinition, FieldType } from '@rapport/common';
import { sql } from 'kysely';
import type { FieldKeyring } from '../crypto/field-keys.ts';
import type { Database, Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { FieldMeta, IndexDefinition, ObjectMeta, WorkspaceMeta } from './types.ts';

interface WorkspaceRow {
  id: string;
  name: string;
  schema_name: string;
  timezone: string;
  default_currency: string;
  metadata_version: number;
}

interface ObjectRow {
  id: string;
  name: string;
  table_name: string;
  label_singular: string;
  label_plural: string;
  description: string | null;
  icon: string | null;
  label_field: string | null;
  is_standard: boolean;
  validation_rules: ObjectMeta['validationRules'];
  indexes: IndexDefinition[];
  position: number;
}

interface FieldRow {
  id: string;
  object_id: string;
  name: string;
  type: FieldType;
  label: string;
  description: string | null;
  help_text: string | null;
  is_required: boolean;
  is_unique: boolean;
  default_value: unknown;
  validation: FieldDefinition['validation'];
  options: FieldDefinition['options'];
  is_searchable: boolean;
  is_standard: boolean;
  column_name: string;
  storage: { junction?: FieldMeta['junction'] };
  position: number;
}

const toFieldMeta = (row: FieldRow, objectName: string): FieldMeta => {
  const isVirtual = row.type === 'relation' && row.options?.kind !== undefined && row.options.kind !== 'manyToOne';
  return {
    id: row.id,
    objectName,
    name: row.name,
    type: row.type,
    label: row.label,
    ...(row.description ? { description: row.description } : {}),
    ...(row.help_text ? { helpText: row.help_text } : {}),
    required: row.is_required,
    unique: row.is_unique,
    ...(row.default_value !== null && row.default_value !== undefined ? { defaultValue: row.default_value } : {}),
    validation: row.validation ?? [],
    options: row.options ?? {},
    isSearchable: row.is_searchable,
    isStandard: row.is_standard,
    isReadOnly: row.type === 'formula' || (isVirtual && row.options?.kind === 'oneToMany'),
    column: row.column_name,
    ...(row.storage?.junction ? { junction: row.storage.junction } : {}),
    position: row.position,
  };
};

export const buildObjectMeta = (row: ObjectRow, fields: FieldMeta[]): ObjectMeta => {
  const sorted = [...fields].sort((a, b) => a.position - b.position);
  return {
    id: row.id,
    name: row.name,
    table: row.table_name,
    labelSingular: row.label_singular,
    labelPlural: row.label_plural,
    ...(row.description ? { description: row.description } : {}),
    ...(row.icon ? { icon: row.icon } : {}),
    // Without a chosen title: `name`, else the first field; never an encrypted one (see assertTitleNotEncrypted).
    labelField: row.label_field ?? (sorted.find((f) => f.name === 'name' && f.options?.encrypted !== true) ?? sorted.find((f) => f.options?.encrypted !== true))?.name ?? 'id',
    isStandard: row.is_standard,
    validationRules: row.validation_rules ?? [],
    indexes: row.indexes ?? [],
    position: row.position,
    fields: sorted,
    fieldsByName: new Map(sorted.map((field) => [field.name, field])),
  };
};

export const findWorkspaceRow = async (db: Db, id: string): Promise<WorkspaceRow | undefined> => {
  const { rows } = await sql<WorkspaceRow>`select id, name, schema_name, timezone, default_currency, metadata_version from rapport.workspace where id = ${id}`.execute(db);
  return rows[0];
};

/** Reads a workspace's live metadata (deleted objects and fields, and relations to deleted objects, left out). */
export const loadWorkspaceMeta = async (db: Db, workspaceId: string): Promise<WorkspaceMeta> => {
  const workspace = await findWorkspaceRow(db, workspaceId);
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', `No workspace with id ${workspaceId}.`);
  const schema = workspace.schema_name;
  const { rows: objectRows } = await sql<ObjectRow>`
    select * from ${sql.id(schema, '_object')} where deleted_at is null order by position, name`.execute(db);
  const { rows: fieldRows } = await sql<FieldRow>`
    select * from ${sql.id(schema, '_field')} where deleted_at is null order by position, name`.execute(db);
  const liveNames = new Set(objectRows.map((row) => row.name));
  const objects = new Map<string, ObjectMeta>();
  for (const row of objectRows) {
    const fields = fieldRows
      .filter((field) => field.object_id === row.id)
      .filter((field) => field.type !== 'relation' || liveNames.has(field.options?.target ?? ''))
      .map((field) => toFieldMeta(field, row.name));
    objects.set(row.name, buildObjectMeta(row, fields));
  }
  return {
    id: workspace.id,
    name: workspace.name,
    schema,
    timezone: workspace.timezone,
    defaultCurrency: workspace.default_currency,
    version: workspace.metadata_version,
    objects,
  };
};

/** Servers on the same PostgreSQL LISTEN here (app.ts) and drop the named workspace's cached metadata. */
export const METADATA_CHANNEL = 'rapport_metadata';

/** Tells the other servers on the same PostgreSQL that a workspace's metadata changed (nothing to tell on PGlite). */
export const announceMetadataChange = async (database: Pick<Database, 'db' | 'engine'>, workspaceId: string): Promise<void> => {
  if (database.engine === 'postgres') await sql`select pg_notify(${METADATA_CHANNEL}, ${workspaceId})`.execute(database.db);
};

/** Metadata is read on every request: cache it per workspace, dropped when its version moves. */
export class MetadataCache {
  private readonly cache = new Map<string, Promise<WorkspaceMeta>>();

  /** `fieldKeys` gives encrypted fields their ciphers; without it their values cannot be read or written. */
  constructor(private readonly db: Db, readonly fieldKeys?: FieldKeyring) {}

  get(workspaceId: string): Promise<WorkspaceMeta> {
    let entry = this.cache.get(workspaceId);
    if (!entry) {
      const { fieldKeys } = this;
      entry = loadWorkspaceMeta(this.db, workspaceId).then((meta) => (fieldKeys ? fieldKeys.attach(this.db, meta) : meta));
      entry.catch(() => this.cache.delete(workspaceId));
      this.cache.set(workspaceId, entry);
    }
    return entry;
  }

  invalidate(workspaceId?: string): void {
    if (workspaceId) this.cache.delete(workspaceId);
    else this.cache.clear();
  }

  /** Drops entries whose version is behind the database (another server changed them). */
  async refreshStale(): Promise<void> {
    if (this.cache.size === 0) return;
    const { rows } = await sql<{ id: string; metadata_version: number }>`select id, metadata_version from rapport.workspace`.execute(this.db);
    for (const row of rows) {
      const entry = this.cache.get(row.id);
      if (!entry) continue;
      const meta = await entry.catch(() => undefined);
      if (!meta || meta.version !== row.metadata_version) this.cache.delete(row.id);
    }
  }
}
