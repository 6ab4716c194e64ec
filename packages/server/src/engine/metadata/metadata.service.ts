import { randomUUID } from 'node:crypto';
import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { addFieldStorage, addUniqueIndex, createCompositeIndex, createJunctionTable, createObjectTable, dropUniqueIndex } from './ddl.ts';
import { assertTitleNotEncrypted, checkFieldSemantics, checkObjectSemantics } from './field-semantics.ts';
import { loadWorkspaceMeta } from './metadata-store.ts';
import { pickColumnName, toSnakeCase } from './naming.ts';
import { SEARCH_COLUMN, SYSTEM_COLUMNS } from './system-fields.ts';
import type { FieldMeta, IndexDefinition, ObjectMeta, WorkspaceMeta } from './types.ts';
import { assertValid, checkApiName, checkFieldDefinition, checkObjectDefinition } from './validate-definition.ts';

/** How long a deleted field or object can be restored before the purge job drops its data. */
export const RETENTION_DAYS = 30;

const q = (schema: string, table: string) => sql.id(schema, table);

const bumpVersion = (db: Db, workspaceId: string) =>
  sql`update rapport.workspace set metadata_version = metadata_version + 1, updated_at = now() where id = ${workspaceId}`.execute(db);

const getObject = (workspace: WorkspaceMeta, name: string): ObjectMeta => {
  const object = workspace.objects.get(name);
  if (!object) throw new AppError('OBJECT_NOT_FOUND', `There is no object "${name}" in this workspace.`);
  return object;
};

const getField = (object: ObjectMeta, name: string): FieldMeta => {
  const field = object.fieldsByName.get(name);
  if (!field) throw new AppError('FIELD_NOT_FOUND', `Object "${object.name}" has no field "${name}".`);
  return field;
};

const takenColumns = async (db: Db, schema: string, object: ObjectMeta): Promise<Set<string>> => {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns where table_schema = ${schema} and table_name = ${object.table}
    union select column_name from ${q(schema, '_field')} where object_id = ${object.id}`.execute(db);
  return new Set([...rows.map((row) => row.column_name), ...Object.values(SYSTEM_COLUMNS).map((c) => c.column), SEARCH_COLUMN]);
};

interface InsertFieldOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  definition: FieldDefinition;
  isStandard: boolean;
}

/** Adds a field (and for relations, its inverse and storage) inside the caller's transaction. */
const insertField = async (trx: Db, { workspace, object, definition, isStandard }: InsertFieldOptions): Promise<void> => {
  if (object.fieldsByName.has(definition.name)) throw new AppError('ALREADY_EXISTS', `Object "${object.name}" already has a field "${definition.name}".`);
  const kind = definition.type === 'relation' ? (definition.options?.kind ?? 'manyToOne') : undefined;
  const target = kind ? workspace.objects.get(definition.options?.target ?? '') : undefined;
  if (kind && !target) {
    throw new AppError('INVALID_METADATA', `Relation target "${definition.options?.target}" does not exist.`, {
      errors: [{ field: 'options.target', code: 'relationNotFound', message: `No object "${definition.options?.target}".` }],
    });
  }
  const inverseName = definition.options?.inverseName ?? (kind ? `${object.name}${kind === 'manyToOne' ? 'List' : 'Links'}` : undefined);
  if (target && inverseName && (target.fieldsByName.has(inverseName) || (target.name === object.name && inverseName === definition.name))) {
    throw new AppError('ALREADY_EXISTS', `Object "${target.name}" already has a field "${inverseName}" (the relation's inverse); choose options.inverseName.`, {
      errors: [{ field: 'options.inverseName', code: 'unique', message: `"${inverseName}" is taken on ${target.name}.` }],
    });
  }
  const taken = await takenColumns(trx, workspace.schema, object);
  const column = kind === 'manyToMany' ? '' : pickColumnName(definition.name, taken, kind === 'manyToOne' ? '_id' : '');
  const options = kind ? { ...definition.options, kind, inverseName } : (definition.options ?? {});
  const position = definition.position ?? object.fields.length;
  const field: FieldMeta = { ...definition, options, id: randomUUID(), objectName: object.name, column, position };
  checkFieldSemantics({ workspace, object, field });

  let junction: FieldMeta['junction'];
  if (kind === 'manyToMany' && target) {
    const name = `_j_${object.table}_${toSnakeCase(definition.name)}`.slice(0, 60);
    await createJunctionTable(trx, { schema: workspace.schema, name, sourceTable: object.table, targetTable: target.table });
    junction = { table: name, selfColumn: 'source_id', otherColumn: 'target_id' };
  }
  await insertFieldRow(trx, workspace.schema, object.id, { ...field, ...(junction ? { junction } : {}) }, isStandard);
  await addFieldStorage(trx, { schema: workspace.schema, object, field, ...(target ? { targetTable: target.table } : {}) });

  if (target && inverseName && kind) {
    const inverse: FieldMeta = {
      id: randomUUID(),
      objectName: target.name,
      name: inverseName,
      type: 'relation',
      label: definition.options?.inverseLabel ?? object.labelPlural,
      options: { target: object.name, kind: kind === 'manyToOne' ? 'oneToMany' : 'manyToMany', inverseName: definition.name },
      column: '',
      position: target.fields.length,
      ...(junction ? { junction: { table: junction.table, selfColumn: junction.otherColumn, otherColumn: junction.selfColumn } } : {}),
    };
    await insertFieldRow(trx, workspace.schema, target.id, inverse, isStandard);
  }
};

