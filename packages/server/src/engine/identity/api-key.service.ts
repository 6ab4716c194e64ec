import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { TOKEN_PATTERN, uuidFromHex, type Principal } from './principal.ts';
import { hashToken, newToken, sameHash } from './tokens.ts';

export interface CreatedApiKey {
  id: string;
  name: string;
  workspaceId: string;
  token: string;
  scopes: string[];
  expiresAt: string | null;
}

export interface CreateApiKeyOptions {
  workspaceId: string;
  name?: string;
  expiresAt?: Date;
  /** Defaults to `["admin"]` (a workspace administration key, as the CLI makes). */
  scopes?: string[];
  /** The user the key acts as (their role applies on top of the scopes). */
  userId?: string | null;
  createdBy?: string | null;
}

/** Creates a key; the token is returned once and only its SHA-256 is stored. */
export const createApiKey = async (db: Db, options: CreateApiKeyOptions): Promise<CreatedApiKey> => {
  const id = randomUUID();
  const token = newToken('rap', id);
  const name = options.name?.trim() || 'API key';
  const scopes = options.scopes ?? ['admin'];
  await sql`insert into rapport.api_key (id, workspace_id, name, token_hash, expires_at, scopes, user_id, created_by)
    values (${id}, ${options.workspaceId}, ${name}, ${hashToken(token)}, ${options.expiresAt?.toISOString() ?? null}, ${scopes}::text[],
      ${options.userId ?? null}, ${options.createdBy ?? null})`.execute(db);
  return { id, name, workspaceId: options.workspaceId, token, scopes, expiresAt: options.expiresAt?.toISOString() ?? null };
};

/** @deprecated name kept for callers of the platform core; a key resolves to a Principal. */
export type ApiKeyPrincipal = Principal;

interface KeyRow {
  id: string;
  workspace_id: string;
  token_hash: string;
  expires_at: string | null;
  revoked_at: string | null;
  scopes: string[];
  user_id: string | null;
  member_status: string | null;
}

/** Resolves an API key token to its principal, or throws UNAUTHENTICATED. */
export const authenticateApiKey = async (db: Db, token: string): Promise<Principal> => {
  const match = TOKEN_PATTERN.exec(token);
  if (!match || match[1] !== 'rap') throw new AppError('UNAUTHENTICATED', 'The bearer token is not a Rapport API key.');
  const id = uuidFromHex(match[2]!);
  const { rows } = await sql<KeyRow>`
    select k.id, k.workspace_id, k.token_hash, k.expires_at, k.revoked_at, k.scopes, k.user_id, m.status as member_status
    from rapport.api_key k
    left join rapport.workspace_member m on m.workspace_id = k.workspace_id and m.user_id = k.user_id
    where k.id = ${id}`.execute(db);
  const row = rows[0];
  if (!row || !sameHash(row.token_hash, token)) throw new AppError('UNAUTHENTICATED', 'Unknown API key.');
  if (row.revoked_at) throw new AppError('UNAUTHENTICATED', 'This API key was revoked.');
  if (row.expires_at && new Date(row.expires_at) <= new Date()) throw new AppError('UNAUTHENTICATED', 'This API key has expired.');
  if (row.user_id && row.member_status !== 'active') throw new AppError('UNAUTHENTICATED', 'The user of this API key is deactivated.');
  return { via: 'apiKey', workspaceId: row.workspace_id, userId: row.user_id, sessionId: null, keyId: row.id, scopes: row.scopes };
};

/** Last use is written at most once a minute per key, off the request's critical path. */
export const touchApiKey = (db: Db, keyId: string) =>
  sql`update rapport.api_key set last_used_at = now() where id = ${keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(db);

export const revokeApiKey = (db: Db, keyId: string) => sql`update rapport.api_key set revoked_at = now() where id = ${keyId} and revoked_at is null`.execute(db);

/** A key as listings show it: never the token. */
export interface ApiKeySummary {
  id: string;
  name: string;
  scopes: string[];
  userId: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface KeySummaryRow {
  id: string;
  name: string;
  scopes: string[];
  user_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const toSummary = (row: KeySummaryRow): ApiKeySummary => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  userId: row.user_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** The keys of a workspace (or of one user in it), newest first; revoked ones only when asked. */
export const listApiKeys = async (db: Db, options: { workspaceId: string; userId?: string; includeRevoked?: boolean }): Promise<ApiKeySummary[]> => {
  const { rows } = await sql<KeySummaryRow>`
    select id, name, scopes, user_id, created_by, created_at, expires_at, last_used_at, revoked_at from rapport.api_key
    where workspace_id = ${options.workspaceId}
      ${options.userId ? sql`and user_id = ${options.userId}` : sql``}
      ${options.includeRevoked ? sql`` : sql`and revoked_at is null`}
    order by created_at desc, id`.execute(db);
  return rows.map(toSummary);
};

export const findApiKey = async (db: Db, { workspaceId, id }: { workspaceId: string; id: string }): Promise<ApiKeySummary | undefined> => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await sql<KeySummaryRow>`
    select id, name, scopes, user_id, created_by, created_at, expires_at, last_used_at, revoked_at from rapport.api_key
    where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
  return rows[0] ? toSummary(rows[0]) : undefined;
};
