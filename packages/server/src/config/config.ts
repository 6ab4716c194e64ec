import { resolve } from 'node:path';

export interface RapportConfig {
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means the embedded engine in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Origins allowed to call the API from a browser; empty allows none. */
  corsOrigins: string[];
  /** Background jobs run in this process (off for API-only replicas). */
  isWorkerEnabled: boolean;
  poolSize: number;
}

const readInt = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}".`);
  return parsed;
};

/** Configuration from the environment; see docs/reference/configuration.md. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): RapportConfig => ({
  port: readInt(env.PORT, 3000, 'PORT'),
  host: env.HOST ?? '0.0.0.0',
  databaseUrl: env.DATABASE_URL || undefined,
  dataDir: resolve(env.RAPPORT_DATA_DIR ?? 'data'),
  logLevel: env.LOG_LEVEL ?? 'info',
  bodyLimit: readInt(env.RAPPORT_BODY_LIMIT, 10 * 1024 * 1024, 'RAPPORT_BODY_LIMIT'),
  corsOrigins: (env.RAPPORT_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
  isWorkerEnabled: env.RAPPORT_WORKER !== 'off',
  poolSize: readInt(env.RAPPORT_DB_POOL_SIZE, 10, 'RAPPORT_DB_POOL_SIZE'),
});
