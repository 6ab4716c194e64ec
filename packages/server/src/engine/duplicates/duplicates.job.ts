import type { JobHandler } from '../jobs/index.ts';
import type { MetadataCache } from '../metadata/metadata-store.ts';
import { listWorkspaces } from '../workspaces/workspace.service.ts';
import { scanWorkspaceForDuplicates } from './duplicate-scan.ts';

export const DUPLICATE_SCAN_JOB = 'duplicates.scan';
/** Every ten minutes: each run looks at up to SCAN_BATCH changed records per object and workspace. */
export const DUPLICATE_SCAN_CRON = '*/10 * * * *';

export const createDuplicateScanJobHandler = ({ metadata }: { metadata: MetadataCache }): JobHandler => async ({ db, signal }) => {
  const results = [];
  for (const { id } of await listWorkspaces(db)) {
    if (signal.aborted) break;
    const workspace = await metadata.get(id);
    results.push(...(await scanWorkspaceForDuplicates(db, { workspace })).map((result) => ({ workspaceId: id, ...result })));
  }
  return { scanned: results.reduce((sum, result) => sum + result.scanned, 0), pairs: results.reduce((sum, result) => sum + result.pairs, 0) };
};
