import { randomUUID } from 'node:crypto';
import type { ConfigurationChange, ConfigurationDeployment, ConfigurationDiff, ConfigurationDeploymentStatus } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors.ts';
import { isUuid } from '../fields/types/relation.field.ts';
import { applyConfigurationChanges } from './apply-configuration.ts';
import type { PartialSections } from './configuration-document.ts';
import { diffConfiguration } from './configuration-diff.ts';
import type { ConfigurationSections } from './configuration-sections.ts';
import { fingerprintOf, readConfiguration } from './read-configuration.ts';

interface DeploymentRow {
  id: string;
  workspace_id: string;
  source_kind: 'sandbox' | 'file';
  sandbox_id: string | null;
  source_name: string | null;
  status: ConfigurationDeploymentStatus;
  changes: ConfigurationChange[];
  before_configuration: ConfigurationSections | null;
  error: string | null;
  created_by: string | null;
  created_at: string;
  rolled_back_at: string | null;
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

const toDeployment = (row: DeploymentRow): ConfigurationDeployment => ({
  id: row.id,
  workspaceId: row.workspace_id,
  source: row.source_kind === 'sandbox' ? { kind: 'sandbox', sandboxId: row.sandbox_id ?? '', name: row.source_name ?? '' } : { kind: 'file' },
  status: row.status,
  changes: row.changes,
  createdAt: iso(row.created_at)!,
  createdBy: row.created_by,
  rolledBackAt: iso(row.rolled_back_at),
  error: row.error,
});

/** What deploying `desired` would change in a workspace, and the fingerprint of the configuration compared. */
export const previewConfiguration = async (db: Db, workspaceId: string, desired: PartialSections): Promise<ConfigurationDiff> => {
  const { sections } = await readConfiguration(db, workspaceId);
  return { changes: diffConfiguration({ current: sections, desired }), fingerprint: fingerprintOf(sections) };
};

export interface DeployConfigurationOptions {
  db: Db;
  workspaceId: string;
  desired: PartialSections;
  /** From a preview: refused (CONFIGURATION_CHANGED) when the workspace changed since. */
  fingerprint?: string | undefined;
  source: ConfigurationDeployment['source'];
  actorId: string | null;
}

const lockWorkspace = (trx: Db, workspaceId: string) => sql`select 1 from rapport.workspace where id = ${workspaceId} for update`.execute(trx);

const insertDeployment = async (db: Db, options: DeployConfigurationOptions & { id: string; status: ConfigurationDeploymentStatus; changes: ConfigurationChange[]; before: ConfigurationSections | null; error?: string }) => {
  const { rows } = await sql<DeploymentRow>`
    insert into rapport.configuration_deployment (id, workspace_id, source_kind, sandbox_id, source_name, status, changes, before_configuration, error, created_by, created_at)
    values (${options.id}, ${options.workspaceId}, ${options.source.kind}, ${options.source.kind === 'sandbox' ? options.source.sandboxId : null},
      ${options.source.kind === 'sandbox' ? options.source.name : null}, ${options.status}, ${JSON.stringify(options.changes)}::jsonb,
      ${options.before === null ? null : JSON.stringify(options.before)}::jsonb, ${options.error ?? null}, ${options.actorId}, clock_timestamp())
    returning *`.execute(db);
  return toDeployment(rows[0]!);
};

/**
 * Deploys a configuration in one transaction: every change, or none (a failure is recorded as a failed
 * deployment and its error thrown). The configuration before is kept with the deployment for a rollback.
 */
export const deployConfiguration = async (options: DeployConfigurationOptions): Promise<ConfigurationDeployment> => {
  const { db, workspaceId } = options;
  const id = randomUUID();
  let changes: ConfigurationChange[] = [];
  try {
    return await db.transaction().execute(async (trx) => {
      await lockWorkspace(trx, workspaceId);
      const { sections } = await readConfiguration(trx, workspaceId);
      if (options.fingerprint !== undefined && options.fingerprint !== fingerprintOf(sections)) {
        throw new AppError('CONFIGURATION_CHANGED', 'The configuration of this workspace changed since the preview; nothing was deployed. Preview again, then deploy.');
      }
      changes = diffConfiguration({ current: sections, desired: options.desired });
      await applyConfigurationChanges({ trx, workspaceId, changes });
      return insertDeployment(trx, { ...options, id, status: 'applied', changes, before: sections });
    });
  } catch (error) {
    if (isAppError(error) && error.code === 'CONFIGURATION_CHANGED') throw error;
    const message = error instanceof Error ? error.message : String(error);
    await insertDeployment(db, { ...options, id, status: 'failed', changes, before: null, error: message }).catch(() => undefined);
    throw error;
  }
};

export const listDeployments = async (db: Db, workspaceId: string): Promise<ConfigurationDeployment[]> => {
  const { rows } = await sql<DeploymentRow>`
    select * from rapport.configuration_deployment where workspace_id = ${workspaceId} order by created_at desc, id limit 200`.execute(db);
  return rows.map(toDeployment);
};

const findRow = async (db: Db, workspaceId: string, id: string): Promise<DeploymentRow> => {
  const { rows } = isUuid(id)
    ? await sql<DeploymentRow>`select * from rapport.configuration_deployment where workspace_id = ${workspaceId} and id = ${id}`.execute(db)
    : { rows: [] };
  if (!rows[0]) throw new AppError('DEPLOYMENT_NOT_FOUND', `No deployment ${id} in this workspace.`);
  return rows[0];
};

/**
 * Puts back the configuration the workspace had before a deployment: what it added goes (to the trash),
 * what it removed comes back from the trash with its data. Only the latest applied deployment.
 */
export const rollbackDeployment = async (options: { db: Db; workspaceId: string; id: string }): Promise<ConfigurationDeployment> => {
  const { db, workspaceId } = options;
  return db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, workspaceId);
    const row = await findRow(trx, workspaceId, options.id);
    const { rows: latest } = await sql<{ id: string }>`
      select id from rapport.configuration_deployment where workspace_id = ${workspaceId} and status = 'applied' order by created_at desc, id limit 1`.execute(trx);
    if (row.status !== 'applied' || !row.before_configuration || latest[0]?.id !== row.id) {
      throw new AppError('DEPLOYMENT_NOT_ROLLBACKABLE', row.status === 'applied' ? 'A later deployment was applied since: roll that one back first.' : `This deployment is ${row.status === 'failed' ? 'a failed one: it changed nothing' : 'already rolled back'}.`);
    }
    const restorable = new Set(row.changes.filter((change) => change.action === 'remove' || change.properties?.includes('type')).map((change) => `${change.section}:${change.key}`));
    const { sections } = await readConfiguration(trx, workspaceId);
    const changes = diffConfiguration({ current: sections, desired: row.before_configuration });
    await applyConfigurationChanges({ trx, workspaceId, changes, restorable });
    const { rows } = await sql<DeploymentRow>`
      update rapport.configuration_deployment set status = 'rolledBack', rolled_back_at = clock_timestamp() where id = ${row.id} returning *`.execute(trx);
    return toDeployment(rows[0]!);
  });
};
