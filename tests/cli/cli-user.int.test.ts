import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyPassword } from '../../packages/server/src/engine/identity/passwords.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { prepareCliDatabase, runCli, type CliDatabase } from '../support/cli-database.ts';

describeEngines('rapport user create', (engine) => {
  let cli: CliDatabase | undefined;

  beforeAll(async () => {
    cli = await prepareCliDatabase(engine, 'cli-user-');
    await cli.withDatabase((database) => createWorkspace({ db: database.db, name: 'Cli People', standardObjects }));
  });
  afterAll(async () => {
    await cli?.destroy();
  });

  const run = (...args: string[]) => runCli({ ...cli!.env, RAPPORT_PUBLIC_URL: 'https://crm.cli.example' }, ...args);
  const readUser = (email: string) =>
    cli!.withDatabase(async (database) => {
      const { rows } = await sql<{ password_hash: string | null; status: string; role: string }>`
        select u.password_hash, m.status, r.name as role from rapport.user u
        join rapport.workspace_member m on m.user_id = u.id join rapport.role r on r.id = m.role_id
        where u.email = ${email}`.execute(database.db);
      return rows[0];
    });

  it('successful-create: should add an administrator with a password, the role named case-insensitively', async () => {
    const created = run('user', 'create', '--workspace', 'cli people', '--email', 'boss@cli.example', '--password', 'lighthouse-marmalade-9', '--role', 'ADMIN', '--json');

    expect(created.status, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ workspace: 'Cli People', user: { email: 'boss@cli.example', role: 'Admin', isAdmin: true, status: 'active' } });
    const row = await readUser('boss@cli.example');
    expect(row).toMatchObject({ status: 'active', role: 'Admin' });
    expect(await verifyPassword(row!.password_hash, 'lighthouse-marmalade-9')).toBe(true);
  }, 240_000);

  it('successful-invite: should print an invitation link when no password is given', () => {
    const created = run('user', 'create', '--workspace', 'Cli People', '--email', 'rep@cli.example', '--name', 'Cli Rep', '--role', 'sales rep', '--json');

    expect(created.status, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ user: { status: 'invited', role: 'Sales rep' }, invitationUrl: expect.stringMatching(/^https:\/\/crm\.cli\.example\/accept-invitation\?token=/) });
  }, 240_000);

  it('failing-create: should name the roles for an unknown one, and explain a weak password', () => {
    const unknownRole = run('user', 'create', '--workspace', 'Cli People', '--email', 'x@cli.example', '--role', 'emperor');
    const weak = run('user', 'create', '--workspace', 'Cli People', '--email', 'y@cli.example', '--role', 'admin', '--password', 'password1');

    expect(unknownRole.status).toBe(1);
    expect(unknownRole.stderr).toMatch(/No role "emperor".*roles: .*Admin.*Sales rep/);
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/password: Use at least 10 characters/);
  }, 240_000);
});
