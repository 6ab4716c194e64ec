import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

export const jobsMigration: Migration = {
  name: '002-jobs',
  async up(db) {
    // Durable background work; see engine/jobs. Ids come from JS (crypto.randomUUID) so the SQL runs on PGlite and PostgreSQL 15.
    await sql`
      create table rapport.job (
        id uuid primary key,
        workspace_id uuid references rapport.workspace(id) on delete cascade,
        type text not null,
        payload jsonb not null default '{}',
        status text not null default 'queued'
          check (status in ('queued', 'running', 'completed', 'failed', 'cancelled')),
        priority integer not null default 0,
        attempts integer not null default 0,
        max_attempts integer not null default 5 check (max_attempts >= 1),
        run_at timestamptz not null default now(),
        locked_by text,
        locked_until timestamptz,
        progress jsonb,
        result jsonb,
        last_error text,
        key text unique,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        finished_at timestamptz
      )`.execute(db);
    // The poll query: queued jobs that are due, by priority.
    await sql`create index job_poll_idx on rapport.job (status, run_at, priority) where status = 'queued'`.execute(db);
    // Finding leases that expired (a worker killed mid-job).
    await sql`create index job_lease_idx on rapport.job (locked_until) where status = 'running'`.execute(db);
    await sql`create index job_workspace_idx on rapport.job (workspace_id, created_at)`.execute(db);

    await sql`
      create table rapport.job_schedule (
        name text primary key,
        cron text not null,
        type text not null,
        payload jsonb not null default '{}',
        timezone text not null default 'UTC',
        workspace_id uuid references rapport.workspace(id) on delete cascade,
        next_run_at timestamptz not null,
        last_run_at timestamptz,
        enabled boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index job_schedule_due_idx on rapport.job_schedule (next_run_at) where enabled`.execute(db);
  },
};
