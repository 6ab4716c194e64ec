import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const vehicle = {
  name: 'vehicle',
  labelSingular: 'Vehicle',
  labelPlural: 'Vehicles',
  fields: [
    { name: 'plate', type: 'text', label: 'Plate', required: true, unique: true },
    { name: 'mileage', type: 'number', label: 'Mileage', options: { min: 0 }, validation: [{ expression: 'value < 2000000.0 || true', message: 'unused' }] },
    { name: 'fuel', type: 'select', label: 'Fuel', options: { choices: [{ value: 'diesel', label: 'Diesel', color: 'gray' }, { value: 'electric', label: 'Electric', color: 'green' }] } },
    { name: 'features', type: 'multiSelect', label: 'Features', options: { choices: [{ value: 'gps', label: 'GPS' }, { value: 'tow', label: 'Tow bar' }] } },
    { name: 'price', type: 'currency', label: 'Price' },
    { name: 'registeredOn', type: 'date', label: 'Registered on' },
    { name: 'lastSeenAt', type: 'datetime', label: 'Last seen' },
    { name: 'isLeased', type: 'boolean', label: 'Leased', defaultValue: false },
    { name: 'notes', type: 'richText', label: 'Notes' },
    { name: 'specs', type: 'json', label: 'Specs' },
    { name: 'rating', type: 'rating', label: 'Condition' },
    { name: 'discount', type: 'percent', label: 'Discount' },
    { name: 'website', type: 'url', label: 'Website' },
    { name: 'emails', type: 'email', label: 'Emails', options: { multiple: true } },
    { name: 'phones', type: 'phone', label: 'Phones', options: { multiple: true, defaultCountry: 'FR' } },
    { name: 'garage', type: 'address', label: 'Garage' },
    { name: 'holder', type: 'relation', label: 'Holder', options: { target: 'company', kind: 'manyToOne', inverseName: 'vehicles', inverseLabel: 'Vehicles' } },
    { name: 'drivers', type: 'relation', label: 'Drivers', options: { target: 'person', kind: 'manyToMany', inverseName: 'drivenVehicles' } },
    { name: 'keeper', type: 'owner', label: 'Keeper' },
    { name: 'label', type: 'formula', label: 'Label', options: { expression: 'record.plate + " (" + (has(record.fuel) ? record.fuel : "?") + ")"', resultType: 'text' } },
  ],
};

