import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordAudit } from '../../packages/server/src/engine/audit/audit.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addMember, signIn, type Member } from '../support/workspace-members.ts';

interface Entry {
  id: number;
  at: string;
  actorId: string | null;
  action: string;
  objectName: string | null;
  recordId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

describeEngines('audit log API', (engine) => {
  let t: TestApp;
  let admin: Member;
  let adminToken: string;
  let repToken: string;
  let otherToken: string;
  const browser = { 'user-agent': 'Mozilla/5.0 (audit test)' };

  beforeAll(async () => {
    t = await createTestApp(engine, 'Audit Co');
    const db = t.testDatabase.database.db;
    admin = await addMember(db, { workspaceId: t.workspace.id, role: 'Admin', email: 'ada@audit.example' });
    const rep = await addMember(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    adminToken = await signIn(db, { workspaceId: t.workspace.id, userId: admin.id });
    repToken = await signIn(db, { workspaceId: t.workspace.id, userId: rep.id });
    const other = await createWorkspace({ db, name: 'Other Audit Co', standardObjects });
    otherToken = (await createApiKey(db, { workspaceId: other.id })).token;
    await recordAudit(db, { workspaceId: other.id, actorId: null, action: 'auth.sign_in.failed', ip: '10.9.9.9', details: { email: 'b@other.example' } });
  });
  afterAll(async () => t?.destroy());

  const asAdmin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      remoteAddress: '203.0.113.7',
      headers: { authorization: `Bearer ${adminToken}`, ...browser, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const list = async (query = '', token = adminToken) => {
    const response = await t.request('GET', `/api/v1/audit${query}`, undefined, { authorization: `Bearer ${token}` });
    return response as { status: number; body: { data: Entry[]; pageInfo: { hasNextPage: boolean; nextCursor: string | null } } & Record<string, unknown> };
  };

  it('successful-list: should record admin metadata actions with actor, IP and user agent, newest first', async () => {
    expect((await asAdmin('POST', '/api/v1/metadata/objects', { name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', fields: [] })).statusCode).toBe(201);
    expect((await asAdmin('POST', '/api/v1/metadata/objects/vehicle/fields', { name: 'plate', type: 'text', label: 'Plate' })).statusCode).toBe(201);
    expect((await asAdmin('PATCH', '/api/v1/metadata/objects/vehicle/fields/plate', { label: 'Plate number' })).statusCode).toBe(200);
    expect((await asAdmin('DELETE', '/api/v1/metadata/objects/vehicle')).statusCode).toBe(204);
    expect((await asAdmin('POST', '/api/v1/metadata/objects/vehicle/restore')).statusCode).toBe(200);

    const response = await list('?action=metadata.');

    expect(response.status).toBe(200);
    expect(response.body.data.map((entry) => entry.action)).toEqual([
      'metadata.object.restored',
      'metadata.object.deleted',
      'metadata.field.updated',
      'metadata.field.created',
      'metadata.object.created',
    ]);
    expect(response.body.data[2]).toMatchObject({
      actorId: admin.id,
      objectName: 'vehicle',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (audit test)',
      details: { field: 'plate', patch: { label: 'Plate number' } },
    });
    const ids = response.body.data.map((entry) => entry.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(Date.parse(response.body.data[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('successful-list: should record moving a record to the trash and back, naming the record but none of its values', async () => {
    const created = await asAdmin('POST', '/api/v1/records/person', { firstName: 'Trudy', lastName: 'Trashed', email: 'trudy@audit.example' });
    expect(created.statusCode).toBe(201);
    const id = (JSON.parse(created.body) as { id: string }).id;
    expect((await asAdmin('DELETE', `/api/v1/records/person/${id}`)).statusCode).toBe(200);
    expect((await asAdmin('POST', `/api/v1/records/person/${id}/restore`)).statusCode).toBe(200);

    const response = await list('?action=record.');

    expect(response.body.data.map((entry) => [entry.action, entry.recordId])).toEqual([
      ['record.restored', id],
      ['record.deleted', id],
    ]);
    expect(response.body.data[1]).toMatchObject({ actorId: admin.id, objectName: 'person', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (audit test)', details: {} });
    expect(JSON.stringify(response.body.data)).not.toMatch(/Trudy|trudy@audit/);
  });

  it('failing-delete: should leave no audit entry when the deletion is refused', async () => {
    const created = await asAdmin('POST', '/api/v1/records/person', { firstName: 'Vera', lastName: 'Versioned' });
    const { id, version } = JSON.parse(created.body) as { id: string; version: number };
    const refused = await t.app.inject({ method: 'DELETE', url: `/api/v1/records/person/${id}`, headers: { authorization: `Bearer ${adminToken}`, 'if-match': `"${version + 1}"` } });
    expect(refused.statusCode).toBe(412);

    const response = await list(`?action=record.deleted`);

    expect(response.body.data.map((entry) => entry.recordId)).not.toContain(id);
  });

  it('successful-list: should filter by exact action, action prefix, user and time range', async () => {
    const db = t.testDatabase.database.db;
    await recordAudit(db, { workspaceId: t.workspace.id, actorId: null, action: 'auth.sign_in.failed', ip: '198.51.100.1', userAgent: 'curl/8', details: { email: 'x@audit.example' } });
    await recordAudit(db, { workspaceId: t.workspace.id, actorId: admin.id, action: 'auth.sign_in.succeeded', ip: '198.51.100.2', details: { via: 'password' } });
    await recordAudit(db, { workspaceId: t.workspace.id, actorId: admin.id, action: 'authority.test' });

    const failed = await list('?action=auth.sign_in.failed');
    expect(failed.body.data).toHaveLength(1);
    expect(failed.body.data[0]).toMatchObject({ action: 'auth.sign_in.failed', actorId: null, ip: '198.51.100.1', userAgent: 'curl/8', details: { email: 'x@audit.example' } });

    const auth = await list('?action=auth.');
    expect(auth.body.data.map((entry) => entry.action)).toEqual(['auth.sign_in.succeeded', 'auth.sign_in.failed']);
    expect((await list('?action=auth.*')).body.data).toHaveLength(2);

    const byAdmin = await list(`?userId=${admin.id}`);
    expect(byAdmin.body.data.length).toBeGreaterThanOrEqual(7);
    expect(byAdmin.body.data.every((entry) => entry.actorId === admin.id)).toBe(true);

    const newest = auth.body.data[0]!;
    const upToNewest = await list(`?action=auth.&to=${encodeURIComponent(newest.at)}`);
    expect(upToNewest.body.data.map((entry) => entry.id)).not.toContain(newest.id);
    expect((await list(`?action=auth.&from=${encodeURIComponent(newest.at)}`)).body.data.map((entry) => entry.id)).toContain(newest.id);
    expect((await list('?from=2999-01-01')).body.data).toEqual([]);
  });

  it('successful-list: should page through every entry with the cursor, without repeats', async () => {
    const all = (await list('?limit=1000')).body.data;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((entry) => entry.id));
      cursor = page.body.pageInfo.nextCursor;
      expect(page.body.pageInfo.hasNextPage).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual(all.map((entry) => entry.id));
  });

  it('failing-list: should answer 400 problem+json for a bad cursor, date or user id', async () => {
    const cursor = await list('?cursor=not-a-cursor');
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('INVALID_CURSOR');
    const date = await list('?from=yesterday');
    expect(date.status).toBe(400);
    expect(date.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ field: 'from', code: 'invalidDate' }] });
    expect((await list('?userId=nobody')).status).toBe(400);
    expect((await list('?limit=0')).status).toBe(400);
  });

  it('failing-list: should refuse users who are not workspace administrators', async () => {
    const response = await list('', repToken);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
    const exported = await t.request('GET', '/api/v1/audit/export', undefined, { authorization: `Bearer ${repToken}` });
    expect(exported.status).toBe(403);
  });

  it('successful-export: should stream valid JSON lines of the matching entries and audit the export', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export?action=metadata.', headers: { authorization: `Bearer ${adminToken}` } });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="audit-\d{4}-\d\d-\d\d\.jsonl"/);
    expect(response.body.endsWith('\n')).toBe(true);
    const lines = response.body.trimEnd().split('\n').map((line) => JSON.parse(line) as Entry);
    const listed = (await list('?action=metadata.')).body.data;
    expect(lines).toEqual(listed);
    const exports = (await list('?action=audit.exported')).body.data;
    expect(exports[0]).toMatchObject({ actorId: admin.id, details: { filter: { action: 'metadata.' } } });
  });

  it('successful-export: should export more entries than one internal batch', async () => {
    const db = t.testDatabase.database.db;
    await sql`insert into rapport.audit_log (workspace_id, action, details)
      select ${t.workspace.id}::uuid, 'bulk.test', jsonb_build_object('n', n) from generate_series(1, 2500) as n`.execute(db);
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export?action=bulk.test', headers: { authorization: `Bearer ${adminToken}` } });
    const lines = response.body.trimEnd().split('\n').map((line) => JSON.parse(line) as Entry);
    expect(lines).toHaveLength(2500);
    expect(lines[0]!.details).toEqual({ n: 2500 });
    expect(new Set(lines.map((entry) => entry.id)).size).toBe(2500);
  });

  it('failing-change: should refuse to update or delete an audit entry', async () => {
    const db = t.testDatabase.database.db;
    const [entry] = (await list('?limit=1')).body.data;
    await expect(sql`update rapport.audit_log set action = 'tampered' where id = ${entry!.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from rapport.audit_log where id = ${entry!.id}`.execute(db)).rejects.toThrow(/append-only/);
    expect((await list('?limit=1')).body.data[0]).toEqual(entry);
  });

  it('should never show another workspace its entries, in the list or the export', async () => {
    const mine = await list('?action=auth.sign_in.failed');
    expect(mine.body.data.map((entry) => entry.details)).toEqual([{ email: 'x@audit.example' }]);
    const theirs = await list('?limit=1000', otherToken);
    expect(theirs.status).toBe(200);
    expect(theirs.body.data.map((entry) => entry.action)).toEqual(['auth.sign_in.failed']);
    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export', headers: { authorization: `Bearer ${otherToken}` } });
    const lines = exported.body.trimEnd().split('\n').map((line) => JSON.parse(line) as Entry);
    expect(lines.map((entry) => entry.details)).toEqual([{ filter: {} }, { email: 'b@other.example' }]);
  });
});

describeEngines('OpenAPI document of the audit, licence and single sign-on routes', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Documented Co');
  });
  afterAll(async () => t?.destroy());

  it('should describe every route with its operation, public sign-on routes without security, and stay valid OpenAPI 3.1', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const document = (await t.request('GET', '/api/v1/openapi.json')).body;
    const operation = (path: string, method: string) => document.paths[path]?.[method]?.operationId;

    expect(operation('/api/v1/audit', 'get')).toBe('listAuditEntries');
    expect(operation('/api/v1/audit/export', 'get')).toBe('exportAuditEntries');
    expect(document.paths['/api/v1/audit/export'].get.responses[200].content).toHaveProperty('application/x-ndjson');
    expect(operation('/api/v1/licences', 'get')).toBe('listLicenceTypes');
    expect(operation('/api/v1/licences/{name}', 'put')).toBe('putLicenceType');
    expect(operation('/api/v1/licences/utilisation', 'get')).toBe('getLicenceUtilisation');
    expect(operation('/api/v1/sso/providers', 'post')).toBe('createSsoProvider');
    expect(operation('/api/v1/sso/providers/{id}', 'patch')).toBe('updateSsoProvider');
    expect(operation('/api/v1/sso/providers/{id}', 'delete')).toBe('deleteSsoProvider');
    expect(document.paths['/api/v1/auth/sso/{workspace}/{provider}/start'].get.security).toEqual([]);
    expect(document.paths['/api/v1/auth/sso/callback'].get.security).toEqual([]);
    expect(document.paths['/api/v1/sso/providers'].post.requestBody.content['application/json'].schema.properties).not.toHaveProperty('hasClientSecret');
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});
