import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { addPasswordUser, call, PASSWORD, signInOverHttp, totpCodeOf, type PasswordUser } from '../support/identity.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('identity: two-factor authentication', (engine) => {
  let t: TestApp;
  let user: PasswordUser;
  let secret: string;
  let enrolmentCode: string;
  let recoveryCodes: string[];
  beforeAll(async () => {
    t = await createTestApp(engine, 'Totp Co');
    user = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
  });
  afterAll(async () => t?.destroy());

  const signIn = (body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: PASSWORD, ...body }, { ip: '203.0.113.20' });

  it('successful-enroll: should give a base32 secret and an otpauth URL, stored encrypted and pending', async () => {
    const session = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });

    const response = await call(t.app, 'POST', '/api/v1/auth/totp/enroll', undefined, { token: session.token });

    expect(response.status).toBe(200);
    secret = response.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(response.body.otpauthUrl).toBe(`otpauth://totp/Rapport:${encodeURIComponent(user.email)}?secret=${secret}&issuer=Rapport&algorithm=SHA1&digits=6&period=30`);
    const { rows } = await sql<{ totp_pending_secret: string; totp_enabled_at: string | null }>`select totp_pending_secret, totp_enabled_at from rapport.user where id = ${user.id}`.execute(t.testDatabase.database.db);
    expect(rows[0]!.totp_pending_secret).toMatch(/^v1\./);
    expect(rows[0]!.totp_pending_secret).not.toContain(secret);
    expect(rows[0]!.totp_enabled_at).toBeNull();
  });

  it('failing-verify: should refuse a wrong code with a per-field error and leave 2FA off', async () => {
    const session = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });
    const wrong = String((Number(totpCodeOf(secret)) + 1) % 1_000_000).padStart(6, '0');

    const response = await call(t.app, 'POST', '/api/v1/auth/totp/verify', { code: wrong }, { token: session.token });

    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'code', code: 'invalidCode' })]);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: session.token })).body.twoFactorEnabled).toBe(false);
  });

  it('successful-verify: should turn 2FA on with a current code and return 10 single-use recovery codes, stored hashed', async () => {
    const session = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });
    enrolmentCode = totpCodeOf(secret);

    const response = await call(t.app, 'POST', '/api/v1/auth/totp/verify', { code: enrolmentCode }, { token: session.token });

    expect(response.status).toBe(200);
    recoveryCodes = response.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    const me = await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: session.token });
    expect(me.body).toMatchObject({ twoFactorEnabled: true, recoveryCodesLeft: 10 });
    const { rows } = await sql<{ code_hash: string }>`select code_hash from rapport.recovery_code where user_id = ${user.id}`.execute(t.testDatabase.database.db);
    expect(rows.map((row) => row.code_hash)).not.toContain(recoveryCodes[0]);
    const { rows: audit } = await sql`select 1 from rapport.audit_log where action = 'auth.totp.enabled' and actor_id = ${user.id}`.execute(t.testDatabase.database.db);
    expect(audit).toHaveLength(1);
  });

  it('failing-sign-in: should answer TOTP_REQUIRED when the password is right but no code is sent', async () => {
    const response = await signIn({});

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('TOTP_REQUIRED');
    expect(response.body.token).toBeUndefined();
  });

  it('failing-sign-in: should answer TOTP_INVALID for a wrong code, and for a code already used (replay)', async () => {
    const wrong = await signIn({ totp: '000000' === totpCodeOf(secret) ? '111111' : '000000' });
    const replayed = await signIn({ totp: enrolmentCode });

    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('TOTP_INVALID');
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('TOTP_INVALID');
  });

  it('successful-sign-in: should accept a fresh code once, then refuse the same code', async () => {
    const code = totpCodeOf(secret, 1);

    const first = await signIn({ totp: code });
    const again = await signIn({ totp: code });

    expect(first.status).toBe(200);
    expect(first.body.token).toMatch(/^rps_/);
    expect(again.body.code).toBe('TOTP_INVALID');
  });

  it('successful-recovery: should accept a recovery code in place of the TOTP code, only once', async () => {
    const code = recoveryCodes[0]!;

    const first = await signIn({ totp: code.toUpperCase() });
    const again = await signIn({ totp: code });

    expect(first.status).toBe(200);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('TOTP_INVALID');
    const me = await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: first.body.token });
    expect(me.body.recoveryCodesLeft).toBe(9);
  });

  it('successful-renew: should replace the recovery codes with new ones given a fresh authenticator code, and refuse a recovery code for it', async () => {
    // As if the earlier codes' time steps had passed: the next current code is fresh.
    await sql`update rapport.user set totp_last_step = null where id = ${user.id}`.execute(t.testDatabase.database.db);
    const session = (await signIn({ totp: recoveryCodes[4]! })).body.token as string;

    const refused = await call(t.app, 'POST', '/api/v1/auth/totp/recovery-codes', { code: recoveryCodes[1]! }, { token: session });
    const renewed = await call(t.app, 'POST', '/api/v1/auth/totp/recovery-codes', { code: totpCodeOf(secret) }, { token: session });

    expect(refused.status).toBe(422);
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    expect(renewed.body.recoveryCodes).not.toContain(recoveryCodes[1]);
    // The old codes stop working; the new ones take over for the rest of this journey.
    expect((await signIn({ totp: recoveryCodes[1]! })).body.code).toBe('TOTP_INVALID');
    recoveryCodes = renewed.body.recoveryCodes;
  });

  it('failing-disable: should need a valid code to turn 2FA off', async () => {
    const session = (await signIn({ totp: recoveryCodes[1]! })).body.token as string;

    const response = await call(t.app, 'POST', '/api/v1/auth/totp/disable', { code: 'not-a-code' }, { token: session });

    expect(response.status).toBe(422);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: session })).body.twoFactorEnabled).toBe(true);
  });

  it('successful-disable: should turn 2FA off with a recovery code; sign-in then needs the password alone', async () => {
    const session = (await signIn({ totp: recoveryCodes[2]! })).body.token as string;

    const response = await call(t.app, 'POST', '/api/v1/auth/totp/disable', { code: recoveryCodes[3]! }, { token: session });

    expect(response.status).toBe(204);
    expect((await signIn({})).status).toBe(200);
    const { rows } = await sql`select 1 from rapport.recovery_code where user_id = ${user.id}`.execute(t.testDatabase.database.db);
    expect(rows).toHaveLength(0);
    const { rows: audited } = await sql`select 1 from rapport.audit_log where action = 'auth.totp.disabled' and actor_id = ${user.id}`.execute(t.testDatabase.database.db);
    expect(audited).toHaveLength(1);
  });
});