describeEngines('metadata API', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.destroy());

  it('should list the standard objects with their fields', async () => {
    const response = await t.request('GET', '/api/v1/metadata/objects');
    expect(response.status).toBe(200);
    const names = response.body.data.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['company', 'person', 'opportunity', 'task', 'note']));
    const person = response.body.data.find((o: { name: string }) => o.name === 'person');
    expect(person.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'company', 'address', 'owner']));
    const company = (await t.request('GET', '/api/v1/metadata/objects/company')).body;
    expect(company.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['name', 'domain', 'industry', 'employees', 'annualRevenue', 'parentCompany', 'address', 'phone', 'owner', 'people', 'childCompanies', 'opportunities']),
    );
  });

  it('successful-create-object: should create a custom object with every field type as real columns, and store records', async () => {
    const created = await t.request('POST', '/api/v1/metadata/objects', vehicle);
    expect(created.status).toBe(201);
    expect(created.body.fields).toHaveLength(vehicle.fields.length);
    const { rows } = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_schema = ${t.workspace.schema} and table_name = 'vehicle'`.execute(t.testDatabase.database.db);
    expect(rows.map((r) => r.column_name)).toEqual(expect.arrayContaining(['plate', 'mileage', 'price_amount', 'price_currency', 'garage_city', 'garage_country', 'holder_id', 'label']));
    const { rows: indexes } = await sql<{ indexname: string }>`select indexname from pg_indexes where schemaname = ${t.workspace.schema} and tablename = 'vehicle'`.execute(t.testDatabase.database.db);
    expect(indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining(['vehicle_mileage_idx', 'vehicle_plate_uniq', 'vehicle_garage_city_idx', 'vehicle_search_idx']));
    // A unique field's unique index serves its lookups and sorts: no second, plain one.
    expect(indexes.map((i) => i.indexname)).not.toContain('vehicle_plate_idx');

    const company = (await t.request('POST', '/api/v1/records/company', { name: 'Fleet Co' })).body;
    const person = (await t.request('POST', '/api/v1/records/person', { firstName: 'Dri', lastName: 'Ver' })).body;
    const record = await t.request('POST', '/api/v1/records/vehicle', {
      plate: 'AB-123-CD',
      mileage: 12000,
      fuel: 'electric',
      features: ['gps', 'gps', 'tow'],
      price: { amount: 31999.99, currency: 'eur' },
      registeredOn: '2024-02-29',
      lastSeenAt: '2026-03-01T10:00:00+02:00',
      notes: '<p>Good</p>',
      specs: { seats: 5, colours: ['red'] },
      rating: 4,
      discount: 12.5,
      website: 'example.com/cars',
      emails: ['fleet@example.com'],
      phones: ['01 42 68 53 00'],
      garage: { street: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'France', lat: 48.86, lng: 2.34 },
      holder: company.id,
      drivers: [person.id],
    });
    expect(record.status).toBe(201);
    expect(record.body).toMatchObject({
      plate: 'AB-123-CD',
      features: ['gps', 'tow'],
      price: { amount: 31999.99, currency: 'EUR' },
      registeredOn: '2024-02-29',
      lastSeenAt: '2026-03-01T08:00:00.000Z',
      isLeased: false,
      specs: { seats: 5, colours: ['red'] },
      website: 'https://example.com/cars',
      phones: ['+33142685300'],
      garage: { city: 'Paris', country: 'FR', lat: 48.86 },
      holder: company.id,
      drivers: [person.id],
      label: 'AB-123-CD (electric)',
    });
    const filtered = await t.request('POST', '/api/v1/records/vehicle/query', { filter: { field: 'garage.city', op: 'eq', value: 'Paris' }, sort: ['-price'] });
    expect(filtered.body.data).toHaveLength(1);
    const fleet = await t.request('GET', `/api/v1/records/company/${company.id}?include=vehicles`);
    expect(fleet.body.vehicles.map((v: { plate: string }) => v.plate)).toEqual(['AB-123-CD']);
  });

  it('failing-create-object: should explain invalid definitions', async () => {
    const bad = await t.request('POST', '/api/v1/metadata/objects', {
      name: 'Bad Name',
      labelSingular: '',
      labelPlural: 'X',
      fields: [
        { name: 'a', type: 'colour', label: 'A' },
        { name: 'b', type: 'select', label: 'B' },
        { name: 'c', type: 'formula', label: 'C', options: { expression: 'record.nope + 1', resultType: 'number' } },
        { name: 'd', type: 'text', label: 'D', options: { choices: [] } },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('INVALID_METADATA');
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'labelSingular', 'fields[0].type', 'fields[1].options.choices', 'fields[3].options.choices']));
    const formula = await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'broken', type: 'formula', label: 'Broken', options: { expression: 'record.nope + 1', resultType: 'number' } });
    expect(formula.status).toBe(422);
    expect(formula.body.errors[0].field).toBe('options.expression');
    const duplicate = await t.request('POST', '/api/v1/metadata/objects', { ...vehicle, fields: [] });
    expect(duplicate.status).toBe(409);
  });

  it('should create an object given without fields, ready for fields added one by one', async () => {
    const created = await t.request('POST', '/api/v1/metadata/objects', { name: 'kiosk', labelSingular: 'Kiosk', labelPlural: 'Kiosks' });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('kiosk');
    const field = await t.request('POST', '/api/v1/metadata/objects/kiosk/fields', { name: 'serial', type: 'text', label: 'Serial' });
    expect(field.status).toBe(201);
    const record = await t.request('POST', '/api/v1/records/kiosk', { serial: 'G-1' });
    expect(record.status).toBe(201);
    expect(record.body.serial).toBe('G-1');
    const notAList = await t.request('POST', '/api/v1/metadata/objects', { name: 'widget', labelSingular: 'Widget', labelPlural: 'Widgets', fields: 'serial' });
    expect(notAList.status).toBe(422);
    expect(notAList.body.errors[0]).toMatchObject({ field: 'fields', code: 'invalidType' });
  });

  it('should rename a field keeping its data, and delete and restore it', async () => {
    const person = (await t.request('POST', '/api/v1/records/person', { firstName: 'Keep', lastName: 'Data' })).body;
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'shoeSize', type: 'number', label: 'Shoe size' })).status).toBe(201);
    await t.request('PATCH', `/api/v1/records/person/${person.id}`, { shoeSize: 42 });
    const renamed = await t.request('PATCH', '/api/v1/metadata/objects/person/fields/shoeSize', { name: 'footSize', label: 'Foot size' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'footSize', label: 'Foot size' });
    expect((await t.request('GET', `/api/v1/records/person/${person.id}`)).body.footSize).toBe(42);
    expect((await t.request('DELETE', '/api/v1/metadata/objects/person/fields/footSize')).status).toBe(204);
    const hidden = (await t.request('GET', `/api/v1/records/person/${person.id}`)).body;
    expect(hidden).not.toHaveProperty('footSize');
    expect((await t.request('PATCH', `/api/v1/records/person/${person.id}`, { footSize: 1 })).status).toBe(422);
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields/footSize/restore')).status).toBe(200);
    expect((await t.request('GET', `/api/v1/records/person/${person.id}`)).body.footSize).toBe(42);
    const standard = await t.request('DELETE', '/api/v1/metadata/objects/person/fields/email');
    expect(standard.status).toBe(403);
    const type = await t.request('PATCH', '/api/v1/metadata/objects/person/fields/footSize', { type: 'text' });
    expect(type.status).toBe(422);
  });

  it('should delete and restore a custom object with its records', async () => {
    await t.request('POST', '/api/v1/metadata/objects', { name: 'gadget', labelSingular: 'Gadget', labelPlural: 'Gadgets', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
    const gadget = (await t.request('POST', '/api/v1/records/gadget', { name: 'Sprocket' })).body;
    expect((await t.request('DELETE', '/api/v1/metadata/objects/gadget')).status).toBe(204);
    expect((await t.request('GET', '/api/v1/records/gadget')).status).toBe(404);
    expect((await t.request('POST', '/api/v1/metadata/objects/gadget/restore')).status).toBe(200);
    expect((await t.request('GET', `/api/v1/records/gadget/${gadget.id}`)).body.name).toBe('Sprocket');
    expect((await t.request('DELETE', '/api/v1/metadata/objects/company')).status).toBe(403);
  });

  it('should rename a custom object and keep relations to it working', async () => {
    await t.request('POST', '/api/v1/metadata/objects', {
      name: 'project',
      labelSingular: 'Project',
      labelPlural: 'Projects',
      fields: [{ name: 'title', type: 'text', label: 'Title' }, { name: 'client', type: 'relation', label: 'Client', options: { target: 'company', inverseName: 'projects' } }],
    });
    const renamed = await t.request('PATCH', '/api/v1/metadata/objects/project', { name: 'engagement', labelSingular: 'Engagement', labelPlural: 'Engagements' });
    expect(renamed.status).toBe(200);
    const company = (await t.request('POST', '/api/v1/records/company', { name: 'Client Co' })).body;
    const engagement = await t.request('POST', '/api/v1/records/engagement', { title: 'Audit', client: company.id });
    expect(engagement.status).toBe(201);
    const withProjects = await t.request('GET', `/api/v1/records/company/${company.id}?include=projects`);
    expect(withProjects.body.projects.map((p: { title: string }) => p.title)).toEqual(['Audit']);
  });

  it('should add a validation rule with a custom message to a field', async () => {
    const response = await t.request('PATCH', '/api/v1/metadata/objects/person/fields/jobTitle', {
      validation: [{ expression: 'size(record.jobTitle) <= 20', message: 'Keep job titles short (20 characters).' }],
    });
    expect(response.status).toBe(200);
    const rejected = await t.request('POST', '/api/v1/records/person', { lastName: 'Long', jobTitle: 'Vice President of Everything Important' });
    expect(rejected.status).toBe(422);
    expect(rejected.body.errors).toEqual([{ field: 'jobTitle', code: 'rule', message: 'Keep job titles short (20 characters).' }]);
    expect((await t.request('POST', '/api/v1/records/person', { lastName: 'Short', jobTitle: 'CTO' })).status).toBe(201);
    await t.request('PATCH', '/api/v1/metadata/objects/person/fields/jobTitle', { validation: [] });
  });

  it('failing-update-field: should refuse to make a field unique while records share a value, changing nothing', async () => {
    expect((await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'badge', type: 'text', label: 'Badge' })).status).toBe(201);
    const first = (await t.request('POST', '/api/v1/records/person', { lastName: 'One', badge: 'B-7' })).body;
    expect((await t.request('POST', '/api/v1/records/person', { lastName: 'Two', badge: 'B-7' })).status).toBe(201);
    const refused = await t.request('PATCH', '/api/v1/metadata/objects/person/fields/badge', { unique: true, label: 'Badge number' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('UNIQUE_VIOLATION');
    expect(refused.body.detail).toContain('"badge"');
    expect(refused.body.detail).toContain('1 value is held by more than one person');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'badge', code: 'unique' })]);
    const field = (await t.request('GET', '/api/v1/metadata/objects/person')).body.fields.find((f: { name: string }) => f.name === 'badge');
    expect(field).toMatchObject({ label: 'Badge' });
    expect(field.unique ?? false).toBe(false);
    const { rows } = await sql`select 1 from pg_indexes where schemaname = ${t.workspace.schema} and indexname like 'person_badge%uniq'`.execute(t.testDatabase.database.db);
    expect(rows).toHaveLength(0);
    expect((await t.request('PATCH', `/api/v1/records/person/${first.id}`, { badge: 'B-8' })).status).toBe(200);
    expect((await t.request('PATCH', '/api/v1/metadata/objects/person/fields/badge', { unique: true })).status).toBe(200);
  });
});
