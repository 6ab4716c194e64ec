import { describe, expect, it } from 'vitest';
import { editableRulesOf } from './territory-model.ts';

describe('editableRulesOf', () => {
  it('should turn one object with conditions joined by and into editor rules', () => {
    const territory = { rules: { company: { and: [{ field: 'country', op: 'eq', value: 'DE' }, { field: 'employees', op: 'gte', value: 50 }] } } };
    expect(editableRulesOf(territory as never)).toEqual({
      objectName: 'company',
      rules: [{ field: 'country', op: 'eq', value: 'DE' }, { field: 'employees', op: 'gte', value: '50' }],
    });
    expect(editableRulesOf({ rules: { company: { field: 'country', op: 'in', value: ['DE', 'AT'] } } } as never)?.rules).toEqual([{ field: 'country', op: 'in', value: 'DE, AT' }]);
  });

  it('should leave territories over several objects or with or-groups to the API', () => {
    expect(editableRulesOf({ rules: { company: { field: 'country', op: 'eq', value: 'DE' }, person: { field: 'country', op: 'eq', value: 'DE' } } } as never)).toBeNull();
    expect(editableRulesOf({ rules: { company: { or: [{ field: 'country', op: 'eq', value: 'DE' }, { field: 'country', op: 'eq', value: 'AT' }] } } } as never)).toBeNull();
    expect(editableRulesOf({ rules: {} })).toEqual({ objectName: null, rules: [] });
  });
});
