import type { Database } from '../engine/db/database.ts';
import { validationFailed } from '../engine/errors.ts';
import { getWorkspace, listWorkspaces, type WorkspaceSummary } from '../engine/workspaces/workspace.service.ts';

/** The workspace a command names (`--workspace`), or the only one there is. */
export const findCommandWorkspace = async (database: Database, name: string | undefined): Promise<WorkspaceSummary> => {
  if (name) return getWorkspace(database.db, { name });
  const workspaces = await listWorkspaces(database.db);
  if (workspaces.length === 1) return workspaces[0]!;
  throw validationFailed([{ field: 'workspace', code: 'required', message: workspaces.length === 0 ? 'There is no workspace yet: rapport workspace create NAME.' : `Name the workspace with --workspace: ${workspaces.map((w) => w.name).join(', ')}.` }]);
};