const insertFieldRow = async (trx: Db, schema: string, objectId: string, field: FieldMeta, isStandard: boolean) => {
  await sql`
    insert into ${q(schema, '_field')} (id, object_id, name, type, label, description, help_text, is_required, is_unique,
      default_value, validation, options, is_searchable, is_standard, column_name, storage, position)
    values (${field.id}, ${objectId}, ${field.name}, ${field.type}, ${field.label}, ${field.description ?? null}, ${field.helpText ?? null},
      ${field.required ?? false}, ${field.unique ?? false}, ${field.defaultValue === undefined ? null : JSON.stringify(field.defaultValue)},
      ${JSON.stringify(field.validation ?? [])}, ${JSON.stringify(field.options ?? {})}, ${field.isSearchable ?? false}, ${isStandard},
      ${field.column}, ${JSON.stringify(field.junction ? { junction: field.junction } : {})}, ${field.position})`.execute(trx);
};

export interface MetadataChange {
  db: Db;
  workspaceId: string;
  /** Called after commit so caches drop the old metadata. */
  onChanged?: (workspaceId: string) => void;
}

const change = async <T>({ db, workspaceId, onChanged }: MetadataChange, run: (trx: Db, workspace: WorkspaceMeta) => Promise<T>): Promise<T> => {
  const inTransaction = async (trx: Db) => {
    // One metadata change at a time per workspace, across servers.
    await sql`select 1 from rapport.workspace where id = ${workspaceId} for update`.execute(trx);
    const workspace = await loadWorkspaceMeta(trx, workspaceId);
    const value = await run(trx, workspace);
    await bumpVersion(trx, workspaceId);
    return value;
  };
  // Given a transaction (a configuration deployment), the change is one step of it: all commit or none.
  const result = await (db.isTransaction ? inTransaction(db) : db.transaction().execute(inTransaction));
  onChanged?.(workspaceId);
  return result;
};

export interface CreateObjectOptions extends MetadataChange {
  definition: unknown;
  isStandard?: boolean;
  indexes?: IndexDefinition[];
}

