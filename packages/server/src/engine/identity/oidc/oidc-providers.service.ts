import { randomUUID } from 'node:crypto';
import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError, validationFailed } from '../../errors.ts';
import type { SecretBox } from '../secret-box.ts';

/** An OpenID Connect provider of a workspace, as the admin API shows it (never its client secret). */
export interface OidcProvider {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string;
  /** A claim (a dotted path for nested ones, e.g. `realm_access.roles`) holding a value or a list of values. */
  roleClaim: string | null;
  /** Claim value → role id; the first value of the claim that maps wins. */
  roleMapping: Record<string, string>;
  defaultRoleId: string | null;
  defaultLicence: string | null;
  /** Create an account (just in time) for someone the provider vouches for who has none in the workspace. */
  createUsers: boolean;
  enabled: boolean;
  createdAt: string;
}

/** The provider with what the sign-in flow needs: the client secret, opened. */
export interface OidcProviderWithSecret extends OidcProvider {
  workspaceId: string;
  clientSecret: string | null;
}

export interface OidcProviderInput {
  name?: string;
  issuer?: string;
  clientId?: string;
  clientSecret?: string | null;
  scopes?: string;
  roleClaim?: string | null;
  roleMapping?: Record<string, string>;
  defaultRoleId?: string | null;
  defaultLicence?: string | null;
  createUsers?: boolean;
  enabled?: boolean;
}

interface ProviderRow {
  id: string;
  workspace_id: string;
  name: string;
  issuer: string;
  client_id: string;
  client_secret: string | null;
  scopes: string;
  role_claim: string | null;
  role_mapping: Record<string, string>;
  default_role_id: string | null;
  default_licence: string | null;
  create_users: boolean;
  enabled: boolean;
  created_at: string;
}

const toProvider = (row: ProviderRow): OidcProvider => ({
  id: row.id,
  name: row.name,
  issuer: row.issuer,
  clientId: row.client_id,
  hasClientSecret: row.client_secret !== null,
  scopes: row.scopes,
  roleClaim: row.role_claim,
  roleMapping: row.role_mapping,
  defaultRoleId: row.default_role_id,
  defaultLicence: row.default_licence,
  createUsers: row.create_users,
  enabled: row.enabled,
  createdAt: row.created_at,
});

export const PROVIDER_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Plain http is for a provider on this machine (development, tests); anything else must be https. */
export const isLoopbackHttp = (url: URL) => url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname);

const checkIssuer = (issuer: string, errors: FieldError[]) => {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    errors.push({ field: 'issuer', code: 'invalidUrl', message: 'The issuer URL, e.g. https://login.example.com/realms/acme.' });
    return;
  }
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) errors.push({ field: 'issuer', code: 'invalidUrl', message: 'The issuer must use https (http only on this machine).' });
  if (url.search || url.hash) errors.push({ field: 'issuer', code: 'invalidUrl', message: 'The issuer has no query string or fragment.' });
};

const checkInput = async (db: Db, workspaceId: string, input: OidcProviderInput): Promise<void> => {
  const errors: FieldError[] = [];
  if (input.name !== undefined && !PROVIDER_NAME.test(input.name)) {
    errors.push({ field: 'name', code: 'invalidFormat', message: 'Lower-case letters, digits and dashes (it appears in the sign-in URL), e.g. "okta".' });
  }
  if (input.issuer !== undefined) checkIssuer(input.issuer, errors);
  if (input.scopes !== undefined && !input.scopes.split(/\s+/).includes('openid')) {
    errors.push({ field: 'scopes', code: 'invalidFormat', message: 'Space-separated scopes that include "openid".' });
  }
  const roleIds = [...Object.values(input.roleMapping ?? {}), ...(input.defaultRoleId ? [input.defaultRoleId] : [])];
  const badIds = roleIds.filter((id) => !UUID.test(id));
  const { rows } = roleIds.length > badIds.length
    ? await sql<{ id: string }>`select id from rapport.role where workspace_id = ${workspaceId} and id = any(${roleIds.filter((id) => UUID.test(id))}::uuid[])`.execute(db)
    : { rows: [] };
  const known = new Set(rows.map((row) => row.id));
  for (const [value, roleId] of Object.entries(input.roleMapping ?? {})) {
    if (!known.has(roleId)) errors.push({ field: `roleMapping.${value}`, code: 'relationNotFound', message: `No role ${roleId} in this workspace.` });
  }
  if (input.defaultRoleId && !known.has(input.defaultRoleId)) errors.push({ field: 'defaultRoleId', code: 'relationNotFound', message: `No role ${input.defaultRoleId} in this workspace.` });
  if (input.defaultLicence) {
    const { rows: licences } = await sql`select 1 from rapport.licence_type where workspace_id = ${workspaceId} and name = ${input.defaultLicence}`.execute(db);
    if (licences.length === 0) errors.push({ field: 'defaultLicence', code: 'invalidChoice', message: `No licence type "${input.defaultLicence}" in this workspace.` });
  }
  if (errors.length > 0) throw validationFailed(errors);
};

const notFound = (id: string) => new AppError('RECORD_NOT_FOUND', `No single sign-on provider ${id} in this workspace.`);

