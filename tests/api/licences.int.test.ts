import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { AppError } from '../../packages/server/src/engine/errors.ts';
import { flushFeatureUse, recordFeatureUse } from '../../packages/server/src/engine/licences/feature-use.ts';
import { assertMembershipAllowed, chooseLicence } from '../../packages/server/src/engine/licences/seats.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { declaredFeaturesOfApi } from '../support/route-walk.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addMember, signIn, type Member } from '../support/workspace-members.ts';

interface LicenceType {
  name: string;
  seats: number | null;
  used: number;
  concurrent: boolean;
  features: string[];
  idleMinutes: number;
}

const problemOf = async (promise: Promise<unknown>): Promise<AppError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a problem');
};

describeEngines('licences and seats', (engine) => {
  let t: TestApp;
  let adminToken: string;
  let repToken: string;
  const db = () => t.testDatabase.database.db;
  const put = (name: string, body: unknown, token?: string) =>
    t.request('PUT', `/api/v1/licences/${encodeURIComponent(name)}`, body, token ? { authorization: `Bearer ${token}` } : {});
  const types = async () => (await t.request('GET', '/api/v1/licences')).body.types as LicenceType[];
  const typeOf = async (name: string) => (await types()).find((type) => type.name === name)!;

  beforeAll(async () => {
    t = await createTestApp(engine, 'Seats Co');
    const admin = await addMember(db(), { workspaceId: t.workspace.id, role: 'Admin', licence: 'Enterprise' });
    const rep = await addMember(db(), { workspaceId: t.workspace.id, role: 'Sales rep', licence: 'Basic' });
    adminToken = await signIn(db(), { workspaceId: t.workspace.id, userId: admin.id });
    repToken = await signIn(db(), { workspaceId: t.workspace.id, userId: rep.id });
  });
  afterAll(async () => t?.destroy());

  describe('licence types', () => {
    it('successful-list: should give a new workspace the default licence types, cheapest first, with their use', async () => {
      const response = await t.request('GET', '/api/v1/licences');

      expect(response.status).toBe(200);
      expect(response.body.types.map((type: LicenceType) => type.name)).toEqual(['Portal', 'Basic', 'Professional', 'Enterprise']);
      expect(response.body.types[1]).toEqual({ name: 'Basic', seats: null, used: 1, concurrent: false, features: ['records.read', 'records.write', 'search'], idleMinutes: 30 });
      expect(response.body.types[3].features).toEqual(expect.arrayContaining(['admin', 'metadata.admin', 'export']));
      expect(response.body.types[3].used).toBe(1);
    });

    it('successful-put: should set seats and concurrency of a type and create a new one', async () => {
      const changed = await put('Professional', { seats: 10, concurrent: false }, adminToken);
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ name: 'Professional', seats: 10, concurrent: false, used: 0 });
      expect(changed.body.features).toContain('reports');

      const created = await put('Sales Cloud', { seats: 3, features: ['records.read', 'records.write', 'reports'] });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ name: 'Sales Cloud', seats: 3, used: 0, concurrent: false, features: ['records.read', 'records.write', 'reports'], idleMinutes: 30 });
      const audit = (await t.request('GET', '/api/v1/audit?action=licence.')).body.data;
      expect(audit.map((entry: { action: string }) => entry.action)).toEqual(['licence.created', 'licence.updated']);
      expect(audit[0].details).toMatchObject({ licence: 'Sales Cloud', seats: 3 });
    });

    it('failing-put: should refuse unknown features, bad seat counts and non-administrators', async () => {
      const feature = await put('Basic', { features: ['records.read', 'teleport'] });
      expect(feature.status).toBe(400);
      expect(feature.body.code).toBe('INVALID_REQUEST');
      expect(feature.body.errors[0].field).toMatch(/^features/);
      expect((await put('Basic', { seats: -1 })).status).toBe(400);
      expect((await put('Basic', { colour: 'red' })).body.errors[0]).toMatchObject({ code: 'unknownField' });
      const rep = await put('Basic', { seats: 100 }, repToken);
      expect(rep.status).toBe(403);
      expect(rep.body.code).toBe('FORBIDDEN');
      expect((await t.request('GET', '/api/v1/licences/utilisation', undefined, { authorization: `Bearer ${repToken}` })).status).toBe(403);
    });

    it('failing-put: should refuse to lower named seats below the users who hold the licence', async () => {
      await addMember(db(), { workspaceId: t.workspace.id, licence: 'Sales Cloud' });
      await addMember(db(), { workspaceId: t.workspace.id, licence: 'Sales Cloud' });
      const response = await put('Sales Cloud', { seats: 1 });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'seats', code: 'tooSmall' }] });
      expect(response.body.detail).toContain('2 users hold the Sales Cloud licence');
      expect((await typeOf('Sales Cloud')).seats).toBe(3);
    });
  });

  describe('named seats and roles', () => {
    it('failing-assign: should refuse a licence whose named seats are all held, naming the limit', async () => {
      await put('Solo', { seats: 1, features: ['records.read'] });
      const holder = await addMember(db(), { workspaceId: t.workspace.id, licence: 'Solo' });
      const newcomer = await addMember(db(), { workspaceId: t.workspace.id, licence: null });

      const problem = await problemOf(assertMembershipAllowed(db(), { workspaceId: t.workspace.id, userId: newcomer.id, licence: 'Solo', roleId: null }));

      expect(problem.code).toBe('SEAT_LIMIT_REACHED');
      expect(problem.status).toBe(409);
      expect(problem.message).toContain('The Solo licence has 1 named seat and all are held (1 of 1)');
      expect(problem.errors).toEqual([{ field: 'licence', code: 'seatLimit', message: 'Solo: 1 of 1 named seats held.' }]);
      // The holder keeps their own seat; a deactivated holder frees it.
      await assertMembershipAllowed(db(), { workspaceId: t.workspace.id, userId: holder.id, licence: 'Solo', roleId: null });
      await sql`update rapport.workspace_member set status = 'deactivated' where user_id = ${holder.id}`.execute(db());
      await assertMembershipAllowed(db(), { workspaceId: t.workspace.id, userId: newcomer.id, licence: 'Solo', roleId: null });
    });

    it('failing-assign: should refuse a role the licence does not allow, and an unknown licence', async () => {
      const { rows } = await sql<{ id: string }>`update rapport.role set licences = '{Professional,Enterprise}'
        where workspace_id = ${t.workspace.id} and name = 'Sales manager' returning id`.execute(db());
      const managerRole = rows[0]!.id;
      const user = await addMember(db(), { workspaceId: t.workspace.id, licence: 'Basic' });

      const problem = await problemOf(assertMembershipAllowed(db(), { workspaceId: t.workspace.id, userId: user.id, licence: 'Basic', roleId: managerRole }));
      expect(problem.code).toBe('ROLE_LICENCE_MISMATCH');
      expect(problem.message).toBe('The role Sales manager can only be given to users with a Professional or Enterprise licence; this user holds Basic.');
      await assertMembershipAllowed(db(), { workspaceId: t.workspace.id, userId: user.id, licence: 'Professional', roleId: managerRole });
      expect(await chooseLicence(db(), { workspaceId: t.workspace.id, roleId: managerRole })).toBe('Professional');
      expect(await chooseLicence(db(), { workspaceId: t.workspace.id, roleId: null })).toBe('Enterprise');

      const unknown = await problemOf(assertMembershipAllowed(db(), { workspaceId: t.workspace.id, userId: user.id, licence: 'Platinum', roleId: null }));
      expect(unknown.code).toBe('VALIDATION_FAILED');
      expect(unknown.errors?.[0]).toMatchObject({ field: 'licence', code: 'invalidChoice' });
      expect(unknown.errors?.[0]?.message).toContain('Licence types: Basic, Enterprise, Portal, Professional');
    });
  });

  describe('through the users API', () => {
    it('failing-create: should refuse a user when the licence has no free named seat, and a role the licence does not allow', async () => {
      const roleIds = Object.fromEntries(
        (await sql<{ id: string; name: string }>`select id, name from rapport.role where workspace_id = ${t.workspace.id}`.execute(db())).rows.map((row) => [row.name, row.id]),
      );
      expect((await put('Duo', { seats: 2, features: ['records.read', 'records.write'] })).status).toBe(201);
      const password = 'correct horse battery staple 42';
      const create = (email: string, extra: Record<string, unknown>) =>
        t.request('POST', '/api/v1/users', { email, name: email.split('@')[0], password, roleId: roleIds['Sales rep'], ...extra });
      expect((await create('duo1@seats.example', { licence: 'Duo' })).status).toBe(201);
      expect((await create('duo2@seats.example', { licence: 'Duo' })).status).toBe(201);

      const third = await create('duo3@seats.example', { licence: 'Duo' });

      expect(third.status).toBe(409);
      expect(third.body).toMatchObject({ code: 'SEAT_LIMIT_REACHED', errors: [{ field: 'licence', code: 'seatLimit' }] });
      expect(third.body.detail).toContain('The Duo licence has 2 named seats and all are held (2 of 2)');
      const { rows } = await sql`select 1 from rapport.user where email = 'duo3@seats.example'`.execute(db());
      expect(rows).toHaveLength(0);
      expect((await typeOf('Duo')).used).toBe(2);

      // Sales manager allows Professional and Enterprise only (set in "named seats and roles").
      const mismatch = await create('manager@seats.example', { licence: 'Basic', roleId: roleIds['Sales manager'] });
      expect(mismatch.status).toBe(409);
      expect(mismatch.body.code).toBe('ROLE_LICENCE_MISMATCH');
      const defaulted = await create('manager@seats.example', { roleId: roleIds['Sales manager'] });
      expect(defaulted.status).toBe(201);
      expect(defaulted.body.licence).toBe('Professional');
      const promoted = await t.request('PATCH', `/api/v1/users/${defaulted.body.id}`, { licence: 'Duo' });
      expect(promoted.status).toBe(409);
      expect(promoted.body.code).toBe('SEAT_LIMIT_REACHED');
    });

    it('successful-reactivate: should free the seat on deactivation and need a free seat to come back', async () => {
      const users = (await t.request('GET', '/api/v1/users?limit=100')).body.data as { id: string; email: string }[];
      const duo1 = users.find((user) => user.email === 'duo1@seats.example')!;
      expect((await t.request('POST', `/api/v1/users/${duo1.id}/deactivate`)).status).toBe(200);
      expect((await typeOf('Duo')).used).toBe(1);
      const manager = users.find((user) => user.email === 'manager@seats.example')!;
      await sql`update rapport.role set licences = '{}' where workspace_id = ${t.workspace.id} and name = 'Sales manager'`.execute(db());
      expect((await t.request('PATCH', `/api/v1/users/${manager.id}`, { licence: 'Duo' })).status).toBe(200);

      const back = await t.request('POST', `/api/v1/users/${duo1.id}/reactivate`);

      expect(back.status).toBe(409);
      expect(back.body.code).toBe('SEAT_LIMIT_REACHED');
      expect((await t.request('PATCH', `/api/v1/users/${manager.id}`, { licence: 'Professional' })).status).toBe(200);
      expect((await t.request('POST', `/api/v1/users/${duo1.id}/reactivate`)).status).toBe(200);
      expect((await typeOf('Duo')).used).toBe(2);
      await sql`update rapport.role set licences = '{Professional,Enterprise}' where workspace_id = ${t.workspace.id} and name = 'Sales manager'`.execute(db());
    });
  });

  describe('concurrent seats', () => {
    let first: Member;
    let second: Member;
    let third: Member;
    beforeAll(async () => {
      expect((await put('Shift', { seats: 2, concurrent: true, idleMinutes: 15, features: ['records.read', 'records.write'] })).status).toBe(201);
      first = await addMember(db(), { workspaceId: t.workspace.id, licence: 'Shift', role: 'Sales rep', name: 'First Holder', email: 'first@seats.example' });
      second = await addMember(db(), { workspaceId: t.workspace.id, licence: 'Shift', name: 'Second Holder', email: 'second@seats.example' });
      third = await addMember(db(), { workspaceId: t.workspace.id, licence: 'Shift', name: 'Third', email: 'third@seats.example' });
    });

    it('failing-sign-in: should refuse the sign-in after the limit, naming the limit and who holds the seats', async () => {
      const firstToken = await signIn(db(), { workspaceId: t.workspace.id, userId: first.id });
      await signIn(db(), { workspaceId: t.workspace.id, userId: second.id });
      // A second session of a holder takes no second seat.
      await signIn(db(), { workspaceId: t.workspace.id, userId: first.id });
      expect((await typeOf('Shift')).used).toBe(2);

      const problem = await problemOf(signIn(db(), { workspaceId: t.workspace.id, userId: third.id }));

      expect(problem.code).toBe('SEAT_LIMIT_REACHED');
      expect(problem.message).toMatch(/^All 2 concurrent seats of the Shift licence are in use, by .*after 15 minutes without activity\.$/);
      expect(problem.message).toContain('First Holder <first@seats.example>');
      expect(problem.message).toContain('Second Holder <second@seats.example>');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from rapport.session where user_id = ${third.id}`.execute(db());
      expect(rows[0]!.n).toBe(0);
      expect((await t.request('GET', '/api/v1/records/person', undefined, { authorization: `Bearer ${firstToken}` })).status).toBe(200);
    });

    it('successful-sign-in: should free the seat of a holder idle for longer than the idle time and sign them out', async () => {
      const { rows } = await sql<{ token: string }>`select id as token from rapport.session where user_id = ${first.id} and revoked_at is null`.execute(db());
      expect(rows).toHaveLength(2);
      await sql`update rapport.session set last_seen_at = now() - interval '16 minutes' where user_id = ${first.id}`.execute(db());
      expect((await typeOf('Shift')).used).toBe(1);

      await signIn(db(), { workspaceId: t.workspace.id, userId: third.id });

      const { rows: revoked } = await sql<{ n: number }>`select count(*)::int as n from rapport.session where user_id = ${first.id} and revoked_at is not null`.execute(db());
      expect(revoked[0]!.n).toBe(2);
      expect((await typeOf('Shift')).used).toBe(2);
      const again = await problemOf(signIn(db(), { workspaceId: t.workspace.id, userId: first.id }));
      expect(again.code).toBe('SEAT_LIMIT_REACHED');
    });

    it('successful-sign-in: should free the seat of a holder who signed out, and ignore deactivated holders', async () => {
      await sql`update rapport.session set revoked_at = now() where user_id = ${second.id}`.execute(db());
      await signIn(db(), { workspaceId: t.workspace.id, userId: first.id });
      await sql`update rapport.workspace_member set status = 'deactivated' where user_id = ${third.id}`.execute(db());
      const fourth = await addMember(db(), { workspaceId: t.workspace.id, licence: 'Shift' });
      await signIn(db(), { workspaceId: t.workspace.id, userId: fourth.id });
      expect((await typeOf('Shift')).used).toBe(2);
    });

    it('failing-sign-in: should let only one of several simultaneous sign-ins take the last seat', async () => {
      expect((await put('Last seat', { seats: 1, concurrent: true, features: ['records.read'] })).status).toBe(201);
      const racers = await Promise.all([0, 1, 2].map((i) => addMember(db(), { workspaceId: t.workspace.id, licence: 'Last seat', email: `racer${i}@seats.example` })));

      const outcomes = await Promise.allSettled(racers.map((racer) => signIn(db(), { workspaceId: t.workspace.id, userId: racer.id })));

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect((await typeOf('Last seat')).used).toBe(1);
    });
  });

  describe('feature use and utilisation', () => {
    it('successful-record: should batch uses in memory and add them to one row per user, feature and day', async () => {
      const user = await addMember(db(), { workspaceId: t.workspace.id });
      for (let i = 0; i < 5; i++) recordFeatureUse(db(), { workspaceId: t.workspace.id, userId: user.id, feature: 'reports' });
      const before = await sql<{ n: number }>`select count(*)::int as n from rapport.feature_use where user_id = ${user.id}`.execute(db());
      expect(before.rows[0]!.n).toBe(0);
      await flushFeatureUse(db());
      recordFeatureUse(db(), { workspaceId: t.workspace.id, userId: user.id, feature: 'reports' });
      await flushFeatureUse(db());
      const { rows } = await sql<{ feature: string; uses: number; day: string }>`select feature, uses, day from rapport.feature_use where user_id = ${user.id}`.execute(db());
      expect(rows).toEqual([{ feature: 'reports', uses: 6, day: new Date().toISOString().slice(0, 10) }]);
    });

    it('successful-report: should report activity, features used, inactive users and downgrades', async () => {
      const worker = await addMember(db(), { workspaceId: t.workspace.id, role: 'Sales rep', licence: 'Enterprise', email: 'worker@seats.example' });
      const idle = await addMember(db(), { workspaceId: t.workspace.id, role: 'Sales rep', licence: 'Professional', email: 'idle@seats.example' });
      const token = await signIn(db(), { workspaceId: t.workspace.id, userId: worker.id });
      const as = { authorization: `Bearer ${token}` };
      const created = await t.request('POST', '/api/v1/records/person', personFactory.build(), as);
      expect(created.status).toBe(201);
      await t.request('GET', '/api/v1/records/person', undefined, as);
      await t.request('GET', `/api/v1/records/person/${created.body.id}`, undefined, as);
      await t.request('GET', '/api/v1/search?q=anna', undefined, as);
      await t.request('GET', '/api/v1/records/nothing', undefined, as);
      await sql`update rapport.workspace_member set last_active_at = now() - interval '40 days', last_sign_in_at = now() - interval '41 days'
        where user_id = ${idle.id}`.execute(db());
      await sql`insert into rapport.feature_use (workspace_id, user_id, feature, day, uses)
        values (${t.workspace.id}, ${idle.id}, 'export', current_date - 60, 4)`.execute(db());
      // onResponse hooks run once the response is sent: let the last ones finish before flushing.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await flushFeatureUse(db());

      const report = await t.request('GET', '/api/v1/licences/utilisation');

      expect(report.status).toBe(200);
      const rowOf = (id: string) => report.body.data.find((row: { userId: string }) => row.userId === id);
      expect(rowOf(worker.id)).toMatchObject({
        email: 'worker@seats.example',
        licence: 'Enterprise',
        inactiveDays: 0,
        featuresUsed: ['records.read', 'records.write', 'search'],
        usage: { last30Days: { 'records.read': 2, 'records.write': 1, search: 1 } },
        flaggedInactive: false,
        suggestedLicence: 'Basic',
      });
      expect(Date.parse(rowOf(worker.id).lastSignInAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(rowOf(idle.id)).toMatchObject({
        licence: 'Professional',
        inactiveDays: 40,
        featuresUsed: ['export'],
        usage: { last30Days: {}, last90Days: { export: 4 } },
        flaggedInactive: true,
        suggestedLicence: null,
      });
      const lenient = await t.request('GET', '/api/v1/licences/utilisation?inactiveDays=45&days=30');
      const idleRow = lenient.body.data.find((row: { userId: string }) => row.userId === idle.id);
      expect(idleRow).toMatchObject({ flaggedInactive: false, featuresUsed: [] });
      expect(report.body.data.some((row: { status: string }) => row.status === 'deactivated')).toBe(false);
    });

    it('successful-report: should count the features each route declares to the licence gate, and api for a user key', async () => {
      const declared = await declaredFeaturesOfApi((t.app as unknown as { services: EngineServices }).services);
      const member = await addMember(db(), { workspaceId: t.workspace.id, role: 'Admin', licence: 'Enterprise' });
      const session = { authorization: `Bearer ${await signIn(db(), { workspaceId: t.workspace.id, userId: member.id })}` };
      const minted = await t.request('POST', '/api/v1/apikeys', { name: 'report', scopes: ['read:*'] }, session);
      expect(minted.status).toBe(201);
      const key = { authorization: `Bearer ${minted.body.token as string}` };
      // Real routes whose path says something else than their declaration (users/me is no administration, events are reads).
      const calls = [
        { method: 'GET', url: '/api/v1/users/me', route: '/api/v1/users/me', as: session },
        { method: 'GET', url: '/api/v1/users', route: '/api/v1/users', as: session },
        { method: 'GET', url: '/api/v1/events', route: '/api/v1/events', as: session },
        { method: 'GET', url: '/api/v1/audit', route: '/api/v1/audit', as: session },
        { method: 'GET', url: '/api/v1/search?q=anna', route: '/api/v1/search', as: session },
        { method: 'POST', url: '/api/v1/records/person/query', route: '/api/v1/records/:object/query', as: session, body: {} },
        { method: 'GET', url: '/api/v1/users/me', route: '/api/v1/users/me', as: key },
        { method: 'GET', url: '/api/v1/records/person', route: '/api/v1/records/:object', as: key },
      ] as const;
      const expected: Record<string, number> = {};
      const count = (features: readonly string[]) => {
        for (const feature of features) expected[feature] = (expected[feature] ?? 0) + 1;
      };
      count(declared.get('POST /api/v1/apikeys')!);
      for (const call of calls) {
        const response = await t.request(call.method, call.url, 'body' in call ? call.body : undefined, call.as);
        expect({ call: call.url, status: response.status }).toEqual({ call: call.url, status: 200 });
        count([...(call.as === key ? ['api'] : []), ...declared.get(`${call.method} ${call.route}`)!]);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      await flushFeatureUse(db());

      const report = await t.request('GET', '/api/v1/licences/utilisation');

      const row = report.body.data.find((candidate: { userId: string }) => candidate.userId === member.id);
      expect(row.usage.last30Days).toEqual(expected);
      expect(row.featuresUsed).toEqual(Object.keys(expected).sort());
      // What the gate declares for these routes: users/me and the users list need nothing, events are record reads.
      expect(declared.get('GET /api/v1/users/me')).toEqual([]);
      expect(declared.get('GET /api/v1/events')).toEqual(['records.read']);
      expect(expected).toEqual({ api: 3, admin: 1, 'records.read': 3, search: 1 });
    });

    it('successful-report: should only suggest licences the role allows', async () => {
      const { rows } = await sql<{ id: string }>`select id from rapport.role where workspace_id = ${t.workspace.id} and name = 'Sales manager'`.execute(db());
      const manager = await addMember(db(), { workspaceId: t.workspace.id, role: 'Sales manager', licence: 'Enterprise' });
      await sql`insert into rapport.feature_use (workspace_id, user_id, feature, day, uses) values (${t.workspace.id}, ${manager.id}, 'records.read', current_date, 3)`.execute(db());
      expect(rows).toHaveLength(1);
      const report = await t.request('GET', '/api/v1/licences/utilisation');
      // Sales manager allows Professional and Enterprise (set above): Basic would cover the use but is not allowed.
      expect(report.body.data.find((row: { userId: string }) => row.userId === manager.id).suggestedLicence).toBe('Professional');
    });
  });
});
