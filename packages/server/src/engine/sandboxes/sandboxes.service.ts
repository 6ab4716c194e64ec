import { randomUUID } from 'node:crypto';
import type { ConfigurationDeployment, ConfigurationDiff, CreateSandboxInput, CurrentSandbox, Sandbox, SandboxData } from '@rapport/common';
import { sql } from 'kysely';
import { applyConfigurationChanges } from '../configuration/apply-configuration.ts';
import { diffConfiguration } from '../configuration/configuration-diff.ts';
import { deployConfiguration, previewConfiguration } from '../configuration/deployments.ts';
import { readConfiguration } from '../configuration/read-configuration.ts';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { isUuid } from '../fields/types/relation.field.ts';
import { loadWorkspaceMeta } from '../metadata/metadata-store.ts';
import type { StandardObject } from '../metadata/standard-objects.ts';
import { createWorkspace, dropWorkspace, getWorkspace } from '../workspaces/workspace.service.ts';
import { copySampleRecords } from './sample-records.ts';

export const DEFAULT_SAMPLE_SIZE = 100;
export const MAX_SAMPLE_SIZE = 10_000;

interface SandboxRow {
  id: string;
  workspace_id: string;
  source_workspace_id: string;
  name: string;
  data: SandboxData;
  sample_size: number;
  created_at: string;
  created_by: string | null;
  last_deployed_at: string | null;
}

const toSandbox = (row: SandboxRow): Sandbox => ({
  id: row.id,
  name: row.name,
  workspaceId: row.workspace_id,
  sourceWorkspaceId: row.source_workspace_id,
  data: row.data,
  sampleSize: row.sample_size,
  createdAt: new Date(row.created_at).toISOString(),
  createdBy: row.created_by,
  lastDeployedAt: row.last_deployed_at === null ? null : new Date(row.last_deployed_at).toISOString(),
});

export const listSandboxes = async (db: Db, productionId: string): Promise<Sandbox[]> => {
  const { rows } = await sql<SandboxRow>`select * from rapport.sandbox where source_workspace_id = ${productionId} order by created_at desc, id`.execute(db);
  return rows.map(toSandbox);
};

/** A sandbox made from this workspace; SANDBOX_NOT_FOUND for another workspace's. */
export const getSandbox = async (db: Db, productionId: string, id: string): Promise<Sandbox> => {
  const { rows } = isUuid(id)
    ? await sql<SandboxRow>`select * from rapport.sandbox where source_workspace_id = ${productionId} and id = ${id}`.execute(db)
    : { rows: [] };
  if (!rows[0]) throw new AppError('SANDBOX_NOT_FOUND', `No sandbox ${id} of this workspace.`);
  return toSandbox(rows[0]);
};

/** Whether a workspace is a sandbox, and of which production. */
export const findCurrentSandbox = async (db: Db, workspaceId: string): Promise<CurrentSandbox> => {
  const { rows } = await sql<SandboxRow & { production_name: string }>`
    select s.*, w.name as production_name from rapport.sandbox s join rapport.workspace w on w.id = s.source_workspace_id
    where s.workspace_id = ${workspaceId}`.execute(db);
  const row = rows[0];
  return row ? { sandbox: toSandbox(row), production: { id: row.source_workspace_id, name: row.production_name } } : { sandbox: null, production: null };
};

export interface CreateSandboxOptions {
  db: Db;
  productionId: string;
  input: CreateSandboxInput;
  /** The admin creating it: a member of the sandbox with the role of the same name. */
  actorId: string | null;
  standardObjects: StandardObject[];
}

/**
 * A new workspace with the production's configuration (and, with data `sample`, up to `sampleSize` records
 * of each object). Made in steps; a failure drops what was made.
 */
