import { sql } from 'kysely';
import { recordAudit } from '../engine/audit/audit.ts';
import { parseConfigurationDocument, writeConfigurationDocument } from '../engine/configuration/configuration-document.ts';
import { deployConfiguration, previewConfiguration } from '../engine/configuration/deployments.ts';
import { readConfiguration } from '../engine/configuration/read-configuration.ts';
import type { Database } from '../engine/db/database.ts';
import { AppError } from '../engine/errors.ts';
import { announceMetadataChange } from '../engine/metadata/metadata-store.ts';
import { getWorkspace, listWorkspaces, type WorkspaceSummary } from '../engine/workspaces/workspace.service.ts';

/** `rapport config export|diff|apply`: the configuration of one workspace (engine/configuration). */
export type ConfigCommand =
  | { command: 'config.export'; workspace?: string; format?: 'yaml' | 'json' }
  | { command: 'config.diff'; workspace?: string; document: string }
  | { command: 'config.apply'; workspace?: string; document: string; fingerprint?: string };

export interface ConfigCommandContext {
  /** Through a running server: its caches drop the workspace's metadata and access profiles. */
  onMetadataChanged?: (workspaceId: string) => void;
  onAccessChanged?: (workspaceId: string) => void;
}

// Without --workspace, the only workspace of the instance.
const pickWorkspace = async (database: Database, name: string | undefined): Promise<WorkspaceSummary> => {
  if (name) return getWorkspace(database.db, { name });
  const workspaces = await listWorkspaces(database.db);
  if (workspaces.length === 1) return workspaces[0]!;
  throw new AppError('INVALID_REQUEST', workspaces.length === 0 ? 'There is no workspace yet.' : `Name the workspace with --workspace: ${workspaces.map((w) => w.name).join(', ')}.`);
};

export const runConfigCommand = async (database: Database, input: ConfigCommand, context: ConfigCommandContext = {}): Promise<Record<string, unknown>> => {
  const { db } = database;
  const workspace = await pickWorkspace(database, input.workspace);
  switch (input.command) {
    case 'config.export': {
      const { sections } = await readConfiguration(db, workspace.id);
      const format = input.format ?? 'yaml';
      await recordAudit(db, { workspaceId: workspace.id, actorId: null, action: 'configuration.exported', details: { format, via: 'cli' } });
      return { workspace: workspace.name, format, document: writeConfigurationDocument({ workspaceName: workspace.name, sections, format }) };
    }
    case 'config.diff': {
      const diff = await previewConfiguration(db, workspace.id, parseConfigurationDocument(input.document));
      return { workspace: workspace.name, ...diff };
    }
    case 'config.apply': {
      const deployment = await deployConfiguration({ db, workspaceId: workspace.id, desired: parseConfigurationDocument(input.document), fingerprint: input.fingerprint, source: { kind: 'file' }, actorId: null });
      if (context.onMetadataChanged) context.onMetadataChanged(workspace.id);
      else await announceMetadataChange(database, workspace.id);
      // The servers' access profiles (roles may have changed); app.ts listens on this channel.
      if (context.onAccessChanged) context.onAccessChanged(workspace.id);
      else if (database.engine === 'postgres') await sql`select pg_notify('rapport_access', ${workspace.id})`.execute(db);
      await recordAudit(db, { workspaceId: workspace.id, actorId: null, action: 'configuration.deployed', recordId: deployment.id, details: { source: 'file', via: 'cli', changes: deployment.changes.length } });
      return { workspace: workspace.name, deployment };
    }
  }
};
