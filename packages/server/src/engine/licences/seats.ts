import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, validationFailed } from '../errors.ts';
import { FALLBACK_LICENCE } from './licence-types.ts';

export interface MembershipLicenceOptions {
  workspaceId: string;
  userId: string;
  /** The licence the user will hold; null for none. */
  licence: string | null;
  /** The role the user will have; null for none. */
  roleId: string | null;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The licence to give a new member when none is named: the first one their role allows,
 * else Enterprise when the workspace has it.
 */
export const chooseLicence = async (db: Db, options: { workspaceId: string; roleId: string | null; licence?: string | null }): Promise<string | null> => {
  if (options.licence !== undefined) return options.licence;
  if (options.roleId) {
    const { rows } = await sql<{ licences: string[] }>`select licences from rapport.role where id = ${options.roleId} and workspace_id = ${options.workspaceId}`.execute(db);
    if (rows[0]?.licences[0]) return rows[0].licences[0];
  }
  const { rows } = await sql`select 1 from rapport.licence_type where workspace_id = ${options.workspaceId} and name = ${FALLBACK_LICENCE}`.execute(db);
  return rows.length > 0 ? FALLBACK_LICENCE : null;
};

/**
 * Checks that a user may hold `licence` with `roleId`: the licence exists, the role allows it, and a
 * named seat is free (the user's own seat counts as free). Call it inside the transaction that writes
 * the membership: it locks the licence row so two assignments cannot take the last seat twice.
 */
export const assertMembershipAllowed = async (db: Db, options: MembershipLicenceOptions): Promise<void> => {
  const { workspaceId, userId, licence, roleId } = options;
  if (licence !== null) {
    const { rows } = await sql<{ seats: number | null; concurrent: boolean }>`
      select seats, concurrent from rapport.licence_type where workspace_id = ${workspaceId} and name = ${licence} for update`.execute(db);
    const type = rows[0];
    if (!type) {
      const { rows: names } = await sql<{ name: string }>`select name from rapport.licence_type where workspace_id = ${workspaceId} order by name`.execute(db);
      const known = names.map((row) => row.name).join(', ');
      throw validationFailed([{ field: 'licence', code: 'invalidChoice', message: `No licence type "${licence}". Licence types: ${known}.` }], `No licence type "${licence}" in this workspace.`);
    }
    if (type.seats !== null && !type.concurrent) {
      const { rows: held } = await sql<{ n: number }>`select count(*)::int as n from rapport.workspace_member
        where workspace_id = ${workspaceId} and licence = ${licence} and status <> 'deactivated' and user_id <> ${userId}`.execute(db);
      const holders = held[0]?.n ?? 0;
      if (holders >= type.seats) {
        throw new AppError('SEAT_LIMIT_REACHED', `The ${licence} licence has ${plural(type.seats, 'named seat')} and all are held (${holders} of ${type.seats}). Free one (deactivate a user or change their licence) or raise the seat count.`, {
          errors: [{ field: 'licence', code: 'seatLimit', message: `${licence}: ${holders} of ${type.seats} named seats held.` }],
        });
      }
    }
  }
  if (roleId !== null) {
    const { rows } = await sql<{ name: string; licences: string[] }>`select name, licences from rapport.role where id = ${roleId} and workspace_id = ${workspaceId}`.execute(db);
    const role = rows[0];
    if (role && role.licences.length > 0 && (licence === null || !role.licences.includes(licence))) {
      throw new AppError('ROLE_LICENCE_MISMATCH', `The role ${role.name} can only be given to users with a ${role.licences.join(' or ')} licence; this user ${licence ? `holds ${licence}` : 'holds no licence'}.`, {
        errors: [{ field: 'roleId', code: 'licenceNotAllowed', message: `${role.name} needs one of these licences: ${role.licences.join(', ')}.` }],
      });
    }
  }
};

interface SeatRow {
  licence: string;
  seats: number | null;
  concurrent: boolean;
  idle_minutes: number;
}

interface HolderRow {
  user_id: string;
  email: string;
  name: string;
  last_seen_at: string;
}

/**
 * A sign-in takes a concurrent seat: when the user's licence limits how many people are signed in at
 * once and all seats are held, it fails naming the limit and the holders. Sessions idle for the
 * licence's idle time have released their seat: they are signed out here, so everyone signed in holds
 * a seat they were checked for. Called by createSession, the one door of every sign-in.
 */
export const assertConcurrentSeatFree = async (db: Db, options: { workspaceId: string; userId: string }): Promise<void> => {
  const { workspaceId, userId } = options;
  const { rows } = await sql<SeatRow>`
    select l.name as licence, l.seats, l.concurrent, l.idle_minutes from rapport.workspace_member m
    join rapport.licence_type l on l.workspace_id = m.workspace_id and l.name = m.licence
    where m.workspace_id = ${workspaceId} and m.user_id = ${userId}
    for update of l`.execute(db);
  const seat = rows[0];
  if (!seat || !seat.concurrent || seat.seats === null) return;
  await sql`update rapport.session s set revoked_at = now()
    from rapport.workspace_member m
    where m.workspace_id = s.workspace_id and m.user_id = s.user_id and m.licence = ${seat.licence}
      and s.workspace_id = ${workspaceId} and s.revoked_at is null
      and s.last_seen_at <= now() - make_interval(mins => ${seat.idle_minutes}::int)`.execute(db);
  const { rows: holders } = await sql<HolderRow>`
    select s.user_id, u.email, u.name, max(s.last_seen_at) as last_seen_at from rapport.session s
    join rapport.workspace_member m on m.workspace_id = s.workspace_id and m.user_id = s.user_id
    join rapport.user u on u.id = s.user_id
    where s.workspace_id = ${workspaceId} and m.licence = ${seat.licence} and m.status = 'active'
      and s.revoked_at is null and s.expires_at > now() and s.user_id <> ${userId}
    group by s.user_id, u.email, u.name
    order by max(s.last_seen_at) desc`.execute(db);
  if (holders.length < seat.seats) return;
  const names = holders.map((holder) => (holder.name ? `${holder.name} <${holder.email}>` : holder.email)).join(', ');
  throw new AppError('SEAT_LIMIT_REACHED', `All ${plural(seat.seats, 'concurrent seat')} of the ${seat.licence} licence are in use, by ${names}. A seat frees up when one of them signs out or after ${seat.idle_minutes} minutes without activity.`, {
    errors: [{ field: 'licence', code: 'seatLimit', message: `${seat.licence}: ${holders.length} of ${seat.seats} concurrent seats in use.` }],
  });
};

export interface MembershipChange {
  workspaceId: string;
  userId: string;
  /** Undefined keeps the current value. */
  roleId?: string | null;
  licence?: string | null;
  status?: 'invited' | 'active' | 'deactivated';
}

/**
 * The licence check of a membership change (users.service assignMembership calls it in its
 * transaction): returns the licence the member ends up with. A new member named no licence gets the
 * default one (chooseLicence). Named seats and role rules are checked when the licence or role changes
 * or a deactivated member comes back; a deactivated member holds no seat.
 */
export const checkMembershipLicence = async (db: Db, change: MembershipChange): Promise<string | null> => {
  const { workspaceId, userId } = change;
  const { rows } = await sql<{ role_id: string | null; licence: string | null; status: string }>`
    select role_id, licence, status from rapport.workspace_member where workspace_id = ${workspaceId} and user_id = ${userId} for update`.execute(db);
  const current = rows[0];
  const roleId = change.roleId !== undefined ? change.roleId : (current?.role_id ?? null);
  let licence = change.licence !== undefined ? change.licence : (current?.licence ?? null);
  if (!current && licence === null) licence = await chooseLicence(db, { workspaceId, roleId });
  const status = change.status ?? current?.status ?? 'active';
  if (status === 'deactivated') return licence;
  const isChanged = !current || licence !== current.licence || roleId !== current.role_id || current.status === 'deactivated';
  if (isChanged) await assertMembershipAllowed(db, { workspaceId, userId, licence, roleId });
  return licence;
};
