import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../packages/server/src/engine/db/database.ts';
import { createSession } from '../../packages/server/src/engine/identity/session.service.ts';

export interface AddMemberOptions {
  workspaceId: string;
  email?: string;
  name?: string;
  /** A role of the workspace by name (`Admin`, `Sales rep`...); none by default. */
  role?: string;
  licence?: string | null;
  status?: 'invited' | 'active' | 'deactivated';
}

export interface Member {
  id: string;
  email: string;
  name: string;
}

let sequence = 0;

/** A user and their membership, written straight to the tables (what sign-up or an invitation leaves behind). */
export const addMember = async (db: Db, options: AddMemberOptions): Promise<Member> => {
  const id = randomUUID();
  const n = ++sequence;
  const email = options.email ?? `member${n}.${id.slice(0, 6)}@example.com`;
  const name = options.name ?? `Member ${n}`;
  await sql`insert into rapport.user (id, email, name) values (${id}, ${email}, ${name})`.execute(db);
  await sql`insert into rapport.workspace_member (workspace_id, user_id, role_id, licence, status)
    values (${options.workspaceId}, ${id},
      (select id from rapport.role where workspace_id = ${options.workspaceId} and name = ${options.role ?? null}),
      ${options.licence === undefined ? 'Enterprise' : options.licence}, ${options.status ?? 'active'})`.execute(db);
  return { id, email, name };
};

/** Signs a member in through createSession (the door every sign-in goes through); returns the bearer token. */
export const signIn = async (db: Db, options: { workspaceId: string; userId: string; ip?: string }): Promise<string> =>
  (await createSession(db, { workspaceId: options.workspaceId, userId: options.userId, ip: options.ip ?? '127.0.0.1', userAgent: 'vitest' })).token;
