import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

/** `rap_` + key id (no dashes) + `_` + 32 random bytes; only a SHA-256 of it is stored. */
const TOKEN_PATTERN = /^rap_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

// The token carries 256 random bits, so a fast hash is as safe as a slow one and keeps auth cheap per request.
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface CreatedApiKey {
  id: string;
  name: string;
  workspaceId: string;
  token: string;
  expiresAt: string | null;
}

export const createApiKey = async (db: Db, options: { workspaceId: string; name?: string; expiresAt?: Date }): Promise<CreatedApiKey> => {
  const id = randomUUID();
  const token = `rap_${id.replace(/-/g, '')}_${randomBytes(32).toString('base64url')}`;
  const name = options.name?.trim() || 'API key';
  await sql`insert into rapport.api_key (id, workspace_id, name, token_hash, expires_at)
    values (${id}, ${options.workspaceId}, ${name}, ${hashToken(token)}, ${options.expiresAt?.toISOString() ?? null})`.execute(db);
  return { id, name, workspaceId: options.workspaceId, token, expiresAt: options.expiresAt?.toISOString() ?? null };
};

export interface ApiKeyPrincipal {
  keyId: string;
  workspaceId: string;
}

interface KeyRow {
  id: string;
  workspace_id: string;
  token_hash: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** Resolves a bearer token to its workspace, or throws UNAUTHENTICATED. */
export const authenticateApiKey = async (db: Db, token: string): Promise<ApiKeyPrincipal> => {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) throw new AppError('UNAUTHENTICATED', 'The bearer token is not a Rapport API key.');
  const id = match[1]!.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  const { rows } = await sql<KeyRow>`select id, workspace_id, token_hash, expires_at, revoked_at from rapport.api_key where id = ${id}`.execute(db);
  const row = rows[0];
  const expected = Buffer.from(row?.token_hash ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(hashToken(token), 'hex');
  if (!row || !timingSafeEqual(expected, actual)) throw new AppError('UNAUTHENTICATED', 'Unknown API key.');
  if (row.revoked_at) throw new AppError('UNAUTHENTICATED', 'This API key was revoked.');
  if (row.expires_at && new Date(row.expires_at) <= new Date()) throw new AppError('UNAUTHENTICATED', 'This API key has expired.');
  return { keyId: row.id, workspaceId: row.workspace_id };
};

/** Last use is written at most once a minute per key, off the request's critical path. */
export const touchApiKey = (db: Db, keyId: string) =>
  sql`update rapport.api_key set last_used_at = now() where id = ${keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(db);

export const revokeApiKey = (db: Db, keyId: string) => sql`update rapport.api_key set revoked_at = now() where id = ${keyId}`.execute(db);
