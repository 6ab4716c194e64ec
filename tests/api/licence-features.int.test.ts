import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../support/test-app.ts';
import { addMember, signIn } from '../support/workspace-members.ts';

describeEngines('licences: features gate the API', (engine) => {
  let t: TestApp;
  const db = () => t.testDatabase.database.db;
  const as = (token: string) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) => t.request(method, url, body, { authorization: `Bearer ${token}` });
  const member = async (options: { role: string; licence: string }) => {
    const user = await addMember(db(), { workspaceId: t.workspace.id, ...options });
    const session = await signIn(db(), { workspaceId: t.workspace.id, userId: user.id });
    const { token: key } = await createApiKey(db(), { workspaceId: t.workspace.id, userId: user.id, scopes: ['admin'], name: `key of ${user.email}` });
    return { ...user, session, key };
  };
  const expectMissingFeature = (response: ApiResponse, licence: string, feature: string) => {
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('LICENCE_FEATURE_REQUIRED');
    expect(response.body.detail).toContain(`${licence} licence`);
    expect(response.body.detail).toContain(`"${feature}"`);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'licence', code: 'featureNotIncluded' })]);
  };

  beforeAll(async () => {
    t = await createTestApp(engine, 'Licensed Co');
    expect((await t.request('PUT', '/api/v1/licences/Reader', { features: ['records.read'] })).status).toBe(201);
    expect((await t.request('PUT', '/api/v1/licences/Auditor', { features: ['admin', 'records.read'] })).status).toBe(201);
  });
  afterAll(async () => t?.destroy());

  it('should refuse a user API key when the licence has no api feature, while the same user signed in works', async () => {
    const basic = await member({ role: 'Sales rep', licence: 'Basic' });

    expectMissingFeature(await as(basic.key)('GET', '/api/v1/records/person'), 'Basic', 'api');
    expect((await as(basic.session)('GET', '/api/v1/records/person')).status).toBe(200);
    expect((await as(basic.session)('GET', '/api/v1/search?q=anyone')).status).toBe(200);
    expectMissingFeature(await as(basic.session)('POST', '/api/v1/apikeys', { name: 'mine', scopes: ['read:*'] }), 'Basic', 'api');
    const professional = await member({ role: 'Sales rep', licence: 'Professional' });
    expect((await as(professional.key)('GET', '/api/v1/records/person')).status).toBe(200);
    expect((await as(professional.session)('POST', '/api/v1/apikeys', { name: 'mine', scopes: ['read:*'] })).status).toBe(201);
  });

  it('should refuse reading, writing and searching records to a licence without them', async () => {
    const portal = await member({ role: 'Sales rep', licence: 'Portal' });
    const reader = await member({ role: 'Sales rep', licence: 'Reader' });

    expectMissingFeature(await as(portal.session)('GET', '/api/v1/records/person'), 'Portal', 'records.read');
    expectMissingFeature(await as(portal.session)('POST', '/api/v1/records/person/query', {}), 'Portal', 'records.read');
    expectMissingFeature(await as(portal.session)('GET', '/api/v1/search?q=x'), 'Portal', 'search');
    expect((await as(reader.session)('GET', '/api/v1/records/person')).status).toBe(200);
    expectMissingFeature(await as(reader.session)('POST', '/api/v1/records/person', personFactory.build()), 'Reader', 'records.write');
    expect((await t.request('GET', '/api/v1/records/person?count=true')).body.totalCount).toBe(0);
  });

  it('should refuse administration to an admin whose licence lacks admin or metadata.admin, and FORBIDDEN stays for non-admins', async () => {
    const professionalAdmin = await member({ role: 'Admin', licence: 'Professional' });
    const auditor = await member({ role: 'Admin', licence: 'Auditor' });
    const basicRep = await member({ role: 'Sales rep', licence: 'Basic' });

    expectMissingFeature(await as(professionalAdmin.session)('POST', '/api/v1/roles', { name: 'Nope' }), 'Professional', 'admin');
    expectMissingFeature(await as(professionalAdmin.session)('GET', '/api/v1/audit'), 'Professional', 'admin');
    expectMissingFeature(
      await as(professionalAdmin.session)('POST', '/api/v1/metadata/objects/person/fields', { name: 'shoeSize', type: 'number', label: 'Shoe size' }),
      'Professional',
      'metadata.admin',
    );
    expect((await as(auditor.session)('GET', '/api/v1/audit')).status).toBe(200);
    expectMissingFeature(await as(auditor.session)('GET', '/api/v1/audit/export'), 'Auditor', 'export');
    const notAdmin = await as(basicRep.session)('PUT', '/api/v1/licences/Basic', { seats: 100 });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.code).toBe('FORBIDDEN');
    expect((await as(basicRep.session)('GET', '/api/v1/roles')).status).toBe(200);
  });

  it('should follow a change of the licence type at once, and never limit a key without a user', async () => {
    const basic = await member({ role: 'Sales rep', licence: 'Basic' });
    expectMissingFeature(await as(basic.key)('GET', '/api/v1/records/person'), 'Basic', 'api');

    const changed = await t.request('PUT', '/api/v1/licences/Basic', { features: ['records.read', 'records.write', 'search', 'api'] });

    expect(changed.status).toBe(200);
    expect((await as(basic.key)('GET', '/api/v1/records/person')).status).toBe(200);
    expect((await t.request('POST', '/api/v1/records/person', personFactory.build())).status).toBe(201);
  });

  it('should refuse everything licensed to a member who holds no licence', async () => {
    const unlicensed = await addMember(db(), { workspaceId: t.workspace.id, role: 'Sales rep', licence: null });
    const session = await signIn(db(), { workspaceId: t.workspace.id, userId: unlicensed.id });

    const response = await as(session)('GET', '/api/v1/records/person');

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('LICENCE_FEATURE_REQUIRED');
    expect(response.body.detail).toContain('no licence');
  });
});
