import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { unzip } from '../support/unzip.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

const ALL = { create: true, read: true, update: true, delete: true, export: true, import: false };

describeEngines('data subject rights: personal data export and erasure', (engine) => {
  let t: TestApp;
  let rep: TestUser;
  let adaId: string;
  let graceId: string;
  let byronId: string;
  const inject = (method: 'GET' | 'POST', url: string, token = t.token) => t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'user-agent': 'privacy test' } });

  beforeAll(async () => {
    t = await createTestApp(engine, 'Privacy Co');
    const company = (await t.request('POST', '/api/v1/records/company', { name: 'Analytical Engines Ltd' })).body;
    const ada = await t.request('POST', '/api/v1/records/person', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@privacy.example',
      phone: '+44 20 7946 0000',
      jobTitle: 'Mathematician',
      company: company.id,
      address: { street: '12 St James Square', city: 'London', country: 'GB' },
    });
    expect(ada.status).toBe(201);
    adaId = ada.body.id;
    expect((await t.request('PATCH', `/api/v1/records/person/${adaId}`, { jobTitle: 'Countess of Lovelace' }, { 'if-match': '"1"' })).status).toBe(200);
    graceId = (await t.request('POST', '/api/v1/records/person', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@privacy.example' })).body.id;
    // Two Byrons: erasing one keeps the name in the typo dictionary for the other.
    byronId = (await t.request('POST', '/api/v1/records/person', { firstName: 'Ada', lastName: 'Byron' })).body.id;
    expect((await t.request('POST', '/api/v1/records/person', { firstName: 'Noel', lastName: 'Byron' })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/records/note', { title: 'Call about the engine', body: '<p>She asked about the engine.</p>', person: adaId })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/records/task', { title: 'Send the notes', person: adaId })).status).toBe(201);
    const consent = await t.request('POST', '/api/v1/records/consent', { person: adaId, purpose: 'newsletter', grantedAt: '2026-03-01T09:30:00Z', source: 'Sign-up form', wording: 'Send me the monthly newsletter.' });
    expect(consent.status).toBe(201);
    expect(consent.body).toMatchObject({ status: 'granted', purpose: 'newsletter' });
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Rep', permissions: { '*': ALL }, recordAccess: 'own' })).body;
    rep = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: role.id, name: 'Rep' });
  });
  afterAll(async () => t?.destroy());

  it('should export everything about a person: the record, its history and the records that point to it', async () => {
    const response = await inject('GET', `/api/v1/records/person/${adaId}/personal-data`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="person-${adaId}-personal-data.zip"`);
    const files = await unzip(response.rawPayload);
    expect(JSON.parse(files.get('record.json')!)).toMatchObject({ id: adaId, firstName: 'Ada', email: 'ada@privacy.example', jobTitle: 'Countess of Lovelace' });
    const history = files.get('history.jsonl')!.trim().split('\n').map((line) => JSON.parse(line) as { changeType: string; field: string | null; oldValue: unknown; newValue: unknown });
    expect(history.map((item) => item.changeType).sort()).toEqual(['created', 'updated']);
    expect(history.find((item) => item.field === 'jobTitle')).toMatchObject({ oldValue: 'Mathematician', newValue: 'Countess of Lovelace' });
    expect(JSON.parse(files.get('related/note.person.jsonl')!.trim())).toMatchObject({ title: 'Call about the engine', person: adaId });
    expect(JSON.parse(files.get('related/task.person.jsonl')!.trim())).toMatchObject({ title: 'Send the notes' });
    expect(JSON.parse(files.get('related/consent.person.jsonl')!.trim())).toMatchObject({ purpose: 'newsletter', status: 'granted', source: 'Sign-up form', wording: 'Send me the monthly newsletter.', person: adaId });
    expect(JSON.parse(files.get('manifest.json')!)).toMatchObject({ format: 'rapport.personal-data', version: 1, object: 'person', id: adaId, history: 2 });
    const audit = (await t.request('GET', '/api/v1/audit?action=gdpr.exported&limit=1')).body.data[0];
    expect(audit).toMatchObject({ action: 'gdpr.exported', objectName: 'person', recordId: adaId, userAgent: 'privacy test' });
  });

  it('should record consents per person and purpose, and ask for the date of a withdrawal', async () => {
    const given = await t.request('POST', '/api/v1/records/consent', { person: graceId, purpose: 'phoneCalls', grantedAt: '2026-05-02T14:00:00Z', source: 'Trade fair' });
    expect(given.status).toBe(201);
    const withdrawnWithoutDate = await t.request('PATCH', `/api/v1/records/consent/${given.body.id}`, { status: 'withdrawn' });
    expect(withdrawnWithoutDate.status).toBe(422);
    expect(withdrawnWithoutDate.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'withdrawnAt' }] });
    const withdrawn = await t.request('PATCH', `/api/v1/records/consent/${given.body.id}`, { status: 'withdrawn', withdrawnAt: '2026-06-01T08:00:00Z' });
    expect(withdrawn.status).toBe(200);
    const listed = await t.request('GET', `/api/v1/records/consent?filter=${encodeURIComponent(JSON.stringify({ field: 'person', op: 'eq', value: graceId }))}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ purpose: 'phoneCalls', status: 'withdrawn', withdrawnAt: '2026-06-01T08:00:00.000Z' })]);
    expect((await t.request('POST', '/api/v1/records/consent', { purpose: 'newsletter', grantedAt: '2026-05-02T14:00:00Z' })).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'person', code: 'required' }] });
  });

  it('should give a person only to who may read and export them, as a 404 when they may not read', async () => {
    const response = await inject('GET', `/api/v1/records/person/${adaId}/personal-data`, rep.token);
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'RECORD_NOT_FOUND' });
  });

  it('should keep erasure to administrators', async () => {
    const response = await inject('POST', `/api/v1/records/person/${adaId}/erase`, rep.token);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('should erase a person everywhere: values, search, history, past events and notifications, and keep the record and its links', async () => {
    const response = await inject('POST', `/api/v1/records/person/${adaId}/erase`);
    expect(response.statusCode).toBe(200);
    const erased = JSON.parse(response.body) as Record<string, unknown>;
    expect(erased).toMatchObject({ id: adaId, fullName: 'Erased', firstName: null, lastName: null, email: null, phone: null, jobTitle: null, company: null });

    const read = (await t.request('GET', `/api/v1/records/person/${adaId}`)).body;
    expect(read).toMatchObject({ id: adaId, fullName: 'Erased', email: null });
    const hits = (await t.request('GET', `/api/v1/search?q=${encodeURIComponent('Lovelace')}`)).body.data as { id: string }[];
    expect(hits.map((hit) => hit.id)).not.toContain(adaId);
    expect((await t.request('GET', `/api/v1/search?q=${encodeURIComponent('Grace Hopper')}`)).body.data.map((hit: { id: string }) => hit.id)).toContain(graceId);

    const history = (await t.request('GET', `/api/v1/records/person/${adaId}/history`)).body.data as { oldValue: unknown; newValue: unknown }[];
    expect(history.length).toBeGreaterThan(0);
    expect(JSON.stringify(history)).not.toMatch(/Lovelace|Ada|privacy\.example|Mathematician|Countess/);

    // Nothing of her in any table of the workspace, the outbox or the notifications (the note about her keeps its own text).
    const db = t.testDatabase.database.db;
    const { rows: row } = await sql<Record<string, unknown>>`select * from ${sql.id(t.workspace.schema, 'person')} where id = ${adaId}`.execute(db);
    expect(JSON.stringify(row)).not.toMatch(/Lovelace|ada@|Mathematician|Countess|St James|7946/);
    const { rows: events } = await sql<{ payload: unknown }>`select payload from rapport.event where record_id = ${adaId}`.execute(db);
    expect(events.length).toBeGreaterThan(2);
    expect(JSON.stringify(events)).not.toMatch(/Lovelace|ada@|Mathematician|Countess/);
    const { rows: historyRows } = await sql<Record<string, unknown>>`select * from ${sql.id(t.workspace.schema, '_history')} where record_id = ${adaId}`.execute(db);
    expect(JSON.stringify(historyRows)).not.toMatch(/Lovelace|ada@|Mathematician|Countess/);
    // The typo dictionary forgets the words only she had, and keeps those others still have.
    const words = async () => (await sql<{ word: string }>`select distinct word from ${sql.id(t.workspace.schema, '_search_typo')}`.execute(db)).rows.map((row) => row.word);
    expect(await words()).not.toContain('lovelace');
    expect(await words()).toEqual(expect.arrayContaining(['byron', 'hopper', 'grace']));

    // The note and the task still point to the (erased) person.
    const notes = (await t.request('GET', `/api/v1/records/note?filter=${encodeURIComponent(JSON.stringify({ field: 'person', op: 'eq', value: adaId }))}`)).body.data;
    expect(notes).toHaveLength(1);

    const audit = (await t.request('GET', '/api/v1/audit?action=gdpr.erased&limit=1')).body.data[0] as Record<string, unknown>;
    expect(audit).toMatchObject({ action: 'gdpr.erased', objectName: 'person', recordId: adaId });
    expect(JSON.stringify(audit)).not.toMatch(/Lovelace|ada@/);

    // Erasing one Byron keeps the word for the other.
    expect((await inject('POST', `/api/v1/records/person/${byronId}/erase`)).statusCode).toBe(200);
    expect(await words()).toContain('byron');
  });

  it('should answer 404 for an unknown record', async () => {
    const missing = '00000000-0000-7000-8000-000000000000';
    expect((await inject('POST', `/api/v1/records/person/${missing}/erase`)).statusCode).toBe(404);
    expect((await inject('GET', `/api/v1/records/person/${missing}/personal-data`)).statusCode).toBe(404);
    expect((await inject('GET', '/api/v1/records/person/not-a-uuid/personal-data')).statusCode).toBe(404);
  });
});
