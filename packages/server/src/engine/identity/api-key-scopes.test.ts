import { describe, expect, it } from 'vitest';
import { checkScopes } from './api-key-scopes.ts';

const objects = new Set(['person', 'company', 'vehicle_log']);

describe('API key scopes', () => {
  it('should accept the documented scope shapes for existing objects', () => {
    expect(checkScopes(['admin'], objects)).toEqual([]);
    expect(checkScopes(['read:*'], objects)).toEqual([]);
    expect(checkScopes(['read:person', 'write:person', 'write:vehicle_log'], objects)).toEqual([]);
  });

  it('should refuse unknown shapes and objects, per scope', () => {
    expect(checkScopes(['read:person', 'delete:person', 'write:invoice', 'READ:*'], objects)).toEqual([
      { field: 'scopes[1]', code: 'invalidScope', message: expect.stringContaining('not a scope') },
      { field: 'scopes[2]', code: 'invalidScope', message: 'There is no object "invoice".' },
      { field: 'scopes[3]', code: 'invalidScope', message: expect.stringContaining('not a scope') },
    ]);
  });

  it('should refuse an empty list', () => {
    expect(checkScopes([], objects)).toEqual([{ field: 'scopes', code: 'required', message: expect.any(String) }]);
  });
});
