import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationJobHandlers } from '../../packages/server/src/background.ts';
import { createMailer } from '../../packages/server/src/engine/mail/mailer.ts';
import { NOTIFICATION_DIGEST_JOB } from '../../packages/server/src/engine/notifications/notification-preferences.ts';
import { describeEngines } from '../setup/engines.ts';
import { opportunityFactory } from '../support/factories.ts';
import { startTestMailbox, type TestMailbox } from '../support/smtp.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const PERMISSIONS = { opportunity: ALL, person: ALL, company: ALL, task: ALL };

describeEngines('record followers, notification preferences and digests', (engine) => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let owner: TestUser; // sees every deal
  let follower: TestUser; // sees every deal
  let outsider: TestUser; // own deals only
  let deal: Body;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.request(method, url, body, { ...headers, authorization: `Bearer ${user.token}` });
  const followersUrl = () => `/api/v1/records/opportunity/${deal.id}/followers`;
  const changesOf = async (user: TestUser) => {
    const response = await as(user)('GET', '/api/v1/notifications?kind=recordChange');
    expect(response.status).toBe(200);
    return (response.body.data as Body[]).filter((item) => item.recordId === deal.id);
  };
  const update = async (user: TestUser, patch: Body) => {
    const current = (await t.request('GET', `/api/v1/records/opportunity/${deal.id}`)).body;
    const response = await as(user)('PATCH', `/api/v1/records/opportunity/${deal.id}`, patch, { 'if-match': `"${current.version}"` });
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    t = await createTestApp(engine, 'Followers Co', { config: { smtpUrl: mailbox.url, publicUrl: 'https://crm.followers.example' } });
    const db = t.testDatabase.database.db;
    const lead = (await t.request('POST', '/api/v1/roles', { name: 'Lead', permissions: PERMISSIONS, recordAccess: 'all' })).body;
    const rep = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: PERMISSIONS, recordAccess: 'own' })).body;
    owner = await createTestUser(db, { workspaceId: t.workspace.id, role: lead.id, name: 'Olga Owner' });
    follower = await createTestUser(db, { workspaceId: t.workspace.id, role: lead.id, name: 'Fred Follower' });
    outsider = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Otto Outsider' });
    deal = (await as(owner)('POST', '/api/v1/records/opportunity', opportunityFactory.build({ name: 'Big renewal' }))).body;
  });
  afterAll(async () => {
    await t?.destroy();
    await mailbox?.close();
  });

  it('successful-update: should follow a record for chosen fields and hear only of those changes, made by others', async () => {
    const followed = await as(follower)('PUT', `${followersUrl()}/me`, { fields: ['amount', 'closeDate'] });

    await update(owner, { probability: 11 });
    await update(owner, { closeDate: '2027-03-31' });
    await update(follower, { amount: { amount: 99000, currency: 'EUR' } });
    const changes = await changesOf(follower);

    expect(followed.status).toBe(200);
    expect(followed.body).toMatchObject({ userId: follower.id, fields: ['amount', 'closeDate'] });
    expect(changes).toEqual([expect.objectContaining({ kind: 'recordChange', actorId: owner.id, title: 'Big renewal', excerpt: 'Close date' })]);
  });

  it('successful-list: should list a record\'s followers, how I follow it and the fields to choose among', async () => {
    const mine = (await as(follower)('GET', followersUrl())).body;
    const theirs = (await as(owner)('GET', followersUrl())).body;

    expect(mine.data).toEqual([expect.objectContaining({ userId: follower.id, fields: ['amount', 'closeDate'] })]);
    expect(mine.me).toMatchObject({ userId: follower.id });
    expect(mine.followableFields).toEqual(expect.arrayContaining(['name', 'amount', 'closeDate', 'probability', 'owner']));
    expect(mine.followableFields).not.toContain('createdAt');
    expect(theirs.me).toBeNull();
  });

  it('successful-update: should follow every change when no fields are chosen, and stop after unfollowing', async () => {
    await as(follower)('PUT', `${followersUrl()}/me`, {});
    await update(owner, { probability: 12 });
    const afterAny = await changesOf(follower);
    const unfollowed = await as(follower)('DELETE', `${followersUrl()}/me`);
    await update(owner, { probability: 13 });

    expect(afterAny[0]).toMatchObject({ excerpt: 'Probability' });
    expect(unfollowed.status).toBe(204);
    expect(await changesOf(follower)).toHaveLength(afterAny.length);
    expect((await as(follower)('GET', followersUrl())).body.data).toEqual([]);
  });

  it('not-found: should not let a user follow, or list the followers of, a record they may not read', async () => {
    const follow = await as(outsider)('PUT', `${followersUrl()}/me`, {});
    const list = await as(outsider)('GET', followersUrl());
    const missing = await as(follower)('PUT', '/api/v1/records/opportunity/00000000-0000-4000-8000-000000000009/followers/me', {});

    expect([follow.status, list.status, missing.status]).toEqual([404, 404, 404]);
    expect(follow.body.code).toBe('RECORD_NOT_FOUND');
  });

  it('validation-error: should refuse fields that are not the object\'s, or an empty choice', async () => {
    const unknown = await as(follower)('PUT', `${followersUrl()}/me`, { fields: ['nope'] });
    const system = await as(follower)('PUT', `${followersUrl()}/me`, { fields: ['updatedAt'] });
    const empty = await as(follower)('PUT', `${followersUrl()}/me`, { fields: [] });

    expect([unknown.status, system.status, empty.status]).toEqual([422, 422, 422]);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'fields', code: 'invalidFields' });
  });

  it('successful-update: should keep preferences per kind, and make nothing of a kind turned off', async () => {
    const before = (await as(follower)('GET', '/api/v1/notifications/preferences')).body;
    const changed = await as(follower)('PATCH', '/api/v1/notifications/preferences', { recordChange: 'off' });
    await as(follower)('PUT', `${followersUrl()}/me`, {});
    const count = (await changesOf(follower)).length;
    await update(owner, { probability: 14 });

    expect(before).toEqual({ mention: 'inApp', assignment: 'inApp', reminder: 'inApp', missedCall: 'inApp', recordChange: 'inApp' });
    expect(changed.body).toMatchObject({ recordChange: 'off', mention: 'inApp' });
    expect(await changesOf(follower)).toHaveLength(count);
  });

  it('validation-error: should refuse an unknown kind or channel and change nothing', async () => {
    const response = await as(follower)('PATCH', '/api/v1/notifications/preferences', { mention: 'digest', bogus: 'off', assignment: 'loud' });

    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: Body) => [error.field, error.code])).toEqual([
      ['bogus', 'unknownKind'],
      ['assignment', 'invalidChoice'],
    ]);
    expect((await as(follower)('GET', '/api/v1/notifications/preferences')).body.mention).toBe('inApp');
  });

  it('bad-request: should filter the notification centre by known kinds only', async () => {
    const response = await as(follower)('GET', '/api/v1/notifications?kind=mention,shouting');

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_QUERY');
  });

  it('successful-send: should email a daily digest of the unread notifications of the kinds asked for as one, once', async () => {
    await as(follower)('PATCH', '/api/v1/notifications/preferences', { recordChange: 'digest' });
    await update(owner, { probability: 15 });
    await as(follower)('GET', '/api/v1/notifications');
    const db = t.testDatabase.database.db;
    const mailer = createMailer({ smtpUrl: mailbox.url, from: 'Rapport <crm@followers.example>', logger: { info: () => undefined } });
    const handlers = notificationJobHandlers({ metadata: undefined as never, accessProfiles: undefined as never, identity: { mailer, settings: { publicUrl: 'https://crm.followers.example' } as never } }) as unknown as Record<string, (context: { db: typeof db }) => Promise<{ sent: number }>>;

    const first = await handlers[NOTIFICATION_DIGEST_JOB]!({ db });
    const mail = await mailbox.takeMailTo(follower.email);
    const again = await handlers[NOTIFICATION_DIGEST_JOB]!({ db });
    mailer.close();

    expect(first.sent).toBe(1);
    expect(again.sent).toBe(0);
    expect(mail.subject).toMatch(/^Rapport: \d+ new notifications?$/);
    expect(mail.text).toContain('Big renewal (Olga Owner: changed — Probability)');
    expect(mail.text).toContain(`https://crm.followers.example/objects/opportunity/${deal.id}`);
  });
});
