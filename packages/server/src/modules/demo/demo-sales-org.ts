import { randomUUID } from 'node:crypto';
import type { ObjectPermissions } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.ts';

const REGIONS = ['EMEA', 'Americas', 'APAC'] as const;
const REPS_PER_REGION = 5;
const VP_ROLE = 'VP Sales';

const PEOPLE = [
  'Clara Weber', 'Marco Bianchi', 'Sofia Lindqvist', 'Jonas Schmidt', 'Amélie Laurent', 'Tomás Herrera', 'Nadia Haddad',
  'Daniel Brooks', 'Grace Kim', 'Lucas Oliveira', 'Emily Carter', 'Diego Ramírez', 'Hannah Fischer', 'Kenji Sato',
  'Priya Nair', 'Liam O\'Connor', 'Mei Chen', 'Arjun Mehta', 'Chloé Martin', 'Oskar Nowak',
];

const SELLER: ObjectPermissions = { create: true, read: true, update: true, delete: false, export: false, import: false };
const MANAGER: ObjectPermissions = { create: true, read: true, update: true, delete: true, export: true, import: true };
const READER: ObjectPermissions = { create: false, read: true, update: false, delete: false, export: false, import: false };

export type DemoSalesRole = 'vp' | 'manager' | 'rep' | 'operations';

export interface DemoSeller {
  id: string;
  name: string;
  email: string;
  role: DemoSalesRole;
  region: string | null;
}

/** A small sales organisation: a VP, a manager and five reps per region (teams and a role hierarchy), and sales operations. */
export interface DemoSalesOrg {
  members: DemoSeller[];
  /** Who owns seeded records: every seller but sales operations. */
  ownerIds: string[];
}

interface RoleSpec {
  name: string;
  parent: string | null;
  recordAccess: 'own' | 'teamAndSubordinates' | 'all';
  permissions: ObjectPermissions;
}

const roleSpecs = (): RoleSpec[] => [
  { name: VP_ROLE, parent: null, recordAccess: 'teamAndSubordinates', permissions: MANAGER },
  ...REGIONS.flatMap((region): RoleSpec[] => [
    { name: `Sales manager ${region}`, parent: VP_ROLE, recordAccess: 'teamAndSubordinates', permissions: MANAGER },
    { name: `Sales rep ${region}`, parent: `Sales manager ${region}`, recordAccess: 'own', permissions: SELLER },
  ]),
  { name: 'Sales operations', parent: null, recordAccess: 'all', permissions: READER },
];

const slug = (name: string) => name.normalize('NFD').replace(/[^A-Za-z ]/g, '').toLowerCase().replace(/ +/g, '.');

const readOrg = async (db: Db, workspaceId: string): Promise<DemoSalesOrg | undefined> => {
  const { rows } = await sql<{ id: string; name: string; email: string; role: string }>`
    select u.id, u.name, u.email, r.name as role from rapport.workspace_member m
    join rapport.user u on u.id = m.user_id join rapport.role r on r.id = m.role_id
    where m.workspace_id = ${workspaceId} and u.email like ${'%@demo-sales.example.com'}
    order by u.email`.execute(db);
  if (rows.length === 0) return undefined;
  const members = rows.map((row): DemoSeller => {
    const [, kind, region] = /^(VP Sales|Sales manager|Sales rep|Sales operations)(?: (.+))?$/.exec(row.role) ?? [];
    const role: DemoSalesRole = kind === 'VP Sales' ? 'vp' : kind === 'Sales manager' ? 'manager' : kind === 'Sales rep' ? 'rep' : 'operations';
    return { id: row.id, name: row.name, email: row.email, role, region: region ?? null };
  });
  return { members, ownerIds: members.filter((member) => member.role !== 'operations').map((member) => member.id) };
};

/**
 * The demo's sales organisation, created once per workspace (a second seed reuses it): roles
 * `VP Sales` → `Sales manager <region>` → `Sales rep <region>`, one team per region, and 20 users
 * without a password (they own records; an admin can invite them). Written straight to the tables
 * in one transaction, like the seeder's records.
 */
export const ensureDemoSalesOrg = async (db: Db, workspaceId: string): Promise<DemoSalesOrg> => {
  const existing = await readOrg(db, workspaceId);
  if (existing) return existing;
  const tag = workspaceId.slice(0, 8);
  // Every id is chosen here, so each table takes one multi-row insert (seeding is benchmarked).
  const specs = roleSpecs();
  const roleIds = new Map(specs.map((spec) => [spec.name, randomUUID()] as const));
  const teams = REGIONS.map((region) => ({ id: randomUUID(), region }));
  const names = [...PEOPLE];
  const members: (DemoSeller & { roleName: string; licence: string; teamId: string | null })[] = [];
  const add = (role: DemoSalesRole, roleName: string, region: string | null, licence: string, teamId: string | null = null) => {
    const name = names.shift()!;
    members.push({ id: randomUUID(), name, email: `${slug(name)}.${tag}@demo-sales.example.com`, role, region, roleName, licence, teamId });
  };
  add('vp', VP_ROLE, null, 'Enterprise');
  for (const team of teams) {
    add('manager', `Sales manager ${team.region}`, team.region, 'Enterprise', team.id);
    for (let rep = 0; rep < REPS_PER_REGION; rep++) add('rep', `Sales rep ${team.region}`, team.region, 'Professional', team.id);
  }
  add('operations', 'Sales operations', null, 'Basic');

  await db.transaction().execute(async (trx) => {
    // Parents come first in the list, and one statement checks its foreign keys at its end.
    await sql`insert into rapport.role (id, workspace_id, name, description, is_admin, permissions, record_access, parent_id) values ${sql.join(
      specs.map((spec) => sql`(${roleIds.get(spec.name)!}, ${workspaceId}, ${spec.name}, ${'Demo sales organisation.'}, false,
        ${JSON.stringify({ '*': spec.permissions })}::jsonb, ${spec.recordAccess}, ${spec.parent ? roleIds.get(spec.parent)! : null}::uuid)`),
    )}`.execute(trx);
    await sql`insert into rapport.team (id, workspace_id, name, description) values ${sql.join(
      teams.map((team) => sql`(${team.id}, ${workspaceId}, ${`Sales ${team.region}`}, ${'Demo sales team.'})`),
    )}`.execute(trx);
    await sql`insert into rapport.user (id, email, name) values ${sql.join(members.map((member) => sql`(${member.id}, ${member.email}, ${member.name})`))}`.execute(trx);
    await sql`insert into rapport.workspace_member (workspace_id, user_id, role_id, licence, status) values ${sql.join(
      members.map((member) => sql`(${workspaceId}, ${member.id}, ${roleIds.get(member.roleName)!}, ${member.licence}, 'active')`),
    )}`.execute(trx);
    await sql`insert into rapport.team_member (team_id, user_id, workspace_id) values ${sql.join(
      members.filter((member) => member.teamId).map((member) => sql`(${member.teamId}, ${member.id}, ${workspaceId})`),
    )}`.execute(trx);
  });
  const sellers = members.map(({ id, name, email, role, region }): DemoSeller => ({ id, name, email, role, region }));
  return { members: sellers, ownerIds: sellers.filter((member) => member.role !== 'operations').map((member) => member.id) };
};
