import { COMPARISON_OPS, FIELD_TYPES, type FieldDefinition, type ObjectDefinition } from '@rapport/common';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
// The workspace every install starts with: the document must validate for it.
import { standardObjects } from '../../../modules/index.ts';
import { buildOpenApiDocument } from './build-openapi.ts';
import { COMPONENT_NAME_PATTERN } from './names.ts';
import type { JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiPathItem } from './openapi-types.ts';
import { buildWorkspaceMeta } from './workspace-meta.factory.ts';

const STANDARD = standardObjects.map((standard) => standard.definition);

const vehicleObject: ObjectDefinition = {
  name: 'vehicle',
  labelSingular: 'Vehicle',
  labelPlural: 'Vehicles',
  description: 'Company cars and vans.',
  fields: [
    { name: 'plate', type: 'text', label: 'Plate', required: true, unique: true },
    { name: 'mileage', type: 'number', label: 'Mileage', options: { min: 0 } },
    { name: 'purchasedOn', type: 'date', label: 'Purchased on' },
    { name: 'fuel', type: 'select', label: 'Fuel', options: { choices: [{ value: 'diesel', label: 'Diesel' }, { value: 'electric', label: 'Electric' }] } },
    { name: 'fleetOwner', type: 'relation', label: 'Fleet owner', options: { target: 'company', kind: 'manyToOne', inverseName: 'vehicles' } },
    { name: 'drivers', type: 'relation', label: 'Drivers', options: { target: 'person', kind: 'manyToMany', inverseName: 'vehicles' } },
    { name: 'label', type: 'formula', label: 'Label', options: { expression: 'record.plate', resultType: 'text' } },
  ],
};

const withPersonFields = (fields: FieldDefinition[]): ObjectDefinition[] =>
  STANDARD.map((definition) => (definition.name === 'person' ? { ...definition, fields: [...definition.fields, ...fields] } : definition));

const buildDocument = (objects: ObjectDefinition[] = [...withPersonFields([{ name: 'linkedinUrl', type: 'url', label: 'LinkedIn' }]), vehicleObject]) =>
  buildOpenApiDocument({ workspace: buildWorkspaceMeta({ objects, name: 'Acme Corp', version: 7 }) });

const operationsOf = (document: OpenApiDocument): [string, string, OpenApiOperation][] =>
  Object.entries(document.paths).flatMap(([path, item]: [string, OpenApiPathItem]) =>
    (['get', 'post', 'patch', 'delete'] as const).flatMap((method) => (item[method] ? [[path, method, item[method]] as [string, string, OpenApiOperation]] : [])),
  );

const refsOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsOf(inner)));
};

const resolvePointer = (document: OpenApiDocument, ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment.replaceAll('~1', '/').replaceAll('~0', '~')], document);

const schemaOf = (document: OpenApiDocument, name: string): JsonSchema => {
  const schema = document.components.schemas[name];
  if (!schema) throw new Error(`No schema ${name}`);
  return schema;
};

const propertiesOf = (document: OpenApiDocument, name: string) => schemaOf(document, name).properties as Record<string, JsonSchema>;

const validate = async (document: OpenApiDocument) => {
  const validator = new Validator();
  const result = await validator.validate(document as unknown as Record<string, unknown>);
  return { ...result, version: validator.version };
};

