import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Configuration as code (X11): each deployment of a configuration to a workspace is kept with the changes it
 * made and the configuration the workspace had before, so it can be rolled back. A sandbox is a workspace made
 * from another one (its production), to which it deploys.
 */
export const configurationSandboxesMigration: Migration = {
  name: '018-configuration-sandboxes',
  async up(db) {
    await sql`
      create table rapport.sandbox (
        id uuid primary key,
        workspace_id uuid not null unique references rapport.workspace(id) on delete cascade,
        source_workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        data text not null check (data in ('none', 'sample')),
        sample_size integer not null default 0,
        created_by uuid,
        created_at timestamptz not null default now(),
        last_deployed_at timestamptz
      )`.execute(db);
    await sql`create index sandbox_source_idx on rapport.sandbox (source_workspace_id, created_at)`.execute(db);
    await sql`
      create table rapport.configuration_deployment (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        source_kind text not null check (source_kind in ('sandbox', 'file')),
        sandbox_id uuid,
        source_name text,
        status text not null check (status in ('applied', 'rolledBack', 'failed')),
        changes jsonb not null default '[]',
        before_configuration jsonb,
        error text,
        created_by uuid,
        created_at timestamptz not null default now(),
        rolled_back_at timestamptz
      )`.execute(db);
    await sql`create index configuration_deployment_workspace_idx on rapport.configuration_deployment (workspace_id, created_at desc)`.execute(db);
  },
};
