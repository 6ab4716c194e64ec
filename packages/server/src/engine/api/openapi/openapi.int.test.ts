import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../../../../../../tests/setup/engines.ts';
import { createTestApp, type TestApp } from '../../../../../../tests/support/test-app.ts';

const vehicle = {
  name: 'vehicle',
  labelSingular: 'Vehicle',
  labelPlural: 'Vehicles',
  fields: [
    { name: 'plate', type: 'text', label: 'Plate', required: true, unique: true },
    { name: 'holder', type: 'relation', label: 'Holder', options: { target: 'company', kind: 'manyToOne', inverseName: 'vehicles' } },
  ],
};

const isValidOpenApi = async (document: Record<string, unknown>) => (await new Validator().validate(document)).valid;

describeEngines('GET /api/v1/openapi.json', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, 'Acme Fleet');
  });
  afterAll(async () => t?.destroy());

  it('successful-read: should return a valid OpenAPI 3.1 document of the standard objects when authenticated', async () => {
    const response = await t.request('GET', '/api/v1/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.info.title).toBe('Rapport API — Acme Fleet');
    expect(response.body.servers).toEqual([{ url: 'http://localhost:80' }]);
    expect(response.body.paths['/api/v1/records/person'].get.operationId).toBe('listPeople');
    expect(await isValidOpenApi(response.body)).toBe(true);
  });

  it('successful-read: should show a custom object and field once the metadata changes', async () => {
    const before = await t.request('GET', '/api/v1/openapi.json');
    expect((await t.request('POST', '/api/v1/metadata/objects', vehicle)).status).toBe(201);
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'nickname', type: 'text', label: 'Nickname' })).status).toBe(201);

    const after = await t.request('GET', '/api/v1/openapi.json');

    expect(before.body.paths['/api/v1/records/vehicle']).toBeUndefined();
    expect(after.body.info.version).not.toBe(before.body.info.version);
    expect(after.body.paths['/api/v1/records/vehicle'].post.operationId).toBe('createVehicle');
    expect(after.body.components.schemas.VehicleInput.properties.plate.anyOf[0]).toMatchObject({ type: 'string' });
    expect(after.body.components.schemas.Company.properties.vehicles.items).toEqual({ $ref: '#/components/schemas/Vehicle' });
    expect(after.body.components.schemas.Person.properties.nickname.title).toBe('Nickname');
    expect(await isValidOpenApi(after.body)).toBe(true);
  });

  it('failing-read: should answer 401 problem+json when no API key is sent', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });

    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });
});
