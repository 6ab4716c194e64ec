import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import type { SecretBox } from '../../../engine/identity/secret-box.ts';
import { hashToken, newLinkToken } from '../../../engine/identity/tokens.ts';

export interface FeedOwner {
  workspaceId: string;
  userId: string;
}

export interface FeedTokenOptions extends FeedOwner {
  db: Db;
  secretBox: SecretBox;
}

/**
 * The token of a user's private calendar feed in a workspace, made on first use. It is found by its SHA-256 (as
 * sessions and keys are) and also kept sealed, so its owner can copy the same address again; a token that no longer
 * opens (the master key changed) is replaced.
 */
export const getOrCreateFeedToken = async ({ db, secretBox, workspaceId, userId }: FeedTokenOptions): Promise<string> => {
  const { rows } = await sql<{ token_sealed: string }>`select token_sealed from rapport.calendar_feed where workspace_id = ${workspaceId} and user_id = ${userId}`.execute(db);
  if (rows[0]) {
    try {
      return secretBox.open(rows[0].token_sealed);
    } catch {
      // Falls through to a new token.
    }
  }
  const token = newLinkToken();
  // Two first calls at once: the second one's insert changes nothing and it reads the first one's token.
  const { rows: stored } = await sql<{ token_sealed: string }>`
    insert into rapport.calendar_feed (workspace_id, user_id, token_hash, token_sealed) values (${workspaceId}, ${userId}, ${hashToken(token)}, ${secretBox.seal(token)})
    on conflict (workspace_id, user_id) do update set token_hash = excluded.token_hash, token_sealed = excluded.token_sealed, created_at = now(), last_used_at = null
      where ${rows[0] !== undefined}
    returning token_sealed`.execute(db);
  if (stored[0]) return secretBox.open(stored[0].token_sealed);
  return getOrCreateFeedToken({ db, secretBox, workspaceId, userId });
};

/** Revokes the feed: its address answers 404 from now on, and the next request for one makes a new token. */
export const revokeFeedToken = async (db: Db, { workspaceId, userId }: FeedOwner): Promise<boolean> => {
  const { rows } = await sql`delete from rapport.calendar_feed where workspace_id = ${workspaceId} and user_id = ${userId} returning user_id`.execute(db);
  return rows.length > 0;
};

/** Whose feed a token opens, when it is a live feed of an active member. */
export const findFeedOwner = async (db: Db, token: string): Promise<FeedOwner | undefined> => {
  const { rows } = await sql<{ workspace_id: string; user_id: string }>`
    update rapport.calendar_feed f set last_used_at = now()
    from rapport.workspace_member m
    where f.token_hash = ${hashToken(token)} and m.workspace_id = f.workspace_id and m.user_id = f.user_id and m.status = 'active'
    returning f.workspace_id, f.user_id`.execute(db);
  return rows[0] ? { workspaceId: rows[0].workspace_id, userId: rows[0].user_id } : undefined;
};
