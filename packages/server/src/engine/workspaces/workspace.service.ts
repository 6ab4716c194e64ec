import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { createWorkspaceStorage } from '../metadata/ddl.ts';
import { createObject } from '../metadata/metadata.service.ts';
import { workspaceSchemaName } from '../metadata/naming.ts';
import { createDefaultLicences } from '../licences/licence-types.ts';
import { createDefaultRoles } from '../permissions/default-roles.ts';
import type { StandardObject } from '../metadata/standard-objects.ts';
import { createInitialRecords } from '../records/initial-records.ts';

export interface WorkspaceSummary {
  id: string;
  name: string;
  schema: string;
  timezone: string;
  defaultCurrency: string;
  createdAt: string;
}

export interface CreateWorkspaceOptions {
  db: Db;
  name: string;
  standardObjects: StandardObject[];
  timezone?: string;
  defaultCurrency?: string;
  /** The records standard objects start with (a default pipeline...); false when records are copied in instead. */
  initialRecords?: boolean;
}

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Creates the workspace row, its schema and its standard objects, all or nothing. */
export const createWorkspace = async ({ db, name, standardObjects, timezone = 'UTC', defaultCurrency = 'EUR', initialRecords = true }: CreateWorkspaceOptions): Promise<WorkspaceSummary> => {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw new AppError('VALIDATION_FAILED', 'A workspace name has 1 to 100 characters.', { errors: [{ field: 'name', code: 'required', message: '1 to 100 characters.' }] });
  }
  if (!isTimeZone(timezone)) {
    throw new AppError('VALIDATION_FAILED', `Unknown time zone "${timezone}".`, { errors: [{ field: 'timezone', code: 'invalidFormat', message: 'An IANA time zone such as Europe/Paris.' }] });
  }
  const id = randomUUID();
  const schema = workspaceSchemaName(trimmed, id);
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql`select 1 from rapport.workspace where lower(name) = lower(${trimmed})`.execute(trx);
    if (rows.length > 0) throw new AppError('ALREADY_EXISTS', `A workspace named "${trimmed}" already exists.`);
    await sql`insert into rapport.workspace (id, name, schema_name, timezone, default_currency) values (${id}, ${trimmed}, ${schema}, ${timezone}, ${defaultCurrency})`.execute(trx);
    await createWorkspaceStorage(trx, schema);
    await createDefaultRoles(trx, id);
    await createDefaultLicences(trx, id);
  });
  try {
    for (const standard of standardObjects) {
      await createObject({ db, workspaceId: id, definition: standard.definition, isStandard: true, indexes: standard.indexes ?? [] });
    }
    if (initialRecords) await createInitialRecords({ db, workspaceId: id, standardObjects });
  } catch (error) {
    await dropWorkspace(db, id);
    throw error;
  }
  return (await findWorkspace(db, { id }))!;
};

/** Deletes a workspace and drops its schema (its records, members and sessions go with it). */
export const dropWorkspace = async (db: Db, id: string) => {
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ schema_name: string }>`delete from rapport.workspace where id = ${id} returning schema_name`.execute(trx);
    if (rows[0]) await sql`drop schema if exists ${sql.id(rows[0].schema_name)} cascade`.execute(trx);
  });
};

interface WorkspaceRow {
  id: string;
  name: string;
  schema_name: string;
  timezone: string;
  default_currency: string;
  created_at: string;
}

const toSummary = (row: WorkspaceRow): WorkspaceSummary => ({
  id: row.id,
  name: row.name,
  schema: row.schema_name,
  timezone: row.timezone,
  defaultCurrency: row.default_currency,
  createdAt: row.created_at,
});

export const findWorkspace = async (db: Db, by: { id?: string; name?: string }): Promise<WorkspaceSummary | undefined> => {
  const { rows } = by.id
    ? await sql<WorkspaceRow>`select * from rapport.workspace where id = ${by.id}`.execute(db)
    : await sql<WorkspaceRow>`select * from rapport.workspace where lower(name) = lower(${by.name ?? ''})`.execute(db);
  return rows[0] ? toSummary(rows[0]) : undefined;
};

export const getWorkspace = async (db: Db, by: { id?: string; name?: string }): Promise<WorkspaceSummary> => {
  const workspace = await findWorkspace(db, by);
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', `No workspace ${by.name ? `named "${by.name}"` : `with id ${by.id}`}.`);
  return workspace;
};

export const listWorkspaces = async (db: Db): Promise<WorkspaceSummary[]> => {
  const { rows } = await sql<WorkspaceRow>`select * from rapport.workspace order by created_at`.execute(db);
  return rows.map(toSummary);
};
