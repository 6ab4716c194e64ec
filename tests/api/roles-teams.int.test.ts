import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestUser, type TestUser } from '../support/users.ts';

const salesRep = {
  name: 'Field rep',
  description: 'Works on their own people and deals.',
  permissions: { person: { create: true, read: true, update: true, delete: false, export: false, import: false }, '*': { read: true } },
  fields: { opportunity: { amount: 'readOnly' } },
  recordAccess: 'own',
};

describeEngines('roles, teams, territories and sharing rules API', (engine) => {
  let t: TestApp;
  let rep: TestUser;
  let other: TestUser;
  const db = () => t.testDatabase.database.db;
  const auditActions = async () =>
    (await sql<{ action: string }>`select action from rapport.audit_log where workspace_id = ${t.workspace.id} order by id`.execute(db())).rows.map((row) => row.action);

  beforeAll(async () => {
    t = await createTestApp(engine);
    rep = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
    other = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Sales rep' });
  });
  afterAll(async () => t?.destroy());

  describe('roles', () => {
    it('successful-read: should list the default roles with their hierarchy and member counts', async () => {
      const response = await t.request('GET', '/api/v1/roles');

      expect(response.status).toBe(200);
      const byName = new Map(response.body.data.map((role: { name: string }) => [role.name, role]));
      expect([...byName.keys()]).toEqual(expect.arrayContaining(['Admin', 'Sales manager', 'Sales rep', 'Read only']));
      const manager = byName.get('Sales manager') as { id: string };
      expect(byName.get('Sales rep')).toMatchObject({ parentId: manager.id, recordAccess: 'own', isAdmin: false, memberCount: 2 });
      expect(byName.get('Admin')).toMatchObject({ isAdmin: true, recordAccess: 'all', permissions: { '*': { read: true, delete: true } } });
    });

    it('successful-create: should create a role in the shape of the issue, complete its permissions and audit it', async () => {
      const response = await t.request('POST', '/api/v1/roles', salesRep);

      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`/api/v1/roles/${response.body.id}`);
      expect(response.body).toMatchObject({
        name: 'Field rep',
        recordAccess: 'own',
        fields: { opportunity: { amount: 'readOnly' } },
        permissions: { person: salesRep.permissions.person, '*': { create: false, read: true, update: false, delete: false, export: false, import: false } },
        parentId: null,
        memberCount: 0,
        sharingRules: [],
      });
      expect((await t.request('GET', `/api/v1/roles/${response.body.id}`)).body.name).toBe('Field rep');
      expect(await auditActions()).toContain('role.created');
    });

    it('successful-update: should change a role, replace its sharing rules and audit the change', async () => {
      const created = (await t.request('POST', '/api/v1/roles', { ...salesRep, name: 'Berlin desk' })).body;
      const manager = (await t.request('GET', '/api/v1/roles')).body.data.find((role: { name: string }) => role.name === 'Sales manager');

      const response = await t.request('PATCH', `/api/v1/roles/${created.id}`, {
        recordAccess: 'team',
        parentId: manager.id,
        sharingRules: [{ name: 'German people', object: 'person', filter: { field: 'address.country', op: 'eq', value: 'DE' }, access: 'read' }],
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: 'Berlin desk', recordAccess: 'team', parentId: manager.id, fields: salesRep.fields });
      expect(response.body.sharingRules).toEqual([expect.objectContaining({ name: 'German people', object: 'person', access: 'read' })]);
      const rules = (await t.request('GET', `/api/v1/sharing-rules?object=person`)).body.data;
      expect(rules.filter((rule: { roleId: string }) => rule.roleId === created.id)).toHaveLength(1);
      expect(await auditActions()).toContain('role.updated');
    });

    it('failing-create: should answer 400 naming each unknown object, field and permission key', async () => {
      const response = await t.request('POST', '/api/v1/roles', {
        name: 'Broken',
        permissions: { spaceship: { read: true }, person: { read: true, fly: true } },
        fields: { opportunity: { costPrice: 'hidden' }, person: { email: 'invisible' } },
      });

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'permissions.person.fly', code: 'unknownField' })]));
      const semantic = await t.request('POST', '/api/v1/roles', { name: 'Broken', permissions: { spaceship: { read: true }, company: { update: true } }, fields: { opportunity: { costPrice: 'hidden' } } });
      expect(semantic.status).toBe(400);
      expect(semantic.body.code).toBe('INVALID_REQUEST');
      expect(semantic.body.errors.map((error: { field: string; code: string }) => `${error.field}:${error.code}`)).toEqual(
        expect.arrayContaining(['permissions.spaceship:unknownField', 'permissions.company.read:required', 'fields.opportunity.costPrice:unknownField']),
      );
    });

    it('failing-update: should refuse a parent that would make the hierarchy a loop', async () => {
      const roles = (await t.request('GET', '/api/v1/roles')).body.data;
      const rep = roles.find((role: { name: string }) => role.name === 'Sales rep');
      const manager = roles.find((role: { name: string }) => role.name === 'Sales manager');

      const response = await t.request('PATCH', `/api/v1/roles/${manager.id}`, { parentId: rep.id });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'parentId', code: 'invalidChoice' })]);
    });

    it('failing-create: should answer 409 ALREADY_EXISTS for a name in use', async () => {
      const response = await t.request('POST', '/api/v1/roles', { name: 'Admin' });

      expect(response.status).toBe(409);
      expect(response.body.code).toBe('ALREADY_EXISTS');
    });

    it('failing-delete: should answer 409 ROLE_IN_USE while members hold the role, and delete it once free', async () => {
      const roles = (await t.request('GET', '/api/v1/roles')).body.data;
      const held = roles.find((role: { name: string }) => role.name === 'Sales rep');
      const free = (await t.request('POST', '/api/v1/roles', { name: 'Temporary' })).body;

      const refused = await t.request('DELETE', `/api/v1/roles/${held.id}`);
      const deleted = await t.request('DELETE', `/api/v1/roles/${free.id}`);

      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('ROLE_IN_USE');
      expect(refused.body.detail).toContain('2 members');
      expect(deleted.status).toBe(204);
      expect((await t.request('GET', `/api/v1/roles/${free.id}`)).status).toBe(404);
      expect(await auditActions()).toContain('role.deleted');
    });

    it('failing-update: should refuse to take admin rights from the role of the last active administrators', async () => {
      const roles = (await t.request('GET', '/api/v1/roles')).body.data;
      const admin = roles.find((role: { name: string }) => role.name === 'Admin');
      const boss = await createTestUser(db(), { workspaceId: t.workspace.id, role: 'Admin' });
      const spare = (await t.request('POST', '/api/v1/roles', { name: 'Spare admins', isAdmin: true })).body;

      const refused = await t.request('PATCH', `/api/v1/roles/${admin.id}`, { isAdmin: false });
      await sql`update rapport.workspace_member set role_id = ${spare.id} where user_id = ${boss.id}`.execute(db());
      const changed = await t.request('PATCH', `/api/v1/roles/${admin.id}`, { isAdmin: false });

      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('last active administrators');
      expect(changed.status).toBe(200);
      // Put things back for the tests that follow.
      await sql`update rapport.workspace_member set role_id = ${admin.id} where user_id = ${boss.id}`.execute(db());
      expect((await t.request('PATCH', `/api/v1/roles/${admin.id}`, { isAdmin: true })).status).toBe(200);
    });

    it('failing-create: should answer 403 FORBIDDEN to a member who is not an admin, and let them read roles', async () => {
      const asRep = { authorization: `Bearer ${rep.token}` };

      const created = await t.request('POST', '/api/v1/roles', { name: 'Self-promoted', isAdmin: true }, asRep);
      const listed = await t.request('GET', '/api/v1/roles', undefined, asRep);

      expect(created.status).toBe(403);
      expect(created.body.code).toBe('FORBIDDEN');
      expect(listed.status).toBe(200);
    });
  });

  describe('teams', () => {
    it('successful-create: should create a team with members, change them and delete it', async () => {
      const created = await t.request('POST', '/api/v1/teams', { name: 'Berlin', memberIds: [rep.id] });

      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Berlin', memberIds: [rep.id] });
      const patched = await t.request('PATCH', `/api/v1/teams/${created.body.id}`, { memberIds: [rep.id, other.id], description: 'Berlin office' });
      expect(patched.body.memberIds).toEqual([rep.id, other.id].sort());
      expect(patched.body.description).toBe('Berlin office');
      expect((await t.request('GET', '/api/v1/teams')).body.data.map((team: { name: string }) => team.name)).toContain('Berlin');
      expect((await t.request('DELETE', `/api/v1/teams/${created.body.id}`)).status).toBe(204);
      expect((await t.request('GET', `/api/v1/teams/${created.body.id}`)).status).toBe(404);
      expect(await auditActions()).toEqual(expect.arrayContaining(['team.created', 'team.updated', 'team.deleted']));
    });

    it('failing-create: should answer 400 for members who are not in the workspace', async () => {
      const stranger = '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11';

      const response = await t.request('POST', '/api/v1/teams', { name: 'Ghosts', memberIds: [rep.id, stranger] });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'memberIds[1]', code: 'relationNotFound' })]);
    });
  });

  describe('territories and sharing rules', () => {
    it('successful-create: should create a territory whose rules are filters per object', async () => {
      const response = await t.request('POST', '/api/v1/territories', {
        name: 'DACH',
        rules: { company: { field: 'address.country', op: 'in', value: ['DE', 'AT', 'CH'] } },
        memberIds: [rep.id],
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: 'DACH', memberIds: [rep.id], rules: { company: { field: 'address.country', op: 'in' } } });
      const patched = await t.request('PATCH', `/api/v1/territories/${response.body.id}`, { rules: { person: { field: 'address.country', op: 'eq', value: 'AT' } } });
      expect(patched.body.rules).toEqual({ person: { field: 'address.country', op: 'eq', value: 'AT' } });
      expect(await auditActions()).toEqual(expect.arrayContaining(['territory.created', 'territory.updated']));
    });

    it('failing-create: should answer 400 for a territory rule on an unknown object or field', async () => {
      const response = await t.request('POST', '/api/v1/territories', {
        name: 'Nowhere',
        rules: { planet: { field: 'name', op: 'eq', value: 'Mars' }, company: { field: 'galaxy', op: 'eq', value: 'x' } },
      });

      expect(response.status).toBe(400);
      expect(response.body.errors.map((error: { field: string; code: string }) => `${error.field}:${error.code}`)).toEqual(['rules.planet:unknownField', 'rules.company:invalidQuery']);
    });

    it('successful-create: should share records of an object with a team, read-only by default', async () => {
      const team = (await t.request('POST', '/api/v1/teams', { name: 'Sharing team' })).body;

      const response = await t.request('POST', '/api/v1/sharing-rules', {
        name: 'German people to the team',
        object: 'person',
        filter: { field: 'address.country', op: 'eq', value: 'DE' },
        teamId: team.id,
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ object: 'person', teamId: team.id, roleId: null, access: 'read' });
      const patched = await t.request('PATCH', `/api/v1/sharing-rules/${response.body.id}`, { access: 'write' });
      expect(patched.body.access).toBe('write');
      expect((await t.request('DELETE', `/api/v1/sharing-rules/${response.body.id}`)).status).toBe(204);
      expect(await auditActions()).toEqual(expect.arrayContaining(['sharing_rule.created', 'sharing_rule.updated', 'sharing_rule.deleted']));
    });

    it('failing-create: should answer 400 for a rule with both a team and a role, or a bad filter', async () => {
      const team = (await t.request('POST', '/api/v1/teams', { name: 'Both team' })).body;
      const role = (await t.request('GET', '/api/v1/roles')).body.data[0];

      const both = await t.request('POST', '/api/v1/sharing-rules', { object: 'person', filter: { and: [] }, teamId: team.id, roleId: role.id });
      const badFilter = await t.request('POST', '/api/v1/sharing-rules', { object: 'person', filter: { field: 'salary', op: 'gt', value: 1 }, teamId: team.id });

      expect(both.status).toBe(400);
      expect(both.body.errors[0]).toMatchObject({ field: 'roleId', code: 'required' });
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.errors[0]).toMatchObject({ field: 'filter', code: 'invalidQuery' });
    });
  });

  it('should describe the role, team, territory and sharing-rule routes in the OpenAPI document', async () => {
    const paths = (await t.request('GET', '/api/v1/openapi.json')).body.paths;

    for (const base of ['roles', 'teams', 'territories', 'sharing-rules']) {
      expect(Object.keys(paths[`/api/v1/${base}`])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(Object.keys(paths[`/api/v1/${base}/{id}`])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    }
  });

  it("should create the OpenAPI document's example role as written, once opportunities have the custom costPrice field it names", async () => {
    const paths = (await t.request('GET', '/api/v1/openapi.json')).body.paths;
    const example = paths['/api/v1/roles'].post.requestBody.content['application/json'].example as Record<string, unknown>;
    expect((await t.request('POST', '/api/v1/metadata/objects/opportunity/fields', { name: 'costPrice', type: 'currency', label: 'Cost price' })).status).toBe(201);

    const created = await t.request('POST', '/api/v1/roles', example);

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: example.name, fields: { opportunity: { costPrice: 'hidden', amount: 'readOnly' } }, recordAccess: 'own' });
  });
});