export const createObject = (options: CreateObjectOptions): Promise<void> =>
  change(options, async (trx, workspace) => {
    assertValid(checkObjectDefinition(options.definition));
    // Fields are optional: an object can start empty and get its fields one by one.
    const definition = { ...(options.definition as ObjectDefinition), fields: (options.definition as Partial<ObjectDefinition>).fields ?? [] };
    if (workspace.objects.has(definition.name)) throw new AppError('ALREADY_EXISTS', `An object "${definition.name}" already exists.`);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${q(workspace.schema, '_object')} where table_name = ${toSnakeCase(definition.name)}`.execute(trx);
    const table = rows[0]?.n ? `${toSnakeCase(definition.name)}_${randomUUID().slice(0, 4)}` : toSnakeCase(definition.name);
    const id = randomUUID();
    await sql`
      insert into ${q(workspace.schema, '_object')} (id, name, table_name, label_singular, label_plural, description, icon, label_field,
        is_standard, validation_rules, indexes, position)
      values (${id}, ${definition.name}, ${table}, ${definition.labelSingular}, ${definition.labelPlural}, ${definition.description ?? null},
        ${definition.icon ?? null}, ${definition.labelField ?? null}, ${options.isStandard ?? false},
        ${JSON.stringify(definition.validationRules ?? [])}, ${JSON.stringify(options.indexes ?? [])}, ${workspace.objects.size})`.execute(trx);
    await createObjectTable(trx, workspace.schema, table);
    let current = await loadWorkspaceMeta(trx, workspace.id);
    for (const [position, field] of definition.fields.entries()) {
      const object = getObject(current, definition.name);
      await insertField(trx, { workspace: current, object, definition: { ...field, position }, isStandard: options.isStandard ?? false });
      current = await loadWorkspaceMeta(trx, workspace.id);
    }
    const object = getObject(current, definition.name);
    if (definition.labelField && !object.fieldsByName.has(definition.labelField)) {
      throw new AppError('INVALID_METADATA', `labelField "${definition.labelField}" is not a field of ${definition.name}.`, {
        errors: [{ field: 'labelField', code: 'unknownField', message: 'Not a field of this object.' }],
      });
    }
    const title = object.fieldsByName.get(object.labelField);
    if (title) assertTitleNotEncrypted(object, title);
    checkObjectSemantics(object);
    for (const index of options.indexes ?? []) await createCompositeIndex(trx, { schema: workspace.schema, object, index });
  });

const OBJECT_PATCH_KEYS = ['name', 'labelSingular', 'labelPlural', 'description', 'icon', 'labelField', 'validationRules'];

export const updateObject = (options: MetadataChange & { objectName: string; patch: Record<string, unknown> }): Promise<void> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    const { patch } = options;
    const unknown = Object.keys(patch).filter((key) => !OBJECT_PATCH_KEYS.includes(key));
    if (unknown.length > 0) {
      assertValid(unknown.map((key) => ({ field: key, code: 'unknownField', message: key === 'fields' ? 'Change fields through /fields.' : `Unknown property "${key}".` })));
    }
    const { isStandard: _standard, ...current } = objectDefinitionOf(object);
    const merged = { ...current, ...patch, fields: [] };
    assertValid(checkObjectDefinition(merged));
    if (patch.name !== undefined && patch.name !== object.name) {
      if (object.isStandard) throw new AppError('FORBIDDEN', 'Standard objects keep their API name; change their labels instead.');
      if (workspace.objects.has(String(patch.name))) throw new AppError('ALREADY_EXISTS', `An object "${String(patch.name)}" already exists.`);
      // Relations name their target: follow the rename.
      await sql`update ${q(workspace.schema, '_field')} set options = jsonb_set(options, '{target}', to_jsonb(${String(patch.name)}::text))
        where type = 'relation' and options->>'target' = ${object.name}`.execute(trx);
    }
    if (patch.labelField !== undefined && patch.labelField !== null && !object.fieldsByName.has(String(patch.labelField))) {
      assertValid([{ field: 'labelField', code: 'unknownField', message: `"${String(patch.labelField)}" is not a field of ${object.name}.` }]);
    }
    if (patch.labelField !== undefined && patch.labelField !== null) assertTitleNotEncrypted({ ...object, labelField: String(patch.labelField) }, object.fieldsByName.get(String(patch.labelField))!);
    await sql`
      update ${q(workspace.schema, '_object')} set name = ${merged.name}, label_singular = ${merged.labelSingular}, label_plural = ${merged.labelPlural},
        description = ${merged.description ?? null}, icon = ${merged.icon ?? null}, label_field = ${merged.labelField ?? null},
        validation_rules = ${JSON.stringify(merged.validationRules ?? [])}, updated_at = now()
      where id = ${object.id}`.execute(trx);
    checkObjectSemantics({ ...object, validationRules: merged.validationRules ?? [] });
  });

export const deleteObject = (options: MetadataChange & { objectName: string }): Promise<void> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    if (object.isStandard) throw new AppError('FORBIDDEN', `"${object.name}" is a standard object and cannot be deleted.`);
    await sql`update ${q(workspace.schema, '_object')} set deleted_at = now() where id = ${object.id}`.execute(trx);
  });

export const restoreObject = (options: MetadataChange & { objectName: string }): Promise<void> =>
  change(options, async (trx, workspace) => {
    if (workspace.objects.has(options.objectName)) throw new AppError('CONFLICT', `Object "${options.objectName}" is not deleted.`);
    const { rows } = await sql<{ id: string }>`
      select id from ${q(workspace.schema, '_object')} where name = ${options.objectName} and deleted_at is not null
      order by deleted_at desc limit 1`.execute(trx);
    const row = rows[0];
    if (!row) throw new AppError('OBJECT_NOT_FOUND', `No deleted object "${options.objectName}" to restore (deleted objects are kept ${RETENTION_DAYS} days).`);
    await sql`update ${q(workspace.schema, '_object')} set deleted_at = null, updated_at = now() where id = ${row.id}`.execute(trx);
  });

export const addField = (options: MetadataChange & { objectName: string; definition: unknown }): Promise<void> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    assertValid(checkFieldDefinition(options.definition));
    assertTitleNotEncrypted(object, options.definition as FieldDefinition, 'options.encrypted');
    await insertField(trx, { workspace, object, definition: options.definition as FieldDefinition, isStandard: false });
  });

/**
 * Adds a field that a newer version ships on a standard object to a workspace made before it (the
 * metadata upgrade, standard-upgrade.ts). False when the object already has a field of that name.
 */
export const addStandardField = (options: MetadataChange & { objectName: string; definition: FieldDefinition }): Promise<boolean> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    if (object.fieldsByName.has(options.definition.name)) return false;
    assertValid(checkFieldDefinition(options.definition));
    await insertField(trx, { workspace, object, definition: options.definition, isStandard: true });
    return true;
  });

const FIELD_PATCH_KEYS = ['name', 'label', 'description', 'helpText', 'required', 'unique', 'defaultValue', 'validation', 'options', 'isSearchable', 'position'];

export const updateField = (options: MetadataChange & { objectName: string; fieldName: string; patch: Record<string, unknown> }): Promise<void> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    const field = getField(object, options.fieldName);
    const { patch } = options;
    const unknown = Object.keys(patch).filter((key) => !FIELD_PATCH_KEYS.includes(key));
    if (unknown.length > 0) {
      assertValid(unknown.map((key) => ({
        field: key,
        code: key === 'type' ? 'readOnly' : 'unknownField',
        message: key === 'type' ? 'The type of a field cannot change; create a new field and copy the data.' : `Unknown property "${key}".`,
      })));
    }
    const { id: _id, objectName: _o, column, junction, position: _p, isReadOnly: _r, isStandard: _s, ...definition } = field;
    // An option patched to null is removed (a reference's `targets`: back to any object).
    const fieldOptions = Object.fromEntries(Object.entries({ ...(field.options ?? {}), ...((patch.options as object | undefined) ?? {}) }).filter(([, value]) => value !== null));
    const merged = { ...definition, ...patch, options: fieldOptions } as FieldDefinition;
    if (field.type === 'relation' && patch.options !== undefined) {
      const changed = ['target', 'kind', 'inverseName'].filter((key) => key in (patch.options as object));
      if (changed.length > 0) assertValid([{ field: 'options', code: 'readOnly', message: `${changed.join(', ')} of a relation cannot change.` }]);
    }
    if (Boolean(merged.options?.encrypted) !== Boolean(field.options?.encrypted) || (field.options?.encrypted && Boolean(merged.options?.multiple) !== Boolean(field.options.multiple))) {
      // Values already stored (and their history) would stay in plain text, or stop opening.
      assertValid([{
        field: 'options.encrypted',
        code: 'readOnly',
        message: 'Encryption (and, for an encrypted field, multiple) is chosen when a field is created: create a new field with options.encrypted and copy the values into it.',
      }]);
    }
    assertValid(checkFieldDefinition(field.options?.kind === 'oneToMany' || field.options?.kind === 'manyToMany' ? { ...merged, options: {} } : merged));
    if (merged.name !== field.name) {
      if (field.isStandard) throw new AppError('FORBIDDEN', 'Standard fields keep their API name; change their label instead.');
      if (object.fieldsByName.has(merged.name)) throw new AppError('ALREADY_EXISTS', `Object "${object.name}" already has a field "${merged.name}".`);
      if (field.type === 'relation') {
        await sql`update ${q(workspace.schema, '_field')} set options = jsonb_set(options, '{inverseName}', to_jsonb(${merged.name}::text))
          where type = 'relation' and options->>'target' = ${object.name} and options->>'inverseName' = ${field.name}`.execute(trx);
      }
    }
    const next: FieldMeta = { ...field, ...merged, column, ...(junction ? { junction } : {}) };
    checkFieldSemantics({ workspace, object, field: next });
    if (Boolean(merged.unique) !== Boolean(field.unique)) {
      if (merged.unique) await addUniqueIndex(trx, { schema: workspace.schema, object, field: next });
      else await dropUniqueIndex(trx, { schema: workspace.schema, object, field: next });
    }
    await sql`
      update ${q(workspace.schema, '_field')} set name = ${merged.name}, label = ${merged.label}, description = ${merged.description ?? null},
        help_text = ${merged.helpText ?? null}, is_required = ${merged.required ?? false}, is_unique = ${merged.unique ?? false},
        default_value = ${merged.defaultValue === undefined || merged.defaultValue === null ? null : JSON.stringify(merged.defaultValue)},
        validation = ${JSON.stringify(merged.validation ?? [])}, options = ${JSON.stringify(merged.options ?? {})},
        is_searchable = ${merged.isSearchable ?? false}, position = ${typeof patch.position === 'number' ? patch.position : field.position}, updated_at = now()
      where id = ${field.id}`.execute(trx);
  });

/**
 * Moves a standard field out of the way when a later version changes its type (a deal's stage, once a choice, is
 * now a relation to a stage record): renamed and made custom, its column and data kept, so the standard upgrade
 * adds the new field under the standard name and the module copies the values over (and may then trash the old
 * field, which stays restorable for 30 days like any deleted field).
 */
export const retireStandardField = (options: MetadataChange & { objectName: string; fieldName: string; newName: string; newLabel: string }): Promise<void> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    const field = getField(object, options.fieldName);
    if (object.fieldsByName.has(options.newName)) throw new AppError('ALREADY_EXISTS', `Object "${object.name}" already has a field "${options.newName}".`);
    await sql`update ${q(workspace.schema, '_field')} set name = ${options.newName}, label = ${options.newLabel}, is_standard = false, is_required = false,
      default_value = null, updated_at = now() where id = ${field.id}`.execute(trx);
  });

export const deleteField = (options: MetadataChange & { objectName: string; fieldName: string }): Promise<void> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    const field = getField(object, options.fieldName);
    if (field.isStandard) throw new AppError('FORBIDDEN', `"${object.name}.${field.name}" is a standard field and cannot be deleted.`);
    await sql`update ${q(workspace.schema, '_field')} set deleted_at = now() where id = ${field.id}`.execute(trx);
    if (field.type === 'relation') {
      // The inverse side goes (and comes back) with it.
      await sql`update ${q(workspace.schema, '_field')} set deleted_at = now()
        where deleted_at is null and type = 'relation' and options->>'target' = ${object.name} and options->>'inverseName' = ${field.name}`.execute(trx);
    }
  });

export const restoreField = (options: MetadataChange & { objectName: string; fieldName: string }): Promise<void> =>
  change(options, async (trx, workspace) => {
    const object = getObject(workspace, options.objectName);
    if (object.fieldsByName.has(options.fieldName)) throw new AppError('CONFLICT', `Field "${options.fieldName}" is not deleted.`);
    const { rows } = await sql<{ id: string; type: string; options: { target?: string; inverseName?: string } }>`
      select id, type, options from ${q(workspace.schema, '_field')}
      where object_id = ${object.id} and name = ${options.fieldName} and deleted_at is not null order by deleted_at desc limit 1`.execute(trx);
    const row = rows[0];
    if (!row) throw new AppError('FIELD_NOT_FOUND', `No deleted field "${options.fieldName}" on ${object.name} to restore (deleted fields are kept ${RETENTION_DAYS} days).`);
    await sql`update ${q(workspace.schema, '_field')} set deleted_at = null, updated_at = now() where id = ${row.id}`.execute(trx);
    if (row.type === 'relation' && row.options.target) {
      const target = workspace.objects.get(row.options.target);
      if (target?.fieldsByName.has(row.options.inverseName ?? '')) {
        throw new AppError('CONFLICT', `The inverse name "${row.options.inverseName}" is now used on ${target.name}; rename that field first.`);
      }
      await sql`update ${q(workspace.schema, '_field')} set deleted_at = null, updated_at = now()
        where id = (select f.id from ${q(workspace.schema, '_field')} f join ${q(workspace.schema, '_object')} o on o.id = f.object_id
          where o.name = ${row.options.target} and f.name = ${row.options.inverseName ?? ''} and f.deleted_at is not null
          order by f.deleted_at desc limit 1)`.execute(trx);
    }
  });

/** The definition as the API shows it (no storage details). */
export const objectDefinitionOf = (object: ObjectMeta): ObjectDefinition & { isStandard: boolean } => ({
  name: object.name,
  labelSingular: object.labelSingular,
  labelPlural: object.labelPlural,
  ...(object.description ? { description: object.description } : {}),
  ...(object.icon ? { icon: object.icon } : {}),
  labelField: object.labelField,
  isStandard: object.isStandard ?? false,
  validationRules: object.validationRules ?? [],
  fields: object.fields.map(fieldDefinitionOf),
});

export const fieldDefinitionOf = (field: FieldMeta): FieldDefinition => {
  const { id: _id, objectName: _o, column: _c, junction: _j, ...definition } = field;
  return definition;
};

export { checkApiName };
