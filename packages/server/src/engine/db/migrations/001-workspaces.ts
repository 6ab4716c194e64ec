import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

export const workspacesMigration: Migration = {
  name: '001-workspaces',
  async up(db) {
    await sql`
      create table rapport.workspace (
        id uuid primary key,
        name text not null unique,
        schema_name text not null unique,
        timezone text not null default 'UTC',
        default_currency char(3) not null default 'EUR',
        metadata_version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    // Issue 3 grows users into full identities; owners and actors reference them from day one.
    await sql`
      create table rapport.user (
        id uuid primary key,
        email text not null unique,
        name text not null default '',
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table rapport.workspace_member (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        created_at timestamptz not null default now(),
        primary key (workspace_id, user_id)
      )`.execute(db);
    await sql`
      create table rapport.api_key (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        token_hash text not null unique,
        created_at timestamptz not null default now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`.execute(db);
    // The event outbox: appended in the writing transaction, read by consumers by id.
    await sql`
      create table rapport.event (
        id bigserial primary key,
        workspace_id uuid not null,
        type text not null,
        object text not null,
        record_id uuid not null,
        changed_fields text[] not null default '{}',
        payload jsonb not null,
        actor_id uuid,
        occurred_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index event_workspace_idx on rapport.event (workspace_id, id)`.execute(db);
  },
};
