import { describe, expect, it } from 'vitest';
import { exportFileName, exportUrlOf } from './export-url.ts';

const query = (url: string) => new URL(url, 'http://localhost');

describe('exportUrlOf', () => {
  it('should ask for the view: its filter, sort and visible columns in their order', () => {
    const filter = { and: [{ field: 'jobTitle', op: 'contains' as const, value: 'engineer & "lead"' }, { or: [{ field: 'city', op: 'eq' as const, value: 'Zürich' }] }] };
    const url = query(exportUrlOf({ object: 'person', format: 'csv', filter, sort: ['-createdAt', 'lastName'], columnOrder: ['name', 'email', 'jobTitle', 'city', 'notes'], hiddenColumns: ['jobTitle', 'notes'] }));
    expect(url.pathname).toBe('/api/v1/records/person/export');
    expect(url.searchParams.get('format')).toBe('csv');
    expect(JSON.parse(url.searchParams.get('filter')!)).toEqual(filter);
    expect(url.searchParams.get('sort')).toBe('-createdAt,lastName');
    expect(url.searchParams.get('fields')).toBe('name,email,city');
  });

  it('should leave out an empty filter and sort, and keep the format asked for', () => {
    const url = query(exportUrlOf({ object: 'opportunity', format: 'xlsx', filter: undefined, sort: [], columnOrder: ['name', 'amount'], hiddenColumns: [] }));
    expect([...url.searchParams.keys()]).toEqual(['format', 'fields']);
    expect(url.searchParams.get('format')).toBe('xlsx');
    expect(url.searchParams.get('fields')).toBe('name,amount');
  });

  it('should export the segment the table shows', () => {
    const url = query(exportUrlOf({ object: 'person', format: 'csv', filter: undefined, segment: '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11', sort: [], columnOrder: ['lastName'], hiddenColumns: [] }));
    expect(url.searchParams.get('segment')).toBe('0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11');
  });

  it('should encode the object name in the path', () => {
    expect(query(exportUrlOf({ object: 'a/b', format: 'json', filter: undefined, sort: [], columnOrder: [], hiddenColumns: [] })).pathname).toBe('/api/v1/records/a%2Fb/export');
  });
});

describe('exportFileName', () => {
  const today = new Date('2026-12-01T10:00:00Z');

  it('should take the quoted file name of Content-Disposition', () => {
    expect(exportFileName('attachment; filename="person-2026-11-30.csv"', 'person', 'csv', today)).toBe('person-2026-11-30.csv');
  });

  it('should prefer the UTF-8 file name, and read an unquoted one', () => {
    expect(exportFileName(`attachment; filename="x.csv"; filename*=UTF-8''personnes%C3%A9-1.csv`, 'person', 'csv', today)).toBe('personnesé-1.csv');
    expect(exportFileName('attachment; filename=deals.json', 'opportunity', 'json', today)).toBe('deals.json');
  });

  it('should name the file after the object and the day when the header is missing or names a path', () => {
    expect(exportFileName(null, 'person', 'xlsx', today)).toBe('person-2026-12-01.xlsx');
    expect(exportFileName('attachment; filename="../etc/passwd"', 'person', 'csv', today)).toBe('person-2026-12-01.csv');
    expect(exportFileName('attachment', 'company', 'json', today)).toBe('company-2026-12-01.json');
  });
});
