import type { FieldType } from '@rapport/common';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { toSnakeCase } from '../metadata/naming.ts';

/** A Kysely that compiles PostgreSQL but never connects: for asserting SQL text in unit tests. */
export const createCompileOnlyDb = (): Db =>
  new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

/** `{ sql, parameters }` of a raw builder, whitespace collapsed so tests compare readable one-liners. */
export const compileSql = (builder: RawBuilder<unknown>, db: Db = createCompileOnlyDb()): { sql: string; parameters: readonly unknown[] } => {
  const compiled = builder.compile(db);
  return { sql: compiled.sql.replace(/\s+/g, ' ').trim(), parameters: compiled.parameters };
};

let fieldCount = 0;
const nextId = (): string => `00000000-0000-4000-8000-${String(++fieldCount).padStart(12, '0')}`;

export type FieldSpec = Partial<FieldMeta> & { name: string; type: FieldType };

/** A field with its column named as the metadata service names it (`company` → `company_id`). */
export const fieldFactory = (spec: FieldSpec): FieldMeta => {
  const isManyToOne = spec.type === 'relation' && (spec.options?.kind ?? 'manyToOne') === 'manyToOne';
  return {
    id: nextId(),
    objectName: '',
    label: spec.name,
    column: `${toSnakeCase(spec.name)}${isManyToOne ? '_id' : ''}`,
    position: 0,
    options: {},
    ...spec,
  };
};

export const objectFactory = (spec: { name: string; table?: string; fields: FieldSpec[] }): ObjectMeta => {
  const fields = spec.fields.map((field, position) => ({ ...fieldFactory(field), objectName: spec.name, position }));
  return {
    id: nextId(),
    name: spec.name,
    table: spec.table ?? toSnakeCase(spec.name),
    labelSingular: spec.name,
    labelPlural: `${spec.name}s`,
    labelField: fields[0]?.name ?? 'id',
    fields,
    fieldsByName: new Map(fields.map((field) => [field.name, field])),
    indexes: [],
    position: 0,
  };
};

export const workspaceFactory = (spec: { objects: ObjectMeta[]; schema?: string; timezone?: string }): WorkspaceMeta => ({
  id: nextId(),
  name: 'Test',
  schema: spec.schema ?? 'ws_test',
  timezone: spec.timezone ?? 'Europe/Paris',
  defaultCurrency: 'EUR',
  version: 1,
  objects: new Map(spec.objects.map((object) => [object.name, object])),
});

const choices = (...values: string[]) => values.map((value) => ({ value, label: value }));

/**
 * The small CRM the query tests run on: person → company → parent company, tags, an address,
 * a salary, projects through a junction table, and company.people / company.subsidiaries back.
 */
export const crmWorkspaceFactory = (spec: { schema?: string; timezone?: string } = {}) => {
  const person = objectFactory({
    name: 'person',
    fields: [
      { name: 'name', type: 'text' },
      { name: 'age', type: 'number' },
      { name: 'rating', type: 'rating' },
      { name: 'birthday', type: 'date' },
      { name: 'lastContactAt', type: 'datetime' },
      { name: 'isActive', type: 'boolean' },
      { name: 'stage', type: 'select', options: { choices: choices('lead', 'customer', 'churned') } },
      { name: 'tags', type: 'multiSelect', options: { choices: choices('vip', 'partner', 'press') } },
      { name: 'address', type: 'address' },
      { name: 'salary', type: 'currency' },
      { name: 'profile', type: 'json' },
      { name: 'owner', type: 'owner' },
      { name: 'company', type: 'relation', options: { kind: 'manyToOne', target: 'company', inverseName: 'people' } },
      {
        name: 'projects',
        type: 'relation',
        options: { kind: 'manyToMany', target: 'project', inverseName: 'members' },
        junction: { table: 'person_projects', selfColumn: 'source_id', otherColumn: 'target_id' },
      },
    ],
  });
  const company = objectFactory({
    name: 'company',
    fields: [
      { name: 'name', type: 'text' },
      { name: 'industry', type: 'select', options: { choices: choices('tech', 'retail', 'finance') } },
      { name: 'employees', type: 'number' },
      { name: 'foundedOn', type: 'date' },
      { name: 'parentCompany', type: 'relation', options: { kind: 'manyToOne', target: 'company', inverseName: 'subsidiaries' } },
      { name: 'subsidiaries', type: 'relation', options: { kind: 'oneToMany', target: 'company', inverseName: 'parentCompany' } },
      { name: 'people', type: 'relation', options: { kind: 'oneToMany', target: 'person', inverseName: 'company' } },
    ],
  });
  const project = objectFactory({
    name: 'project',
    fields: [
      { name: 'name', type: 'text' },
      {
        name: 'members',
        type: 'relation',
        options: { kind: 'manyToMany', target: 'person', inverseName: 'projects' },
        junction: { table: 'person_projects', selfColumn: 'target_id', otherColumn: 'source_id' },
      },
    ],
  });
  const workspace = workspaceFactory({ objects: [person, company, project], ...spec });
  return { workspace, person, company, project };
};
