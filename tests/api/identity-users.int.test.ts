import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { addPasswordUser, call, PASSWORD, signInOverHttp, type BrowserSession, type PasswordUser } from '../support/identity.ts';
import { linkTokenOf, startTestMailbox, type TestMailbox } from '../support/smtp.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describeEngines('identity: users, invitations and password resets', (engine) => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let admin: PasswordUser;
  let adminSession: BrowserSession;
  let roles: Record<string, string>;
  beforeAll(async () => {
    mailbox = await startTestMailbox();
    t = await createTestApp(engine, 'People Co', { config: { smtpUrl: mailbox.url, mailFrom: 'Rapport <crm@people.example>', publicUrl: 'https://crm.people.example' } });
    const db = t.testDatabase.database.db;
    admin = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Admin', name: 'Grace Admin' });
    adminSession = await signInOverHttp(t.app, { email: admin.email, password: PASSWORD });
    const { rows } = await sql<{ id: string; name: string }>`select id, name from rapport.role where workspace_id = ${t.workspace.id}`.execute(db);
    roles = Object.fromEntries(rows.map((row) => [row.name, row.id]));
  });
  afterAll(async () => {
    await t?.destroy();
    await mailbox?.close();
  });

  const asAdmin = <T = any>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => call<T>(t.app, method, url, body, { token: adminSession.token });

  it('successful-create: should add a user with a password who can sign in at once', async () => {
    const response = await asAdmin('POST', '/api/v1/users', { email: 'Rep.One@People.Example', name: 'Rep One', password: 'velvet-submarine-orchestra', roleId: roles['Sales rep'] });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/api/v1/users/${response.body.id}`);
    expect(response.body).toMatchObject({ email: 'Rep.One@people.example', name: 'Rep One', status: 'active', role: 'Sales rep', isAdmin: false, teamIds: [] });
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: 'rep.one@people.example', password: 'velvet-submarine-orchestra' })).status).toBe(200);
    const { rows } = await sql<{ password_hash: string }>`select password_hash from rapport.user where id = ${response.body.id}`.execute(t.testDatabase.database.db);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('failing-create: should explain each invalid field, refuse duplicates and non-administrators', async () => {
    const invalid = await asAdmin('POST', '/api/v1/users', { email: 'not-an-email', name: '', password: 'qwerty', roleId: '00000000-0000-4000-8000-000000000000' });
    const duplicate = await asAdmin('POST', '/api/v1/users', { email: admin.email, name: 'Again', roleId: roles['Sales rep'] });
    const unknownRole = await asAdmin('POST', '/api/v1/users', { email: 'x@people.example', name: 'X', roleId: '00000000-0000-4000-8000-000000000000' });
    const rep = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const repSession = await signInOverHttp(t.app, { email: rep.email, password: PASSWORD });
    const forbidden = await call(t.app, 'POST', '/api/v1/users', { email: 'y@people.example', name: 'Y', roleId: roles['Admin'] }, { token: repSession.token });

    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((error: { field: string; code: string }) => `${error.field}:${error.code}`)).toEqual(['email:invalidEmail', 'name:required', 'password:tooShort']);
    expect(duplicate.status).toBe(409);
    expect(unknownRole.status).toBe(422);
    expect(unknownRole.body.errors).toEqual([expect.objectContaining({ field: 'roleId', code: 'relationNotFound' })]);
    expect(forbidden.status).toBe(403);
  });

  it('successful-invite: should email a single-use link that sets the password and signs in', async () => {
    const created = await asAdmin('POST', '/api/v1/users', { email: 'invitee@people.example', name: 'In Vitee', roleId: roles['Sales rep'] });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('invited');

    const mail = await mailbox.takeMailTo('invitee@people.example');
    expect(mail.subject).toBe('You are invited to People Co on Rapport');
    expect(mail.text).toContain('Grace Admin invited you');
    expect(mail.text).toContain('https://crm.people.example/accept-invitation?token=');
    const token = linkTokenOf(mail);

    const weak = await call(t.app, 'POST', '/api/v1/auth/invitations/accept', { token, password: 'invitee-people' });
    expect(weak.status).toBe(422);
    expect(weak.body.errors[0].code).toBe('containsPersonalInfo');
    const accepted = await call(t.app, 'POST', '/api/v1/auth/invitations/accept', { token, password: 'granite-lantern-meadow', name: 'Invi Tee' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: 'invitee@people.example', name: 'Invi Tee', status: 'active' });
    expect(String(accepted.headers['set-cookie'])).toContain('rapport_session=rps_');
    expect((await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: accepted.body.token })).status).toBe(200);

    const reused = await call(t.app, 'POST', '/api/v1/auth/invitations/accept', { token, password: 'granite-lantern-meadow' });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('LINK_INVALID');
    const { rows } = await sql`select action from rapport.audit_log where action in ('user.created', 'user.invited') and record_id = ${created.body.id}`.execute(t.testDatabase.database.db);
    expect(rows).toHaveLength(2);
  });

  it('failing-invite: should refuse an expired invitation and an older one after a new one was sent', async () => {
    const created = await asAdmin('POST', '/api/v1/users', { email: 'late@people.example', name: 'Late', roleId: roles['Sales rep'] });
    const first = linkTokenOf(await mailbox.takeMailTo('late@people.example'));
    expect((await asAdmin('POST', `/api/v1/users/${created.body.id}/invitation`)).status).toBe(202);
    const second = linkTokenOf(await mailbox.takeMailTo('late@people.example'));
    await sql`update rapport.invitation set expires_at = now() - interval '1 minute' where user_id = ${created.body.id} and revoked_at is null`.execute(t.testDatabase.database.db);

    const older = await call(t.app, 'POST', '/api/v1/auth/invitations/accept', { token: first, password: 'granite-lantern-meadow' });
    const expired = await call(t.app, 'POST', '/api/v1/auth/invitations/accept', { token: second, password: 'granite-lantern-meadow' });
    const unknown = await call(t.app, 'POST', '/api/v1/auth/invitations/accept', { token: 'made-up-token', password: 'granite-lantern-meadow' });

    for (const response of [older, expired, unknown]) {
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('LINK_INVALID');
    }
    expect((await asAdmin('GET', `/api/v1/users/${created.body.id}`)).body.status).toBe('invited');
  });

  it('successful-reset: should answer 202 for any email, email a link to real accounts, and make the link single use', async () => {
    const user = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const oldSession = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });

    const known = await call(t.app, 'POST', '/api/v1/auth/password-reset', { email: user.email });
    const unknown = await call(t.app, 'POST', '/api/v1/auth/password-reset', { email: 'ghost@people.example' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    const mail = await mailbox.takeMailTo(user.email);
    expect(mail.subject).toBe('Reset your Rapport password');
    const token = linkTokenOf(mail);
    expect(mail.text).toContain(`https://crm.people.example/reset-password?token=`);

    const confirmed = await call(t.app, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'copper-kettle-symphony' });
    const reused = await call(t.app, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'another-copper-kettle' });

    expect(confirmed.status).toBe(204);
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('LINK_INVALID');
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: oldSession.token })).status).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: PASSWORD })).status).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: 'copper-kettle-symphony' })).status).toBe(200);
    expect(mailbox.messages.some((message) => message.to.includes('ghost@people.example'))).toBe(false);
    const { rows } = await sql`select 1 from rapport.audit_log where action = 'auth.password.reset' and actor_id = ${user.id}`.execute(t.testDatabase.database.db);
    expect(rows).toHaveLength(1);
  });

  it('failing-reset: should refuse an expired link and a weak new password', async () => {
    const user = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    await call(t.app, 'POST', '/api/v1/auth/password-reset', { email: user.email });
    const token = linkTokenOf(await mailbox.takeMailTo(user.email));

    const weak = await call(t.app, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'password123' });
    await sql`update rapport.password_reset set expires_at = now() - interval '1 second' where user_id = ${user.id}`.execute(t.testDatabase.database.db);
    const expired = await call(t.app, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'copper-kettle-symphony' });

    expect(weak.status).toBe(422);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'password', code: 'commonPassword' })]);
    expect(expired.body.code).toBe('LINK_INVALID');
  });

  it('successful-list: should list members in email order with their role, and page through them', async () => {
    const first = await asAdmin('GET', '/api/v1/users?limit=2');
    const second = await asAdmin('GET', `/api/v1/users?limit=100&after=${encodeURIComponent(first.body.pageInfo.nextAfter)}`);
    const emails = [...first.body.data, ...second.body.data].map((user: { email: string }) => user.email.toLowerCase());

    expect(first.body.data).toHaveLength(2);
    expect(first.body.pageInfo.hasNextPage).toBe(true);
    expect(emails).toEqual([...emails].sort());
    expect(emails).toContain('invitee@people.example');
    const invited = await asAdmin('GET', '/api/v1/users?status=invited');
    expect(invited.body.data.every((user: { status: string }) => user.status === 'invited')).toBe(true);
  });

  it('successful-update: should change the role and name; and keep the last administrator an administrator', async () => {
    const user = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });

    const promoted = await asAdmin('PATCH', `/api/v1/users/${user.id}`, { roleId: roles['Sales manager'], name: 'Now Manager' });
    const lastAdmin = await asAdmin('PATCH', `/api/v1/users/${admin.id}`, { roleId: roles['Read only'] });
    const missing = await asAdmin('PATCH', '/api/v1/users/00000000-0000-4000-8000-000000000000', { name: 'Nobody' });

    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'Sales manager', name: 'Now Manager' });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.code).toBe('CONFLICT');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('USER_NOT_FOUND');
  });

  it('successful-deactivate: should stop the session and key at once and give the records to another member through the write path', async () => {
    const db = t.testDatabase.database.db;
    const leaver = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const heir = await addPasswordUser(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const session = await signInOverHttp(t.app, { email: leaver.email, password: PASSWORD });
    const key = (await call(t.app, 'POST', '/api/v1/apikeys', { name: 'mine', scopes: ['read:*'] }, { token: session.token })).body.token as string;
    const owned = await t.request('POST', '/api/v1/records/person/batch', { records: personFactory.buildList(3, { owner: leaver.id }) });
    const company = await t.request('POST', '/api/v1/records/company', { name: 'Leaver Ltd', owner: leaver.id });
    expect((await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: key })).status).toBe(200);

    const response = await asAdmin('POST', `/api/v1/users/${leaver.id}/deactivate`, { reassignTo: heir.id });

    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(String) });
    expect(response.body.reassigned).toEqual({ person: 3, company: 1 });
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: session.token })).status).toBe(401);
    expect((await call(t.app, 'GET', '/api/v1/records/person', undefined, { token: key })).status).toBe(401);
    const person = owned.body.data[0];
    expect((await t.request('GET', `/api/v1/records/person/${person.id}`)).body).toMatchObject({ owner: heir.id, version: 2, updatedBy: admin.id });
    const history = await t.request('GET', `/api/v1/records/company/${company.body.id}/history`);
    expect(JSON.stringify(history.body)).toContain(heir.id);
    const signIn = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: leaver.email, password: PASSWORD });
    expect(signIn.body.code).toBe('ACCOUNT_DEACTIVATED');

    const reactivated = await asAdmin('POST', `/api/v1/users/${leaver.id}/reactivate`);
    expect(reactivated.body.status).toBe('active');
    expect((await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: leaver.email, password: PASSWORD })).status).toBe(200);
  });

  it('failing-deactivate: should refuse to reassign to a deactivated or unknown member, and to deactivate the last administrator', async () => {
    const leaver = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });

    const unknown = await asAdmin('POST', `/api/v1/users/${leaver.id}/deactivate`, { reassignTo: '00000000-0000-4000-8000-000000000000' });
    const self = await asAdmin('POST', `/api/v1/users/${leaver.id}/deactivate`, { reassignTo: leaver.id });
    const lastAdmin = await asAdmin('POST', `/api/v1/users/${admin.id}/deactivate`);

    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('reassignTo');
    expect(self.status).toBe(422);
    expect(lastAdmin.status).toBe(409);
    expect((await asAdmin('GET', `/api/v1/users/${leaver.id}`)).body.status).toBe('active');
  });

  it('successful-delete: should remove the member from the workspace and end their access', async () => {
    const user = await addPasswordUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const session = await signInOverHttp(t.app, { email: user.email, password: PASSWORD });

    const response = await asAdmin('DELETE', `/api/v1/users/${user.id}`);

    expect(response.status).toBe(204);
    expect((await asAdmin('GET', `/api/v1/users/${user.id}`)).status).toBe(404);
    expect((await call(t.app, 'GET', '/api/v1/users/me', undefined, { token: session.token })).status).toBe(401);
    const { rows } = await sql`select 1 from rapport.audit_log where action = 'user.deleted' and record_id = ${user.id}`.execute(t.testDatabase.database.db);
    expect(rows).toHaveLength(1);
  });

  it('successful-me: should answer 404 for a workspace key that belongs to no user', async () => {
    const response = await t.request('GET', '/api/v1/users/me');

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('USER_NOT_FOUND');
  });
  it('successful-second-workspace: should add an existing account to another workspace with its own role, and sign in to either', async () => {
    const db = t.testDatabase.database.db;
    const second = await createWorkspace({ db, name: 'Second Co', standardObjects });
    const secondAdmin = await addPasswordUser(db, { workspaceId: second.id, role: 'Admin' });
    const secondSession = await signInOverHttp(t.app, { email: secondAdmin.email, password: PASSWORD });
    const { rows } = await sql<{ id: string }>`select id from rapport.role where workspace_id = ${second.id} and name = 'Sales rep'`.execute(db);

    const withPassword = await call(t.app, 'POST', '/api/v1/users', { email: admin.email, name: 'Grace Elsewhere', password: 'another-long-passphrase-9', roleId: rows[0]!.id }, { token: secondSession.token });
    const added = await call(t.app, 'POST', '/api/v1/users', { email: admin.email.toUpperCase(), name: 'Grace Elsewhere', roleId: rows[0]!.id }, { token: secondSession.token });
    const intoSecond = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: admin.email, password: PASSWORD, workspace: 'second co' });
    const intoFirst = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: admin.email, password: PASSWORD, workspace: t.workspace.id });
    const intoNeither = await call(t.app, 'POST', '/api/v1/auth/sign-in', { email: admin.email, password: PASSWORD, workspace: 'Nowhere Co' });

    expect(withPassword.status).toBe(422);
    expect(withPassword.body.errors).toEqual([expect.objectContaining({ field: 'password', code: 'readOnly' })]);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: admin.id, status: 'active', role: 'Sales rep', isAdmin: false });
    expect(intoSecond.status).toBe(200);
    expect(intoSecond.body).toMatchObject({ workspace: { id: second.id, name: 'Second Co' }, user: { id: admin.id, role: 'Sales rep' } });
    expect(intoFirst.body).toMatchObject({ workspace: { id: t.workspace.id }, user: { id: admin.id, role: 'Admin' } });
    expect(intoNeither.status).toBe(401);
    // Each session reads its own workspace only.
    const secondPeople = await call(t.app, 'POST', '/api/v1/records/person', personFactory.build({ lastName: 'OnlyInSecond' }), { token: intoSecond.body.token });
    expect(secondPeople.status).toBe(201);
    expect((await call(t.app, 'GET', `/api/v1/records/person/${secondPeople.body.id}`, undefined, { token: intoFirst.body.token })).status).toBe(404);
  });
});
