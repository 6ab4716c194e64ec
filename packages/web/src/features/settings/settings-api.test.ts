import { describe, expect, it } from 'vitest';
import { auditExportUrl, auditQuery, nextDay, scopeOptions } from './settings-api.ts';

describe('audit filter', () => {
  it('should leave out empty values and make the last day inclusive', () => {
    expect(auditQuery({ action: ' apikey. ', userId: '', from: '2026-01-30', to: '2026-01-31' })).toEqual({ action: 'apikey.', from: '2026-01-30', to: '2026-02-01' });
    expect(auditQuery({})).toEqual({});
  });

  it('should ask for the instance scope only when chosen', () => {
    expect(auditQuery({ scope: 'instance', action: 'auth.' })).toEqual({ scope: 'instance', action: 'auth.' });
    expect(auditQuery({ scope: 'workspace' })).toEqual({});
    expect(auditExportUrl({ scope: 'instance' })).toBe('/api/v1/audit/export?scope=instance');
  });

  it('should step over month and year ends and leap days', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });

  it('should build the export link with the same filters', () => {
    expect(auditExportUrl({})).toBe('/api/v1/audit/export');
    expect(auditExportUrl({ action: 'user.', from: '2026-03-01' })).toBe('/api/v1/audit/export?action=user.&from=2026-03-01');
  });
});

describe('scopeOptions', () => {
  it('should offer read and write per object after the wildcards, and admin last', () => {
    expect(scopeOptions(['person', 'company'])).toEqual(['read:*', 'write:*', 'read:person', 'write:person', 'read:company', 'write:company', 'admin']);
  });
});
