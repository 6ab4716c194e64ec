import { describe, expect, it } from 'vitest';
import { fieldLevelOf, isAllowed, setFieldLevel, setPermission } from './role-model.ts';

describe('object permissions', () => {
  it('should turn read on with any other action', () => {
    expect(setPermission({}, 'person', 'update', true)).toEqual({ person: { update: true, read: true } });
  });

  it('should turn every action off with read', () => {
    const next = setPermission({ person: { read: true, create: true, delete: true } }, 'person', 'read', false);
    expect(next.person).toEqual({ create: false, read: false, update: false, delete: false, export: false, import: false });
  });

  it('should leave other objects alone and fall back to the * entry', () => {
    const permissions = setPermission({ '*': { read: true } }, 'company', 'delete', true);
    expect(permissions['*']).toEqual({ read: true });
    expect(isAllowed(permissions, 'company', 'delete')).toBe(true);
    expect(isAllowed(permissions, 'person', 'read')).toBe(true);
    expect(isAllowed(permissions, 'person', 'delete')).toBe(false);
  });
});

describe('field permissions', () => {
  it('should store hidden and read-only fields and drop editable ones', () => {
    let fields = setFieldLevel({}, 'person', 'jobTitle', 'hidden');
    fields = setFieldLevel(fields, 'person', 'email', 'readOnly');
    expect(fields).toEqual({ person: { jobTitle: 'hidden', email: 'readOnly' } });
    expect(fieldLevelOf(fields, 'person', 'jobTitle')).toBe('hidden');
    fields = setFieldLevel(fields, 'person', 'jobTitle', 'editable');
    fields = setFieldLevel(fields, 'person', 'email', 'editable');
    expect(fields).toEqual({});
    expect(fieldLevelOf(fields, 'person', 'email')).toBe('editable');
  });
});
