import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../packages/server/src/engine/db/database.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';

export interface TestUser {
  id: string;
  email: string;
  /** An API key bound to the user with the `admin` scope: the user's role alone decides. */
  token: string;
}

export interface CreateTestUserOptions {
  workspaceId: string;
  /** A role id, or the name of a role of the workspace (`Sales rep`). */
  role: string | null;
  name?: string;
  teamIds?: string[];
  /** Scopes of the user's key; `["admin"]` (no narrowing) by default. */
  scopes?: string[];
  /** The licence type held (its features gate the API); Enterprise, which has them all, by default. */
  licence?: string | null;
}

/** Looks up a role of the workspace by name. */
export const findRoleId = async (db: Db, workspaceId: string, name: string): Promise<string> => {
  const { rows } = await sql<{ id: string }>`select id from rapport.role where workspace_id = ${workspaceId} and name = ${name}`.execute(db);
  if (!rows[0]) throw new Error(`No role named ${name}`);
  return rows[0].id;
};

const UUID = /^[0-9a-f-]{36}$/i;

/**
 * A member of the workspace with a role and an API key, inserted directly (the user API belongs to
 * the identity module): enough for the permission layer, which reads rapport.workspace_member.
 */
export const createTestUser = async (db: Db, options: CreateTestUserOptions): Promise<TestUser> => {
  const id = randomUUID();
  const email = `user.${id.slice(0, 8)}@example.com`;
  const roleId = options.role === null ? null : UUID.test(options.role) ? options.role : await findRoleId(db, options.workspaceId, options.role);
  await sql`insert into rapport.user (id, email, name) values (${id}, ${email}, ${options.name ?? email})`.execute(db);
  const licence = options.licence === undefined ? 'Enterprise' : options.licence;
  await sql`insert into rapport.workspace_member (workspace_id, user_id, role_id, licence) values (${options.workspaceId}, ${id}, ${roleId}, ${licence})`.execute(db);
  for (const teamId of options.teamIds ?? []) {
    await sql`insert into rapport.team_member (team_id, user_id, workspace_id) values (${teamId}, ${id}, ${options.workspaceId})`.execute(db);
  }
  const { token } = await createApiKey(db, { workspaceId: options.workspaceId, userId: id, scopes: options.scopes ?? ['admin'], name: `key of ${email}` });
  return { id, email, token };
};
