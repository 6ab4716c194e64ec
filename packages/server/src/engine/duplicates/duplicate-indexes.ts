import type { Db } from '../db/database.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { duplicateIndexStatements } from './duplicate-keys.ts';

// Workspaces (by schema and metadata version) whose indexes this process has made sure of.
const ensured = new Map<string, number>();

/**
 * The trigram index on each object's title and the domain index on its web addresses (`if not
 * exists`): made by the migration for existing workspaces and by the scan for new objects and fields.
 */
export const createDuplicateIndexes = async (db: Db, workspace: WorkspaceMeta): Promise<void> => {
  if (ensured.get(workspace.schema) === workspace.version) return;
  for (const object of workspace.objects.values()) {
    for (const statement of duplicateIndexStatements(workspace.schema, object)) await statement.execute(db);
  }
  ensured.set(workspace.schema, workspace.version);
};
