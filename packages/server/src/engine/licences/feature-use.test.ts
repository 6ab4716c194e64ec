import { describe, expect, it } from 'vitest';
import { featureOfRoute } from './feature-use.ts';

describe('featureOfRoute', () => {
  it('should count record reads, including query and aggregate bodies, and record writes', () => {
    expect(featureOfRoute('GET', '/api/v1/records/:object')).toBe('records.read');
    expect(featureOfRoute('GET', '/api/v1/records/:object/:id/history')).toBe('records.read');
    expect(featureOfRoute('POST', '/api/v1/records/:object/query')).toBe('records.read');
    expect(featureOfRoute('POST', '/api/v1/records/:object/aggregate')).toBe('records.read');
    expect(featureOfRoute('POST', '/api/v1/records/:object')).toBe('records.write');
    expect(featureOfRoute('PATCH', '/api/v1/records/:object/:id')).toBe('records.write');
    expect(featureOfRoute('POST', '/api/v1/records/:object/batch')).toBe('records.write');
    expect(featureOfRoute('DELETE', '/api/v1/records/:object/:id')).toBe('records.write');
  });

  it('should count search, metadata changes and administration, and nothing for reading metadata or the rest', () => {
    expect(featureOfRoute('GET', '/api/v1/search')).toBe('search');
    expect(featureOfRoute('POST', '/api/v1/metadata/objects')).toBe('metadata.admin');
    expect(featureOfRoute('GET', '/api/v1/metadata/objects')).toBeUndefined();
    expect(featureOfRoute('GET', '/api/v1/audit')).toBe('admin');
    expect(featureOfRoute('PUT', '/api/v1/licences/:name')).toBe('admin');
    expect(featureOfRoute('POST', '/api/v1/users')).toBe('admin');
    expect(featureOfRoute('GET', '/api/v1/users/me')).toBe('admin');
    expect(featureOfRoute('GET', '/api/v1/usersettings')).toBeUndefined();
    expect(featureOfRoute('GET', '/api/v1/openapi.json')).toBeUndefined();
    expect(featureOfRoute('GET', '/api/v1/events')).toBeUndefined();
  });
});
