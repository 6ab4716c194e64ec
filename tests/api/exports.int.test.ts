import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { parseCsv } from '../support/csv.ts';
import { unzip } from '../support/unzip.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';
import { addMember, signIn } from '../support/workspace-members.ts';

const ALL = { create: true, read: true, update: true, delete: true, export: true, import: false };
const PEOPLE = 1_205;



describeEngines('record export API', (engine) => {
  let t: TestApp;
  let rep: TestUser;
  let noExport: TestUser;
  let basicToken: string;
  let companyId: string;

  const exportAs = (query: string, token?: string) => t.app.inject({ method: 'GET', url: `/api/v1/records/person/export?${query}`, headers: { authorization: `Bearer ${token ?? t.token}`, 'user-agent': 'export test' } });

  beforeAll(async () => {
    t = await createTestApp(engine, 'Export Co');
    const db = t.testDatabase.database.db;
    companyId = (await t.request('POST', '/api/v1/records/company', { name: 'Initech' })).body.id;
    // More people than one page of the list (1,000): the export reads page after page.
    const people = Array.from({ length: PEOPLE }, (_, index) => ({ firstName: `Person`, lastName: `N${String(index).padStart(4, '0')}`, email: `p${index}@export.example` }));
    for (let start = 0; start < people.length; start += 1000) {
      const { status } = await t.request('POST', '/api/v1/records/person/batch', { records: people.slice(start, start + 1000) });
      expect(status).toBe(200);
    }
    const ada = await t.request('POST', '/api/v1/records/person', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      jobTitle: '=1+2',
      email: 'ada@export.example',
      company: companyId,
      address: { street: '12 Analytical Row; Flat 2, rear', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    });
    expect(ada.status).toBe(201);
    const role = (await t.request('POST', '/api/v1/roles', { name: 'Exporting rep', permissions: { '*': ALL }, fields: { person: { jobTitle: 'hidden' } }, recordAccess: 'own' })).body;
    rep = await createTestUser(db, { workspaceId: t.workspace.id, role: role.id, name: 'Rep' });
    noExport = await createTestUser(db, { workspaceId: t.workspace.id, role: 'Sales rep', name: 'No export' });
    // Signed in (a key would need the "api" feature first): an administrator whose licence has no "export".
    const basic = await addMember(db, { workspaceId: t.workspace.id, role: 'Admin', licence: 'Basic' });
    basicToken = await signIn(db, { workspaceId: t.workspace.id, userId: basic.id });
    for (const lastName of ['Mine', 'Also mine']) {
      expect((await t.request('POST', '/api/v1/records/person', { firstName: 'Rep', lastName }, { authorization: `Bearer ${rep.token}` })).status).toBe(201);
    }
  });
  afterAll(async () => t?.destroy());

  it('should write a view as CSV: its columns in order, labelled, composite fields split, related records by name, formulas neutralised', async () => {
    const filter = encodeURIComponent(JSON.stringify({ field: 'lastName', op: 'eq', value: 'Lovelace' }));
    const response = await exportAs(`format=csv&filter=${filter}&fields=lastName,jobTitle,company,address`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="person-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.body.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(response.body.slice(1));
    expect(header).toEqual(['Last name', 'Job title', 'Company', 'Address (street)', 'Address (city)', 'Address (postal code)', 'Address (region)', 'Address (country)', 'Address (latitude)', 'Address (longitude)']);
    expect(rows).toEqual([['Lovelace', "'=1+2", 'Initech', '12 Analytical Row; Flat 2, rear', 'London', 'N1 9GU', '', 'GB', '', '']]);
  });

  it('should quote CSV cells with commas, quotes and line breaks so they read back whole', async () => {
    const jobTitle = 'Said "hello, world"\nthen left';
    expect((await t.request('POST', '/api/v1/records/person', { firstName: 'Quinn', lastName: 'Quote', jobTitle })).status).toBe(201);
    const filter = encodeURIComponent(JSON.stringify({ field: 'lastName', op: 'eq', value: 'Quote' }));
    const response = await exportAs(`format=csv&filter=${filter}&fields=firstName,jobTitle`);
    expect(response.body).toContain('\r\n');
    expect(parseCsv(response.body.slice(1))).toEqual([['First name', 'Job title'], ['Quinn', jobTitle]]);
    await t.request('DELETE', `/api/v1/records/person/${(await t.request('GET', `/api/v1/records/person?filter=${filter}`)).body.data[0].id}`);
  });

  it('should stream every record over several pages, in the order asked for', async () => {
    const response = await exportAs('format=csv&fields=id,lastName&sort=lastName');
    expect(response.statusCode).toBe(200);
    const [header, ...rows] = parseCsv(response.body.slice(1));
    expect(header).toEqual(['ID', 'Last name']);
    expect(rows).toHaveLength(PEOPLE + 3);
    const names = rows.map((row) => row[1]!);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(rows.map((row) => row[0])).size).toBe(rows.length);
  });

  it('should answer at /api/v1/exports/{object} exactly as under the records, with the same permission checks', async () => {
    const query = 'format=csv&fields=id,lastName&sort=lastName';
    const atExports = (token: string) => t.app.inject({ method: 'GET', url: `/api/v1/exports/person?${query}`, headers: { authorization: `Bearer ${token}` } });
    const [viaRecords, viaExports] = [await exportAs(query), await atExports(t.token)];
    expect(viaExports.statusCode).toBe(200);
    expect(viaExports.headers['content-disposition']).toMatch(/^attachment; filename="person-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(parseCsv(viaExports.body.slice(1))).toEqual(parseCsv(viaRecords.body.slice(1)));
    expect((await atExports(noExport.token)).statusCode).toBe(403);
  });

  it('should write JSON as the API returns the records', async () => {
    const filter = encodeURIComponent(JSON.stringify({ field: 'firstName', op: 'eq', value: 'Rep' }));
    const response = await exportAs(`format=json&filter=${filter}&sort=lastName`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const records = JSON.parse(response.body) as { id: string; lastName: string; createdAt: string }[];
    expect(records.map((record) => record.lastName)).toEqual(['Also mine', 'Mine']);
    const listed = (await t.request('GET', `/api/v1/records/person?filter=${filter}&sort=lastName`)).body.data as { id: string }[];
    expect(records.map((record) => record.id)).toEqual(listed.map((record) => record.id));
  });

  it('should write XLSX with typed cells: numbers as numbers, dates as dates', async () => {
    const opportunity = await t.request('POST', '/api/v1/records/opportunity', { name: 'Big deal', amount: { amount: 12500.5, currency: 'EUR' }, closeDate: '2026-03-31', company: companyId });
    expect(opportunity.status).toBe(201);
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/records/opportunity/export?format=xlsx&fields=name,amount,closeDate,company,createdAt', headers: { authorization: `Bearer ${t.token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Name', 'Amount', 'Amount (currency)', 'Close date', 'Company', 'Created']);
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe('Big deal');
    expect(row.getCell(2).value).toBe(12500.5);
    expect(row.getCell(3).value).toBe('EUR');
    expect(row.getCell(4).value).toEqual(new Date('2026-03-31T00:00:00Z'));
    expect(row.getCell(5).value).toBe('Initech');
    expect(row.getCell(6).value).toEqual(new Date(opportunity.body.createdAt as string));
  });

  it('should write people as vCards 4.0 and 3.0 that read back to the same person', async () => {
    const filter = encodeURIComponent(JSON.stringify({ field: 'lastName', op: 'eq', value: 'Lovelace' }));
    for (const version of ['4.0', '3.0'] as const) {
      const response = await exportAs(`format=vcf&vcardVersion=${version}&filter=${filter}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/vcard; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(/filename="person-\d{4}-\d{2}-\d{2}\.vcf"/);
      expect(response.body).toMatch(/^BEGIN:VCARD\r\nVERSION:/);
      // One card parses to a jCard, several to a list of them.
      const parsed = ICAL.parse(response.body) as unknown[];
      const cards = (typeof parsed[0] === 'string' ? [parsed] : parsed).map((jcard) => new ICAL.Component(jcard as never));
      expect(cards).toHaveLength(1);
      const card = cards[0]!;
      expect(card.getFirstPropertyValue('version')).toBe(version);
      expect(card.getFirstPropertyValue('n')).toEqual(['Lovelace', 'Ada', '', '', '']);
      expect(card.getFirstPropertyValue('fn')).toBe('Ada Lovelace');
      expect(card.getFirstPropertyValue('email')).toBe('ada@export.example');
      expect(card.getFirstPropertyValue('org')).toBe('Initech');
      expect(card.getFirstPropertyValue('title')).toBe('=1+2');
      expect(card.getFirstPropertyValue('adr')).toEqual(['', '', '12 Analytical Row; Flat 2, rear', 'London', '', 'N1 9GU', 'United Kingdom']);
      expect(String(card.getFirstPropertyValue('uid'))).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    }
  });

  it('should write a vCard without the fields the caller may not see, and refuse vCards of other objects', async () => {
    const response = await exportAs('format=vcf', rep.token);
    expect(response.statusCode).toBe(200);
    expect(response.body.match(/BEGIN:VCARD/g)).toHaveLength(2);
    expect(response.body).not.toMatch(/^TITLE:/m);
    const companies = await t.app.inject({ method: 'GET', url: '/api/v1/records/company/export?format=vcf', headers: { authorization: `Bearer ${t.token}` } });
    expect(companies.statusCode).toBe(400);
    expect(JSON.parse(companies.body)).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'format' }] });
  });

  it('should export only what the caller may read: their records, without hidden fields', async () => {
    const response = await exportAs('format=csv', rep.token);
    expect(response.statusCode).toBe(200);
    const [header, ...rows] = parseCsv(response.body.slice(1));
    expect(header).toContain('Last name');
    expect(header).not.toContain('Job title');
    const lastName = header!.indexOf('Last name');
    expect(rows.map((row) => row[lastName]).sort()).toEqual(['Also mine', 'Mine']);

    const hidden = await exportAs('format=csv&fields=lastName,jobTitle', rep.token);
    expect(hidden.statusCode).toBe(400);
    expect(hidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(hidden.body)).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'fields', code: 'unknownField' }] });
  });

  it('should refuse a role without the export permission, with a problem+json answer', async () => {
    const response = await exportAs('format=csv', noExport.token);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('should refuse a licence without the export feature, naming it', async () => {
    const response = await exportAs('format=csv', basicToken);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'LICENCE_FEATURE_REQUIRED' });
    expect(JSON.parse(response.body).detail).toContain('"export"');
  });

  it('should refuse a bad filter or format before sending anything', async () => {
    const badFilter = await exportAs('format=csv&filter=%7Bnope');
    expect(badFilter.statusCode).toBe(400);
    expect(JSON.parse(badFilter.body)).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'filter' }] });
    const badFormat = await exportAs('format=pdf');
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('should audit each export with its format, columns and filter', async () => {
    const filter = { field: 'lastName', op: 'eq', value: 'Lovelace' };
    expect((await exportAs(`format=json&fields=lastName&filter=${encodeURIComponent(JSON.stringify(filter))}`)).statusCode).toBe(200);
    const entries = (await t.request('GET', '/api/v1/audit?action=export.created&limit=1')).body.data as { action: string; objectName: string; userAgent: string; details: Record<string, unknown> }[];
    expect(entries[0]).toMatchObject({ action: 'export.created', objectName: 'person', userAgent: 'export test', details: { format: 'json', fields: ['lastName'], filter } });
  });
  it('should export the whole workspace as one archive: metadata, every record of every object, a manifest with the counts', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/workspace/export', headers: { authorization: `Bearer ${t.token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="export-co-\d{4}-\d{2}-\d{2}\.zip"$/);
    const files = await unzip(response.rawPayload);
    const manifest = JSON.parse(files.get('manifest.json')!) as { format: string; version: number; workspace: { name: string }; objects: { name: string; file: string; records: number }[] };
    expect(manifest).toMatchObject({ format: 'rapport.workspace-export', version: 1, workspace: { name: 'Export Co' } });
    const metadata = JSON.parse(files.get('metadata.json')!) as { objects: { name: string; fields: { name: string }[] }[] };
    expect(metadata.objects.map((object) => object.name).sort()).toEqual(manifest.objects.map((object) => object.name).sort());
    expect(metadata.objects.find((object) => object.name === 'person')!.fields.map((field) => field.name)).toContain('jobTitle');
    for (const object of manifest.objects) {
      const lines = files.get(object.file)!.split('\n').filter(Boolean);
      expect(lines).toHaveLength(object.records);
      const { body } = await t.request('GET', `/api/v1/records/${object.name}?limit=1&count=true`);
      expect(object.records).toBe(body.totalCount);
    }
    const people = files.get('records/person.jsonl')!.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { lastName: string; jobTitle?: string; company?: string });
    expect(people).toHaveLength(PEOPLE + 3);
    expect(people.find((person) => person.lastName === 'Lovelace')).toMatchObject({ jobTitle: '=1+2', company: companyId });
    const entries = (await t.request('GET', '/api/v1/audit?action=export.created&limit=1')).body.data as { details: Record<string, unknown> }[];
    expect(entries[0]!.details).toMatchObject({ scope: 'workspace' });
  });

  it('should keep the workspace archive to administrators', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/workspace/export', headers: { authorization: `Bearer ${rep.token}` } });
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'FORBIDDEN' });
  });
});
