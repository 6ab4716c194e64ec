import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { loadAccessProfile, type AccessProfile } from './access-profile.ts';

// A profile is trusted for a few seconds: a change made on another server shows here within this
// time at the latest, even if its NOTIFY was missed. Changes on this server invalidate at once.
const TTL_MS = 5000;
const MAX_ENTRIES = 10_000;

/** Where servers on PostgreSQL hear that a workspace's access changed (each drops its cached profiles). */
export const ACCESS_CHANNEL = 'rapport_access';

/** Tells the other servers (PostgreSQL) that a workspace's access changed; on PGlite there are no others. */
export const announceAccessChange = async (database: Pick<Database, 'db' | 'engine'>, workspaceId: string): Promise<void> => {
  if (database.engine === 'postgres') await sql`select pg_notify(${ACCESS_CHANNEL}, ${workspaceId})`.execute(database.db);
};

export interface AccessProfileCache {
  /** The profile of a user (or a key without a user, `null`) in a workspace: loaded once, then cached. */
  get(workspaceId: string, userId: string | null): Promise<AccessProfile>;
  /** Drops a workspace's profiles (roles, teams, territories, sharing rules or memberships changed). */
  invalidate(workspaceId?: string): void;
}

interface Entry {
  workspaceId: string;
  profile: Promise<AccessProfile>;
  until: number;
}

export const createAccessProfileCache = (db: Db, options: { ttlMs?: number } = {}): AccessProfileCache => {
  const ttl = options.ttlMs ?? TTL_MS;
  const entries = new Map<string, Entry>();
  return {
    get(workspaceId, userId) {
      const key = `${workspaceId}:${userId ?? ''}`;
      const now = Date.now();
      const cached = entries.get(key);
      if (cached && cached.until > now) return cached.profile;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const profile = loadAccessProfile(db, workspaceId, userId);
      const entry = { workspaceId, profile, until: now + ttl };
      entries.set(key, entry);
      profile.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return profile;
    },
    invalidate(workspaceId) {
      if (!workspaceId) return entries.clear();
      for (const [key, entry] of entries) if (entry.workspaceId === workspaceId) entries.delete(key);
    },
  };
};