export const createSandbox = async ({ db, productionId, input, actorId, standardObjects }: CreateSandboxOptions): Promise<{ sandbox: Sandbox; copied: Record<string, number> }> => {
  const sampleSize = input.data === 'sample' ? (input.sampleSize ?? DEFAULT_SAMPLE_SIZE) : 0;
  if (!Number.isInteger(sampleSize) || sampleSize < 0 || sampleSize > MAX_SAMPLE_SIZE) {
    throw validationFailed([{ field: 'sampleSize', code: 'tooLarge', message: `1 to ${MAX_SAMPLE_SIZE} records per object.` }]);
  }
  if ((await findCurrentSandbox(db, productionId)).sandbox) throw new AppError('CONFLICT', 'This workspace is a sandbox: make sandboxes from its production.');
  const production = await getWorkspace(db, { id: productionId });
  // A sandbox with a sample takes production's own records (its pipelines and stages among them) rather than the
  // ones a new workspace starts with, which would clash with them (a pipeline's name is unique).
  const workspace = await createWorkspace({ db, name: input.name, standardObjects, timezone: production.timezone, defaultCurrency: production.defaultCurrency, initialRecords: sampleSize === 0 });
  try {
    const id = randomUUID();
    const copied = await db.transaction().execute(async (trx) => {
      // Licence types first: roles may name them, members hold them.
      await sql`
        insert into rapport.licence_type (workspace_id, name, seats, concurrent, features)
        select ${workspace.id}, name, seats, concurrent, features from rapport.licence_type where workspace_id = ${productionId}
        on conflict (workspace_id, name) do update set seats = excluded.seats, concurrent = excluded.concurrent, features = excluded.features`.execute(trx);
      const { sections: desired } = await readConfiguration(trx, productionId);
      const { sections: current } = await readConfiguration(trx, workspace.id);
      await applyConfigurationChanges({ trx, workspaceId: workspace.id, changes: diffConfiguration({ current, desired }) });
      if (actorId) {
        await sql`
          insert into rapport.workspace_member (workspace_id, user_id, role_id, licence, status)
          select ${workspace.id}, m.user_id, (select id from rapport.role where workspace_id = ${workspace.id} and name = r.name), m.licence, 'active'
          from rapport.workspace_member m left join rapport.role r on r.id = m.role_id
          where m.workspace_id = ${productionId} and m.user_id = ${actorId}`.execute(trx);
      }
      await sql`
        insert into rapport.sandbox (id, workspace_id, source_workspace_id, name, data, sample_size, created_by)
        values (${id}, ${workspace.id}, ${productionId}, ${workspace.name}, ${input.data}, ${sampleSize}, ${actorId})`.execute(trx);
      if (sampleSize === 0) return {};
      return copySampleRecords({ db: trx, source: await loadWorkspaceMeta(trx, productionId), target: await loadWorkspaceMeta(trx, workspace.id), sampleSize });
    });
    return { sandbox: await getSandbox(db, productionId, id), copied };
  } catch (error) {
    await dropWorkspace(db, workspace.id);
    throw error;
  }
};

/** What deploying the sandbox's configuration would change in its production. */
export const diffSandbox = async (db: Db, sandbox: Sandbox): Promise<ConfigurationDiff> =>
  previewConfiguration(db, sandbox.sourceWorkspaceId, (await readConfiguration(db, sandbox.workspaceId)).sections);

export const deploySandbox = async (options: { db: Db; sandbox: Sandbox; fingerprint?: string | undefined; actorId: string | null }): Promise<ConfigurationDeployment> => {
  const { db, sandbox } = options;
  const { sections } = await readConfiguration(db, sandbox.workspaceId);
  const deployment = await deployConfiguration({
    db,
    workspaceId: sandbox.sourceWorkspaceId,
    desired: sections,
    fingerprint: options.fingerprint,
    source: { kind: 'sandbox', sandboxId: sandbox.id, name: sandbox.name },
    actorId: options.actorId,
  });
  await sql`update rapport.sandbox set last_deployed_at = ${deployment.createdAt} where id = ${sandbox.id}`.execute(db);
  return deployment;
};

/** Drops the sandbox's workspace: its schema, records, members and sessions. */
export const deleteSandbox = (db: Db, sandbox: Sandbox): Promise<void> => dropWorkspace(db, sandbox.workspaceId);
