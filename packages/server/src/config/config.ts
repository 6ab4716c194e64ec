import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_RATE_LIMITS, type CookieSecure, type RateLimitSettings } from '../engine/identity/identity-settings.ts';

export interface RapportConfig {
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means the embedded engine in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where scheduled and API backups are written (RAPPORT_BACKUP_DIR; `backups` in the data folder by default). */
  backupDir: string;
  logLevel: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Origins allowed to call the API from a browser; empty allows none. */
  corsOrigins: string[];
  /** Background jobs run in this process (off for API-only replicas). */
  isWorkerEnabled: boolean;
  poolSize: number;
  /** Named prepared statements on PostgreSQL (off behind a pooler that cannot keep them, e.g. PgBouncer in transaction mode). */
  preparedStatements: boolean;
  /** Master key material (RAPPORT_SECRET); absent: a key file generated in `dataDir`. */
  secret: string | undefined;
  /** The URL people reach the server at, for links in emails (RAPPORT_PUBLIC_URL). */
  publicUrl: string;
  /** SMTP server for invitations and resets; absent: messages are written to the log. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** `Secure` on the session cookie: `auto` (when the request came over https), `always` or `never`. */
  cookieSecure: CookieSecure;
  /** Trust X-Forwarded-* from a reverse proxy (client IP for rate limits, https for cookies). */
  trustProxy: boolean;
  rateLimits: RateLimitSettings;
  /** Serve HTTPS directly (RAPPORT_TLS_CERT_FILE and RAPPORT_TLS_KEY_FILE, PEM); absent: HTTP, e.g. behind a TLS proxy. */
  tls?: { cert: string; key: string } | undefined;
}

const readTls = (env: NodeJS.ProcessEnv): { cert: string; key: string } | undefined => {
  const certFile = env.RAPPORT_TLS_CERT_FILE;
  const keyFile = env.RAPPORT_TLS_KEY_FILE;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('Set both RAPPORT_TLS_CERT_FILE and RAPPORT_TLS_KEY_FILE to serve HTTPS, or neither.');
  const read = (file: string, name: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${name}: cannot read ${file} (${(error as Error).message}).`);
    }
  };
  return { cert: read(certFile, 'RAPPORT_TLS_CERT_FILE'), key: read(keyFile, 'RAPPORT_TLS_KEY_FILE') };
};

const readCookieSecure = (value: string | undefined): CookieSecure => {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'true' || value === 'always') return 'always';
  if (value === 'false' || value === 'never') return 'never';
  throw new Error(`RAPPORT_COOKIE_SECURE must be auto, always or never, got "${value}".`);
};

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
  backupDir: resolve(env.RAPPORT_BACKUP_DIR || join(env.RAPPORT_DATA_DIR ?? 'data', 'backups')),
  logLevel: env.LOG_LEVEL ?? 'info',
  bodyLimit: readInt(env.RAPPORT_BODY_LIMIT, 10 * 1024 * 1024, 'RAPPORT_BODY_LIMIT'),
  corsOrigins: (env.RAPPORT_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
  isWorkerEnabled: env.RAPPORT_WORKER !== 'off',
  poolSize: readInt(env.RAPPORT_DB_POOL_SIZE, 10, 'RAPPORT_DB_POOL_SIZE'),
  preparedStatements: env.RAPPORT_DB_PREPARED_STATEMENTS !== 'off',
  secret: env.RAPPORT_SECRET || undefined,
  publicUrl: (env.RAPPORT_PUBLIC_URL || `http://localhost:${readInt(env.PORT, 3000, 'PORT')}`).replace(/\/+$/, ''),
  smtpUrl: env.RAPPORT_SMTP_URL || undefined,
  mailFrom: env.RAPPORT_MAIL_FROM || 'Rapport <rapport@localhost>',
  cookieSecure: readCookieSecure(env.RAPPORT_COOKIE_SECURE),
  trustProxy: env.RAPPORT_TRUST_PROXY === 'true' || env.RAPPORT_TRUST_PROXY === '1',
  rateLimits: {
    apiPerMinute: readInt(env.RAPPORT_RATE_LIMIT, DEFAULT_RATE_LIMITS.apiPerMinute, 'RAPPORT_RATE_LIMIT'),
    ipPerMinute: readInt(env.RAPPORT_RATE_LIMIT_IP, DEFAULT_RATE_LIMITS.ipPerMinute, 'RAPPORT_RATE_LIMIT_IP'),
    authPerMinute: readInt(env.RAPPORT_AUTH_RATE_LIMIT, DEFAULT_RATE_LIMITS.authPerMinute, 'RAPPORT_AUTH_RATE_LIMIT'),
  },
  tls: readTls(env),
});
