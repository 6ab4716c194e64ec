import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registerAdminRoute } from '../../packages/server/src/admin/admin.route.ts';
import { runAdminCommand } from '../../packages/server/src/admin/commands.ts';
import { buildApp } from '../../packages/server/src/app.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { SEALED_COLUMNS } from '../../packages/server/src/engine/crypto/master-key-rotation.ts';
import { reencryptValues } from '../../packages/server/src/engine/crypto/reencrypt-values.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createSecretBox } from '../../packages/server/src/engine/identity/secret-box.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { addPasswordUser, call, signInOverHttp, totpCodeOf, type PasswordUser } from '../support/identity.ts';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

type Body = Record<string, any>;

const WORKSPACE = 'Rotate Co';
const REDIRECT_URI = 'http://localhost:3000/api/v1/auth/sso/callback';
// What the secret box writes: v1.<iv>.<ciphertext>.<tag>, base64url.
const SEALED_SECRET = /^v1\.[\w-]+\.[\w-]*\.[\w-]+$/;

describeEngines('key rotation', (engine) => {
  const firstKey = randomBytes(32);
  const secondKey = randomBytes(32);
  let t: TestApp;
  let idp: TestOidcProvider;
  let keyDir: string;
  const db = () => t.testDatabase.database.db;
  const services = () => (t.app as unknown as { services: EngineServices }).services;
  // As the running server runs the CLI's command: its own keyring and metadata cache.
  const throughServer = () => ({ fieldKeys: services().metadata.fieldKeys!, onMetadataChanged: (id: string) => services().onMetadataChanged(id) });
  const taxIds = async () => {
    const { rows } = await sql<{ id: string; tax_id: string }>`select id, tax_id from ${sql.id(t.workspace.schema, 'person')} where tax_id is not null order by id`.execute(db());
    return rows;
  };
  const sealedText = async () => {
    const history = await sql<{ text: string }>`select coalesce(old_value::text, '') || coalesce(new_value::text, '') as text from ${sql.id(t.workspace.schema, '_history')}`.execute(db());
    const events = await sql<{ text: string }>`select payload::text as text from rapport.event where workspace_id = ${t.workspace.id}`.execute(db());
    return [...history.rows, ...events.rows].map((row) => row.text).join('\n');
  };

  beforeAll(async () => {
    keyDir = mkdtempSync(join(inject('rapportTestRunDir'), 'keys-'));
    idp = await startOidcProvider({ redirectUris: [REDIRECT_URI], accounts: { 'sub-ines': { email: 'ines@rotate.example', email_verified: true, name: 'Ines' } } });
    t = await createTestApp(engine, WORKSPACE, { masterKey: firstKey });
    const field = await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'taxId', type: 'text', label: 'Tax id', options: { encrypted: true } });
    expect(field.status).toBe(201);
  });
  afterAll(async () => {
    await t?.destroy();
    await idp?.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  describe('data key', () => {
    const created: Body[] = [];

    it('successful-rotate: should read old and new records after a rotation, then re-encrypt the old values under the new key', async () => {
      for (const n of [1, 2, 3]) created.push((await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: `Old${n}`, taxId: `OLD-TAX-${n}` }))).body);
      expect((await t.request('PATCH', `/api/v1/records/person/${created[0]!.id}`, { taxId: 'OLD-TAX-1B' })).status).toBe(200);
      expect((await taxIds()).every((row) => row.tax_id.startsWith('rf1:1:'))).toBe(true);

      expect(await services().metadata.fieldKeys!.rotateDataKey(db(), t.workspace.id)).toBe(2);
      services().onMetadataChanged(t.workspace.id);
      const fresh = await t.request('POST', '/api/v1/records/person', personFactory.build({ lastName: 'New', taxId: 'NEW-TAX-1' }));
      created.push(fresh.body);
      const stored = Object.fromEntries((await taxIds()).map((row) => [row.id, row.tax_id]));
      expect(stored[fresh.body.id]).toMatch(/^rf1:2:/);
      expect(stored[created[1]!.id]).toMatch(/^rf1:1:/);
      for (const [record, taxId] of [[created[0], 'OLD-TAX-1B'], [created[1], 'OLD-TAX-2'], [fresh.body, 'NEW-TAX-1']] as const) {
        expect((await t.request('GET', `/api/v1/records/person/${record!.id}`)).body.taxId).toBe(taxId);
      }

      const result = await runAdminCommand(t.testDatabase.database, { command: 'keys.reencrypt', workspace: WORKSPACE }, throughServer());
      expect(result.workspaces).toEqual([expect.objectContaining({ workspace: WORKSPACE, keyVersion: 2, records: 3 })]);
      expect((result.workspaces as Body[])[0]!.historyEntries).toBeGreaterThan(0);
      expect((result.workspaces as Body[])[0]!.events).toBeGreaterThanOrEqual(4);
      expect((await taxIds()).every((row) => row.tax_id.startsWith('rf1:2:'))).toBe(true);
      const text = await sealedText();
      expect(text).toContain('"rf1:2:');
      expect(text).not.toContain('"rf1:1:');
      expect((await t.request('GET', `/api/v1/records/person/${created[0]!.id}`)).body.taxId).toBe('OLD-TAX-1B');
      const history = await t.request('GET', `/api/v1/records/person/${created[0]!.id}/history`);
      expect(history.body.data.find((item: Body) => item.field === 'taxId')).toMatchObject({ oldValue: 'OLD-TAX-1', newValue: 'OLD-TAX-1B' });
    });

    it('successful-rotate: should add a key and re-encrypt in one command, and find nothing left when run again', async () => {
      const rotated = await runAdminCommand(t.testDatabase.database, { command: 'keys.rotateDataKey', all: true }, throughServer());
      expect(rotated.workspaces).toEqual([expect.objectContaining({ workspace: WORKSPACE, keyVersion: 3, records: 4 })]);
      expect((await taxIds()).every((row) => row.tax_id.startsWith('rf1:3:'))).toBe(true);
      const audit = await t.request('GET', '/api/v1/audit?action=keys.');
      expect(audit.body.data.map((entry: Body) => [entry.action, entry.details.keyVersion, entry.details.records])).toEqual([
        ['keys.values.reencrypted', 3, 4],
        ['keys.data_key.rotated', 3, undefined],
        ['keys.values.reencrypted', 2, 3],
      ]);
      const again = await runAdminCommand(t.testDatabase.database, { command: 'keys.reencrypt', workspace: WORKSPACE }, throughServer());
      expect(again.workspaces).toEqual([expect.objectContaining({ workspace: WORKSPACE, keyVersion: 3, records: 0, historyEntries: 0, events: 0, retiredKeyVersions: [] })]);
      // The older keys stay while the rotation settles: a request may still have sealed with them.
      expect((again.workspaces as Body[])[0]!.keptKeyVersions.map((kept: Body) => [kept.version, kept.reason])).toEqual([[1, 'settling'], [2, 'settling']]);
      const listed = await t.request('GET', '/api/v1/records/person?limit=50');
      expect(listed.body.data.map((record: Body) => record.taxId).filter(Boolean).sort()).toEqual(['NEW-TAX-1', 'OLD-TAX-1B', 'OLD-TAX-2', 'OLD-TAX-3']);
    });

    it('successful-resume: should carry on where a re-encryption stopped half way, losing nothing', async () => {
      const fieldKeys = services().metadata.fieldKeys!;
      expect(await fieldKeys.rotateDataKey(db(), t.workspace.id)).toBe(4);
      let batches = 0;
      const stopped = reencryptValues({
        db: db(),
        fieldKeys,
        workspaceId: t.workspace.id,
        batchSize: 1,
        onBatch: () => {
          // The process dies after two committed batches.
          if (++batches === 2) throw new Error('killed');
        },
      });
      await expect(stopped).rejects.toThrow('killed');
      const half = await taxIds();
      expect(half.filter((row) => row.tax_id.startsWith('rf1:4:'))).toHaveLength(2);
      expect(half.filter((row) => row.tax_id.startsWith('rf1:3:'))).toHaveLength(2);
      services().onMetadataChanged(t.workspace.id);
      for (const record of created) expect((await t.request('GET', `/api/v1/records/person/${record.id}`)).body.taxId).toMatch(/-TAX-/);

      const resumed = await runAdminCommand(t.testDatabase.database, { command: 'keys.reencrypt', workspace: WORKSPACE }, throughServer());
      expect(resumed.workspaces).toEqual([expect.objectContaining({ keyVersion: 4, records: 2 })]);
      expect((await taxIds()).every((row) => row.tax_id.startsWith('rf1:4:'))).toBe(true);
      expect(await sealedText()).not.toMatch(/"rf1:[123]:/);
    });

    it('successful-rotate: should rotate through the admin route of a running server, which refuses a master-key rotation', async () => {
      const server = await buildApp({ database: t.testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, masterKey: firstKey });
      const adminToken = randomBytes(32).toString('base64url');
      registerAdminRoute(server, { database: t.testDatabase.database, adminToken, services: (server as unknown as { services: EngineServices }).services });
      try {
        const command = (body: unknown) => server.inject({ method: 'POST', url: '/api/admin/command', headers: { 'x-rapport-admin-token': adminToken, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        const rotated = await command({ command: 'keys.rotateDataKey', workspace: WORKSPACE });
        expect(rotated.statusCode, rotated.body).toBe(200);
        expect(JSON.parse(rotated.body).workspaces).toEqual([expect.objectContaining({ keyVersion: 5, records: 4 })]);
        // The server's own metadata cache seals new values with the new key at once.
        const { token } = await createApiKey(db(), { workspaceId: t.workspace.id, name: 'server' });
        const created = await server.inject({ method: 'POST', url: '/api/v1/records/person', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(personFactory.build({ lastName: 'ViaServer', taxId: 'SERVER-TAX-1' })) });
        expect(created.statusCode).toBe(201);
        expect((await taxIds()).find((row) => row.id === JSON.parse(created.body).id)!.tax_id).toMatch(/^rf1:5:/);
        const master = await command({ command: 'keys.rotateMasterKey', newKeyFile: join(keyDir, 'next.key') });
        expect(master.statusCode).toBe(400);
      } finally {
        await server.close();
      }
    });

    it('successful-retire: should delete every older data key once the rotation settled and nothing refers to them', async () => {
      await sql`update rapport.workspace_key set created_at = created_at - interval '11 minutes' where workspace_id = ${t.workspace.id}`.execute(db());
      const retired = await runAdminCommand(t.testDatabase.database, { command: 'keys.reencrypt', workspace: WORKSPACE }, throughServer());
      expect(retired.workspaces).toEqual([expect.objectContaining({ keyVersion: 5, records: 0, retiredKeyVersions: [1, 2, 3, 4], keptKeyVersions: [] })]);
      const { rows } = await sql<{ version: number }>`select version from rapport.workspace_key where workspace_id = ${t.workspace.id}`.execute(db());
      expect(rows.map((row) => row.version)).toEqual([5]);
      services().onMetadataChanged(t.workspace.id);
      const listed = await t.request('GET', '/api/v1/records/person?limit=50');
      expect(listed.body.data.map((record: Body) => record.taxId).filter(Boolean).sort()).toEqual(['NEW-TAX-1', 'OLD-TAX-1B', 'OLD-TAX-2', 'OLD-TAX-3', 'SERVER-TAX-1']);
    });

    it('failing-rotate: should ask for one workspace or all of them', async () => {
      await expect(runAdminCommand(t.testDatabase.database, { command: 'keys.rotateDataKey' }, throughServer())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      await expect(runAdminCommand(t.testDatabase.database, { command: 'keys.reencrypt', workspace: 'Nowhere' }, throughServer())).rejects.toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
    });
  });

  describe('master key', () => {
    let user: PasswordUser;
    let totpSecret: string;
    let providerId: string;
    let restarted: FastifyInstance | undefined;
    afterAll(async () => restarted?.close());

    const sealedValues = async () => {
      const { rows } = await sql<{ value: string }>`
        select sealed_key as value from rapport.workspace_key
        union all select sealed_key from rapport.workspace_blind_key
        union all select totp_secret from rapport.user where totp_secret is not null
        union all select totp_pending_secret from rapport.user where totp_pending_secret is not null
        union all select client_secret from rapport.oidc_provider where client_secret is not null
        union all select secret from rapport.telephony_settings where secret is not null`.execute(db());
      return rows.map((row) => row.value);
    };
    const ssoSignIn = async (app: FastifyInstance) => {
      const start = await app.inject({ method: 'GET', url: `/api/v1/auth/sso/${encodeURIComponent(WORKSPACE)}/rotate-idp/start` });
      expect(start.statusCode).toBe(302);
      const flow = [start.headers['set-cookie']].flat().map(String).find((cookie) => cookie.startsWith('rapport_sso='))!.split(';')[0]!;
      const back = await idp.signIn(start.headers.location as string, 'sub-ines');
      return app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie: flow } });
    };

    beforeAll(async () => {
      user = await addPasswordUser(db(), { workspaceId: t.workspace.id, email: 'totp@rotate.example' });
      const session = await signInOverHttp(t.app, { email: user.email, password: user.password });
      totpSecret = (await call(t.app, 'POST', '/api/v1/auth/totp/enroll', undefined, { token: session.token })).body.secret;
      expect((await call(t.app, 'POST', '/api/v1/auth/totp/verify', { code: totpCodeOf(totpSecret) }, { token: session.token })).status).toBe(200);
      // Someone in the middle of an enrolment: their pending secret is sealed too.
      const pending = await addPasswordUser(db(), { workspaceId: t.workspace.id, email: 'pending@rotate.example' });
      expect((await call(t.app, 'POST', '/api/v1/auth/totp/enroll', undefined, { token: (await signInOverHttp(t.app, { email: pending.email, password: pending.password })).token })).status).toBe(200);
      const { rows: roles } = await sql<{ id: string }>`select id from rapport.role where workspace_id = ${t.workspace.id} and name = 'Sales rep'`.execute(db());
      const provider = await t.request('POST', '/api/v1/sso/providers', { name: 'rotate-idp', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRoleId: roles[0]!.id });
      expect(provider.status).toBe(201);
      providerId = provider.body.id;
      expect((await ssoSignIn(t.app)).statusCode).toBe(302);
      // The telephony provider's signing secret is sealed too.
      expect((await t.request('PUT', '/api/v1/telephony/settings', { provider: 'rapport', secret: 'telephony-secret-0123456789abcdef' })).status).toBe(200);
    });

    it('should list every column that holds a value sealed with the master key', async () => {
      const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns where table_schema = 'rapport' and data_type = 'text'`.execute(db());
      const holding: string[] = [];
      for (const { table_name: table, column_name: column } of columns) {
        const { rows } = await sql<{ value: string }>`select ${sql.id(column)} as value from ${sql.id('rapport', table)} where ${sql.id(column)} like 'v1.%' limit 50`.execute(db());
        if (rows.some((row) => SEALED_SECRET.test(row.value))) holding.push(`${table}.${column}`);
      }
      expect(holding.sort()).toEqual(['oidc_provider.client_secret', 'telephony_settings.secret', 'user.totp_pending_secret', 'user.totp_secret', 'workspace_blind_key.sealed_key', 'workspace_key.sealed_key']);
      expect(new Set(holding)).toEqual(new Set(SEALED_COLUMNS.map((sealed) => `${sealed.table}.${sealed.column}`)));
    });

    it('failing-rotate: should change nothing when the current key is not the one the values were sealed with', async () => {
      const before = await sealedValues();
      const file = join(keyDir, 'next.key');
      writeFileSync(file, `${secondKey.toString('base64')}\n`);
      const wrong = runAdminCommand(t.testDatabase.database, { command: 'keys.rotateMasterKey', newKeyFile: file }, { masterKey: { key: randomBytes(32), source: 'file' }, dataDir: keyDir });
      await expect(wrong).rejects.toThrow(/opens with neither/);
      expect(await sealedValues()).toEqual(before);
      // Through a running server there is no master key to give: it is refused.
      await expect(runAdminCommand(t.testDatabase.database, { command: 'keys.rotateMasterKey', newKeyFile: file }, throughServer())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    });

    it('successful-rotate: should re-seal data keys, TOTP and SSO secrets, after which TOTP and SSO sign-ins and encrypted records work with the new key', async () => {
      const before = await sealedValues();
      writeFileSync(join(keyDir, 'secret.key'), `${firstKey.toString('base64')}\n`);
      const file = join(keyDir, 'next.key');
      writeFileSync(file, `${secondKey.toString('base64')}\n`);

      const result = await runAdminCommand(t.testDatabase.database, { command: 'keys.rotateMasterKey', newKeyFile: file }, { masterKey: { key: firstKey, source: 'file' }, dataDir: keyDir });

      // One data key left after the retirement, and the blind-index key kept when the first one went.
      expect(result).toMatchObject({ resealed: { 'workspace data keys': 1, 'workspace blind-index keys': 1, 'TOTP secrets': 1, 'pending TOTP enrolments': 1, 'SSO client secrets': 1, 'telephony secrets': 1 }, alreadyRotated: 0, keySource: 'file' });
      expect(Buffer.from(readFileSync(join(keyDir, 'secret.key'), 'utf8').trim(), 'base64').equals(secondKey)).toBe(true);
      const { rows: audited } = await sql<{ details: Body }>`select details from rapport.audit_log where workspace_id is null and action = 'keys.master_key.rotated'`.execute(db());
      expect(audited.map((row) => row.details.resealed['TOTP secrets'])).toEqual([1]);
      const after = await sealedValues();
      expect(after).toHaveLength(before.length);
      for (const [index, value] of after.entries()) expect(value).not.toBe(before[index]);
      const { rows } = await sql<{ totp_secret: string }>`select totp_secret from rapport.user where id = ${user.id}`.execute(db());
      expect(createSecretBox(secondKey).open(rows[0]!.totp_secret)).toBe(totpSecret);
      expect(() => createSecretBox(firstKey).open(rows[0]!.totp_secret)).toThrow(/RAPPORT_SECRET/);
      const { rows: providers } = await sql<{ client_secret: string }>`select client_secret from rapport.oidc_provider where id = ${providerId}`.execute(db());
      expect(createSecretBox(secondKey).open(providers[0]!.client_secret)).toBe(idp.clientSecret);

      // The server restarts with the new key.
      restarted = await buildApp({ database: t.testDatabase.database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, masterKey: secondKey });
      const withoutCode = await call(restarted, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: user.password });
      expect(withoutCode.body.code).toBe('TOTP_REQUIRED');
      const signedIn = await signInOverHttp(restarted, { email: user.email, password: user.password, totp: totpCodeOf(totpSecret, 1) });
      expect(signedIn.userId).toBe(user.id);
      const sso = await ssoSignIn(restarted);
      expect(sso.statusCode).toBe(302);
      expect(sso.headers.location).toBe('/');
      const people = await call(restarted, 'GET', '/api/v1/records/person?limit=50', undefined, { token: t.token });
      expect(people.body.data.map((record: Body) => record.taxId).filter(Boolean).sort()).toEqual(['NEW-TAX-1', 'OLD-TAX-1B', 'OLD-TAX-2', 'OLD-TAX-3', 'SERVER-TAX-1']);
      const created = await call(restarted, 'POST', '/api/v1/records/person', personFactory.build({ lastName: 'AfterMaster', taxId: 'MASTER-TAX-1' }), { token: t.token });
      expect(created.body.taxId).toBe('MASTER-TAX-1');
    });

    it('successful-rotate: should find everything already rotated when run again after it committed', async () => {
      const file = join(keyDir, 'next.key');
      const again = await runAdminCommand(t.testDatabase.database, { command: 'keys.rotateMasterKey', newKeyFile: file }, { masterKey: { key: firstKey, source: 'file' }, dataDir: keyDir });
      expect(again).toMatchObject({ resealed: { 'workspace data keys': 0, 'workspace blind-index keys': 0, 'TOTP secrets': 0, 'pending TOTP enrolments': 0, 'SSO client secrets': 0, 'telephony secrets': 0 }, alreadyRotated: 6 });
    });
  });
});
