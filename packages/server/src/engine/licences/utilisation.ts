import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { listLicenceTypes, type LicenceType } from './licence-types.ts';

export interface UtilisationRow {
  userId: string;
  email: string;
  name: string;
  status: string;
  licence: string | null;
  lastSignInAt: string | null;
  lastActiveAt: string | null;
  /** Whole days since the last activity (or since joining, for someone never active). */
  inactiveDays: number;
  /** Features used in the last `days` days (90 by default), by name. */
  featuresUsed: string[];
  /** Uses per feature in the last 30 and 90 days. */
  usage: { last30Days: Record<string, number>; last90Days: Record<string, number> };
  flaggedInactive: boolean;
  /** A licence with fewer features that still covers every feature used and the role allows; null when none. */
  suggestedLicence: string | null;
}

export interface UtilisationOptions {
  workspaceId: string;
  /** Flag users inactive for more than this many days. */
  inactiveDays: number;
  /** The window of `featuresUsed` and of downgrade suggestions, in days. */
  days: number;
}

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  status: string;
  licence: string | null;
  role_licences: string[] | null;
  last_sign_in_at: string | null;
  last_active_at: string | null;
  inactive_days: number;
}

interface UseRow {
  user_id: string;
  feature: string;
  uses_30: number;
  uses_90: number;
  uses_window: number;
}

const suggestLicence = (current: LicenceType | undefined, used: string[], roleLicences: string[], types: LicenceType[]): string | null => {
  if (!current || used.length === 0) return null;
  const candidates = types.filter(
    (type) =>
      type.features.length < current.features.length &&
      used.every((feature) => type.features.includes(feature)) &&
      (roleLicences.length === 0 || roleLicences.includes(type.name)),
  );
  candidates.sort((a, b) => a.features.length - b.features.length || a.name.localeCompare(b.name));
  return candidates[0]?.name ?? null;
};

/** One row per member (deactivated ones excepted): activity, licence, features used, flags and downgrade suggestions. */
export const getUtilisation = async (db: Db, options: UtilisationOptions): Promise<UtilisationRow[]> => {
  const { workspaceId } = options;
  const { rows: members } = await sql<MemberRow>`
    select m.user_id, u.email, u.name, m.status, m.licence, r.licences as role_licences, m.last_sign_in_at, m.last_active_at,
      floor(extract(epoch from (now() - coalesce(m.last_active_at, m.created_at))) / 86400)::int as inactive_days
    from rapport.workspace_member m
    join rapport.user u on u.id = m.user_id
    left join rapport.role r on r.id = m.role_id
    where m.workspace_id = ${workspaceId} and m.status <> 'deactivated'
    order by lower(u.email)`.execute(db);
  const { rows: uses } = await sql<UseRow>`
    select user_id, feature,
      coalesce(sum(uses) filter (where day > current_date - 30), 0)::int as uses_30,
      coalesce(sum(uses) filter (where day > current_date - 90), 0)::int as uses_90,
      coalesce(sum(uses) filter (where day > current_date - ${options.days}::int), 0)::int as uses_window
    from rapport.feature_use
    where workspace_id = ${workspaceId} and day > current_date - greatest(90, ${options.days}::int)
    group by user_id, feature
    order by feature`.execute(db);
  const types = await listLicenceTypes(db, workspaceId);
  const byUser = new Map<string, UseRow[]>();
  for (const use of uses) byUser.set(use.user_id, [...(byUser.get(use.user_id) ?? []), use]);
  return members.map((member) => {
    const mine = byUser.get(member.user_id) ?? [];
    const featuresUsed = mine.filter((use) => use.uses_window > 0).map((use) => use.feature);
    const current = types.find((type) => type.name === member.licence);
    return {
      userId: member.user_id,
      email: member.email,
      name: member.name,
      status: member.status,
      licence: member.licence,
      lastSignInAt: member.last_sign_in_at,
      lastActiveAt: member.last_active_at,
      inactiveDays: member.inactive_days,
      featuresUsed,
      usage: {
        last30Days: Object.fromEntries(mine.filter((use) => use.uses_30 > 0).map((use) => [use.feature, use.uses_30])),
        last90Days: Object.fromEntries(mine.filter((use) => use.uses_90 > 0).map((use) => [use.feature, use.uses_90])),
      },
      flaggedInactive: member.inactive_days > options.inactiveDays,
      suggestedLicence: suggestLicence(current, featuresUsed, member.role_licences ?? [], types),
    };
  });
};
