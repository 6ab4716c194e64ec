import { Validator } from '@seriousme/openapi-schema-validator';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobHandlers } from '../../packages/server/src/background.ts';
import type { EngineServices } from '../../packages/server/src/engine/api/context.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { receiveImportFile } from '../../packages/server/src/engine/imports/import-service.ts';
import { startWorker, type Worker } from '../../packages/server/src/engine/jobs/index.ts';
import { createFullAccess } from '../../packages/server/src/engine/permissions/access.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { parseCsv } from '../support/csv.ts';
import { postMultipart, toCsv, waitForImport } from '../support/imports.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser } from '../support/users.ts';

const PEOPLE_MAPPING = { 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', 'Job Title': 'jobTitle', Company: 'company' };
const HEADER = ['First Name', 'Last Name', 'Email', 'Job Title', 'Company'];

describeEngines('imports API', (engine) => {
  let t: TestApp;
  let worker: Worker;
  const db = () => t.testDatabase.database.db;

  const startImport = async (csv: string, fields: Record<string, string> = {}, token?: string) => {
    const response = await postMultipart(t, '/api/v1/imports', { object: 'person', mapping: JSON.stringify(PEOPLE_MAPPING), ...fields }, { name: 'people.csv', content: csv }, token);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return response.body.id as string;
  };
  const runImport = async (csv: string, fields: Record<string, string> = {}) => waitForImport(t, await startImport(csv, fields));
  const findPeople = async (filter: unknown) => (await t.request('GET', `/api/v1/records/person?limit=200&filter=${encodeURIComponent(JSON.stringify(filter))}`)).body.data as Record<string, any>[];
  const findCompanies = async (name: string) => (await t.request('GET', `/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: name }))}`)).body.data as Record<string, any>[];

  beforeAll(async () => {
    t = await createTestApp(engine);
    const services = (t.app as unknown as { services: EngineServices }).services;
    worker = startWorker({ db: db(), handlers: importJobHandlers(services), pollIntervalMs: 20, engine });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.destroy();
  });

  describe('create', () => {
    it('successful-create: should write every row as a person linked to an existing company (any case) or a created one', async () => {
      const globex = (await t.request('POST', '/api/v1/records/company', { name: 'Globex Corporation', domain: 'globex.example' })).body;
      const csv = toCsv([
        HEADER,
        ['Ada', 'Lovelace', 'ada@imports.example', 'Countess', 'globex corporation'],
        ['Grace', 'Hopper', 'grace@imports.example', 'Admiral', 'Initech Labs'],
        ['Alan', 'Turing', 'alan@imports.example', 'Mathematician', 'initech labs'],
        ['Hedy', 'Lamarr', 'hedy@imports.example', 'Inventor', 'globex.example'],
      ]);

      const run = await runImport(csv);

      expect(run).toMatchObject({ status: 'completed', object: 'person', fileName: 'people.csv', format: 'csv', processed: 4, created: 4, updated: 0, failed: 0, totalRows: 4, dryRun: false, undo: null });
      const people = await findPeople({ field: 'email', op: 'in', value: ['ada@imports.example', 'grace@imports.example', 'alan@imports.example', 'hedy@imports.example'] });
      const byEmail = new Map(people.map((person) => [person.email, person]));
      expect(byEmail.get('ada@imports.example')).toMatchObject({ firstName: 'Ada', jobTitle: 'Countess', company: globex.id });
      expect(byEmail.get('hedy@imports.example')!.company).toBe(globex.id);
      const initech = await findCompanies('Initech Labs');
      expect(initech).toHaveLength(1);
      expect(byEmail.get('grace@imports.example')!.company).toBe(initech[0]!.id);
      expect(byEmail.get('alan@imports.example')!.company).toBe(initech[0]!.id);
      // Through the write path: history and events as for any create.
      const history = await t.request('GET', `/api/v1/records/person/${byEmail.get('ada@imports.example')!.id}/history`);
      expect(history.body.data.map((entry: { changeType: string }) => entry.changeType)).toContain('created');
      const { rows: audit } = await sql<{ action: string }>`select action from rapport.audit_log where workspace_id = ${t.workspace.id} and action = 'import.created'`.execute(db());
      expect(audit.length).toBeGreaterThan(0);
    });

    it('successful-create: should fill a created company from company.* columns (companies and people in one file)', async () => {
      const mapping = { Name: 'lastName', Email: 'email', 'Account Name': 'company.name', 'Account Domain': 'company.domain', Industry: 'company.industry' };
      const csv = toCsv([['Name', 'Email', 'Account Name', 'Account Domain', 'Industry'], ['Stark', 'tony@multi.example', 'Stark Industries', 'stark.example', 'Manufacturing']]);
      const id = await startImport(csv, { mapping: JSON.stringify(mapping) });
      const run = await waitForImport(t, id);

      expect(run).toMatchObject({ status: 'completed', created: 1 });
      const [stark] = await findCompanies('Stark Industries');
      expect(stark).toMatchObject({ domain: 'https://stark.example' });
      const industries = (await t.request('GET', '/api/v1/metadata/objects/company')).body.fields.find((field: { name: string }) => field.name === 'industry').options.choices.map((choice: { value: string }) => choice.value);
      if (industries.includes('manufacturing')) expect(stark!.industry).toBe('manufacturing');
      const [tony] = await findPeople({ field: 'email', op: 'eq', value: 'tony@multi.example' });
      expect(tony!.company).toBe(stark!.id);
    });

    it('failing-rows: should reject a row whose company is missing when createRelated is false', async () => {
      const run = await runImport(toCsv([HEADER, ['No', 'Company', 'no.company@related.example', '', 'Nowhere Inc'], ['With', 'Company', 'with.company@related.example', '', 'GLOBEX CORPORATION']]), { createRelated: 'false' });

      expect(run).toMatchObject({ status: 'completed', created: 1, failed: 1 });
      expect(await findCompanies('Nowhere Inc')).toEqual([]);
      const errors = parseCsv((await t.request('GET', `/api/v1/imports/${run.id}/errors`)).body.replace(/^\uFEFF/, ''));
      expect(errors[1]!.slice(0, 4)).toEqual(['1', 'Company', 'company', 'relationNotFound']);
    });

    it('successful-upsert: should update the person with the same email instead of creating a second one', async () => {
      await runImport(toCsv([HEADER, ['Katherine', 'Johnson', 'katherine@upsert.example', 'Analyst', '']]));

      const run = await runImport(toCsv([HEADER, ['Katherine', 'Johnson', 'katherine@UPSERT.example', 'Mathematician', ''], ['Dorothy', 'Vaughan', 'dorothy@upsert.example', 'Supervisor', '']]), { upsertOn: 'email' });

      expect(run).toMatchObject({ status: 'completed', created: 1, updated: 1, failed: 0 });
      const people = await findPeople({ field: 'email', op: 'eq', value: 'katherine@upsert.example' });
      expect(people).toHaveLength(1);
      expect(people[0]!.jobTitle).toBe('Mathematician');
    });

    it('failing-rows: should write the good rows and list each bad row with its reason in the errors CSV', async () => {
      const csv = toCsv([
        HEADER,
        ['Good', 'One', 'good.one@bad-rows.example', '', ''],
        ['Bad', 'Email', 'not-an-email', '=HYPERLINK("http://evil.example")', ''],
        ['Good', 'Two', 'good.two@bad-rows.example', '', ''],
        ['Dup', 'Licate', 'good.one@bad-rows.example', '', ''],
      ]);

      const run = await runImport(csv);

      expect(run).toMatchObject({ status: 'completed', processed: 4, created: 2, failed: 2 });
      expect(await findPeople({ field: 'email', op: 'in', value: ['good.one@bad-rows.example', 'good.two@bad-rows.example'] })).toHaveLength(2);
      const errors = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${run.id}/errors`, headers: { authorization: `Bearer ${t.token}` } });
      expect(errors.statusCode).toBe(200);
      expect(errors.headers['content-type']).toMatch(/^text\/csv/);
      expect(errors.headers['content-disposition']).toMatch(/^attachment; filename="import-.*-errors-.*\.csv"$/);
      const rows = parseCsv(errors.body.replace(/^\uFEFF/, ''));
      expect(rows[0]).toEqual(['row', 'column', 'field', 'code', 'message', ...HEADER]);
      const [emailError, uniqueError] = rows.slice(1);
      expect(emailError!.slice(0, 4)).toEqual(['2', 'Email', 'email', 'invalidEmail']);
      expect(emailError![5 + 2]).toBe('not-an-email');
      expect(emailError![5 + 3]).toBe('\'=HYPERLINK("http://evil.example")');
      expect(uniqueError!.slice(0, 4)).toEqual(['4', 'Email', 'email', 'unique']);
      expect(rows).toHaveLength(3);
    });

    it('successful-dry-run: should count and report what would happen and write nothing', async () => {
      const before = (await t.request('GET', '/api/v1/records/company?count=true&limit=1')).body.totalCount;
      const csv = toCsv([HEADER, ['Dry', 'Run', 'dry.run@dry.example', '', 'Dry Run Company'], ['Bad', 'Row', 'nope', '', '']]);

      const run = await runImport(csv, { dryRun: 'true' });

      expect(run).toMatchObject({ status: 'completed', dryRun: true, processed: 2, created: 1, failed: 1 });
      expect(await findPeople({ field: 'email', op: 'eq', value: 'dry.run@dry.example' })).toEqual([]);
      expect((await t.request('GET', '/api/v1/records/company?count=true&limit=1')).body.totalCount).toBe(before);
      const undo = await t.request('POST', `/api/v1/imports/${run.id}/undo`);
      expect(undo.status).toBe(409);
      expect(undo.body.code).toBe('IMPORT_NOT_UNDOABLE');
    });

    it('failing-create: should refuse a missing file, an unknown object, a bad mapping and a non-multipart body as problem+json', async () => {
      const noFile = await postMultipart(t, '/api/v1/imports', { object: 'person' });
      expect(noFile.status).toBe(422);
      expect(noFile.body.errors[0].field).toBe('file');
      const unknownObject = await postMultipart(t, '/api/v1/imports', { object: 'starship' }, { name: 'x.csv', content: 'a\n1\n' });
      expect(unknownObject.status).toBe(404);
      expect(unknownObject.body.code).toBe('OBJECT_NOT_FOUND');
      const badMapping = await postMultipart(t, '/api/v1/imports', { object: 'person', mapping: JSON.stringify({ Email: 'emial' }) }, { name: 'x.csv', content: 'Email\na@b.example\n' });
      expect(badMapping.status).toBe(422);
      expect(badMapping.body.errors).toEqual([expect.objectContaining({ field: 'mapping.Email', code: 'unknownField' })]);
      const badUpsert = await postMultipart(t, '/api/v1/imports', { object: 'person', upsertOn: 'jobTitle' }, { name: 'x.csv', content: 'Email\na@b.example\n' });
      expect(badUpsert.status).toBe(422);
      expect(badUpsert.body.errors[0].field).toBe('upsertOn');
      const json = await t.request('POST', '/api/v1/imports', { object: 'person' });
      expect(json.status).toBe(415);
      expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from rapport.import_run where workspace_id = ${t.workspace.id} and object in ('', 'starship')`.execute(db());
      expect(rows[0]!.n).toBe(0);
    });
    it('successful-create: should import the first worksheet of an XLSX file', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Contacts');
      sheet.addRow(['First Name', 'Last Name', 'Email', 'Company']);
      sheet.addRow(['Joan', 'Clarke', 'joan@xlsx.example', 'Bletchley Park']);
      sheet.addRow(['Gordon', 'Welchman', 'gordon@xlsx.example', 'bletchley park']);
      const content = Buffer.from(await workbook.xlsx.writeBuffer());

      const response = await postMultipart(t, '/api/v1/imports', { object: 'person', mapping: JSON.stringify({ 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', Company: 'company' }) }, { name: 'contacts.xlsx', content });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      const run = await waitForImport(t, response.body.id);

      expect(run).toMatchObject({ status: 'completed', format: 'xlsx', created: 2, failed: 0 });
      const people = await findPeople({ field: 'email', op: 'in', value: ['joan@xlsx.example', 'gordon@xlsx.example'] });
      expect(new Set(people.map((person) => person.company)).size).toBe(1);
      expect(await findCompanies('Bletchley Park')).toHaveLength(1);
    });

    it('successful-create: should import people from vCards the export wrote (3.0 and 4.0) with the suggested mapping', async () => {
      const company = (await t.request('POST', '/api/v1/records/company', { name: 'Vcard Works' })).body;
      const source = await t.request('POST', '/api/v1/records/person', { firstName: 'Valérie', lastName: 'Card', email: 'valerie@vcard.example', phone: '+33 1 42 68 53 00', jobTitle: 'Buyer', company: company.id, address: { street: '8 rue de Rivoli', city: 'Paris', postalCode: '75004', country: 'FR' } });
      expect(source.status).toBe(201);
      const filter = encodeURIComponent(JSON.stringify({ field: 'email', op: 'eq', value: 'valerie@vcard.example' }));
      for (const version of ['4.0', '3.0']) {
        const exported = await t.app.inject({ method: 'GET', url: `/api/v1/exports/person?format=vcf&vcardVersion=${version}&filter=${filter}`, headers: { authorization: `Bearer ${t.token}` } });
        expect(exported.statusCode).toBe(200);
        await t.request('DELETE', `/api/v1/records/person/${(await findPeople({ field: 'email', op: 'eq', value: 'valerie@vcard.example' }))[0]!.id}`);
        // No mapping given: the suggestions map the vCard's columns.
        const response = await postMultipart(t, '/api/v1/imports', { object: 'person' }, { name: 'contacts.vcf', content: Buffer.from(exported.body) });
        expect(response.status, JSON.stringify(response.body)).toBe(202);
        const run = await waitForImport(t, response.body.id);
        expect(run).toMatchObject({ status: 'completed', format: 'vcard', created: 1, failed: 0 });
        const [person] = await findPeople({ field: 'email', op: 'eq', value: 'valerie@vcard.example' });
        expect(person).toMatchObject({ firstName: 'Valérie', lastName: 'Card', phone: '+33142685300', jobTitle: 'Buyer', company: company.id, address: { street: '8 rue de Rivoli', city: 'Paris', postalCode: '75004', country: 'FR' } });
      }
    });

    it('successful-create: should split a whole-name column into first and last name', async () => {
      const csv = toCsv([['Person - Name', 'Person - Email'], ['Grace Brewster Hopper', 'grace@names.example'], ['Lovelace, Ada', 'ada@names.example']]);
      const response = await postMultipart(t, '/api/v1/imports', { object: 'person', mapping: JSON.stringify({ 'Person - Name': 'fullName', 'Person - Email': 'email' }) }, { name: 'pipedrive.csv', content: csv });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      expect(await waitForImport(t, response.body.id)).toMatchObject({ status: 'completed', created: 2, failed: 0 });
      const people = await findPeople({ field: 'email', op: 'in', value: ['grace@names.example', 'ada@names.example'] });
      expect(people.map((person) => [person.firstName, person.lastName]).sort()).toEqual([['Ada', 'Lovelace'], ['Grace', 'Brewster Hopper']]);
    });

    it('failing-create: should refuse a file over the size limit and keep nothing of it', async () => {
      const workspace = await (t.app as unknown as { services: EngineServices }).services.metadata.get(t.workspace.id);
      const caller = { db: db(), workspace, access: createFullAccess(workspace), actorId: null, scopes: null };
      const source = (async function* () {
        for (let i = 0; i < 5; i++) yield Buffer.alloc(1000, 'a');
      })();

      const refused = await receiveImportFile(caller, { fileName: 'big.csv', source, maxBytes: 4096 }).catch((error: unknown) => error as { code: string; status: number; message: string });

      expect(refused).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', status: 413 });
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from rapport.import_run where file_name = 'big.csv'`.execute(db());
      expect(rows[0]!.n).toBe(0);
    });

    it('successful-read: should describe every import route in a valid OpenAPI document', async () => {
      const document = (await t.request('GET', '/api/v1/openapi.json')).body;

      expect(document.paths['/api/v1/imports'].post.operationId).toBe('createImport');
      expect(document.paths['/api/v1/imports/preview'].post.requestBody.content['multipart/form-data'].schema.required).toEqual(['object', 'file']);
      expect(Object.keys(document.paths).filter((path) => path.includes('import')).sort()).toEqual([
        '/api/v1/import-mappings', '/api/v1/import-mappings/{id}', '/api/v1/imports', '/api/v1/imports/preview', '/api/v1/imports/{id}', '/api/v1/imports/{id}/errors', '/api/v1/imports/{id}/undo',
      ]);
      expect((await new Validator().validate(document)).valid).toBe(true);
    });
  });

  describe('preview', () => {
    it('successful-preview: should sniff the file, suggest a mapping and show the first rows with their problems', async () => {
      const csv = `First Name;Last Name;Email;Company\r\nAda;Lovelace;ada@preview.example;Analytical Engines\r\nBad;Row;not-an-email;\r\n`;

      const response = await postMultipart(t, '/api/v1/imports/preview', { object: 'person' }, { name: 'preview.csv', content: Buffer.from(`\uFEFF${csv}`) });

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({ format: 'csv', delimiter: ';', headers: ['First Name', 'Last Name', 'Email', 'Company'] });
      expect(response.body.suggestedMapping).toMatchObject({ 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email' });
      expect(response.body.mapping).toEqual(response.body.suggestedMapping);
      const [first, second] = response.body.sampleRows;
      expect(first).toMatchObject({ rowNumber: 1, values: { firstName: 'Ada', email: 'ada@preview.example' }, errors: [] });
      expect(first.cells).toEqual(['Ada', 'Lovelace', 'ada@preview.example', 'Analytical Engines']);
      expect(second.rowNumber).toBe(2);
      expect(second.errors).toEqual([expect.objectContaining({ column: 'Email', field: 'email', code: 'invalidEmail' })]);
      expect(await findPeople({ field: 'email', op: 'eq', value: 'ada@preview.example' })).toEqual([]);
      expect(await findCompanies('Analytical Engines')).toEqual([]);
    });
  });

  describe('undo', () => {
    it('successful-undo: should trash created records and their new company, restore updated fields and keep a later change as a conflict', async () => {
      await runImport(toCsv([HEADER, ['Mary', 'Jackson', 'mary@undo.example', 'Engineer', ''], ['Annie', 'Easley', 'annie@undo.example', 'Programmer', '']]));
      const csv = toCsv([
        HEADER,
        ['Mary', 'Jackson', 'mary@undo.example', 'Aerospace engineer', ''],
        ['Annie', 'Easley', 'annie@undo.example', 'Rocket scientist', ''],
        ['Christine', 'Darden', 'christine@undo.example', 'Researcher', 'Undo Aeronautics'],
      ]);
      const run = await runImport(csv, { upsertOn: 'email' });
      expect(run).toMatchObject({ created: 1, updated: 2 });
      const [annie] = await findPeople({ field: 'email', op: 'eq', value: 'annie@undo.example' });
      // Someone changes Annie after the import: undo keeps their change.
      expect((await t.request('PATCH', `/api/v1/records/person/${annie!.id}`, { jobTitle: 'Team lead' })).status).toBe(200);

      const undo = await t.request('POST', `/api/v1/imports/${run.id}/undo`);
      expect(undo.status).toBe(202);
      expect(undo.body.undo).toMatchObject({ status: 'queued' });
      const done = await waitForImport(t, run.id, { undo: true });

      expect(done.undo).toMatchObject({ status: 'completed', removed: 2, restored: 1, conflicts: 1 });
      expect(await findPeople({ field: 'email', op: 'eq', value: 'christine@undo.example' })).toEqual([]);
      expect(await findCompanies('Undo Aeronautics')).toEqual([]);
      const [mary] = await findPeople({ field: 'email', op: 'eq', value: 'mary@undo.example' });
      expect(mary!.jobTitle).toBe('Engineer');
      expect((await findPeople({ field: 'email', op: 'eq', value: 'annie@undo.example' }))[0]!.jobTitle).toBe('Team lead');
      const again = await t.request('POST', `/api/v1/imports/${run.id}/undo`);
      expect(again.status).toBe(409);
      const { rows: audit } = await sql<{ n: number }>`select count(*)::int as n from rapport.audit_log where workspace_id = ${t.workspace.id} and action = 'import.undone'`.execute(db());
      expect(audit[0]!.n).toBe(1);
    });

    it('successful-undo: should keep a created company that another record links to', async () => {
      const run = await runImport(toCsv([HEADER, ['Kept', 'Company', 'kept@undo-link.example', '', 'Linked Later Ltd']]));
      const [company] = await findCompanies('Linked Later Ltd');
      expect((await t.request('POST', '/api/v1/records/person', { firstName: 'Other', lastName: 'Link', company: company!.id })).status).toBe(201);

      await t.request('POST', `/api/v1/imports/${run.id}/undo`);
      const done = await waitForImport(t, run.id, { undo: true });

      expect(done.undo).toMatchObject({ status: 'completed', removed: 1 });
      expect(await findCompanies('Linked Later Ltd')).toHaveLength(1);
    });

    it('successful-undo: should count records the undoing user may not read as conflicts and leave them as they are', async () => {
      await runImport(toCsv([HEADER, ['Out', 'OfReach', 'reach@undo-scope.example', 'Before', '']]));
      const run = await runImport(toCsv([HEADER, ['Out', 'OfReach', 'reach@undo-scope.example', 'After', ''], ['New', 'OfReach', 'new@undo-scope.example', '', '']]), { upsertOn: 'email' });
      const [person] = await findPeople({ field: 'email', op: 'eq', value: 'reach@undo-scope.example' });
      expect((await t.request('PATCH', `/api/v1/records/person/${person!.id}`, { jobTitle: 'Before' })).status).toBe(200);
      const ALL = { create: true, read: true, update: true, delete: true, export: false, import: true };
      const role = (await t.request('POST', '/api/v1/roles', { name: 'Own-records undoer', permissions: { person: ALL, company: ALL }, recordAccess: 'own' })).body;
      const user = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.id });

      const undo = await t.request('POST', `/api/v1/imports/${run.id}/undo`, undefined, { authorization: `Bearer ${user.token}` });
      const done = await waitForImport(t, run.id, { undo: true });

      expect(undo.status).toBe(202);
      expect(done.undo).toMatchObject({ status: 'completed', removed: 0, restored: 0, conflicts: 1 });
      expect(await findPeople({ field: 'email', op: 'eq', value: 'new@undo-scope.example' })).toHaveLength(1);
    });
  });

  describe('history and mappings', () => {
    it('successful-list: should list imports newest first and save, list and delete a mapping', async () => {
      const list = await t.request('GET', '/api/v1/imports?object=person&limit=3');
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(3);
      const times = list.body.data.map((run: { createdAt: string }) => run.createdAt);
      expect([...times].sort().reverse()).toEqual(times);

      const saved = await t.request('POST', '/api/v1/import-mappings', { name: 'HubSpot contacts', object: 'person', mapping: PEOPLE_MAPPING, upsertOn: 'email' });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ name: 'HubSpot contacts', object: 'person', mapping: PEOPLE_MAPPING, upsertOn: 'email' });
      const duplicate = await t.request('POST', '/api/v1/import-mappings', { name: 'hubspot CONTACTS', object: 'person', mapping: {} });
      expect(duplicate.status).toBe(409);
      expect((await t.request('GET', '/api/v1/import-mappings?object=person')).body.data.map((m: { id: string }) => m.id)).toEqual([saved.body.id]);
      expect((await t.request('DELETE', `/api/v1/import-mappings/${saved.body.id}`)).status).toBe(204);
      const gone = await t.request('DELETE', `/api/v1/import-mappings/${saved.body.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('IMPORT_MAPPING_NOT_FOUND');
    });
  });

  describe('permissions', () => {
    it('failing-create: should answer 403 to a user whose role may create people but not import them', async () => {
      const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
      const role = (await t.request('POST', '/api/v1/roles', { name: 'No importer', permissions: { person: ALL, company: ALL }, recordAccess: 'all' })).body;
      const user = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.id });

      const response = await postMultipart(t, '/api/v1/imports', { object: 'person' }, { name: 'x.csv', content: 'Email\nx@forbidden.example\n' }, user.token);

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
      expect(await findPeople({ field: 'email', op: 'eq', value: 'x@forbidden.example' })).toEqual([]);
    });

    it('failing-delete: should not let a user who may not import people delete a saved people mapping', async () => {
      const saved = (await t.request('POST', '/api/v1/import-mappings', { name: 'Kept for importers', object: 'person', mapping: { Email: 'email' } })).body;
      const ALL = { create: true, read: true, update: true, delete: true, export: false, import: false };
      const role = (await t.request('POST', '/api/v1/roles', { name: 'No mapping importer', permissions: { person: ALL, company: ALL }, recordAccess: 'all' })).body;
      const user = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.id });

      const response = await t.request('DELETE', `/api/v1/import-mappings/${saved.id}`, undefined, { authorization: `Bearer ${user.token}` });

      expect(response.status).toBe(404);
      expect(response.body.code).toBe('IMPORT_MAPPING_NOT_FOUND');
      const mappings = (await t.request('GET', '/api/v1/import-mappings?object=person')).body.data as { id: string }[];
      expect(mappings.map((mapping) => mapping.id)).toContain(saved.id);
    });

    it('failing-create: should answer 403 LICENCE_FEATURE_REQUIRED to a user whose licence has no import', async () => {
      const licence = await t.request('PUT', '/api/v1/licences/No%20imports', { seats: null, concurrent: false, features: ['records.read', 'records.write', 'search', 'api'] });
      expect([200, 201]).toContain(licence.status);
      const user = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Admin', licence: 'No imports' });

      const response = await postMultipart(t, '/api/v1/imports', { object: 'person' }, { name: 'x.csv', content: 'Email\nx@licence.example\n' }, user.token);

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('LICENCE_FEATURE_REQUIRED');
      expect(response.body.detail).toMatch(/import/);
    });

    it('successful-create: should run as the user who started it (records created by them)', async () => {
      const IMPORTER = { create: true, read: true, update: true, delete: true, export: false, import: true };
      const role = (await t.request('POST', '/api/v1/roles', { name: 'Importer', permissions: { person: IMPORTER, company: IMPORTER }, recordAccess: 'all' })).body;
      const user = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.id });

      const id = await startImport(toCsv([HEADER, ['Owned', 'ByUser', 'owned@as-user.example', '', '']]), {}, user.token);
      const run = await waitForImport(t, id, { token: user.token });

      expect(run).toMatchObject({ status: 'completed', created: 1, createdBy: user.id });
      const [person] = await findPeople({ field: 'email', op: 'eq', value: 'owned@as-user.example' });
      expect(person!.createdBy).toBe(user.id);
    });

    it('failing-rows: should not link to a company the user may not read (not found, then created as their own)', async () => {
      const IMPORTER = { create: true, read: true, update: true, delete: true, export: false, import: true };
      const role = (await t.request('POST', '/api/v1/roles', { name: 'Own-records importer', permissions: { person: IMPORTER, company: IMPORTER }, recordAccess: 'own' })).body;
      const user = await createTestUser(db(), { workspaceId: t.workspace.id, role: role.id });
      const hidden = (await t.request('POST', '/api/v1/records/company', { name: 'Unseen Holdings', domain: 'unseen.example' })).body;
      const row = (email: string) => toCsv([HEADER, ['Rep', 'Row', email, '', 'Unseen Holdings']]);

      const refused = await waitForImport(t, await startImport(row('refused@scoped.example'), { createRelated: 'false' }, user.token), { token: user.token });
      const created = await waitForImport(t, await startImport(row('linked@scoped.example'), {}, user.token), { token: user.token });

      expect(refused).toMatchObject({ status: 'completed', created: 0, failed: 1 });
      const errors = parseCsv((await t.request('GET', `/api/v1/imports/${refused.id}/errors`, undefined, { authorization: `Bearer ${user.token}` })).body.replace(/^\uFEFF/, ''));
      expect(errors[1]!.slice(0, 4)).toEqual(['1', 'Company', 'company', 'relationNotFound']);
      expect(created).toMatchObject({ status: 'completed', created: 1, failed: 0 });
      const [person] = await findPeople({ field: 'email', op: 'eq', value: 'linked@scoped.example' });
      const companies = await findCompanies('Unseen Holdings');
      expect(companies).toHaveLength(2);
      expect(person!.company).not.toBe(hidden.id);
      expect(companies.find((company) => company.id === person!.company)).toMatchObject({ createdBy: user.id });
    });

    it('failing-read: should not show an import to another workspace', async () => {
      const run = (await t.request('GET', '/api/v1/imports?limit=1')).body.data[0];
      const other = await createWorkspace({ db: db(), name: 'Other tenant', standardObjects });
      const { token } = await createApiKey(db(), { workspaceId: other.id, name: 'other' });

      const response = await t.request('GET', `/api/v1/imports/${run.id}`, undefined, { authorization: `Bearer ${token}` });
      const errors = await t.request('GET', `/api/v1/imports/${run.id}/errors`, undefined, { authorization: `Bearer ${token}` });
      const undo = await t.request('POST', `/api/v1/imports/${run.id}/undo`, undefined, { authorization: `Bearer ${token}` });
      const list = await t.request('GET', '/api/v1/imports', undefined, { authorization: `Bearer ${token}` });

      expect(response.status).toBe(404);
      expect(response.body.code).toBe('IMPORT_NOT_FOUND');
      expect(errors.status).toBe(404);
      expect(undo.status).toBe(404);
      expect(list.body.data).toEqual([]);
    });
  });
});
