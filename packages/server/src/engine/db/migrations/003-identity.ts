import { sql } from 'kysely';
import { createDefaultRoles } from '../../permissions/default-roles.ts';
import type { Migration } from '../migrate.ts';

/**
 * Identity, permissions, licences and the audit log (issue 3). Users are global (one person, many
 * workspaces); everything that grants access is per workspace. Secrets are stored hashed (tokens,
 * passwords, recovery codes) or encrypted (TOTP and OIDC client secrets, see engine/identity/secret-box.ts).
 */
export const identityMigration: Migration = {
  name: '003-identity',
  async up(db) {
    await sql`alter table rapport.workspace
      add column require_two_factor boolean not null default false,
      add column settings jsonb not null default '{}'`.execute(db);

    await sql`alter table rapport.user
      add column password_hash text,
      add column password_changed_at timestamptz,
      add column totp_secret text,
      add column totp_pending_secret text,
      add column totp_enabled_at timestamptz,
      add column locale text not null default 'en',
      add column updated_at timestamptz not null default now()`.execute(db);
    await sql`create unique index user_email_lower_idx on rapport.user (lower(email))`.execute(db);

    // Roles: object, field and record permissions; parent_id is the role this one reports to (the hierarchy).
    await sql`
      create table rapport.role (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        description text not null default '',
        parent_id uuid references rapport.role(id) on delete set null,
        is_admin boolean not null default false,
        permissions jsonb not null default '{}',
        fields jsonb not null default '{}',
        record_access text not null default 'own'
          check (record_access in ('own', 'team', 'teamAndSubordinates', 'territory', 'all')),
        require_two_factor boolean not null default false,
        licences text[] not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (workspace_id, name)
      )`.execute(db);

    await sql`
      create table rapport.team (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        description text not null default '',
        created_at timestamptz not null default now(),
        unique (workspace_id, name)
      )`.execute(db);
    await sql`
      create table rapport.team_member (
        team_id uuid not null references rapport.team(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        primary key (team_id, user_id)
      )`.execute(db);
    await sql`create index team_member_user_idx on rapport.team_member (workspace_id, user_id)`.execute(db);

    // A territory is a set of filters per object ({"company": <filter>, "person": <filter>}) and its members.
    await sql`
      create table rapport.territory (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        rules jsonb not null default '{}',
        created_at timestamptz not null default now(),
        unique (workspace_id, name)
      )`.execute(db);
    await sql`
      create table rapport.territory_member (
        territory_id uuid not null references rapport.territory(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        primary key (territory_id, user_id)
      )`.execute(db);

    // "Records of <object> matching <filter> are shared <access> with <team | role>".
    await sql`
      create table rapport.sharing_rule (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null default '',
        object text not null,
        filter jsonb not null,
        team_id uuid references rapport.team(id) on delete cascade,
        role_id uuid references rapport.role(id) on delete cascade,
        access text not null default 'read' check (access in ('read', 'write')),
        created_at timestamptz not null default now(),
        check ((team_id is null) <> (role_id is null))
      )`.execute(db);

    await sql`
      create table rapport.licence_type (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        seats integer check (seats is null or seats >= 0),
        concurrent boolean not null default false,
        features text[] not null default '{}',
        created_at timestamptz not null default now(),
        primary key (workspace_id, name)
      )`.execute(db);

    await sql`alter table rapport.workspace_member
      add column role_id uuid references rapport.role(id) on delete set null,
      add column licence text,
      add column status text not null default 'active' check (status in ('invited', 'active', 'deactivated')),
      add column last_sign_in_at timestamptz,
      add column last_active_at timestamptz,
      add column deactivated_at timestamptz`.execute(db);

    await sql`
      create table rapport.session (
        id uuid primary key,
        user_id uuid not null references rapport.user(id) on delete cascade,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        token_hash text not null unique,
        two_factor_verified boolean not null default false,
        via text not null default 'password',
        ip text,
        user_agent text,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz
      )`.execute(db);
    await sql`create index session_user_idx on rapport.session (user_id)`.execute(db);
    await sql`create index session_live_idx on rapport.session (workspace_id, last_seen_at) where revoked_at is null`.execute(db);

    // Keys made before scopes existed were workspace admin keys (the CLI's `apikey create`).
    await sql`alter table rapport.api_key
      add column user_id uuid references rapport.user(id) on delete cascade,
      add column created_by uuid references rapport.user(id) on delete set null,
      add column scopes text[] not null default '{admin}'`.execute(db);

    await sql`
      create table rapport.recovery_code (
        id uuid primary key,
        user_id uuid not null references rapport.user(id) on delete cascade,
        code_hash text not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index recovery_code_user_idx on rapport.recovery_code (user_id)`.execute(db);

    await sql`
      create table rapport.invitation (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        token_hash text not null unique,
        invited_by uuid references rapport.user(id) on delete set null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        accepted_at timestamptz,
        revoked_at timestamptz
      )`.execute(db);

    await sql`
      create table rapport.password_reset (
        id uuid primary key,
        user_id uuid not null references rapport.user(id) on delete cascade,
        token_hash text not null unique,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz
      )`.execute(db);

    await sql`
      create table rapport.oidc_provider (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        issuer text not null,
        client_id text not null,
        client_secret text,
        scopes text not null default 'openid email profile',
        role_claim text,
        role_mapping jsonb not null default '{}',
        default_role_id uuid references rapport.role(id) on delete set null,
        default_licence text,
        create_users boolean not null default true,
        enabled boolean not null default true,
        created_at timestamptz not null default now(),
        unique (workspace_id, name)
      )`.execute(db);

    // Fixed windows per key (ip:..., user:..., key:...): shared by every server, cheap to prune.
    await sql`
      create table rapport.rate_limit (
        key text primary key,
        hits integer not null,
        reset_at timestamptz not null
      )`.execute(db);

    // One row per user, feature and day: the licence utilisation report reads it.
    await sql`
      create table rapport.feature_use (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        feature text not null,
        day date not null,
        uses integer not null default 1,
        primary key (workspace_id, user_id, feature, day)
      )`.execute(db);

    await sql`
      create table rapport.audit_log (
        id bigserial primary key,
        workspace_id uuid,
        at timestamptz not null default now(),
        actor_id uuid,
        action text not null,
        object_name text,
        record_id text,
        ip text,
        user_agent text,
        details jsonb not null default '{}'
      )`.execute(db);
    await sql`create index audit_log_workspace_idx on rapport.audit_log (workspace_id, id desc)`.execute(db);
    await sql`create index audit_log_action_idx on rapport.audit_log (workspace_id, action, id desc)`.execute(db);
    // Append-only: rows are never changed; whole workspaces go with "on delete" of the workspace only.
    await sql`
      create function rapport.audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'the audit log is append-only';
      end $$`.execute(db);
    await sql`
      create trigger audit_log_append_only before update on rapport.audit_log
      for each row execute function rapport.audit_log_append_only()`.execute(db);

    // Workspaces made before roles existed get the default roles; their members become admins.
    const { rows } = await sql<{ id: string }>`select id from rapport.workspace`.execute(db);
    for (const workspace of rows) {
      const roles = await createDefaultRoles(db, workspace.id);
      await sql`update rapport.workspace_member set role_id = ${roles.get('Admin')!} where workspace_id = ${workspace.id}`.execute(db);
    }
  },
};
