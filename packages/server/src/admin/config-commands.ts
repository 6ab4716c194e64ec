import { recordAudit } from '../engine/audit/audit.ts';
import { parseConfigurationDocument, writeConfigurationDocument } from '../engine/configuration/configuration-document.ts';
import { deployConfiguration, previewConfiguration } from '../engine/configuration/deployments.ts';
import { readConfiguration } from '../engine/configuration/read-configuration.ts';
import type { Database } from '../engine/db/database.ts';
import { announceAccessChange } from '../engine/permissions/access-cache.ts';
import { findCommandWorkspace } from './command-workspace.ts';
import { notifyMetadataChanged } from './key-commands.ts';

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

export const runConfigCommand = async (database: Database, input: ConfigCommand, context: ConfigCommandContext = {}): Promise<Record<string, unknown>> => {
  const { db } = database;
  const workspace = await findCommandWorkspace(database, input.workspace);
  switch (input.command) {
    case 'config.export': {
      const { sections } = await readConfiguration(db, workspace.id);
      const format = input.format ?? 'yaml';
      await recordAudit(db, { workspaceId: workspace.id, actorId: null, action: 'configuration.exported', details: { format, via: 'cli' } });
      return { workspace: workspace.name, format, document: await writeConfigurationDocument({ workspaceName: workspace.name, sections, format }) };
    }
    case 'config.diff': {
      const diff = await previewConfiguration(db, workspace.id, await parseConfigurationDocument(input.document));
      return { workspace: workspace.name, ...diff };
    }
    case 'config.apply': {
      const deployment = await deployConfiguration({ db, workspaceId: workspace.id, desired: await parseConfigurationDocument(input.document), fingerprint: input.fingerprint, source: { kind: 'file' }, actorId: null });
      await notifyMetadataChanged(database, context, workspace.id);
      // Roles may have changed: the servers drop their access profiles.
      if (context.onAccessChanged) context.onAccessChanged(workspace.id);
      else await announceAccessChange(database, workspace.id);
      await recordAudit(db, { workspaceId: workspace.id, actorId: null, action: 'configuration.deployed', recordId: deployment.id, details: { source: 'file', via: 'cli', changes: deployment.changes.length } });
      return { workspace: workspace.name, deployment };
    }
  }
};
