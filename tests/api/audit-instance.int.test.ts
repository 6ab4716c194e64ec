import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace, type WorkspaceSummary } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addMember, signIn } from '../support/workspace-members.ts';

interface Entry {
  id: number;
  actorId: string | null;
  action: string;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

const ENTRY_KEYS = ['action', 'actorId', 'at', 'details', 'id', 'ip', 'objectName', 'recordId', 'userAgent'];

describeEngines('audit log: failed sign-ins for unknown emails', (engine) => {
  let t: TestApp;
  let second: WorkspaceSummary;
  let secondKey: string;
  let repSession: string;
  let nextIp = 10;

  const attemptSignIn = (body: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      remoteAddress: `198.51.100.${nextIp++}`,
      headers: { 'content-type': 'application/json', 'user-agent': 'credential-stuffer/1.0' },
      payload: JSON.stringify(body),
    });
  const list = async (query: string, token = t.token) =>
    (await t.request('GET', `/api/v1/audit${query}`, undefined, { authorization: `Bearer ${token}` })) as { status: number; body: { data: Entry[] } & Record<string, any> };

  beforeAll(async () => {
    t = await createTestApp(engine, 'First Co');
    const db = t.testDatabase.database.db;
    second = await createWorkspace({ db, name: 'Second Co', standardObjects });
    secondKey = (await createApiKey(db, { workspaceId: second.id })).token;
    const rep = await addMember(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    repSession = await signIn(db, { workspaceId: t.workspace.id, userId: rep.id });
  });
  afterAll(async () => t?.destroy());

  it('should audit an unknown email at instance level, readable by the first workspace\'s admins in the same shape', async () => {
    const attempt = await attemptSignIn({ email: 'nobody@stuffing.example', password: 'Hunter2-attempted-secret' });
    expect(attempt.statusCode).toBe(401);

    const instance = await list('?scope=instance&action=auth.sign_in.failed');

    expect(instance.status).toBe(200);
    const entry = instance.body.data.find((e) => e.details.email === 'nobody@stuffing.example');
    expect(entry).toMatchObject({ actorId: null, action: 'auth.sign_in.failed', userAgent: 'credential-stuffer/1.0', details: { email: 'nobody@stuffing.example', reason: 'unknownEmail' } });
    expect(entry!.ip).toMatch(/^198\.51\.100\./);
    expect(Object.keys(entry!).sort()).toEqual(ENTRY_KEYS);
    expect(Object.keys(instance.body).sort()).toEqual(['data', 'pageInfo']);
    const workspaceScope = await list('?action=auth.sign_in.failed');
    expect(workspaceScope.body.data.some((e) => e.details.email === 'nobody@stuffing.example')).toBe(false);
  });

  it('should audit an unknown email in the workspace the sign-in named, not at instance level', async () => {
    expect((await attemptSignIn({ email: 'ghost@stuffing.example', password: 'whatever-secret-1', workspace: 'second co' })).statusCode).toBe(401);

    const inSecond = await list('?action=auth.sign_in.failed', secondKey);
    const instance = await list('?scope=instance');

    expect(inSecond.body.data.map((e) => e.details)).toContainEqual({ email: 'ghost@stuffing.example', reason: 'unknownEmail' });
    expect(instance.body.data.some((e) => e.details.email === 'ghost@stuffing.example')).toBe(false);
  });

  it('should never store the attempted password', async () => {
    await attemptSignIn({ email: 'third@stuffing.example', password: 'Zebra-Unique-Passphrase-42' });

    const { rows } = await sql<{ n: number }>`select count(*)::int as n from rapport.audit_log a
      where a::text like '%Zebra-Unique-Passphrase-42%' or a::text like '%Hunter2-attempted-secret%'`.execute(t.testDatabase.database.db);
    const { rows: recorded } = await sql<{ n: number }>`select count(*)::int as n from rapport.audit_log where details->>'email' = 'third@stuffing.example'`.execute(t.testDatabase.database.db);

    expect(recorded[0]!.n).toBe(1);
    expect(rows[0]!.n).toBe(0);
  });

  it('should export the instance scope as JSON lines for a SIEM', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export?scope=instance', headers: { authorization: `Bearer ${t.token}` } });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    const lines = response.body.trim().split('\n').map((line) => JSON.parse(line) as Entry);
    expect(lines.map((line) => line.details.email)).toEqual(expect.arrayContaining(['nobody@stuffing.example', 'third@stuffing.example']));
    expect(lines.every((line) => line.action === 'auth.sign_in.failed')).toBe(true);
  });

  it('failing-list: should refuse the instance scope to other workspaces\' admins and to non-admins', async () => {
    const other = await list('?scope=instance', secondKey);
    const rep = await list('?scope=instance', repSession);
    const bad = await list('?scope=galaxy');

    expect(other.status).toBe(403);
    expect(other.body.code).toBe('FORBIDDEN');
    expect(rep.status).toBe(403);
    expect(bad.status).toBe(400);
  });
});
