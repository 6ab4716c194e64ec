import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../packages/server/src/app.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace, type WorkspaceSummary } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { createTestDatabase, type TestDatabase, type TestEngine } from '../setup/engines.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
}

export interface TestApp {
  app: FastifyInstance;
  testDatabase: TestDatabase;
  workspace: WorkspaceSummary;
  token: string;
  /** An authenticated JSON request through the real HTTP stack (fastify.inject). */
  request<T = any>(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  destroy(): Promise<void>;
}

export interface TestAppOptions {
  /** Settings on top of the test defaults (e.g. `rateLimits`, `smtpUrl`, `publicUrl`). */
  config?: Partial<BuildAppOptions['config']>;
  /** The master key (secrets at rest, data keys); absent: a random one. */
  masterKey?: Buffer;
}

/** A fresh database with one workspace (standard objects), an API key and the app over it. */
export const createTestApp = async (engine: TestEngine, workspaceName = 'Acme', options: TestAppOptions = {}): Promise<TestApp> => {
  const testDatabase = await createTestDatabase(engine);
  const { db } = testDatabase.database;
  const workspace = await createWorkspace({ db, name: workspaceName, standardObjects });
  const { token } = await createApiKey(db, { workspaceId: workspace.id, name: 'tests' });
  const app = await buildApp({ database: testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent', ...options.config }, logger: false, ...(options.masterKey ? { masterKey: options.masterKey } : {}) });
  return {
    app,
    testDatabase,
    workspace,
    token,
    async request(method, url, body, headers = {}) {
      const response = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = response.body;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Non-JSON bodies (HTML) stay text.
      }
      return { status: response.statusCode, headers: response.headers, body: parsed as never };
    },
    async destroy() {
      await app.close();
      await testDatabase.destroy();
    },
  };
};
