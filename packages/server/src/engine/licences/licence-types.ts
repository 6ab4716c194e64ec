import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';

/**
 * What a licence can include. A request that succeeds counts the features its route declares (and `api`
 * for a user's key) as used, the ones the licence gate checked (feature-use.ts); work done outside a
 * request (a module's job) records its own with `recordFeatureUse`.
 */
export const LICENCE_FEATURES = [
  'records.read', 'records.write', 'search', 'metadata.admin', 'admin',
  'export', 'import', 'reports', 'automation', 'api', 'portal',
] as const;
export type LicenceFeature = (typeof LICENCE_FEATURES)[number];

/** A seat released by an idle session: no activity for this long frees a concurrent seat. */
export const DEFAULT_IDLE_MINUTES = 30;

export interface LicenceTypeDefinition {
  name: string;
  /** Named seats (or, with `concurrent`, people signed in at once); null = unlimited. */
  seats: number | null;
  concurrent: boolean;
  features: string[];
}

export interface LicenceType extends LicenceTypeDefinition {
  /** Named licences: members holding it. Concurrent licences: people signed in and active now. */
  used: number;
  idleMinutes: number;
}

const CORE = ['records.read', 'records.write', 'search'];

/** Every new workspace starts with these, unlimited; admins set the seats they pay for. */
export const DEFAULT_LICENCE_TYPES: LicenceTypeDefinition[] = [
  { name: 'Portal', seats: null, concurrent: false, features: ['portal'] },
  { name: 'Basic', seats: null, concurrent: false, features: CORE },
  { name: 'Professional', seats: null, concurrent: false, features: [...CORE, 'export', 'import', 'reports', 'api'] },
  { name: 'Enterprise', seats: null, concurrent: false, features: [...CORE, 'export', 'import', 'reports', 'api', 'automation', 'metadata.admin', 'admin'] },
];

/** The licence a member gets when none is named and their role allows any: the most complete default. */
export const FALLBACK_LICENCE = 'Enterprise';

export const createDefaultLicences = async (db: Db, workspaceId: string): Promise<void> => {
  for (const licence of DEFAULT_LICENCE_TYPES) {
    await sql`insert into rapport.licence_type (workspace_id, name, seats, concurrent, features)
      values (${workspaceId}, ${licence.name}, ${licence.seats}, ${licence.concurrent}, ${licence.features}::text[])
      on conflict (workspace_id, name) do nothing`.execute(db);
  }
};

interface LicenceRow {
  name: string;
  seats: number | null;
  concurrent: boolean;
  features: string[];
  idle_minutes: number;
  holders: number;
  signed_in: number;
}

/** The licence types of a workspace with their use, fewest features (the cheapest) first. */
export const listLicenceTypes = async (db: Db, workspaceId: string): Promise<LicenceType[]> => {
  const { rows } = await sql<LicenceRow>`
    select l.name, l.seats, l.concurrent, l.features, l.idle_minutes,
      (select count(*)::int from rapport.workspace_member m
        where m.workspace_id = l.workspace_id and m.licence = l.name and m.status <> 'deactivated') as holders,
      (select count(distinct s.user_id)::int from rapport.session s
        join rapport.workspace_member m on m.workspace_id = s.workspace_id and m.user_id = s.user_id
        where s.workspace_id = l.workspace_id and m.licence = l.name and m.status = 'active'
          and s.revoked_at is null and s.expires_at > now()
          and s.last_seen_at > now() - make_interval(mins => l.idle_minutes)) as signed_in
    from rapport.licence_type l where l.workspace_id = ${workspaceId}
    order by cardinality(l.features), l.name`.execute(db);
  return rows.map((row) => ({
    name: row.name,
    seats: row.seats,
    used: row.concurrent ? row.signed_in : row.holders,
    concurrent: row.concurrent,
    features: row.features,
    idleMinutes: row.idle_minutes,
  }));
};

export const findLicenceType = async (db: Db, workspaceId: string, name: string): Promise<LicenceType | undefined> =>
  (await listLicenceTypes(db, workspaceId)).find((licence) => licence.name === name);

export interface PutLicenceTypeOptions {
  workspaceId: string;
  name: string;
  seats?: number | null;
  concurrent?: boolean;
  features?: string[];
  idleMinutes?: number;
}

const checkFeatures = (features: string[]) => {
  const unknown = features.filter((feature) => !(LICENCE_FEATURES as readonly string[]).includes(feature));
  if (unknown.length > 0) {
    throw validationFailed(
      unknown.map((feature) => ({ field: 'features', code: 'invalidChoice', message: `Unknown feature "${feature}". Features: ${LICENCE_FEATURES.join(', ')}.` })),
      `Unknown licence feature${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
    );
  }
};

/** Creates or changes a licence type; returns whether it was created. Lowering named seats below the holders is refused. */
export const putLicenceType = async (db: Db, options: PutLicenceTypeOptions): Promise<{ created: boolean }> => {
  const name = options.name.trim();
  if (name.length < 1 || name.length > 60) {
    throw validationFailed([{ field: 'name', code: 'tooLong', message: 'A licence name has 1 to 60 characters.' }]);
  }
  if (options.features) checkFeatures(options.features);
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ seats: number | null; concurrent: boolean }>`
      select seats, concurrent from rapport.licence_type where workspace_id = ${options.workspaceId} and name = ${name} for update`.execute(trx);
    const current = rows[0];
    const seats = options.seats !== undefined ? options.seats : (current?.seats ?? null);
    const concurrent = options.concurrent ?? current?.concurrent ?? false;
    if (seats !== null && !concurrent) {
      const { rows: held } = await sql<{ n: number }>`select count(*)::int as n from rapport.workspace_member
        where workspace_id = ${options.workspaceId} and licence = ${name} and status <> 'deactivated'`.execute(trx);
      const holders = held[0]?.n ?? 0;
      if (holders > seats) {
        throw new AppError('CONFLICT', `${holders} users hold the ${name} licence: free ${holders - seats} of their seats (deactivate them or change their licence) before lowering it to ${seats} named seats.`, {
          errors: [{ field: 'seats', code: 'tooSmall', message: `At least ${holders}: the users who hold it now.` }],
        });
      }
    }
    if (!current) {
      await sql`insert into rapport.licence_type (workspace_id, name, seats, concurrent, features, idle_minutes)
        values (${options.workspaceId}, ${name}, ${seats}, ${concurrent}, ${options.features ?? []}::text[], ${options.idleMinutes ?? DEFAULT_IDLE_MINUTES})`.execute(trx);
      return { created: true };
    }
    await sql`update rapport.licence_type set seats = ${seats}, concurrent = ${concurrent},
        features = coalesce(${options.features ?? null}::text[], features), idle_minutes = coalesce(${options.idleMinutes ?? null}::int, idle_minutes)
      where workspace_id = ${options.workspaceId} and name = ${name}`.execute(trx);
    return { created: false };
  });
};
