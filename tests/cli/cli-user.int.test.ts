import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openDatabase } from '../../packages/server/src/engine/db/database.ts';
import { verifyPassword } from '../../packages/server/src/engine/identity/passwords.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { createTestDatabase, describeEngines, type TestDatabase } from '../setup/engines.ts';

const CLI = join(process.cwd(), 'packages/cli/bin/rapport.js');

describeEngines('rapport user create', (engine) => {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let testDatabase: TestDatabase | undefined;

  beforeAll(async () => {
    if (engine === 'pglite') {
      dataDir = mkdtempSync(join(inject('rapportTestRunDir'), 'cli-user-'));
      cpSync(inject('rapportPgliteTemplate')!, join(dataDir, 'pglite'), { recursive: true });
      env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: '' };
    } else {
      testDatabase = await createTestDatabase('postgres');
      await testDatabase.database.close();
      env = { DATABASE_URL: testDatabase.databaseUrl! };
    }
    const database = await openDatabase(dataDir ? { dataDir: join(dataDir, 'pglite') } : { databaseUrl: env.DATABASE_URL! });
    await createWorkspace({ db: database.db, name: 'Cli People', standardObjects }).finally(() => database.close());
  });
  afterAll(async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (testDatabase) await testDatabase.destroy().catch(() => undefined);
  });

  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, RAPPORT_PUBLIC_URL: 'https://crm.cli.example' }, encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout.trim().split('\n').at(-1)!) };
  };
  const readUser = async (email: string) => {
    const database = await openDatabase(dataDir ? { dataDir: join(dataDir, 'pglite') } : { databaseUrl: env.DATABASE_URL! });
    try {
      const { rows } = await sql<{ password_hash: string | null; status: string; role: string }>`
        select u.password_hash, m.status, r.name as role from rapport.user u
        join rapport.workspace_member m on m.user_id = u.id join rapport.role r on r.id = m.role_id
        where u.email = ${email}`.execute(database.db);
      return rows[0];
    } finally {
      await database.close();
    }
  };

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
