import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import type { StandardObject } from '../metadata/standard-objects.ts';
import { createWorkspace, findWorkspace } from '../workspaces/workspace.service.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import { assignMembership, checkIdentity } from './users.service.ts';

export interface SignUpInput {
  workspaceName: string;
  email: string;
  name: string;
  password: string;
}

const SIGN_UP_LOCK = 7266871;

const closed = () => new AppError('SIGN_UP_CLOSED', 'This Rapport already has users: ask an administrator to invite you.');

/** Whether the instance has no user yet (the only time sign-up is open). */
export const isSignUpOpen = async (db: Db): Promise<boolean> => {
  const { rows } = await sql<{ open: boolean }>`select not exists(select 1 from rapport.user) as open`.execute(db);
  return rows[0]?.open === true;
};

/**
 * The first administrator of a new instance: creates the account, the workspace (or takes over a
 * workspace of that name that has no members yet, e.g. made with the CLI) and makes them its Admin.
 */
export const signUp = async (db: Db, { input, standardObjects }: { input: SignUpInput; standardObjects: StandardObject[] }): Promise<{ userId: string; workspaceId: string }> => {
  const { email, name, errors } = checkIdentity(input);
  const workspaceName = input.workspaceName.trim();
  if (workspaceName.length < 1 || workspaceName.length > 100) errors.push({ field: 'workspaceName', code: 'required', message: 'A workspace name has 1 to 100 characters.' });
  errors.push(...checkPassword({ password: input.password, email, name }));
  if (!(await isSignUpOpen(db))) throw closed();
  if (errors.length > 0) throw validationFailed(errors);
  const passwordHash = await hashPassword(input.password);

  const userId = randomUUID();
  await db.transaction().execute(async (trx) => {
    // Two sign-ups at once: the second waits here, then finds the first one's user.
    await sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK})`.execute(trx);
    if (!(await isSignUpOpen(trx))) throw closed();
    await sql`insert into rapport.user (id, email, name, password_hash, password_changed_at) values (${userId}, ${email}, ${name}, ${passwordHash}, now())`.execute(trx);
  });
  try {
    let workspace = await findWorkspace(db, { name: workspaceName });
    if (workspace) {
      const { rows } = await sql`select 1 from rapport.workspace_member where workspace_id = ${workspace.id} limit 1`.execute(db);
      if (rows.length > 0) throw new AppError('ALREADY_EXISTS', `A workspace named "${workspaceName}" already exists.`, { errors: [{ field: 'workspaceName', code: 'unique', message: 'Already taken.' }] });
    } else {
      workspace = await createWorkspace({ db, name: workspaceName, standardObjects });
    }
    const { rows: roles } = await sql<{ id: string }>`select id from rapport.role where workspace_id = ${workspace.id} and is_admin order by (name = 'Admin') desc, created_at limit 1`.execute(db);
    if (!roles[0]) throw new AppError('CONFLICT', `The workspace "${workspaceName}" has no administrator role.`);
    const workspaceId = workspace.id;
    await db.transaction().execute((trx) => assignMembership(trx, { workspaceId, userId, roleId: roles[0]!.id, status: 'active' }));
    return { userId, workspaceId };
  } catch (error) {
    // Nothing half-made: without its workspace the first account goes too, and sign-up stays open.
    await sql`delete from rapport.user where id = ${userId}`.execute(db);
    throw error;
  }
};
