import { describe, expect, it } from 'vitest';
import { requiredFeatures } from './licence-gate.ts';

describe('requiredFeatures', () => {
  it('should ask records, search and api features of record routes', () => {
    expect(requiredFeatures({ method: 'GET', url: '/api/v1/records/:object', isApiKey: false })).toEqual(['records.read']);
    expect(requiredFeatures({ method: 'POST', url: '/api/v1/records/:object/query', isApiKey: true })).toEqual(['api', 'records.read']);
    expect(requiredFeatures({ method: 'GET', url: '/api/v1/events/stream', isApiKey: false })).toEqual(['records.read']);
    expect(requiredFeatures({ method: 'GET', url: '/api/v1/events', isApiKey: true })).toEqual(['api', 'records.read']);
    expect(requiredFeatures({ method: 'PATCH', url: '/api/v1/records/:object/:id', isApiKey: false })).toEqual(['records.write']);
    expect(requiredFeatures({ method: 'GET', url: '/api/v1/search', isApiKey: false })).toEqual(['search']);
  });

  it('should ask admin for administration changes and the audit log, export for its export, and nothing of reads open to members', () => {
    expect(requiredFeatures({ method: 'POST', url: '/api/v1/roles', isApiKey: false })).toEqual(['admin']);
    expect(requiredFeatures({ method: 'GET', url: '/api/v1/roles', isApiKey: false })).toEqual([]);
    expect(requiredFeatures({ method: 'GET', url: '/api/v1/audit/export', isApiKey: false })).toEqual(['admin', 'export']);
    expect(requiredFeatures({ method: 'POST', url: '/api/v1/metadata/objects', isApiKey: false })).toEqual(['metadata.admin']);
    expect(requiredFeatures({ method: 'GET', url: '/api/v1/metadata/objects', isApiKey: false })).toEqual([]);
    expect(requiredFeatures({ method: 'POST', url: '/api/v1/apikeys', isApiKey: false })).toEqual(['api']);
    expect(requiredFeatures({ method: 'PATCH', url: '/api/v1/workspace', isApiKey: false })).toEqual(['admin']);
    expect(requiredFeatures({ method: 'POST', url: '/api/v1/auth/sign-out', isApiKey: false })).toEqual([]);
  });
});
