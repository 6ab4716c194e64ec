import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import { isEncryptedField, type FieldKeyring } from '../crypto/field-keys.ts';
import type { Db } from '../db/database.ts';
import { ENCRYPTABLE_TYPES, hasBlindIndex } from '../fields/encrypted-field.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { PermanentJobError, type JobHandler } from '../jobs/index.ts';
import { addFieldStorage } from '../metadata/ddl.ts';
import { findFormulasReading } from '../metadata/field-semantics.ts';
import { loadWorkspaceMeta } from '../metadata/metadata-store.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { sealEncryptedValues, sealFieldValue } from './field-encryption.ts';
import { toApiRecord } from './record-shape.ts';
import { buildSearchEntry, isInSearchText } from './search-text.ts';

export const ENCRYPT_FIELD_JOB = 'metadata.encryptField';

export interface EncryptFieldPayload {
  workspaceId: string;
  fieldId: string;
}

const BATCH = 1000;

/** Why an existing field cannot become encrypted (none: it can). */
export const checkFieldEncryptable = (object: ObjectMeta, field: FieldMeta): FieldError[] => {
  const problem = (path: string, message: string): FieldError[] => [{ field: path, code: 'invalidChoice', message }];
  if (isEncryptedField(field)) return problem('options.encrypted', `${field.name} is already encrypted.`);
  if (!ENCRYPTABLE_TYPES.includes(field.type)) return problem('type', `A ${field.type} field cannot be encrypted; types that can: ${ENCRYPTABLE_TYPES.join(', ')}.`);
  if (field.name === object.labelField) return problem('name', `${field.name} is the title of ${object.name} records: choose another labelField first.`);
  if (field.defaultValue !== undefined && field.defaultValue !== null) return problem('defaultValue', 'Remove the default value first: the metadata holding it is not encrypted.');
  const formulas = findFormulasReading(object, field);
  if (formulas.length > 0) {
    return problem('name', `Formulas read ${field.name} and store their results in plain text: change or delete ${formulas.map((f) => f.name).join(', ')} first.`);
  }
  if (field.unique && !hasBlindIndex({ type: field.type, options: { ...field.options, encrypted: true } })) {
    return problem('unique', 'Only single email and phone fields stay unique when encrypted: make the field not unique first.');
  }
  return [];
};

const withField = (object: ObjectMeta, next: FieldMeta): ObjectMeta => {
  const fields = object.fields.map((field) => (field.id === next.id ? next : field));
  return { ...object, fields, fieldsByName: new Map(fields.map((field) => [field.name, field])) };
};

interface EncryptContext {
  trx: Db;
  workspace: WorkspaceMeta;
  schema: string;
  object: ObjectMeta;
  field: FieldMeta;
  next: FieldMeta;
}

