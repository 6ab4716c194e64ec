import type { JobHandler } from '../jobs/index.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { listWorkspaces } from '../workspaces/workspace.service.ts';
import { applyAllRetentionRules } from './retention.service.ts';

export const RETENTION_JOB = 'privacy.applyRetention';

/** Every day: each enabled retention rule of each workspace anonymises or deletes the records due. */
export const createRetentionJobHandler = ({ metadata }: { metadata: { get(workspaceId: string): Promise<WorkspaceMeta> } }): JobHandler => async ({ db }) => {
  const workspaces: WorkspaceMeta[] = [];
  for (const workspace of await listWorkspaces(db)) workspaces.push(await metadata.get(workspace.id));
  return applyAllRetentionRules(db, workspaces);
};
