import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Backups (engine/backup): the instance's schedule and retention (one row), and each run with its file,
 * size and verification result, for the Settings › Backups screen and `GET /backups`.
 */
export const backupsMigration: Migration = {
  name: '015-backups',
  async up(db) {
    await sql`
      create table rapport.backup_settings (
        id smallint primary key default 1 check (id = 1),
        enabled boolean not null default false,
        cron text not null default '30 3 * * *',
        timezone text not null default 'UTC',
        keep_days integer not null default 14 check (keep_days between 1 and 3650),
        keep_last integer not null default 7 check (keep_last between 1 and 1000),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table rapport.backup_run (
        id uuid primary key,
        trigger text not null check (trigger in ('scheduled', 'manual')),
        status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
        job_id uuid,
        requested_by uuid,
        file text,
        bytes bigint,
        is_verified boolean not null default false,
        problems jsonb not null default '[]',
        error text,
        backup_ms integer,
        verify_ms integer,
        pruned jsonb not null default '[]',
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz
      )`.execute(db);
    await sql`create index backup_run_created_idx on rapport.backup_run (created_at desc)`.execute(db);
  },
};