describeEngines('identity: two-factor enforcement', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Strict Co');
  });
  afterAll(async () => t?.destroy());

  it('successful-policy: should let a workspace require 2FA, and let a member without it reach only the enrolment routes until enrolled', async () => {
    const member = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const policy = await call(t.app, 'PATCH', '/api/v1/auth/policy', { requireTwoFactor: true }, { token: t.token });
    expect(policy.body).toEqual({ requireTwoFactor: true });

    const session = await signInOverHttp(t.app, { email: member.email, password: PASSWORD });
    const blocked = await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: session.token });
    const me = await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: session.token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ twoFactorRequired: true, twoFactorEnabled: false });

    const { secret } = (await call(t.app, 'POST', '/api/v1/auth/totp/enroll', undefined, { token: session.token })).body;
    expect((await call(t.app, 'POST', '/api/v1/auth/totp/verify', { code: totpCodeOf(secret) }, { token: session.token })).status).toBe(200);

    expect((await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: session.token })).status).toBe(200);
    const disable = await call(t.app, 'POST', '/api/v1/auth/totp/disable', { code: totpCodeOf(secret, 1) }, { token: session.token });
    expect(disable.status).toBe(403);
    expect(disable.body.code).toBe('FORBIDDEN');
    await call(t.app, 'PATCH', '/api/v1/auth/policy', { requireTwoFactor: false }, { token: t.token });
  });

  it('failing-policy: should let only administrators change the policy', async () => {
    const rep = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const session = await signInOverHttp(t.app, { email: rep.email, password: PASSWORD });

    const response = await call(t.app, 'PATCH', '/api/v1/auth/policy', { requireTwoFactor: true }, { token: session.token });

    expect(response.status).toBe(403);
    expect((await call(t.app, 'GET', '/api/v1/auth/policy', undefined, { token: session.token })).body).toEqual({ requireTwoFactor: false });
  });

  it('successful-role: should require 2FA of the members of a role that requires it, and of no one else', async () => {
    const db = t.testDatabase.database.db;
    await sql`update rapport.role set require_two_factor = true where workspace_id = ${t.workspace.id} and name = 'Sales manager'`.execute(db);
    const manager = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales manager' });
    const rep = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });

    const managerSession = await signInOverHttp(t.app, { email: manager.email, password: PASSWORD });
    const repSession = await signInOverHttp(t.app, { email: rep.email, password: PASSWORD });

    expect((await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: managerSession.token })).body.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    expect((await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: repSession.token })).status).toBe(200);
    expect((await call(t.app, 'POST', '/api/v1/auth/totp/enroll', undefined, { token: managerSession.token })).status).toBe(200);
  });
});

