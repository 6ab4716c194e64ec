import { randomBytes } from 'node:crypto';
import type { StandardObject } from '../metadata/standard-objects.ts';
import type { Mailer } from '../mail/mailer.ts';
import { deriveKey, createSecretBox, type SecretBox } from './secret-box.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import type { Db } from '../db/database.ts';

export type CookieSecure = 'auto' | 'always' | 'never';

/** Requests per minute; 0 turns a limit off. */
export interface RateLimitSettings {
  /** Per API key or signed-in user, on the authenticated API. */
  apiPerMinute: number;
  /** Per client IP, on the authenticated API. */
  ipPerMinute: number;
  /** Per client IP, on sign-in, sign-up, invitations and password resets. */
  authPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { apiPerMinute: 1200, ipPerMinute: 3000, authPerMinute: 30 };

/** What sign-in, invitations and resets need to know about the deployment. */
export interface IdentitySettings {
  /** Base of the links in emails, e.g. `https://crm.example.com`. */
  publicUrl: string;
  cookieSecure: CookieSecure;
  rateLimits: RateLimitSettings;
}

/** The identity part of the engine services, built once at start. */
export interface IdentityServices {
  settings: IdentitySettings;
  secretBox: SecretBox;
  /** Key of the CSRF tokens (derived from the master key). */
  csrfKey: Buffer;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  /** The standard objects a workspace made by sign-up starts with (the app composes them in). */
  standardObjects: StandardObject[];
}

export interface CreateIdentityServicesOptions {
  db: Db;
  settings: IdentitySettings;
  /** The master key (see loadMasterKey); absent: a random key for this process only (tests). */
  masterKey?: Buffer | undefined;
  mailer: Mailer;
  standardObjects: StandardObject[];
  onError: (error: unknown) => void;
}

export const createIdentityServices = (options: CreateIdentityServicesOptions): IdentityServices => {
  const masterKey = options.masterKey ?? randomBytes(32);
  return {
    settings: options.settings,
    secretBox: createSecretBox(masterKey),
    csrfKey: deriveKey(masterKey, 'csrf'),
    mailer: options.mailer,
    rateLimiter: createRateLimiter(options.db, options.onError),
    standardObjects: options.standardObjects,
  };
};

/** Settings from the configuration; what is left out is off (rate limits) or local (links). */
export const identitySettingsFrom = (config: Partial<IdentitySettings>): IdentitySettings => ({
  publicUrl: (config.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, ''),
  cookieSecure: config.cookieSecure ?? 'auto',
  rateLimits: config.rateLimits ?? { apiPerMinute: 0, ipPerMinute: 0, authPerMinute: 0 },
});
