import type { ObjectPermissions } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { ALL_ROWS } from '../query/row-scope.ts';
import { compileSql, crmWorkspaceFactory } from '../query/test-factories.ts';
import { createAccess } from './access.ts';
import { KEY_BASELINE, type AccessProfile, type RoleRules } from './access-profile.ts';
import { parseScopes } from './scopes.ts';

const { workspace, person, company } = crmWorkspaceFactory();
const ME = '00000000-0000-4000-8000-0000000000aa';
const TEAMMATE = '00000000-0000-4000-8000-0000000000bb';
const all: ObjectPermissions = { create: true, read: true, update: true, delete: true, export: false, import: false };

const profileOf = (role: Partial<RoleRules>, extra: Partial<AccessProfile> = {}): AccessProfile => ({
  workspaceId: workspace.id,
  userId: ME,
  role: { id: 'r', isAdmin: false, permissions: { '*': all }, fields: {}, recordAccess: 'own', ...role },
  ownerIds: [ME],
  territoryRules: [],
  sharingRules: [],
  ...extra,
});

describe('parseScopes', () => {
  it('should not narrow sessions or admin keys', () => {
    expect(parseScopes(null).isUnlimited).toBe(true);
    expect(parseScopes(['admin']).allows('person', 'delete')).toBe(true);
  });

  it('should let read scopes read and export, and write scopes do everything on their objects', () => {
    const grant = parseScopes(['read:*', 'write:task']);

    expect(grant.allows('person', 'read')).toBe(true);
    expect(grant.allows('person', 'export')).toBe(true);
    expect(grant.allows('person', 'create')).toBe(false);
    expect(grant.allows('task', 'delete')).toBe(true);
    expect(grant.allows('task', 'import')).toBe(true);
    expect(parseScopes(['write:task']).allows('task', 'read')).toBe(true);
    expect(parseScopes(['write:task']).allows('person', 'read')).toBe(false);
  });
});

describe('createAccess', () => {
  it('should give a key without a user and with the admin scope everything, and read:* only reads', () => {
    const admin = createAccess({ workspace, profile: { ...profileOf({}), userId: null, role: KEY_BASELINE }, scopes: ['admin'] });
    const reader = createAccess({ workspace, profile: { ...profileOf({}), userId: null, role: KEY_BASELINE }, scopes: ['read:*'] });

    expect(admin.isAdmin).toBe(true);
    expect(admin.rows).toBe(ALL_ROWS);
    expect(reader.isAdmin).toBe(false);
    expect(reader.readsEverything).toBe(true);
    expect(reader.can('person', 'read')).toBe(true);
    expect(reader.can('person', 'update')).toBe(false);
  });

  it('should combine the role and the key scopes: each can only narrow the other', () => {
    const role = { permissions: { person: all, company: { ...all, update: false } } };

    const access = createAccess({ workspace, profile: profileOf(role), scopes: ['write:company', 'read:person'] });

    expect(access.can('person', 'read')).toBe(true);
    expect(access.can('person', 'update')).toBe(false);
    expect(access.can('company', 'update')).toBe(false);
    expect(access.can('project', 'read')).toBe(false);
  });

  it('should leave hidden fields, unreadable objects and relations into them out of the view', () => {
    const profile = profileOf({ permissions: { person: all, company: all }, fields: { person: { salary: 'hidden', age: 'readOnly' } } });
    const access = createAccess({ workspace, profile, scopes: null });

    const viewPerson = access.view.objects.get('person')!;
    expect(access.view.objects.has('project')).toBe(false);
    expect(viewPerson.fieldsByName.has('salary')).toBe(false);
    expect(viewPerson.fieldsByName.has('age')).toBe(true);
    expect(viewPerson.fieldsByName.has('projects')).toBe(false);
    expect(viewPerson.fieldsByName.has('company')).toBe(true);
    expect(access.fieldLevel('person', 'age')).toBe('readOnly');
    // Built once per profile and scopes: the next request of the same caller reuses it.
    expect(createAccess({ workspace, profile, scopes: null }).view).toBe(access.view);
  });

  it('should keep the workspace itself as the view when nothing is hidden', () => {
    const access = createAccess({ workspace, profile: profileOf({ recordAccess: 'all' }), scopes: null });

    expect(access.view).toBe(workspace);
    expect(access.readsEverything).toBe(true);
  });
});

describe('row predicate', () => {
  it('should compile record access to an indexed owner test with bound ids', () => {
    const access = createAccess({ workspace, profile: profileOf({ recordAccess: 'team' }, { ownerIds: [ME, TEAMMATE] }), scopes: null });

    const { sql, parameters } = compileSql(access.rows.predicate({ object: person, alias: 't0', mode: 'read' })!);

    expect(sql).toBe('"t0"."owner" = any($1::uuid[])');
    expect(parameters).toEqual([[ME, TEAMMATE]]);
  });

  it('should add sharing rules for reads, only write rules for writes, and territories for both', () => {
    const filter = (country: string) => ({ field: 'address.country', op: 'eq', value: country });
    const access = createAccess({
      workspace,
      profile: profileOf(
        { recordAccess: 'territory' },
        { territoryRules: [{ object: 'person', filter: filter('FR'), access: 'write' }], sharingRules: [{ object: 'person', filter: filter('DE'), access: 'read' }, { object: 'company', filter: { field: 'name', op: 'eq', value: 'x' }, access: 'write' }] },
      ),
      scopes: null,
    });

    const read = compileSql(access.rows.predicate({ object: person, alias: 't0', mode: 'read' })!);
    const write = compileSql(access.rows.predicate({ object: person, alias: 't0', mode: 'write' })!);

    expect(read.sql).toBe('("t0"."owner" = any($1::uuid[]) or "t0"."address_country" = $2 or "t0"."address_country" = $3)');
    expect(read.parameters).toEqual([[ME], 'FR', 'DE']);
    expect(write.sql).toBe('("t0"."owner" = any($1::uuid[]) or "t0"."address_country" = $2)');
  });

  it('should leave objects without an owner field to object permissions, and ignore rules that no longer parse', () => {
    const access = createAccess({ workspace, profile: profileOf({}, { sharingRules: [{ object: 'person', filter: { field: 'deletedField', op: 'eq', value: 1 }, access: 'read' }] }), scopes: null });

    expect(access.rows.predicate({ object: company, alias: 't0', mode: 'read' })).toBeUndefined();
    expect(compileSql(access.rows.predicate({ object: person, alias: 't0', mode: 'read' })!).sql).toBe('"t0"."owner" = any($1::uuid[])');
  });
});
