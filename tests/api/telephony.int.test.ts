import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../packages/server/src/app.ts';
import { describeEngines } from '../setup/engines.ts';
import { openEventStream } from '../support/event-stream.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const PUBLIC_URL = 'https://crm.telephony.example';
const SECRET = 'rapport-telephony-secret-0123456789';
const AUTH_TOKEN = 'twilio-auth-token-abcdef0123456789';
const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const PERMISSIONS = { person: ALL, call: ALL, task: ALL, company: ALL };
const ALICE_LINE = '+14155550100';

// Computed here as the docs describe it, not with the server's code: `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`.
const rapportSignature = (body: string, timestamp = Math.floor(Date.now() / 1000), secret = SECRET) =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

// Twilio's algorithm, written out: the URL, then each parameter's name and value in the order of the names.
const twilioSignature = (url: string, params: Record<string, string>, token = AUTH_TOKEN) =>
  createHmac('sha1', token).update(url + Object.keys(params).sort().map((name) => name + params[name]).join('')).digest('base64');

describeEngines('telephony: settings, signed webhook, call records, screen pop', (engine) => {
  let t: TestApp;
  let alice: TestUser; // rep: own records; answers ALICE_LINE
  let bob: TestUser; // reads every record, answers extension 201
  let ada: Body;
  let webhookPath: string;

  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const postEvents = async (events: unknown, options: { signature?: string | null; token?: string } = {}) => {
    const body = JSON.stringify(events);
    const signature = options.signature === undefined ? rapportSignature(body) : options.signature;
    const url = options.token ? `/api/v1/telephony/events?token=${options.token}` : webhookPath;
    const response = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...(signature ? { 'x-rapport-signature': signature } : {}) }, payload: body });
    return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) as Body };
  };
  const callsWith = async (externalId: string): Promise<Body[]> =>
    (await t.request('POST', '/api/v1/records/call/query', { filter: { field: 'externalId', op: 'eq', value: externalId } })).body.data;
  const event = (overrides: Body) => ({ callId: 'c-1', type: 'ringing', direction: 'inbound', from: '+33 6 12 34 56 78', to: ALICE_LINE, at: new Date().toISOString(), ...overrides });

  beforeAll(async () => {
    t = await createTestApp(engine, 'Phones Co', { config: { publicUrl: PUBLIC_URL } });
    const db = t.testDatabase.database.db;
    const rep = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: PERMISSIONS, recordAccess: 'own' })).body;
    const lead = (await t.request('POST', '/api/v1/roles', { name: 'Lead', permissions: PERMISSIONS, recordAccess: 'all' })).body;
    alice = await createTestUser(db, { workspaceId: t.workspace.id, role: rep.id, name: 'Alice Martin' });
    bob = await createTestUser(db, { workspaceId: t.workspace.id, role: lead.id, name: 'Bob Stone' });
    ada = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Ada', lastName: 'Lovelace', phone: '+33 6 12 34 56 78', owner: alice.id }))).body;
  });
  afterAll(async () => t?.destroy());

  describe('settings', () => {
    it('failing-put: should refuse a member who is not an administrator', async () => {
      const response = await as(alice)('PUT', '/api/v1/telephony/settings', { provider: 'rapport', secret: SECRET });

      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('failing-put: should refuse a line given to someone outside the workspace', async () => {
      const response = await t.request('PUT', '/api/v1/telephony/settings', { provider: 'rapport', secret: SECRET, lines: { '201': '00000000-0000-4000-8000-000000000000' } });

      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'lines.201', code: 'relationNotFound' })]);
    });

    it('failing-test-event: should say plainly that telephony is not set up yet', async () => {
      // No body at all: every input has a default.
      const response = await t.request('POST', '/api/v1/telephony/test-event');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ok: false, failure: { code: 'notConfigured', message: expect.stringContaining('not set up') }, call: null });
    });

    it('successful-put: should store the secret sealed and show only its end, with the webhook URL', async () => {
      const response = await t.request('PUT', '/api/v1/telephony/settings', { provider: 'rapport', secret: SECRET, lines: { '+1 (415) 555-0100': alice.id, '201': bob.id }, defaultCountry: 'FR' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ isConfigured: true, provider: 'rapport', hasSecret: true, secretHint: `…${SECRET.slice(-4)}`, lines: { [ALICE_LINE]: alice.id, '201': bob.id }, defaultCountry: 'FR' });
      expect(JSON.stringify(response.body)).not.toContain(SECRET);
      expect(response.body.webhookUrl).toMatch(new RegExp(`^${PUBLIC_URL}/api/v1/telephony/events\\?token=[\\w-]{20,}$`));
      webhookPath = response.body.webhookUrl.slice(PUBLIC_URL.length);
      const { rows } = await sql<{ secret: string }>`select secret from rapport.telephony_settings where workspace_id = ${t.workspace.id}`.execute(t.testDatabase.database.db);
      expect(rows[0]!.secret).not.toContain(SECRET);
      expect((await t.request('GET', '/api/v1/telephony/settings')).body).toEqual(response.body);
    });
  });

  describe('generic events', () => {
    it('successful-webhook: should create a call from a ringing event, matched to the person by number and owned by the line\'s user', async () => {
      const response = await postEvents(event({ callId: 'generic-1' }));

      expect(response.status).toBe(200);
      expect(response.body.data).toEqual([{ callId: 'generic-1', recordId: expect.any(String), action: 'created' }]);
      const [call] = await callsWith('generic-1');
      expect(call).toMatchObject({ direction: 'inbound', phone: '+33612345678', person: ada.id, owner: alice.id, subject: 'Call from Ada Lovelace', outcome: null });
    });

    it('successful-webhook: should match a number written in the national format, with the workspace\'s default country', async () => {
      const response = await postEvents({ events: [event({ callId: 'generic-national', from: '06 12 34 56 78' }), event({ callId: 'generic-00', from: '0033 6 12 34 56 78', to: '201' })] });

      expect(response.status).toBe(200);
      expect((await callsWith('generic-national'))[0]).toMatchObject({ person: ada.id, phone: '+33612345678', owner: alice.id });
      expect((await callsWith('generic-00'))[0]).toMatchObject({ person: ada.id, owner: bob.id });
    });

    it('successful-webhook: should leave a call unlinked when no person has the number', async () => {
      await postEvents(event({ callId: 'generic-stranger', from: '+44 20 7946 0958' }));

      expect((await callsWith('generic-stranger'))[0]).toMatchObject({ person: null, phone: '+442079460958', subject: 'Call from +442079460958' });
    });

    it('successful-webhook: should link a person the line\'s user may not read without naming them', async () => {
      const bobs = (await as(bob)('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Hedy', lastName: 'Lamarr', phone: '+44 20 7946 0001', owner: bob.id }))).body;

      await postEvents(event({ callId: 'generic-hidden', from: '+442079460001' }));

      expect((await callsWith('generic-hidden'))[0]).toMatchObject({ person: bobs.id, owner: alice.id, subject: 'Call from +442079460001' });
      const pops = ((await as(alice)('GET', '/api/v1/events?limit=1000')).body.data as Body[]).filter((e) => e.type === 'call.ringing' && e.payload.externalId === 'generic-hidden');
      expect(pops).toEqual([expect.objectContaining({ payload: expect.objectContaining({ person: null, phone: '+442079460001' }) })]);
    });

    it('successful-webhook: should change nothing when the same event comes twice', async () => {
      const same = event({ callId: 'generic-twice' });
      await postEvents(same);
      const before = (await callsWith('generic-twice'))[0]!;

      const again = await postEvents(same);

      expect(again.body.data).toEqual([{ callId: 'generic-twice', recordId: before.id, action: 'unchanged' }]);
      expect(await callsWith('generic-twice')).toEqual([before]);
    });

    it('successful-webhook: should end in the same call whatever order its events arrive in', async () => {
      const start = Date.parse('2026-12-02T10:00:00Z');
      const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();
      await postEvents({ events: [event({ callId: 'generic-late', type: 'ended', at: at(125), durationSeconds: 120 }), event({ callId: 'generic-late', type: 'answered', at: at(5) })] });
      await postEvents(event({ callId: 'generic-late', type: 'ringing', at: at(0) }));
      await postEvents(event({ callId: 'generic-late', type: 'recordingAvailable', at: at(130), recordingUrl: 'https://recordings.example.com/generic-late.mp3' }));

      expect(await callsWith('generic-late')).toEqual([
        expect.objectContaining({ startedAt: at(0), durationSeconds: 120, outcome: 'connected', recording: 'https://recordings.example.com/generic-late.mp3', person: ada.id }),
      ]);
    });

    it('successful-webhook: should tell the line\'s user of a missed call, once', async () => {
      await postEvents(event({ callId: 'generic-missed' }));
      await postEvents(event({ callId: 'generic-missed', type: 'missed' }));
      await postEvents(event({ callId: 'generic-missed', type: 'missed' }));

      const [call] = await callsWith('generic-missed');
      expect(call).toMatchObject({ outcome: 'missed', durationSeconds: 0 });
      const alices = (await as(alice)('GET', '/api/v1/notifications')).body.data as Body[];
      expect(alices.filter((n) => n.kind === 'missedCall')).toEqual([expect.objectContaining({ object: 'call', recordId: call!.id, title: 'Call from Ada Lovelace', excerpt: '+33612345678' })]);
      // Written as Alice's: she is not also told that the calls were "assigned" to her.
      expect(alices.filter((n) => n.kind === 'assignment' && n.object === 'call')).toEqual([]);
      expect(((await as(bob)('GET', '/api/v1/notifications')).body.data as Body[]).filter((n) => n.kind === 'missedCall')).toEqual([]);
    });

    it.each([
      ['missing', () => null],
      ['made with another secret', (body: string) => rapportSignature(body, undefined, 'another-secret-0123456789abcdef')],
      ['older than five minutes', (body: string) => rapportSignature(body, Math.floor(Date.now() / 1000) - 6 * 60)],
      ['malformed', () => 'sha256=deadbeef'],
    ])('failing-webhook: should answer 401 and write nothing when the signature is %s', async (_, sign) => {
      const payload = event({ callId: 'generic-refused' });
      const response = await postEvents(payload, { signature: sign(JSON.stringify(payload)) });

      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe('UNAUTHENTICATED');
      expect(await callsWith('generic-refused')).toEqual([]);
    });

    it('failing-webhook: should answer 401 for an unknown webhook token', async () => {
      const response = await postEvents(event({ callId: 'generic-refused' }), { token: 'not-a-token' });

      expect(response.status).toBe(401);
      expect(await callsWith('generic-refused')).toEqual([]);
    });

    it('failing-webhook: should answer 400 for a signed event of an unknown type', async () => {
      const response = await postEvents(event({ callId: 'generic-bad', type: 'exploded' }));

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INVALID_REQUEST');
      expect(await callsWith('generic-bad')).toEqual([]);
    });
  });

  describe('people with several numbers', () => {
    let grace: Body;

    beforeAll(async () => {
      // A list of numbers (text[] in the database) and a second single number, beside the standard phone.
      for (const field of [{ name: 'otherPhones', label: 'Other phones', type: 'phone', options: { multiple: true } }, { name: 'mobile', label: 'Mobile', type: 'phone' }]) {
        expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', field)).status).toBe(201);
      }
      grace = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Grace', lastName: 'Hopper', phone: '+1 212 555 0101', mobile: '+1 212 555 0102', otherPhones: ['+49 30 1234567', '+33 7 81 23 45 67', '+44 20 7946 0123'], owner: alice.id }))).body;
      expect(grace.otherPhones).toEqual(['+49301234567', '+33781234567', '+442079460123']);
    });

    it.each([
      ['the first of a list of numbers', 'multi-first', '+49 30 1234567'],
      ['a later number of the list', 'multi-second', '07 81 23 45 67'],
      ['the last number of the list', 'multi-last', '+44 20 7946 0123'],
      ['another single phone field', 'multi-mobile', '+1 (212) 555-0102'],
      ['the standard phone', 'multi-standard', '+12125550101'],
    ])('successful-webhook: should match a person by %s', async (_, callId, from) => {
      const response = await postEvents(event({ callId, from }));

      expect(response.status).toBe(200);
      expect((await callsWith(callId))[0]).toMatchObject({ person: grace.id, subject: 'Call from Grace Hopper', owner: alice.id });
    });

    it('successful-webhook: should match an outbound call to any of the callee\'s numbers', async () => {
      await postEvents(event({ callId: 'multi-outbound', direction: 'outbound', from: ALICE_LINE, to: '+442079460123' }));

      expect((await callsWith('multi-outbound'))[0]).toMatchObject({ direction: 'outbound', person: grace.id, phone: '+442079460123' });
    });

    it('successful-webhook: should not match a number that is only part of one of the list\'s numbers', async () => {
      await postEvents(event({ callId: 'multi-partial', from: '+49 30 123456' }));

      expect((await callsWith('multi-partial'))[0]).toMatchObject({ person: null, phone: '+4930123456' });
    });
  });

  describe('test event', () => {
    const countCalls = async () => (await t.request('POST', '/api/v1/records/call/aggregate', { metrics: [{ op: 'count' }] })).body;

    it('failing-test-event: should refuse a member who is not an administrator', async () => {
      const response = await as(alice)('POST', '/api/v1/telephony/test-event', {});

      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('failing-test-event: should answer 422 with the field when the caller is not a phone number', async () => {
      const response = await t.request('POST', '/api/v1/telephony/test-event', { from: 'hello' });

      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'from', code: 'invalidPhone' })]);
    });

    it('successful-test-event: should run a signed ringing call through the pipeline and keep nothing of it', async () => {
      const before = await countCalls();
      const popsBefore = ((await as(alice)('GET', '/api/v1/events?limit=1000')).body.data as Body[]).filter((e) => e.type === 'call.ringing').length;

      const response = await t.request('POST', '/api/v1/telephony/test-event', { from: '06 12 34 56 78' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        ok: true,
        failure: null,
        provider: 'rapport',
        event: { callId: expect.stringMatching(/^rapport-test-/), type: 'ringing', direction: 'inbound', from: '06 12 34 56 78', to: ALICE_LINE },
        // The first line (no line is the admin's own): Alice's, who may read Ada.
        call: { subject: 'Call from Ada Lovelace', phone: '+33612345678', owner: { id: alice.id, name: 'Alice Martin' }, person: { id: ada.id, name: 'Ada Lovelace' }, screenPop: true },
        notes: [],
      });
      // Rolled back: no call, no screen pop, no change in the feed.
      expect(await callsWith(response.body.event.callId)).toEqual([]);
      expect(await countCalls()).toEqual(before);
      const pops = ((await as(alice)('GET', '/api/v1/events?limit=1000')).body.data as Body[]).filter((e) => e.type === 'call.ringing');
      expect(pops).toHaveLength(popsBefore);
    });

    it('successful-test-event: should ring the line asked for, and say when nobody has the number or no line matches', async () => {
      const bobs = await t.request('POST', '/api/v1/telephony/test-event', { line: '201' });
      const nobody = await t.request('POST', '/api/v1/telephony/test-event', { from: '+44 20 7946 0999', line: '999' });

      expect(bobs.body).toMatchObject({ ok: true, event: { from: '+12025550142', to: '201' }, call: { owner: { id: bob.id }, person: null, screenPop: true } });
      expect(bobs.body.notes).toEqual([expect.objectContaining({ code: 'noPersonMatched' })]);
      expect(nobody.body).toMatchObject({ ok: true, call: { owner: null, person: null, phone: '+442079460999', screenPop: false } });
      expect(nobody.body.notes.map((note: Body) => note.code)).toEqual(['lineUnknown', 'noPersonMatched']);
    });

    it('successful-test-event: should tell that the line\'s user would see the number only when they may not read the person', async () => {
      // Hedy is Bob's: Alice (own records) may not read her.
      const response = await t.request('POST', '/api/v1/telephony/test-event', { from: '+442079460001' });

      expect(response.body).toMatchObject({ ok: true, call: { owner: { id: alice.id }, person: { name: 'Hedy Lamarr' }, subject: 'Call from +442079460001' } });
      expect(response.body.notes).toEqual([expect.objectContaining({ code: 'personHiddenFromOwner' })]);
    });

    it('failing-test-event: should give the write path\'s reason when a call record would be refused', async () => {
      expect((await t.request('POST', '/api/v1/metadata/objects/call/fields', { name: 'region', label: 'Region', type: 'text', required: true })).status).toBe(201);
      try {
        const response = await t.request('POST', '/api/v1/telephony/test-event', {});

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ ok: false, failure: { code: 'callRefused', errors: [expect.objectContaining({ field: 'region', code: 'required' })] }, call: null });
        expect(response.body.failure.message).toContain('region');
      } finally {
        expect((await t.request('DELETE', '/api/v1/metadata/objects/call/fields/region')).status).toBe(204);
      }
    });
  });

  describe('screen pop', () => {
    let server: FastifyInstance;
    let baseUrl: string;

    beforeAll(async () => {
      // A server listening on a port: the browser's event stream is a real HTTP response.
      server = await buildApp({ database: t.testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, eventStream: { heartbeatMs: 200 } });
      baseUrl = await server.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => server?.close());

    it('successful-stream: should pop the ringing call on the screen of the user called, and no one else\'s', async () => {
      const aliceStream = await openEventStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${alice.token}` });
      const bobStream = await openEventStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${bob.token}` });
      try {
        await aliceStream.waitFor((message) => message.comments.includes('connected'));
        await bobStream.waitFor((message) => message.comments.includes('connected'));

        await postEvents(event({ callId: 'generic-pop' }));

        const pop = JSON.parse((await aliceStream.waitFor((m) => m.event === 'call.ringing', 3000)).data!);
        const [call] = await callsWith('generic-pop');
        expect(pop).toMatchObject({ type: 'call.ringing', object: 'call', recordId: call!.id, payload: { userId: alice.id, callRecordId: call!.id, phone: '+33612345678', person: { id: ada.id, name: 'Ada Lovelace' } } });
        // Bob reads every call (he sees its creation) but the call does not ring for him.
        await bobStream.waitFor((m) => m.event === 'record.created' && m.data!.includes(call!.id), 3000);
        expect(bobStream.messages.some((m) => m.event === 'call.ringing')).toBe(false);
      } finally {
        aliceStream.close();
        bobStream.close();
      }
    });

    it('successful-stream: should pop nothing again when the ringing event is repeated', async () => {
      const before = ((await as(alice)('GET', '/api/v1/events?limit=1000')).body.data as Body[]).filter((e) => e.type === 'call.ringing').length;

      await postEvents(event({ callId: 'generic-pop' }));

      const after = ((await as(alice)('GET', '/api/v1/events?limit=1000')).body.data as Body[]).filter((e) => e.type === 'call.ringing').length;
      expect(after).toBe(before);
    });
  });

  describe('Twilio status callbacks', () => {
    const postTwilio = async (params: Record<string, string>, signature?: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: webhookPath,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature ?? twilioSignature(`${PUBLIC_URL}${webhookPath}`, params) },
        payload: new URLSearchParams(params).toString(),
      });
      return { status: response.statusCode, body: JSON.parse(response.body) as Body };
    };
    const callback = (overrides: Record<string, string>) => ({
      AccountSid: 'AC0123456789abcdef0123456789abcdef',
      CallSid: 'CA-twilio-1',
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: '+33612345678',
      To: ALICE_LINE,
      Timestamp: 'Wed, 02 Dec 2026 10:00:00 +0000',
      ...overrides,
    });

    beforeAll(async () => {
      const response = await t.request('PUT', '/api/v1/telephony/settings', { provider: 'twilio', secret: AUTH_TOKEN });
      expect(response.status).toBe(200);
      expect(response.body.webhookUrl).toBe(`${PUBLIC_URL}${webhookPath}`);
    });

    it('successful-webhook: should turn a call\'s status callbacks into its call record', async () => {
      const statuses: Record<string, string>[] = [{ CallStatus: 'ringing' }, { CallStatus: 'in-progress' }, { CallStatus: 'completed', CallDuration: '42', Timestamp: 'Wed, 02 Dec 2026 10:00:50 +0000' }];
      for (const status of statuses) {
        expect((await postTwilio(callback(status))).status).toBe(200);
      }

      expect(await callsWith('CA-twilio-1')).toEqual([
        expect.objectContaining({ direction: 'inbound', phone: '+33612345678', person: ada.id, owner: alice.id, startedAt: '2026-12-02T10:00:00.000Z', durationSeconds: 42, outcome: 'connected' }),
      ]);
    });

    it('successful-webhook: should record an unanswered inbound call as missed, and a busy outbound one as busy', async () => {
      await postTwilio(callback({ CallSid: 'CA-twilio-2', CallStatus: 'no-answer' }));
      await postTwilio(callback({ CallSid: 'CA-twilio-3', CallStatus: 'busy', Direction: 'outbound-api', From: ALICE_LINE, To: '+33612345678' }));

      expect((await callsWith('CA-twilio-2'))[0]).toMatchObject({ outcome: 'missed', owner: alice.id });
      expect((await callsWith('CA-twilio-3'))[0]).toMatchObject({ outcome: 'busy', direction: 'outbound', owner: alice.id, person: ada.id });
    });

    it('successful-test-event: should sign the sample as Twilio does, for the public webhook URL', async () => {
      const response = await t.request('POST', '/api/v1/telephony/test-event', { from: '+33612345678' });

      expect(response.body).toMatchObject({ ok: true, provider: 'twilio', event: { type: 'ringing', direction: 'inbound', from: '+33612345678', to: ALICE_LINE }, call: { person: { id: ada.id }, owner: { id: alice.id }, screenPop: true } });
      expect(await callsWith(response.body.event.callId)).toEqual([]);
    });

    it('failing-webhook: should answer 401 and write nothing when the Twilio signature is wrong', async () => {
      const params = callback({ CallSid: 'CA-twilio-forged' });
      const response = await postTwilio(params, twilioSignature(`${PUBLIC_URL}${webhookPath}`, params, 'not-the-auth-token-0123456789'));

      expect(response.status).toBe(401);
      expect(await callsWith('CA-twilio-forged')).toEqual([]);
    });

    it('failing-webhook: should refuse a generic-format request once the workspace uses Twilio', async () => {
      const response = await postEvents(event({ callId: 'generic-after-switch' }));

      expect(response.status).toBe(401);
      expect(await callsWith('generic-after-switch')).toEqual([]);
    });
  });
});