describe('buildOpenApiDocument', () => {
  it('should be accepted by an independent OpenAPI 3.1 validator when built for the standard objects and custom ones', async () => {
    const result = await validate(buildDocument());

    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
  });

  it('should be accepted by the validator when an object has a field of every type', async () => {
    const fields: FieldDefinition[] = FIELD_TYPES.map((type) => ({
      name: `${type}Field`,
      type,
      label: `A ${type}`,
      ...(type === 'select' || type === 'multiSelect' ? { options: { choices: [{ value: 'a', label: 'A' }] } } : {}),
      ...(type === 'relation' ? { options: { target: 'company', inverseName: 'everything' } } : {}),
      ...(type === 'formula' ? { options: { expression: 'record.textField', resultType: 'text' as const } } : {}),
    }));
    const document = buildDocument([...STANDARD, { name: 'everything', labelSingular: 'Everything', labelPlural: 'Everything', fields }]);

    expect(Object.keys(propertiesOf(document, 'Everything'))).toEqual(expect.arrayContaining(fields.map((field) => field.name)));
    expect((await validate(document)).valid).toBe(true);
  });

  it('should be accepted by the validator when the workspace has no objects at all', async () => {
    const result = await validate(buildDocument([]));

    expect(result.valid).toBe(true);
  });

  it('should have a validator that rejects a document with a broken response or a dangling $ref', async () => {
    const document = buildDocument([]);
    const broken = { ...document, paths: { ...document.paths, '/x': { get: { operationId: 'x', responses: { 200: {} } } } } };
    const dangling = { ...document, paths: { ...document.paths, '/y': { get: { operationId: 'y', responses: { 200: { $ref: '#/components/responses/Nope' } } } } } };

    expect((await validate(broken as unknown as OpenApiDocument)).valid).toBe(false);
    expect((await validate(dangling as unknown as OpenApiDocument)).valid).toBe(false);
  });

  it('should point every $ref at a component that exists', () => {
    const document = buildDocument();

    const missing = [...new Set(refsOf(document))].filter((ref) => resolvePointer(document, ref) === undefined);

    expect(missing).toEqual([]);
  });

  it('should name the workspace in the title and carry its metadata version', () => {
    const document = buildDocument();

    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Rapport API — Acme Corp');
    expect(document.info.version).toMatch(/\+metadata\.7$/);
    expect(document.servers).toEqual([{ url: '/' }]);
  });

  it('should require the API key as a bearer token everywhere but the health check and the sign-in routes', () => {
    const document = buildDocument();

    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ apiKey: [] }]);
    const publicOperations = operationsOf(document).filter(([, , operation]) => operation.security !== undefined);
    const publicPaths = publicOperations.map(([path]) => path);
    expect(publicPaths).toContain('/healthz');
    // Modules' public routes (booking pages, calendar feeds) live under /api/v1/public/; the telephony webhook is at the
    // path its issue names, authenticated by the provider's signature.
    expect(publicPaths.filter((path) => path !== '/healthz' && !path.startsWith('/api/v1/auth/')).filter((path) => !path.startsWith('/api/v1/public/'))).toEqual(['/api/v1/telephony/events']);
  });

  it('should give every operation a unique, readable operationId derived from the labels', () => {
    const operationIds = operationsOf(buildDocument()).map(([, , operation]) => operation.operationId);

    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(operationIds.every((id) => /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(operationIds).toEqual(
      expect.arrayContaining([
        'listPeople', 'createPerson', 'getPerson', 'updatePerson', 'deletePerson', 'restorePerson',
        'batchPeople', 'queryPeople', 'aggregatePeople', 'getPersonHistory',
        'listOpportunities', 'createVehicle', 'getVehicleHistory',
        'listObjectDefinitions', 'restoreFieldDefinition', 'searchRecords', 'getOpenApiDocument', 'getHealth',
      ]),
    );
  });

  it('should describe every route of the API with concrete paths per object', () => {
    const routes = operationsOf(buildDocument()).map(([path, method]) => `${method.toUpperCase()} ${path}`);

    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/v1/records/vehicle', 'POST /api/v1/records/vehicle', 'POST /api/v1/records/vehicle/query',
        'POST /api/v1/records/vehicle/aggregate', 'GET /api/v1/records/vehicle/export', 'POST /api/v1/records/vehicle/batch', 'GET /api/v1/records/vehicle/{id}',
        'PATCH /api/v1/records/vehicle/{id}', 'DELETE /api/v1/records/vehicle/{id}', 'POST /api/v1/records/vehicle/{id}/restore',
        'GET /api/v1/records/vehicle/{id}/history', 'GET /api/v1/records/vehicle/{id}/personal-data', 'POST /api/v1/records/vehicle/{id}/erase',
        'GET /api/v1/metadata/objects', 'POST /api/v1/metadata/objects', 'GET /api/v1/metadata/objects/{object}',
        'PATCH /api/v1/metadata/objects/{object}', 'DELETE /api/v1/metadata/objects/{object}', 'POST /api/v1/metadata/objects/{object}/restore',
        'POST /api/v1/metadata/objects/{object}/fields', 'GET /api/v1/metadata/objects/{object}/fields/{field}',
        'PATCH /api/v1/metadata/objects/{object}/fields/{field}', 'DELETE /api/v1/metadata/objects/{object}/fields/{field}',
        'POST /api/v1/metadata/objects/{object}/fields/{field}/restore',
        'GET /api/v1/search', 'GET /api/v1/openapi.json', 'GET /healthz',
      ]),
    );
    // Thirteen operations per object (the standard ones and one custom), and a deal's stage history and insights; the static routes are listed by their own modules
    // (duplicates and merges describe theirs once for every object, with an `{object}` parameter).
    expect(routes.filter((route) => route.includes(' /api/v1/records/') && !route.includes('/records/{object}'))).toHaveLength(STANDARD.length * 13 + 1 * 13 + 2);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/v1/records/{object}/duplicates/check', 'POST /api/v1/records/{object}/merge', 'POST /api/v1/merges/{id}/undo']));
  });

  it('should type a custom object and a custom field from their field types', () => {
    const document = buildDocument();
    const vehicle = propertiesOf(document, 'Vehicle');
    const person = propertiesOf(document, 'Person');

    expect(vehicle.plate).toMatchObject({ title: 'Plate', anyOf: [{ type: 'string', maxLength: 1000 }, { type: 'null' }] });
    expect(vehicle.mileage).toMatchObject({ anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] });
    expect(vehicle.purchasedOn).toMatchObject({ anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] });
    expect(vehicle.fuel).toMatchObject({ anyOf: [{ type: 'string', enum: ['diesel', 'electric'] }, { type: 'null' }] });
    expect(vehicle.fleetOwner).toMatchObject({ anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }, { $ref: '#/components/schemas/Company' }] });
    expect(vehicle.drivers).toMatchObject({ anyOf: [{ type: 'array', items: { format: 'uuid' } }, { type: 'array', items: { $ref: '#/components/schemas/Person' } }] });
    expect(person.linkedinUrl).toMatchObject({ title: 'LinkedIn', anyOf: [{ type: 'string', format: 'uri' }, { type: 'null' }] });
    expect(schemaOf(document, 'Vehicle').description).toBe('Company cars and vans.');
  });

  it('should show the inverse side of a custom relation on the target only as an include', () => {
    const company = propertiesOf(buildDocument(), 'Company');

    expect(company.vehicles).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/Vehicle' }, readOnly: true });
    expect(company.vehicles?.description).toContain('include=vehicles');
  });

  it('should mark system and formula fields read-only and leave them out of the write body', () => {
    const document = buildDocument();
    const person = propertiesOf(document, 'Person');
    const input = propertiesOf(document, 'PersonInput');

    expect(person.fullName).toMatchObject({ readOnly: true });
    expect(person.createdAt).toMatchObject({ readOnly: true, format: 'date-time' });
    expect(schemaOf(document, 'Person').required).toEqual(['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy']);
    // Both sides of a many-to-many relation are writable; one-to-many inverses (tasks, notes) are not.
    expect(Object.keys(input)).toEqual([
      'id', 'version', 'firstName', 'lastName', 'email', 'phone', 'jobTitle', 'company', 'address', 'owner', 'linkedinUrl', 'opportunities', 'meetings', 'vehicles',
    ]);
    expect(schemaOf(document, 'PersonInput').additionalProperties).toBe(false);
    expect(Object.keys(propertiesOf(document, 'VehicleInput'))).not.toContain('label');
  });

  it('should require on create the required fields that have no default', () => {
    const paths = buildDocument().paths;
    const createOpportunity = paths['/api/v1/records/opportunity']?.post;
    const createPerson = paths['/api/v1/records/person']?.post;

    expect(createOpportunity?.requestBody?.content['application/json']?.schema).toEqual({
      allOf: [{ $ref: '#/components/schemas/OpportunityInput' }, { required: ['name'] }],
    });
    expect(createPerson?.requestBody?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/PersonInput' });
  });

  it('should offer the unique fields as upsert keys of a batch', () => {
    const batch = propertiesOf(buildDocument(), 'VehicleBatchRequest');

    expect(batch.upsertOn).toEqual(expect.objectContaining({ enum: ['plate'] }));
    expect(batch.records).toMatchObject({ items: { $ref: '#/components/schemas/VehicleInput' }, maxItems: 1000 });
  });

  it('should document optimistic concurrency and error responses on writes', () => {
    const item = buildDocument().paths['/api/v1/records/vehicle/{id}'];
    const responseCodes = (operation: OpenApiOperation | undefined) => Object.keys(operation?.responses ?? {});

    for (const operation of [item?.patch, item?.delete]) {
      expect(operation?.parameters).toContainEqual({ $ref: '#/components/parameters/ifMatch' });
      expect(responseCodes(operation)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '412', 'default']));
    }
    expect(responseCodes(item?.patch)).toEqual(expect.arrayContaining(['409', '422']));
    expect(item?.get?.responses['200']).toMatchObject({ headers: { ETag: { $ref: '#/components/headers/ETag' } } });
  });

  it('should answer errors as problem+json with the Problem schema', () => {
    const document = buildDocument();
    const notFound = document.components.responses.NotFound;

    expect(notFound?.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(propertiesOf(document, 'Problem').errors).toEqual({ type: 'array', items: { $ref: '#/components/schemas/FieldError' } });
    expect(schemaOf(document, 'Problem').required).toEqual(['type', 'title', 'status', 'detail', 'code']);
  });

  it('should describe the filter language recursively with every operator', () => {
    const document = buildDocument();

    expect(propertiesOf(document, 'FilterCondition').op).toEqual({ type: 'string', enum: [...COMPARISON_OPS] });
    expect(refsOf(schemaOf(document, 'Filter').oneOf)).toEqual(
      expect.arrayContaining(['#/components/schemas/FilterCondition', '#/components/schemas/Filter']),
    );
    expect(propertiesOf(document, 'RecordQuery').filter).toEqual({ $ref: '#/components/schemas/Filter' });
    expect(propertiesOf(document, 'FieldDefinition').type).toMatchObject({ enum: [...FIELD_TYPES] });
  });

  it('should keep component names safe and apart from the fixed ones when an object name collides', async () => {
    const problemObject: ObjectDefinition = { name: 'problem', labelSingular: 'Problem', labelPlural: 'Problems', fields: [{ name: 'summary', type: 'text', label: 'Summary' }] };
    const document = buildDocument([...STANDARD, problemObject]);

    expect(Object.keys(document.components.schemas).every((name) => COMPONENT_NAME_PATTERN.test(name))).toBe(true);
    expect(schemaOf(document, 'Problem').required).toContain('code');
    expect(propertiesOf(document, 'ProblemRecord').summary).toMatchObject({ title: 'Summary' });
    expect(document.paths['/api/v1/records/problem']?.get?.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ProblemRecordPage' } } },
    });
    expect((await validate(document)).valid).toBe(true);
  });

  it('should fall back to names, then numbers, when labels give no identifier or collide', () => {
    const contact: ObjectDefinition = { name: 'contact', labelSingular: 'Person', labelPlural: 'People', fields: [] };
    const kanji: ObjectDefinition = { name: 'meishi', labelSingular: '名刺', labelPlural: '名刺', fields: [] };
    const accents: ObjectDefinition = { name: 'societe', labelSingular: 'Société', labelPlural: 'Sociétés cotées', fields: [] };
    const document = buildDocument([...STANDARD, contact, kanji, accents]);
    const idsOf = (path: string) => [document.paths[path]?.get?.operationId, document.paths[path]?.post?.operationId];

    expect(idsOf('/api/v1/records/person')).toEqual(['listPeople', 'createPerson']);
    expect(idsOf('/api/v1/records/contact')).toEqual(['listContactRecords', 'createContact']);
    expect(idsOf('/api/v1/records/meishi')).toEqual(['listMeishiRecords', 'createMeishi']);
    expect(idsOf('/api/v1/records/societe')).toEqual(['listSocietesCotees', 'createSociete']);
    expect(document.tags.map((tag) => tag.name)).toEqual(expect.arrayContaining(['People', 'People (contact)']));
  });
});
