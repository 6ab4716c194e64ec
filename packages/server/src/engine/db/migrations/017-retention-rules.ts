import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Retention rules (T7): an object's records are anonymised or moved to the trash a number of days after a
 * date of theirs (created, last changed, or a date field), every day, by a job. Erased records are listed
 * once (`erased_record`), by a person's erasure request or by a rule, so a rule does not erase them again.
 */
export const retentionRulesMigration: Migration = {
  name: '017-retention-rules',
  async up(db) {
    await sql`
      create table rapport.retention_rule (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object_id uuid not null,
        name text not null check (length(name) between 1 and 200),
        basis_field text not null,
        after_days integer not null check (after_days between 1 and 36500),
        action text not null check (action in ('anonymise', 'delete')),
        filter jsonb,
        enabled boolean not null default true,
        created_by uuid,
        last_run_at timestamptz,
        last_run_count integer,
        last_run_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index retention_rule_workspace_idx on rapport.retention_rule (workspace_id, name)`.execute(db);
    await sql`
      create table rapport.erased_record (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object_name text not null,
        record_id uuid not null,
        erased_at timestamptz not null default now(),
        rule_id uuid references rapport.retention_rule(id) on delete set null,
        primary key (workspace_id, object_name, record_id)
      )`.execute(db);
  },
};
