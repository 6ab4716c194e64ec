import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
// A 1×1 transparent PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describeEngines('designer API: expression checks, layouts, workspace settings', (engine) => {
  let t: TestApp;
  let rep: TestUser;
  const as = (user: { token: string }) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) =>
    t.request(method, url, body, { authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    t = await createTestApp(engine, 'Designer Co');
    const vehicle = {
      name: 'vehicle',
      labelSingular: 'Vehicle',
      labelPlural: 'Vehicles',
      fields: [
        { name: 'plate', type: 'text', label: 'Plate' },
        { name: 'price', type: 'number', label: 'Price' },
        { name: 'secretNote', type: 'text', label: 'Secret note' },
        { name: 'holder', type: 'relation', label: 'Holder', options: { target: 'company', kind: 'manyToOne', inverseName: 'vehicles' } },
      ],
    };
    expect((await t.request('POST', '/api/v1/metadata/objects', vehicle)).status).toBe(201);
    const role = await t.request('POST', '/api/v1/roles', { name: 'Fleet rep', permissions: { '*': ALL }, fields: { vehicle: { secretNote: 'hidden' } }, recordAccess: 'all' });
    expect(role.status).toBe(201);
    rep = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: role.body.id, name: 'Rita' });
  });
  afterAll(async () => t?.destroy());

  describe('POST /metadata/objects/{object}/expressions/check', () => {
    const check = (body: unknown, object = 'vehicle') => t.request('POST', `/api/v1/metadata/objects/${object}/expressions/check`, body);

    it('should accept a formula over the object\'s fields and give its type', async () => {
      const response = await check({ expression: 'record.price * 1.2', resultType: 'number' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ valid: true, type: 'double', errors: [] });
    });

    it('should report a syntax error with its position', async () => {
      const response = await check({ expression: 'record.price * ' });

      expect(response.status).toBe(200);
      expect(response.body.valid).toBe(false);
      expect(response.body.type).toBeNull();
      expect(response.body.errors[0].code).toBe('syntax');
      expect(typeof response.body.errors[0].position).toBe('number');
    });

    it('should report an unknown field and a wrong result type as the save would', async () => {
      const unknown = await check({ expression: 'record.nope + 1' });
      const wrongType = await check({ expression: 'record.plate', resultType: 'number' });

      expect(unknown.body.valid).toBe(false);
      expect(unknown.body.errors[0].message).toMatch(/nope/);
      expect(wrongType.body.valid).toBe(false);
      expect(wrongType.body.errors[0].code).toBe('resultType');
    });

    it('should check a rule as true-or-false with value and previous', async () => {
      expect((await check({ kind: 'rule', field: 'price', expression: 'value >= 0.0 && previous == null' })).body.valid).toBe(true);
      expect((await check({ kind: 'rule', expression: 'record.price' })).body.errors[0].code).toBe('resultType');
    });

    it('should not let a formula read itself', async () => {
      const response = await check({ expression: 'record.price + 1.0', field: 'price' });
      expect(response.body.valid).toBe(false);
    });

    it('should not reveal a field hidden from the caller', async () => {
      const response = await as(rep)('POST', '/api/v1/metadata/objects/vehicle/expressions/check', { expression: 'record.secretNote' });
      expect(response.body.valid).toBe(false);
    });

    it('should answer 400 problem+json for a missing expression and 404 for an unknown object', async () => {
      const bad = await check({ kind: 'formula' });
      const missing = await check({ expression: '1' }, 'nothing');

      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'expression', code: 'required' })]);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('OBJECT_NOT_FOUND');
    });
  });

  describe('GET|PUT /metadata/objects/{object}/layout', () => {
    it('should serve a default layout with every field until one is saved', async () => {
      const response = await t.request('GET', '/api/v1/metadata/objects/vehicle/layout');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ isDefault: true, updatedAt: null, sections: [{ title: 'Vehicle', columns: 2, fields: ['plate', 'price', 'secretNote', 'holder'] }] });
    });

    it('should save sections and serve them back, dropping fields hidden from the caller', async () => {
      const layout = { sections: [{ title: 'Main', columns: 1, fields: ['plate', 'secretNote'] }, { title: 'Money', columns: 2, fields: ['price'] }] };

      const saved = await t.request('PUT', '/api/v1/metadata/objects/vehicle/layout', layout);
      const forAdmin = await t.request('GET', '/api/v1/metadata/objects/vehicle/layout');
      const forRep = await as(rep)('GET', '/api/v1/metadata/objects/vehicle/layout');

      expect(saved.status).toBe(200);
      expect(saved.body.isDefault).toBe(false);
      expect(forAdmin.body.sections).toEqual(layout.sections);
      expect(typeof forAdmin.body.updatedAt).toBe('string');
      expect(forRep.status).toBe(200);
      expect(forRep.body.sections).toEqual([{ title: 'Main', columns: 1, fields: ['plate'] }, { title: 'Money', columns: 2, fields: ['price'] }]);
    });

    it('should keep the layout when the object is renamed and drop a deleted field from it', async () => {
      expect((await t.request('PATCH', '/api/v1/metadata/objects/vehicle', { name: 'car' })).status).toBe(200);
      expect((await t.request('DELETE', '/api/v1/metadata/objects/car/fields/price')).status).toBe(204);

      const response = await t.request('GET', '/api/v1/metadata/objects/car/layout');

      expect(response.body.sections).toEqual([{ title: 'Main', columns: 1, fields: ['plate', 'secretNote'] }, { title: 'Money', columns: 2, fields: [] }]);
      expect((await t.request('POST', '/api/v1/metadata/objects/car/fields/price/restore')).status).toBe(200);
      expect((await t.request('PATCH', '/api/v1/metadata/objects/car', { name: 'vehicle' })).status).toBe(200);
    });

    it('should refuse unknown, repeated and to-many fields with 422 and per-field errors, saving nothing', async () => {
      const before = await t.request('GET', '/api/v1/metadata/objects/company/layout');
      const response = await t.request('PUT', '/api/v1/metadata/objects/company/layout', {
        sections: [{ title: 'A', columns: 2, fields: ['name', 'ghost', 'name', 'vehicles'] }],
      });

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: 'sections[0].fields[1]', code: 'unknownField' }),
        expect.objectContaining({ field: 'sections[0].fields[2]', code: 'unique' }),
        expect.objectContaining({ field: 'sections[0].fields[3]', code: 'invalidType' }),
      ]);
      expect((await t.request('GET', '/api/v1/metadata/objects/company/layout')).body).toEqual(before.body);
    });

    it('should refuse a malformed layout with 400 and a non-admin with 403', async () => {
      const malformed = await t.request('PUT', '/api/v1/metadata/objects/vehicle/layout', { sections: [{ title: 'A', columns: 3, fields: [] }] });
      const forbidden = await as(rep)('PUT', '/api/v1/metadata/objects/vehicle/layout', { sections: [{ title: 'A', columns: 1, fields: ['plate'] }] });

      expect(malformed.status).toBe(400);
      expect(malformed.body.errors[0].field).toBe('sections.0.columns');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    });
  });

  describe('GET|PATCH /workspace', () => {
    it('should read the workspace defaults', async () => {
      const response = await as(rep)('GET', '/api/v1/workspace');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: t.workspace.id, name: 'Designer Co', logo: null, primaryColor: null, defaultCurrency: 'EUR', locale: 'en', timezone: 'UTC' });
    });

    it('should change branding and defaults for an admin and audit it', async () => {
      const response = await t.request('PATCH', '/api/v1/workspace', {
        name: 'Designer Company', logo: PNG, primaryColor: '#0b7285', defaultCurrency: 'USD', locale: 'fr', timezone: 'Europe/Paris',
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: 'Designer Company', logo: PNG, primaryColor: '#0b7285', defaultCurrency: 'USD', locale: 'fr', timezone: 'Europe/Paris' });
      expect((await t.request('GET', '/api/v1/workspace')).body.primaryColor).toBe('#0b7285');
      // The cached workspace metadata follows: the OpenAPI title names the workspace.
      expect((await t.request('GET', '/api/v1/openapi.json')).body.info.title).toBe('Rapport API — Designer Company');
      const audit = await t.request('GET', '/api/v1/audit?action=workspace.');
      expect(audit.body.data[0]).toMatchObject({ action: 'workspace.updated', details: { logo: 'replaced', primaryColor: '#0b7285' } });
      expect((await t.request('PATCH', '/api/v1/workspace', { logo: null })).body.logo).toBeNull();
    });

    it('should refuse an unknown currency and time zone with 422 per field', async () => {
      const response = await t.request('PATCH', '/api/v1/workspace', { defaultCurrency: 'XYZ', timezone: 'Mars/Olympus' });

      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: 'defaultCurrency', code: 'invalidCurrency' }),
        expect.objectContaining({ field: 'timezone', code: 'invalidChoice' }),
      ]);
    });

    it('should refuse a logo that is not an image data URL or too large, and a bad colour, with 400', async () => {
      const notImage = await t.request('PATCH', '/api/v1/workspace', { logo: 'data:text/html;base64,PGgxPg==' });
      const tooLarge = await t.request('PATCH', '/api/v1/workspace', { logo: `data:image/png;base64,${'A'.repeat(200_000)}` });
      const colour = await t.request('PATCH', '/api/v1/workspace', { primaryColor: 'red' });

      expect(notImage.status).toBe(400);
      expect(notImage.body.errors[0].field).toBe('logo');
      expect(tooLarge.status).toBe(400);
      expect(tooLarge.body.errors[0].field).toBe('logo');
      expect(colour.status).toBe(400);
      expect(colour.body.errors[0].field).toBe('primaryColor');
    });

    it('should refuse writes from a non-admin with 403 and keep the settings', async () => {
      const response = await as(rep)('PATCH', '/api/v1/workspace', { name: 'Hijacked' });

      expect(response.status).toBe(403);
      expect((await t.request('GET', '/api/v1/workspace')).body.name).toBe('Designer Company');
    });
  });

  it('should describe the new routes in the OpenAPI document', async () => {
    const { body } = await t.request('GET', '/api/v1/openapi.json');

    expect(body.paths['/api/v1/metadata/objects/{object}/expressions/check'].post.operationId).toBe('checkObjectExpression');
    expect(body.paths['/api/v1/metadata/objects/{object}/layout'].put.operationId).toBe('replaceObjectLayout');
    expect(body.paths['/api/v1/workspace'].patch.operationId).toBe('updateWorkspaceSettings');
  });
});
