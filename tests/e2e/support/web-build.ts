import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { isWebBuildFresh } from '../../../packages/web/scripts/build.mjs';

const buildScript = resolve(import.meta.dirname, '../../../packages/web/scripts/build.mjs');

/** The journeys test the built app: build it when packages/web changed since the last build. */
export const ensureWebBuild = () => {
  if ((isWebBuildFresh as () => boolean)()) return;
  const result = spawnSync(process.execPath, [buildScript, '--force'], { stdio: 'inherit', env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error('The web app did not build (node packages/web/scripts/build.mjs --force).');
};