describeEngines('identity: two-factor reset by an administrator', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Lost Phone Co');
  });
  afterAll(async () => t?.destroy());

  const enrol = async (user: PasswordUser) => {
    const session = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });
    const { secret } = (await call(t.app, 'POST', '/api/v1/auth/totp/enroll', undefined, { token: session.token })).body;
    expect((await call(t.app, 'POST', '/api/v1/auth/totp/verify', { code: totpCodeOf(secret) }, { token: session.token })).status).toBe(200);
    return session.token;
  };

  it('successful-reset: should turn a member\'s 2FA off, end their sessions and audit it; a non-admin cannot', async () => {
    const db = t.testDatabase.database.db;
    const member = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const colleague = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const memberSession = await enrol(member);
    const colleagueSession = (await signInOverHttp(t.app, { email: colleague.email, password: PASSWORD })).token;

    const forbidden = await call(t.app, 'POST', `/api/v1/users/${member.id}/reset-two-factor`, undefined, { token: colleagueSession });
    const reset = await call(t.app, 'POST', `/api/v1/users/${member.id}/reset-two-factor`, undefined, { token: t.token });
    const again = await call(t.app, 'POST', `/api/v1/users/${member.id}/reset-two-factor`, undefined, { token: t.token });

    expect(forbidden.status).toBe(403);
    expect(reset.status).toBe(204);
    expect(again.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: memberSession })).status).toBe(401);
    const signedIn = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: member.email, password: PASSWORD });
    expect(signedIn.status).toBe(200);
    const { rows } = await sql`select 1 from rapport.audit_log where action = 'auth.totp.reset' and record_id = ${member.id}`.execute(db);
    expect(rows).toHaveLength(1);
  });

  it('failing-reset: should refuse when the person also belongs to another workspace', async () => {
    const db = t.testDatabase.database.db;
    const member = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    await enrol(member);
    const other = await createWorkspace({ db, name: 'Other Co', standardObjects });
    await sql`insert into rapport.workspace_member (workspace_id, user_id, status) values (${other.id}, ${member.id}, 'active')`.execute(db);

    const response = await call(t.app, 'POST', `/api/v1/users/${member.id}/reset-two-factor`, undefined, { token: t.token });

    expect(response.status).toBe(409);
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: member.email, password: PASSWORD, workspace: 'Lost Phone Co' })).body.code).toBe('TOTP_REQUIRED');
  });
});
