import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../../packages/server/src/config/config.ts';
import { pgliteDir, startServer, type RunningServer } from '../../../packages/server/src/server.ts';
import { freePort } from '../../support/free-port.ts';

export interface E2eServer {
  url: string;
  server: RunningServer;
  stop(): Promise<void>;
}

/**
 * The real server (`startServer`, as `npx rapport start` runs it) on a temporary data folder with the
 * embedded database; the migrated template of the test run saves the initdb when there is one.
 */
export const startE2eServer = async (env: Record<string, string> = {}): Promise<E2eServer> => {
  const runDir = inject('rapportTestRunDir');
  const dataDir = mkdtempSync(join(runDir && existsSync(runDir) ? runDir : tmpdir(), 'e2e-'));
  const template = inject('rapportPgliteTemplate');
  if (template) {
    mkdirSync(dataDir, { recursive: true });
    cpSync(template, pgliteDir(dataDir), { recursive: true });
  }
  const port = await freePort();
  const config = loadConfig({ RAPPORT_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RAPPORT_PUBLIC_URL: `http://127.0.0.1:${port}`, ...env });
  const server = await startServer(config);
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