// Each row: the plain value read through the field as it was, sealed through the field as it will be;
// the search text rebuilt without it.
const encryptRows = async ({ trx, workspace, schema, object, field, next }: EncryptContext): Promise<number> => {
  const handler = getFieldTypeHandler(field.type);
  const nextObject = withField(object, next);
  const searched = nextObject.fields.filter((candidate) => isInSearchText(nextObject, candidate));
  const table = sql.id(schema, object.table);
  const columns = handler.columns(next).map((spec) => spec.column);
  let after = '00000000-0000-0000-0000-000000000000';
  let count = 0;
  for (;;) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${table} where id > ${after}::uuid order by id limit ${BATCH}`.execute(trx);
    if (rows.length === 0) return count;
    const updates = rows.map((row) => {
      const sealed = handler.toDb(handler.fromDb(row, field), next, { workspace });
      if (!sealed.ok) throw new PermanentJobError(`Record ${String(row.id)}: ${sealed.error.message}`);
      const search = buildSearchEntry(nextObject, toApiRecord(nextObject, row, searched));
      return { id: row.id, search_text: search.text, ...sealed.values };
    });
    const definition = sql.join([sql`id uuid`, sql`search_text text`, ...columns.map((column) => sql`${sql.id(column)} text`)]);
    const sets = sql.join([sql`search_text = r.search_text`, ...columns.map((column) => sql`${sql.id(column)} = r.${sql.id(column)}`)]);
    await sql`update ${table} as t set ${sets} from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as r(${definition}) where t.id = r.id`.execute(trx);
    after = rows.at(-1)!.id as string;
    count += rows.length;
  }
};

interface SealedRow {
  id: number;
  [key: string]: unknown;
}

const writeSealed = async (trx: Db, table: ReturnType<typeof sql.id>, columns: string[], rows: SealedRow[]) => {
  for (let start = 0; start < rows.length; start += BATCH) {
    const chunk = rows.slice(start, start + BATCH);
    const definition = sql.join([sql`id bigint`, ...columns.map((column) => sql`${sql.id(column)} jsonb`)]);
    const sets = sql.join(columns.map((column) => sql`${sql.id(column)} = r.${sql.id(column)}`));
    await sql`update ${table} as t set ${sets} from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(${definition}) where t.id = r.id`.execute(trx);
  }
};

// Past values in history and in the outbox are sealed like new ones will be.
const sealPast = async ({ trx, schema, object, field, next, workspaceId }: EncryptContext & { workspaceId: string }) => {
  const nextObject = withField(object, next);
  const only = { ...nextObject, fields: [next], fieldsByName: new Map([[next.name, next]]) };
  const { rows: entries } = await sql<{ id: number; field: string | null; old_value: unknown; new_value: unknown }>`
    select id, field, old_value, new_value from ${sql.id(schema, '_history')}
    where object_name = ${object.name} and (field = ${field.name} or (field is null and (jsonb_exists(old_value, ${field.name}) or jsonb_exists(new_value, ${field.name}))))`.execute(trx);
  const sealSnapshot = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? sealEncryptedValues(only, value as Record<string, unknown>) : value);
  await writeSealed(trx, sql.id(schema, '_history'), ['old_value', 'new_value'], entries.map((entry) => ({
    id: entry.id,
    old_value: entry.field === null ? sealSnapshot(entry.old_value) : sealFieldValue(next, entry.old_value),
    new_value: entry.field === null ? sealSnapshot(entry.new_value) : sealFieldValue(next, entry.new_value),
  })));
  const { rows: events } = await sql<{ id: number; payload: Record<string, unknown> }>`
    select id, payload from rapport.event where workspace_id = ${workspaceId} and object = ${object.name} and jsonb_exists(payload, ${field.name})`.execute(trx);
  await writeSealed(trx, sql.id('rapport', 'event'), ['payload'], events.map((event) => ({ id: event.id, payload: sealEncryptedValues(only, event.payload) })));
  return { historyEntries: entries.length, events: events.length };
};

/**
 * Encrypts an existing field in one transaction: new sealed columns (and blind index), every row
 * (trashed ones too), its search text, its history and its outbox events; then the metadata points at
 * the new column and the plain one is dropped. Writes to the object wait meanwhile; reads go on.
 */
export const createEncryptFieldJobHandler = ({ fieldKeys, onMetadataChanged }: { fieldKeys: FieldKeyring; onMetadataChanged: (workspaceId: string) => void }): JobHandler<EncryptFieldPayload> =>
  async ({ job, db }) => {
    const { workspaceId, fieldId } = job.payload;
    const result = await db.transaction().execute(async (trx) => {
      await sql`select 1 from rapport.workspace where id = ${workspaceId} for update`.execute(trx);
      const workspace = await fieldKeys.attach(trx, await loadWorkspaceMeta(trx, workspaceId));
      const object = [...workspace.objects.values()].find((candidate) => candidate.fields.some((f) => f.id === fieldId));
      const field = object?.fields.find((candidate) => candidate.id === fieldId);
      if (!object || !field) throw new PermanentJobError(`The field ${fieldId} no longer exists.`);
      if (isEncryptedField(field)) return { rows: 0, historyEntries: 0, events: 0 };
      const problems = checkFieldEncryptable(object, field);
      if (problems.length > 0) throw new PermanentJobError(problems.map((problem) => problem.message).join(' '));
      await sql`lock table ${sql.id(workspace.schema, object.table)} in exclusive mode`.execute(trx);
      // Two underscores: no column derived from a field name has them.
      const next: FieldMeta = { ...field, options: { ...field.options, encrypted: true }, isSearchable: false, column: `${field.column}__sealed` };
      await fieldKeys.attachField(trx, { workspaceId, field: next });
      await addFieldStorage(trx, { schema: workspace.schema, object, field: next });
      const context = { trx, workspace, schema: workspace.schema, object, field, next };
      const rows = await encryptRows(context);
      const past = await sealPast({ ...context, workspaceId });
      await sql`update ${sql.id(workspace.schema, '_field')} set column_name = ${next.column}, options = ${JSON.stringify(next.options)}, is_searchable = false, updated_at = now()
        where id = ${fieldId}`.execute(trx);
      for (const spec of getFieldTypeHandler(field.type).columns(field)) {
        await sql`alter table ${sql.id(workspace.schema, object.table)} drop column ${sql.id(spec.column)}`.execute(trx);
      }
      await sql`update rapport.workspace set metadata_version = metadata_version + 1, updated_at = now() where id = ${workspaceId}`.execute(trx);
      return { rows, ...past };
    });
    onMetadataChanged(workspaceId);
    return result;
  };
