import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { conditionsOf, conditionsToFilter, isAdvancedFilter, roleMappingOf, sortUtilisation } from './admin-model.ts';
import type { UtilisationRow } from './settings-api.ts';

const company: ObjectDefinition = {
  name: 'company',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', position: 0 },
    { name: 'employees', type: 'number', label: 'Employees', position: 1 },
    { name: 'address', type: 'address', label: 'Address', position: 2 },
  ],
};

const row = (name: string, patch: Partial<UtilisationRow>): UtilisationRow => ({
  userId: name,
  email: `${name.toLowerCase()}@example.test`,
  name,
  status: 'active',
  licence: 'Basic',
  lastSignInAt: null,
  lastActiveAt: null,
  inactiveDays: 0,
  featuresUsed: [],
  flaggedInactive: false,
  suggestedLicence: null,
  ...patch,
});

describe('sharing rule conditions', () => {
  it('should build a filter from the conditions, typed per field, and leave out unfinished ones', () => {
    expect(conditionsToFilter(company, [{ field: 'address.country', op: 'eq', value: 'fr' }])).toEqual({ field: 'address.country', op: 'eq', value: 'FR' });
    expect(conditionsToFilter(company, [{ field: 'address.country', op: 'eq', value: 'fr' }, { field: 'employees', op: 'gt', value: '50' }, { field: 'name', op: 'contains', value: ' ' }])).toEqual({
      and: [{ field: 'address.country', op: 'eq', value: 'FR' }, { field: 'employees', op: 'gt', value: 50 }],
    });
    expect(conditionsToFilter(company, [{ field: 'employees', op: 'gt', value: 'many' }])).toBeUndefined();
  });

  it('should list the conditions of a stored filter and tell an advanced one apart', () => {
    const filter = { and: [{ field: 'employees', op: 'gt' as const, value: 50 }, { and: [{ field: 'name', op: 'isEmpty' as const }] }] };
    expect(conditionsOf(filter)).toEqual([{ field: 'employees', op: 'gt', value: 50 }, { field: 'name', op: 'isEmpty' }]);
    expect(isAdvancedFilter(filter)).toBe(false);
    expect(isAdvancedFilter({ or: [{ field: 'name', op: 'isEmpty' }] })).toBe(true);
    expect(conditionsOf({ or: [{ field: 'name', op: 'isEmpty' }] })).toEqual([]);
  });
});

describe('utilisation report', () => {
  const rows = [
    row('Carla', { lastActiveAt: '2026-03-01T10:00:00Z', inactiveDays: 3, featuresUsed: ['search'] }),
    row('Ada', { lastActiveAt: null, inactiveDays: 90, licence: null }),
    row('Bob', { lastActiveAt: '2026-03-04T10:00:00Z', inactiveDays: 0, featuresUsed: ['search', 'export'] }),
  ];

  it('should sort by any column both ways, with empty values last either way', () => {
    expect(sortUtilisation(rows, 'name', 'asc').map((each) => each.name)).toEqual(['Ada', 'Bob', 'Carla']);
    expect(sortUtilisation(rows, 'lastActiveAt', 'desc').map((each) => each.name)).toEqual(['Bob', 'Carla', 'Ada']);
    expect(sortUtilisation(rows, 'lastActiveAt', 'asc').map((each) => each.name)).toEqual(['Carla', 'Bob', 'Ada']);
    expect(sortUtilisation(rows, 'licence', 'asc').map((each) => each.name)).toEqual(['Bob', 'Carla', 'Ada']);
    expect(sortUtilisation(rows, 'features', 'desc').map((each) => each.name)).toEqual(['Bob', 'Carla', 'Ada']);
    expect(sortUtilisation(rows, 'inactiveDays', 'desc').map((each) => each.name)).toEqual(['Ada', 'Carla', 'Bob']);
  });
});

describe('SSO role mapping', () => {
  it('should keep filled rows only, trimmed', () => {
    expect(roleMappingOf([{ claim: ' sales ', roleId: 'r1' }, { claim: '', roleId: 'r2' }, { claim: 'admins', roleId: null }])).toEqual({ sales: 'r1' });
  });
});