const nameTaken = (name: string) =>
  new AppError('ALREADY_EXISTS', `A single sign-on provider named "${name}" already exists.`, { errors: [{ field: 'name', code: 'unique', message: 'Already used.' }] });

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export const listOidcProviders = async (db: Db, workspaceId: string): Promise<OidcProvider[]> => {
  const { rows } = await sql<ProviderRow>`select * from rapport.oidc_provider where workspace_id = ${workspaceId} order by name`.execute(db);
  return rows.map(toProvider);
};

export const getOidcProvider = async (db: Db, workspaceId: string, id: string): Promise<OidcProvider> => {
  const { rows } = UUID.test(id) ? await sql<ProviderRow>`select * from rapport.oidc_provider where workspace_id = ${workspaceId} and id = ${id}`.execute(db) : { rows: [] };
  if (!rows[0]) throw notFound(id);
  return toProvider(rows[0]);
};

export const createOidcProvider = async (db: Db, options: { workspaceId: string; input: Required<Pick<OidcProviderInput, 'name' | 'issuer' | 'clientId'>> & OidcProviderInput; secretBox: SecretBox }) => {
  const { workspaceId, input, secretBox } = options;
  await checkInput(db, workspaceId, input);
  const id = randomUUID();
  try {
    await sql`insert into rapport.oidc_provider (id, workspace_id, name, issuer, client_id, client_secret, scopes, role_claim, role_mapping,
        default_role_id, default_licence, create_users, enabled)
      values (${id}, ${workspaceId}, ${input.name}, ${input.issuer}, ${input.clientId}, ${input.clientSecret ? secretBox.seal(input.clientSecret) : null},
        ${input.scopes ?? 'openid email profile'}, ${input.roleClaim ?? null}, ${JSON.stringify(input.roleMapping ?? {})}::jsonb,
        ${input.defaultRoleId ?? null}, ${input.defaultLicence ?? null}, ${input.createUsers ?? true}, ${input.enabled ?? true})`.execute(db);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
  return getOidcProvider(db, workspaceId, id);
};

export const updateOidcProvider = async (db: Db, options: { workspaceId: string; id: string; patch: OidcProviderInput; secretBox: SecretBox }) => {
  const { workspaceId, id, patch, secretBox } = options;
  await getOidcProvider(db, workspaceId, id);
  await checkInput(db, workspaceId, patch);
  const set = (column: string, value: unknown) => sql`${sql.id(column)} = ${value}`;
  const changes = [
    patch.name !== undefined && set('name', patch.name),
    patch.issuer !== undefined && set('issuer', patch.issuer),
    patch.clientId !== undefined && set('client_id', patch.clientId),
    patch.clientSecret !== undefined && set('client_secret', patch.clientSecret ? secretBox.seal(patch.clientSecret) : null),
    patch.scopes !== undefined && set('scopes', patch.scopes),
    patch.roleClaim !== undefined && set('role_claim', patch.roleClaim),
    patch.roleMapping !== undefined && sql`role_mapping = ${JSON.stringify(patch.roleMapping)}::jsonb`,
    patch.defaultRoleId !== undefined && set('default_role_id', patch.defaultRoleId),
    patch.defaultLicence !== undefined && set('default_licence', patch.defaultLicence),
    patch.createUsers !== undefined && set('create_users', patch.createUsers),
    patch.enabled !== undefined && set('enabled', patch.enabled),
  ].filter((change) => change !== false);
  if (changes.length > 0) {
    try {
      await sql`update rapport.oidc_provider set ${sql.join(changes)} where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(patch.name ?? '');
      throw error;
    }
  }
  return getOidcProvider(db, workspaceId, id);
};

export const deleteOidcProvider = async (db: Db, workspaceId: string, id: string): Promise<void> => {
  const { rows } = UUID.test(id) ? await sql`delete from rapport.oidc_provider where workspace_id = ${workspaceId} and id = ${id} returning id`.execute(db) : { rows: [] };
  if (rows.length === 0) throw notFound(id);
};

/** The enabled provider a sign-in starts with, found by workspace and provider name (both from the URL). */
export const findEnabledProvider = async (db: Db, options: { workspaceName: string; providerName: string; secretBox: SecretBox }): Promise<OidcProviderWithSecret> => {
  const { rows } = await sql<ProviderRow>`select p.* from rapport.oidc_provider p join rapport.workspace w on w.id = p.workspace_id
    where lower(w.name) = lower(${options.workspaceName}) and p.name = ${options.providerName} and p.enabled`.execute(db);
  if (!rows[0]) throw new AppError('SSO_PROVIDER_NOT_FOUND', `The workspace "${options.workspaceName}" has no enabled single sign-on provider "${options.providerName}".`);
  return withSecret(rows[0], options.secretBox);
};

/** The provider a callback returns to, by id (from the sealed flow cookie). */
export const findProviderById = async (db: Db, options: { id: string; secretBox: SecretBox }): Promise<OidcProviderWithSecret | undefined> => {
  const { rows } = await sql<ProviderRow>`select * from rapport.oidc_provider where id = ${options.id} and enabled`.execute(db);
  return rows[0] ? withSecret(rows[0], options.secretBox) : undefined;
};

const withSecret = (row: ProviderRow, secretBox: SecretBox): OidcProviderWithSecret => ({
  ...toProvider(row),
  workspaceId: row.workspace_id,
  clientSecret: row.client_secret ? secretBox.open(row.client_secret) : null,
});
