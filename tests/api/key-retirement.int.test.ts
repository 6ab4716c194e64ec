import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../packages/server/src/admin/commands.ts';
import { buildApp } from '../../packages/server/src/app.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { findDataKeyReferences } from '../../packages/server/src/engine/crypto/retire-data-keys.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

type Body = Record<string, any>;

const WORKSPACE = 'Retire Co';
const DOSSIER = {
  name: 'dossier',
  labelSingular: 'Dossier',
  labelPlural: 'Dossiers',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title' },
    { name: 'secret', type: 'text', label: 'Secret', options: { encrypted: true } },
  ],
};

const filterQuery = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;

describeEngines('data key retirement', (engine) => {
  const masterKey = randomBytes(32);
  let t: TestApp;
  const db = () => t.testDatabase.database.db;
  const services = () => (t.app as unknown as { services: EngineServices }).services;
  const throughServer = () => ({ fieldKeys: services().metadata.fieldKeys!, onMetadataChanged: (id: string) => services().onMetadataChanged(id) });
  const keysCommand = async (command: 'keys.rotateDataKey' | 'keys.reencrypt') =>
    ((await runAdminCommand(t.testDatabase.database, { command, workspace: WORKSPACE }, throughServer())).workspaces as Body[])[0]!;
  const keyVersions = async () =>
    (await sql<{ version: number }>`select version from rapport.workspace_key where workspace_id = ${t.workspace.id} order by version`.execute(db())).rows.map((row) => row.version);
  // Time passing: the current key was made longer ago than the settling time.
  const settle = () => sql`update rapport.workspace_key set created_at = created_at - interval '11 minutes' where workspace_id = ${t.workspace.id}`.execute(db());
  // Every text and JSON value of the workspace that names a key version, wherever it is.
  const referencesTo = async (version: number) => (await findDataKeyReferences(db(), { workspaceId: t.workspace.id, versions: [version] })).get(version) ?? [];
  const person = { p1: {} as Body, p2: {} as Body };
  let dossier: Body;

  beforeAll(async () => {
    t = await createTestApp(engine, WORKSPACE, { masterKey });
    for (const field of [
      { name: 'taxId', type: 'text', label: 'Tax id', options: { encrypted: true } },
      { name: 'privateEmail', type: 'email', label: 'Private email', unique: true, options: { encrypted: true } },
      { name: 'badge', type: 'text', label: 'Badge', options: { encrypted: true } },
    ]) expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', field)).status).toBe(201);
    expect((await t.request('POST', '/api/v1/metadata/objects', DOSSIER)).status).toBe(201);
    person.p1 = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Keeper', taxId: 'TAX-1', privateEmail: 'keeper@retire.example', badge: 'BADGE-1' }))).body;
    person.p2 = (await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Binned', taxId: 'TAX-2' }))).body;
    expect((await t.request('PATCH', `/api/v1/records/person/${person.p1.id}`, { taxId: 'TAX-1B' })).status).toBe(200);
    dossier = (await t.request('POST', '/api/v1/records/dossier', { title: 'Case 7', secret: 'SECRET-7' })).body;
    expect(dossier.secret).toBe('SECRET-7');
  });
  afterAll(async () => t?.destroy());

  describe('trash', () => {
    it('successful-rotate: should re-encrypt values of trashed fields, trashed objects and trashed records, delete the old key, and read them all once restored', async () => {
      expect((await t.request('DELETE', '/api/v1/metadata/objects/person/fields/badge')).status).toBe(204);
      expect((await t.request('DELETE', '/api/v1/metadata/objects/dossier')).status).toBe(204);
      expect((await t.request('DELETE', `/api/v1/records/person/${person.p2.id}`)).status).toBe(200);
      expect(await referencesTo(1)).toEqual(expect.arrayContaining(['person.badge', 'dossier.secret', '_history.new_value', 'rapport.event.payload']));

      const rotated = await keysCommand('keys.rotateDataKey');

      // taxId ×2 (one trashed record), privateEmail, badge (trashed field), secret (trashed object).
      expect(rotated).toMatchObject({ keyVersion: 2, records: 5, retiredKeyVersions: [], keptKeyVersions: [{ version: 1, reason: 'settling' }] });
      expect(Date.parse(rotated.keptKeyVersions[0].retirableAfter)).toBeGreaterThan(Date.now() + 9 * 60_000);
      expect(await referencesTo(1)).toEqual([]);
      expect(await keyVersions()).toEqual([1, 2]);

      await settle();
      const retired = await keysCommand('keys.reencrypt');

      expect(retired).toMatchObject({ keyVersion: 2, records: 0, retiredKeyVersions: [1], keptKeyVersions: [] });
      expect(await keyVersions()).toEqual([2]);
      const audit = await t.request('GET', '/api/v1/audit?action=keys.data_key.retired');
      expect(audit.body.data.map((entry: Body) => entry.details)).toEqual([{ keyVersions: [1], via: 'cli' }]);

      expect((await t.request('POST', '/api/v1/metadata/objects/person/fields/badge/restore')).status).toBe(200);
      expect((await t.request('POST', '/api/v1/metadata/objects/dossier/restore')).status).toBe(200);
      expect((await t.request('POST', `/api/v1/records/person/${person.p2.id}/restore`)).status).toBe(200);
      const p1 = await t.request('GET', `/api/v1/records/person/${person.p1.id}`);
      expect(p1.body).toMatchObject({ taxId: 'TAX-1B', privateEmail: 'keeper@retire.example', badge: 'BADGE-1' });
      expect((await t.request('GET', `/api/v1/records/person/${person.p2.id}`)).body.taxId).toBe('TAX-2');
      expect((await t.request('GET', `/api/v1/records/dossier/${dossier.id}`)).body.secret).toBe('SECRET-7');
      const history = await t.request('GET', `/api/v1/records/person/${person.p1.id}/history`);
      expect(history.body.data.find((item: Body) => item.field === 'taxId')).toMatchObject({ oldValue: 'TAX-1', newValue: 'TAX-1B' });
    });

    it('should keep blind indexes (equality filters, unique) working once the first data key is gone, also after a restart', async () => {
      const restarted = await buildApp({ database: t.testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, masterKey });
      try {
        for (const app of [t.app, restarted]) {
          const found = await app.inject({ method: 'GET', url: `/api/v1/records/person?${filterQuery({ field: 'privateEmail', op: 'eq', value: 'keeper@RETIRE.Example' })}`, headers: { authorization: `Bearer ${t.token}` } });
          expect(found.json().data.map((record: Body) => record.id)).toEqual([person.p1.id]);
        }
        const duplicate = await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'Copycat', privateEmail: 'keeper@RETIRE.example' }));
        expect(duplicate.status).toBe(409);
        expect(duplicate.body.code).toBe('UNIQUE_VIOLATION');
      } finally {
        await restarted.close();
      }
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from rapport.workspace_blind_key where workspace_id = ${t.workspace.id}`.execute(db());
      expect(rows[0]!.count).toBe(1);
    });
  });

  describe('references', () => {
    it('failing-retire: should keep an old key while any stored value still names it, saying where, and delete it once that is gone', async () => {
      const sealed = (await sql<{ tax_id: string }>`select tax_id from ${sql.id(t.workspace.schema, 'person')} where id = ${person.p2.id}`.execute(db())).rows[0]!.tax_id;
      expect(sealed).toMatch(/^rf1:2:/);
      // A copy of a sealed value somewhere re-encryption does not go (here a plain field).
      await sql`update ${sql.id(t.workspace.schema, 'person')} set last_name = ${sealed} where id = ${person.p1.id}`.execute(db());
      expect((await keysCommand('keys.rotateDataKey')).keyVersion).toBe(3);
      await settle();

      const kept = await keysCommand('keys.reencrypt');

      expect(kept).toMatchObject({ keyVersion: 3, retiredKeyVersions: [], keptKeyVersions: [{ version: 2, reason: 'referenced', referencedBy: ['person.last_name'] }] });
      expect(await keyVersions()).toEqual([2, 3]);

      await sql`update ${sql.id(t.workspace.schema, 'person')} set last_name = 'Keeper' where id = ${person.p1.id}`.execute(db());
      const retired = await keysCommand('keys.reencrypt');

      expect(retired).toMatchObject({ retiredKeyVersions: [2], keptKeyVersions: [] });
      expect(await keyVersions()).toEqual([3]);
      expect((await t.request('GET', `/api/v1/records/person/${person.p2.id}`)).body.taxId).toBe('TAX-2');
    });

    it('should never delete the current key, and leave a workspace without older keys alone', async () => {
      const again = await keysCommand('keys.reencrypt');
      expect(again).toMatchObject({ keyVersion: 3, records: 0, retiredKeyVersions: [], keptKeyVersions: [] });
      expect(await keyVersions()).toEqual([3]);
      await expect(services().metadata.fieldKeys!.deleteDataKeys(db(), { workspaceId: t.workspace.id, versions: [3] })).rejects.toThrow(/current one/);
      expect(await keyVersions()).toEqual([3]);
    });
  });
});
