import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import { fetchAllUsers } from '../../api/queries.ts';
import type { Filter } from '../../api/types.ts';
import type { RecordAccess } from './role-model.ts';

/** A member of the workspace as `GET /api/v1/users` returns it. */
export interface Member {
  id: string;
  email: string;
  name: string | null;
  status: 'invited' | 'active' | 'deactivated';
  roleId: string | null;
  role: string | null;
  isAdmin: boolean;
  teamIds: string[];
  licence: string | null;
  lastActiveAt: string | null;
  lastSignInAt: string | null;
}

export interface Role {
  id: string;
  name: string;
  isAdmin: boolean;
  memberCount: number;
  recordAccess: RecordAccess;
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  userId: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  action: string;
  objectName: string | null;
  recordId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  /** `instance`: entries that belong to no workspace (for the administrators of the instance's first workspace). */
  scope?: 'workspace' | 'instance';
  action?: string;
  userId?: string;
  from?: string;
  to?: string;
}

export const settingsKeys = {
  members: ['settings', 'members'] as const,
  roles: ['settings', 'roles'] as const,
  teams: ['settings', 'teams'] as const,
  licences: ['settings', 'licences'] as const,
  apiKeys: ['settings', 'apikeys'] as const,
  audit: (filter: AuditFilter) => ['settings', 'audit', filter] as const,
};

/** Every member, all pages (`pageInfo.nextAfter`). */
export const useMembers = () =>
  useQuery({
    queryKey: settingsKeys.members,
    queryFn: ({ signal }) => fetchAllUsers<Member>(signal),
  });

export const useRoles = () => useQuery({ queryKey: settingsKeys.roles, queryFn: async ({ signal }) => (await api.get<{ data: Role[] }>('/roles', undefined, signal)).data });

export const useTeams = () => useQuery({ queryKey: settingsKeys.teams, queryFn: async ({ signal }) => (await api.get<{ data: Team[] }>('/teams', undefined, signal)).data });

export const useLicenceTypes = () =>
  useQuery({ queryKey: settingsKeys.licences, queryFn: async ({ signal }) => (await api.get<{ types: { name: string }[] }>('/licences', undefined, signal)).types.map((type) => type.name) });

export const useApiKeys = () =>
  useQuery({ queryKey: settingsKeys.apiKeys, queryFn: async ({ signal }) => (await api.get<{ data: ApiKey[] }>('/apikeys', { includeRevoked: true }, signal)).data });

/** The audit log, newest first, 50 entries a page. */
export const useAuditLog = (filter: AuditFilter) =>
  useInfiniteQuery({
    queryKey: settingsKeys.audit(filter),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      api.get<{ data: AuditEntry[]; pageInfo: { hasNextPage: boolean; nextCursor: string | null } }>('/audit', { ...auditQuery(filter), limit: 50, cursor: pageParam }, signal),
    getNextPageParam: (last) => (last.pageInfo.hasNextPage ? (last.pageInfo.nextCursor ?? undefined) : undefined),
  });

/**
 * Whether the person may read the instance-level audit log: the API says so by answering it (a 403
 * for administrators of other workspaces), so the scope switch is shown only to its readers.
 */
export const useCanReadInstanceAudit = () =>
  useQuery({
    queryKey: ['settings', 'audit', 'instance-access'],
    queryFn: async ({ signal }) => {
      try {
        await api.get('/audit', { scope: 'instance', limit: 1 }, signal);
        return true;
      } catch (error) {
        if (isApiError(error) && error.status === 403) return false;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });

/** The audit filter as query parameters: empty values left out; a `to` day includes that whole day. */
export const auditQuery = (filter: AuditFilter): Record<string, string> => {
  const query: Record<string, string> = {};
  if (filter.scope === 'instance') query.scope = 'instance';
  if (filter.action?.trim()) query.action = filter.action.trim();
  if (filter.userId) query.userId = filter.userId;
  if (filter.from) query.from = filter.from;
  if (filter.to) query.to = nextDay(filter.to);
  return query;
};

/** `2026-01-31` → `2026-02-01` (calendar arithmetic in UTC, no time zone shift). */
export const nextDay = (day: string): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

/** The JSON lines export of the audit log with the same filters, as a link. */
export const auditExportUrl = (filter: AuditFilter): string => {
  const text = new URLSearchParams(auditQuery(filter)).toString();
  return `/api/v1/audit/export${text ? `?${text}` : ''}`;
};

/** The scopes an API key can have: everything, then read and write per object. */
export const scopeOptions = (objects: readonly string[]): string[] => ['read:*', 'write:*', ...objects.flatMap((name) => [`read:${name}`, `write:${name}`]), 'admin'];

export interface LicenceType {
  name: string;
  seats: number | null;
  used: number;
  concurrent: boolean;
  features: string[];
  idleMinutes: number;
}

export interface UtilisationRow {
  userId: string;
  email: string;
  name: string;
  status: 'invited' | 'active';
  licence: string | null;
  lastSignInAt: string | null;
  lastActiveAt: string | null;
  inactiveDays: number;
  featuresUsed: string[];
  flaggedInactive: boolean;
  suggestedLicence: string | null;
}

export interface Territory {
  id: string;
  name: string;
  rules: Record<string, Filter>;
  memberIds: string[];
}

export interface SharingRule {
  id: string;
  name: string;
  object: string;
  filter: Filter;
  teamId: string | null;
  roleId: string | null;
  access: 'read' | 'write';
}

export interface SsoProvider {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string;
  roleClaim: string | null;
  roleMapping: Record<string, string>;
  defaultRoleId: string | null;
  defaultLicence: string | null;
  createUsers: boolean;
  enabled: boolean;
  startUrl: string;
  redirectUri: string;
}

export const adminKeys = {
  licenceTypes: ['settings', 'licence-types'] as const,
  utilisation: (inactiveDays: number) => ['settings', 'utilisation', inactiveDays] as const,
  territories: ['settings', 'territories'] as const,
  sharingRules: ['settings', 'sharing-rules'] as const,
  ssoProviders: ['settings', 'sso'] as const,
};

export const useLicenceDetails = () =>
  useQuery({ queryKey: adminKeys.licenceTypes, queryFn: async ({ signal }) => (await api.get<{ types: LicenceType[] }>('/licences', undefined, signal)).types });

export const useUtilisation = (inactiveDays: number) =>
  useQuery({ queryKey: adminKeys.utilisation(inactiveDays), queryFn: async ({ signal }) => (await api.get<{ data: UtilisationRow[] }>('/licences/utilisation', { inactiveDays }, signal)).data });

export const useTerritories = () =>
  useQuery({ queryKey: adminKeys.territories, queryFn: async ({ signal }) => (await api.get<{ data: Territory[] }>('/territories', undefined, signal)).data });

export const useSharingRules = () =>
  useQuery({ queryKey: adminKeys.sharingRules, queryFn: async ({ signal }) => (await api.get<{ data: SharingRule[] }>('/sharing-rules', undefined, signal)).data });

export const useSsoProviders = () =>
  useQuery({ queryKey: adminKeys.ssoProviders, queryFn: async ({ signal }) => (await api.get<{ data: SsoProvider[] }>('/sso/providers', undefined, signal)).data });
