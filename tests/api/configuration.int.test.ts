import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { describeEngines } from '../setup/engines.ts';
import { personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

type Document = Record<string, any>;

describeEngines('configuration as code API: export, preview, deploy, roll back', (engine) => {
  let t: TestApp;
  let rep: TestUser;
  const asRep = () => ({ authorization: `Bearer ${rep.token}` });
  const exportJson = async (): Promise<Document> => JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/configuration?format=json', headers: { authorization: `Bearer ${t.token}` } })).body);
  const text = (document: Document) => JSON.stringify(document);

  beforeAll(async () => {
    t = await createTestApp(engine, 'Config Co');
    rep = await createTestUser(t.testDatabase.database.db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'shoeSize', type: 'number', label: 'Shoe size' })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/views', { object: 'person', name: 'Buyers', visibility: 'shared', filter: { field: 'jobTitle', op: 'eq', value: 'Buyer' } })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/records/person', personFactory.build({ shoeSize: 44 }))).status).toBe(201);
  });
  afterAll(async () => t?.destroy());

  describe('GET /configuration', () => {
    it('should download a readable YAML document keyed by names, the same text twice but for exportedAt', async () => {
      const first = await t.app.inject({ method: 'GET', url: '/api/v1/configuration', headers: { authorization: `Bearer ${t.token}` } });
      const second = await t.app.inject({ method: 'GET', url: '/api/v1/configuration', headers: { authorization: `Bearer ${t.token}` } });

      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toMatch(/^application\/yaml/);
      expect(first.headers['content-disposition']).toBe('attachment; filename="rapport-configuration.yaml"');
      expect(first.body.startsWith('format: rapport.configuration\nversion: 1\nexportedAt: ')).toBe(true);
      const withoutDate = (body: string) => body.replace(/^exportedAt: .*$/m, '');
      expect(withoutDate(second.body)).toBe(withoutDate(first.body));
      const document = parseYaml(first.body);
      expect(document.workspace).toEqual({ name: 'Config Co' });
      expect(Object.keys(document).slice(4)).toEqual(['objects', 'fields', 'validationRules', 'layouts', 'views', 'roles']);
      expect(document.objects.person).toMatchObject({ labelSingular: 'Person', labelPlural: 'People', standard: true });
      expect(document.fields['person.shoeSize']).toMatchObject({ type: 'number', label: 'Shoe size' });
      expect(document.fields['person.shoeSize']).not.toHaveProperty('standard');
      expect(document.views['person.Buyers']).toMatchObject({ type: 'table', filter: { field: 'jobTitle', op: 'eq', value: 'Buyer' } });
      expect(document.roles['Sales rep']).toMatchObject({ parent: 'Sales manager', recordAccess: 'own' });
      // No ids: nothing that differs between two workspaces of the same configuration.
      expect(first.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      const fieldKeys = Object.keys(document.fields);
      expect(fieldKeys).toEqual([...fieldKeys].sort());
    });

    it('should export JSON on ?format=json and refuse someone who is not an administrator', async () => {
      const json = await t.app.inject({ method: 'GET', url: '/api/v1/configuration?format=json', headers: { authorization: `Bearer ${t.token}` } });
      const forbidden = await t.request('GET', '/api/v1/configuration', undefined, asRep());

      expect(json.headers['content-disposition']).toBe('attachment; filename="rapport-configuration.json"');
      expect(JSON.parse(json.body).format).toBe('rapport.configuration');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    });
  });

  describe('POST /configuration/preview', () => {
    it('should list what deploying a document would add, change and remove, with a fingerprint', async () => {
      const document = await exportJson();
      document.objects.vehicle = { labelSingular: 'Vehicle', labelPlural: 'Vehicles', labelField: 'plate' };
      document.fields['vehicle.plate'] = { type: 'text', label: 'Plate', required: true };
      document.fields['person.jobTitle'].label = 'Position';
      delete document.fields['person.shoeSize'];
      delete document.views['person.Buyers'];

      const response = await t.request('POST', '/api/v1/configuration/preview', { document: text(document) });

      expect(response.status).toBe(200);
      expect(response.body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      const summary = response.body.changes.map((change: any) => [change.section, change.key, change.action, change.destructive]);
      expect(summary).toEqual([
        ['objects', 'vehicle', 'add', false],
        ['fields', 'person.jobTitle', 'change', false],
        ['fields', 'person.shoeSize', 'remove', true],
        ['fields', 'vehicle.plate', 'add', false],
        ['views', 'person.Buyers', 'remove', false],
      ]);
      const relabel = response.body.changes[1];
      expect(relabel).toMatchObject({ label: 'People › Position', properties: ['label'], before: { label: 'Job title' }, after: { label: 'Position' } });
    });

    it('should show no change for the workspace\'s own export, in YAML', async () => {
      const yaml = (await t.app.inject({ method: 'GET', url: '/api/v1/configuration', headers: { authorization: `Bearer ${t.token}` } })).body;
      const response = await t.request('POST', '/api/v1/configuration/preview', { document: yaml });

      expect(response.status).toBe(200);
      expect(response.body.changes).toEqual([]);
    });

    it('should refuse a bad document with the path of each problem', async () => {
      const notYaml = await t.request('POST', '/api/v1/configuration/preview', { document: 'objects: [unclosed' });
      const bad = await t.request('POST', '/api/v1/configuration/preview', {
        document: text({ format: 'something.else', version: 1, objects: { person: { labelPlural: 'People' } }, fields: { 'ghost.name': { type: 'text', label: 'Name' }, 'person.nickname': { label: 'Nickname' } }, extra: {} }),
      });

      expect(notYaml.status).toBe(422);
      expect(notYaml.body.code).toBe('VALIDATION_FAILED');
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.errors.map((error: any) => error.field).sort()).toEqual(['extra', 'fields.ghost.name', 'fields.person.nickname.type', 'format', 'objects.person.labelSingular']);
    });
  });

  describe('deployments', () => {
    let document: Document;

    it('should deploy a document in one step, through the designer\'s services, and list the deployment', async () => {
      document = await exportJson();
      document.objects.vehicle = { labelSingular: 'Vehicle', labelPlural: 'Vehicles', labelField: 'plate' };
      document.fields['vehicle.plate'] = { type: 'text', label: 'Plate', required: true, position: 0 };
      document.fields['vehicle.driver'] = { type: 'relation', label: 'Driver', position: 1, options: { target: 'person', kind: 'manyToOne', inverseName: 'vehicles', inverseLabel: 'Cars' } };
      document.fields['person.vehicles'] = { type: 'relation', label: 'Cars', options: { target: 'vehicle', kind: 'oneToMany', inverseName: 'driver' }, inverse: true };
      document.fields['person.jobTitle'].label = 'Position';
      document.layouts.vehicle = { sections: [{ title: 'Vehicle', columns: 1, fields: ['plate', 'driver'] }] };
      document.views['vehicle.All vehicles'] = { type: 'table', sort: ['plate'], position: 0 };
      document.roles['Fleet manager'] = { description: 'Runs the fleet.', parent: 'Admin', recordAccess: 'all', permissions: { vehicle: { create: true, read: true, update: true, delete: true, export: false, import: false } } };
      const preview = await t.request('POST', '/api/v1/configuration/preview', { document: text(document) });

      const deployed = await t.request('POST', '/api/v1/configuration/deployments', { document: text(document), fingerprint: preview.body.fingerprint });

      expect(deployed.status).toBe(201);
      expect(deployed.body).toMatchObject({ status: 'applied', source: { kind: 'file' }, rolledBackAt: null, error: null });
      expect(deployed.body.changes).toEqual(preview.body.changes);
      const vehicle = await t.request('GET', '/api/v1/metadata/objects/vehicle');
      expect(vehicle.body.labelField).toBe('plate');
      expect(vehicle.body.fields.map((field: any) => field.name)).toEqual(['plate', 'driver']);
      expect((await t.request('GET', '/api/v1/metadata/objects/person')).body.fields.find((field: any) => field.name === 'vehicles').label).toBe('Cars');
      expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/jobTitle')).body.label).toBe('Position');
      expect((await t.request('GET', '/api/v1/metadata/objects/vehicle/layout')).body.sections).toEqual(document.layouts.vehicle.sections);
      expect((await t.request('GET', '/api/v1/views?object=vehicle')).body.data.map((view: any) => [view.name, view.visibility])).toEqual([['All vehicles', 'shared']]);
      const roles = (await t.request('GET', '/api/v1/roles')).body.data;
      const fleet = roles.find((role: any) => role.name === 'Fleet manager');
      expect(fleet.parentId).toBe(roles.find((role: any) => role.name === 'Admin').id);
      expect((await t.request('POST', '/api/v1/configuration/preview', { document: text(document) })).body.changes).toEqual([]);
      const list = await t.request('GET', '/api/v1/configuration/deployments');
      expect(list.body.data[0].id).toBe(deployed.body.id);
    });

    it('should refuse a deployment whose preview is out of date', async () => {
      const preview = await t.request('POST', '/api/v1/configuration/preview', { document: text(document) });
      expect((await t.request('PATCH', '/api/v1/metadata/objects/vehicle', { labelPlural: 'Cars' })).status).toBe(200);

      const stale = await t.request('POST', '/api/v1/configuration/deployments', { document: text(document), fingerprint: preview.body.fingerprint });

      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('CONFIGURATION_CHANGED');
      expect((await t.request('GET', '/api/v1/metadata/objects/vehicle')).body.labelPlural).toBe('Cars');
    });

    it('should change nothing when one change fails, and record the failed deployment', async () => {
      const broken = structuredClone(document);
      broken.fields['person.nickname'] = { type: 'text', label: 'Nickname' };
      broken.fields['person.boat'] = { type: 'relation', label: 'Boat', options: { target: 'boat', kind: 'manyToOne' } };

      const response = await t.request('POST', '/api/v1/configuration/deployments', { document: text(broken) });

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('INVALID_METADATA');
      const person = (await t.request('GET', '/api/v1/metadata/objects/person')).body;
      expect(person.fields.map((field: any) => field.name)).not.toContain('nickname');
      // The relabel of the same deployment was undone with the rest.
      expect((await t.request('GET', '/api/v1/metadata/objects/vehicle')).body.labelPlural).toBe('Cars');
      const [latest] = (await t.request('GET', '/api/v1/configuration/deployments')).body.data;
      expect(latest).toMatchObject({ status: 'failed', error: expect.stringMatching(/boat/) });
    });

    it('should roll back the latest deployment: removed fields come back from the trash with their data', async () => {
      const before = (await t.request('GET', '/api/v1/records/person')).body.data[0];
      expect(before.shoeSize).toBe(44);
      const slimmer = await exportJson();
      delete slimmer.fields['person.shoeSize'];
      slimmer.fields['person.nickname'] = { type: 'text', label: 'Nickname' };
      const deployed = await t.request('POST', '/api/v1/configuration/deployments', { document: text(slimmer) });
      expect(deployed.status).toBe(201);
      expect(deployed.body.changes.find((change: any) => change.key === 'person.shoeSize')).toMatchObject({ action: 'remove', destructive: true });
      expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/shoeSize')).status).toBe(404);
      const [, earlier] = (await t.request('GET', '/api/v1/configuration/deployments')).body.data.filter((item: any) => item.status === 'applied');

      const notLatest = await t.request('POST', `/api/v1/configuration/deployments/${earlier.id}/rollback`);
      const rolledBack = await t.request('POST', `/api/v1/configuration/deployments/${deployed.body.id}/rollback`);
      const again = await t.request('POST', `/api/v1/configuration/deployments/${deployed.body.id}/rollback`);

      expect(notLatest.status).toBe(409);
      expect(notLatest.body.code).toBe('DEPLOYMENT_NOT_ROLLBACKABLE');
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body).toMatchObject({ id: deployed.body.id, status: 'rolledBack', rolledBackAt: expect.any(String) });
      expect(again.status).toBe(409);
      expect((await t.request('GET', `/api/v1/records/person/${before.id}`)).body.shoeSize).toBe(44);
      expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/nickname')).status).toBe(404);
      expect((await t.request('POST', '/api/v1/configuration/deployments/not-an-id/rollback')).body.code).toBe('DEPLOYMENT_NOT_FOUND');
    });

    it('should roll back the deployment before it next: its object to the trash, its role and label undone', async () => {
      const [first] = (await t.request('GET', '/api/v1/configuration/deployments')).body.data.filter((item: any) => item.status === 'applied');

      const rolledBack = await t.request('POST', `/api/v1/configuration/deployments/${first.id}/rollback`);

      expect(rolledBack.status).toBe(200);
      expect((await t.request('GET', '/api/v1/metadata/objects/vehicle')).status).toBe(404);
      expect((await t.request('GET', '/api/v1/metadata/objects/person')).body.fields.map((field: any) => field.name)).not.toContain('vehicles');
      expect((await t.request('GET', '/api/v1/metadata/objects/person/fields/jobTitle')).body.label).toBe('Job title');
      expect((await t.request('GET', '/api/v1/roles')).body.data.map((role: any) => role.name)).not.toContain('Fleet manager');
      // The object is in the trash, not gone: it can be restored with its fields.
      expect((await t.request('POST', '/api/v1/metadata/objects/vehicle/restore')).body.fields.map((field: any) => field.name)).toEqual(['plate', 'driver']);
    });

    it('should audit exports, deployments and rollbacks', async () => {
      const { rows } = await sql<{ action: string }>`select action from rapport.audit_log where workspace_id = ${t.workspace.id} and action like 'configuration.%'`.execute(t.testDatabase.database.db);
      const actions = new Set(rows.map((row) => row.action));
      expect([...actions].sort()).toEqual(['configuration.deployed', 'configuration.exported', 'configuration.rolled_back']);
    });
  });
});
