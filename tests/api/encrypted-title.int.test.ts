import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationJobHandlers } from '../../packages/server/src/background.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { startWorker, type Worker } from '../../packages/server/src/engine/jobs/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Body = Record<string, any>;

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
const DOSSIER = {
  name: 'dossier',
  labelSingular: 'Dossier',
  labelPlural: 'Dossiers',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title' },
    { name: 'code', type: 'text', label: 'Code', options: { encrypted: true } },
    { name: 'owner', type: 'owner', label: 'Owner' },
  ],
};

describeEngines('encrypted fields and record titles', (engine) => {
  let t: TestApp;
  let bob: TestUser;
  const db = () => t.testDatabase.database.db;
  const services = () => (t.app as unknown as { services: EngineServices }).services;
  const as = (user: { token: string }) => (method: 'GET' | 'POST', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${user.token}` });
  const expectTitleProblem = (response: ApiResponse, field: string) => {
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('ENCRYPTED_TITLE_FIELD');
    expect(response.body.errors).toEqual([expect.objectContaining({ field, code: 'encrypted' })]);
  };
  // A workspace from before the rule: its title was made an encrypted field behind the API's back.
  const makeTitleEncryptedField = async (objectName: string, fieldName: string) => {
    await sql`update ${sql.id(t.workspace.schema, '_object')} set label_field = ${fieldName} where name = ${objectName}`.execute(db());
    services().onMetadataChanged(t.workspace.id);
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    expect((await t.request('POST', '/api/v1/metadata/objects', DOSSIER)).status).toBe(201);
    const lead = (await t.request('POST', '/api/v1/roles', { name: 'Lead', permissions: { '*': ALL }, recordAccess: 'all' })).body;
    bob = await createTestUser(db(), { workspaceId: t.workspace.id, role: lead.id, name: 'Bob Stone' });
  });
  afterAll(async () => t?.destroy());

  describe('metadata', () => {
    it('failing-encrypt: should refuse to encrypt the field that titles the records, and queue nothing', async () => {
      const response = await t.request('POST', '/api/v1/metadata/objects/dossier/fields/title/encrypt');

      expectTitleProblem(response, 'name');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from rapport.job where type = 'metadata.encryptField'`.execute(db());
      expect(rows[0]!.n).toBe(0);
      const person = await t.request('POST', '/api/v1/metadata/objects/person/fields/fullName/encrypt');
      expectTitleProblem(person, 'name');
    });

    it('failing-update: should refuse to make an encrypted field the title', async () => {
      const response = await t.request('PATCH', '/api/v1/metadata/objects/dossier', { labelField: 'code' });

      expectTitleProblem(response, 'labelField');
      expect((await t.request('GET', '/api/v1/metadata/objects/dossier')).body.labelField).toBe('title');
    });

    it('failing-create: should refuse an object titled by an encrypted field, creating nothing', async () => {
      const response = await t.request('POST', '/api/v1/metadata/objects', { ...DOSSIER, name: 'vault', labelField: 'code' });

      expectTitleProblem(response, 'labelField');
      expect((await t.request('GET', '/api/v1/metadata/objects/vault')).status).toBe(404);
    });

    it('successful-create: should title an object without a labelField by its first field that is not encrypted', async () => {
      const definition = { name: 'locker', labelSingular: 'Locker', labelPlural: 'Lockers', fields: [{ name: 'pin', type: 'text', label: 'Pin', options: { encrypted: true } }, { name: 'label', type: 'text', label: 'Label' }] };
      expect((await t.request('POST', '/api/v1/metadata/objects', definition)).status).toBe(201);

      expect((await t.request('GET', '/api/v1/metadata/objects/locker')).body.labelField).toBe('label');
      const created = await t.request('POST', '/api/v1/records/locker', { pin: '0000-SECRET', label: 'Locker 7' });
      expect(created.status).toBe(201);
      // Search hits are titled by the plain field (the record in the hit is opened for this reader).
      const search = await t.request('GET', '/api/v1/search?q=Locker');
      expect(search.body.data.map((hit: Body) => [hit.object, hit.label])).toEqual([['locker', 'Locker 7']]);
    });
  });

  describe('notifications', () => {
    const notificationsOf = async (user: TestUser) => {
      const response = await as(user)('GET', '/api/v1/notifications');
      expect(response.status).toBe(200);
      return response.body.data as Body[];
    };
    const storedText = async () => {
      const stored = await sql<{ text: string }>`select title || ' ' || coalesce(excerpt, '') as text from rapport.notification where workspace_id = ${t.workspace.id}`.execute(db());
      const events = await sql<{ text: string }>`select payload::text as text from rapport.event where workspace_id = ${t.workspace.id} and type = 'notification.created'`.execute(db());
      return [...stored.rows, ...events.rows].map((row) => row.text).join('\n');
    };

    it('successful-list: should title an assignment by the plain title when another field of the record is encrypted', async () => {
      const record = (await t.request('POST', '/api/v1/records/dossier', { title: 'Merger file', code: 'CODE-PLAIN-TITLE', owner: bob.id })).body;

      const [notification] = (await notificationsOf(bob)).filter((n) => n.recordId === record.id);
      expect(notification).toMatchObject({ kind: 'assignment', title: 'Merger file' });
      expect(JSON.stringify(notification)).not.toMatch(/rf1:|CODE-PLAIN-TITLE/);
    });

    it('successful-list: should title by the object name, never by ciphertext or the secret, when the title field is encrypted', async () => {
      await makeTitleEncryptedField('dossier', 'code');
      const record = (await t.request('POST', '/api/v1/records/dossier', { title: 'Second file', code: 'CODE-SEALED-TITLE', owner: bob.id })).body;
      const { rows } = await sql<{ payload: Body }>`select payload from rapport.event where workspace_id = ${t.workspace.id} and record_id = ${record.id} and type = 'record.created'`.execute(db());
      // The event the consumer reads holds the title sealed.
      expect(rows[0]!.payload.code).toMatch(/^rf1:/);

      const [notification] = (await notificationsOf(bob)).filter((n) => n.recordId === record.id);
      expect(notification).toMatchObject({ kind: 'assignment', title: 'Dossier' });
      expect(JSON.stringify(await notificationsOf(bob))).not.toMatch(/rf1:|CODE-SEALED-TITLE/);
      expect(await storedText()).not.toMatch(/rf1:|CODE-SEALED-TITLE/);
    });

    it('successful-list: should tell about a person with an encrypted field by its name', async () => {
      expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'taxId', type: 'text', label: 'Tax id', options: { encrypted: true } })).status).toBe(201);
      const person = (await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Ada', lastName: 'Quill', taxId: 'TAX-IN-NOTIFICATION', owner: bob.id }))).body;

      const [notification] = (await notificationsOf(bob)).filter((n) => n.recordId === person.id);
      expect(notification!.title).toBe('Ada Quill');
      expect(await storedText()).not.toMatch(/rf1:|TAX-IN-NOTIFICATION/);
    });

    describe('reminders', () => {
      let worker: Worker;
      beforeAll(() => {
        worker = startWorker({ db: db(), handlers: notificationJobHandlers(services()), pollIntervalMs: 100, engine });
      });
      afterAll(async () => worker?.stop());

      it('successful-reminder: should remind by the object name when the title field is encrypted, though the job reads the record opened', async () => {
        expect((await t.request('POST', '/api/v1/metadata/objects/task/fields', { name: 'privateTitle', type: 'text', label: 'Private title', options: { encrypted: true } })).status).toBe(201);
        await makeTitleEncryptedField('task', 'privateTitle');
        const soon = new Date(Date.now() + 1000).toISOString();
        const task = (await t.request('POST', '/api/v1/records/task', { title: 'Plain', privateTitle: 'CALL-THE-SECRET-WITNESS', assignee: bob.id, reminderAt: soon })).body;
        await notificationsOf(bob);

        let reminders: Body[] = [];
        for (let attempt = 0; attempt < 60 && reminders.length === 0; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          reminders = (await notificationsOf(bob)).filter((n) => n.kind === 'reminder' && n.recordId === task.id);
        }
        expect(reminders.map((n) => n.title)).toEqual(['Task']);
        expect(await storedText()).not.toMatch(/rf1:|CALL-THE-SECRET-WITNESS/);
      });
    });
  });
});
