import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Imports (engine/imports): a run per uploaded file, the file itself as ~1 MB bytea chunks (any server
 * of a cluster can run the job; nothing lives on local disk), what each row did (for undo), what each
 * rejected row said (for the errors CSV), and saved column mappings. Every row belongs to a workspace.
 */
export const importsMigration: Migration = {
  name: '013-imports',
  async up(db) {
    await sql`
      create table rapport.import_run (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object text not null,
        file_name text not null,
        file_size bigint not null default 0,
        format text not null check (format in ('csv', 'xlsx', 'vcard')),
        encoding text not null,
        delimiter text,
        headers jsonb not null,
        mapping jsonb not null,
        upsert_on text,
        dry_run boolean not null default false,
        create_related boolean not null default true,
        status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
        created_by uuid,
        scopes jsonb,
        processed integer not null default 0,
        created integer not null default 0,
        updated integer not null default 0,
        failed integer not null default 0,
        total_rows integer,
        error text,
        undo_status text check (undo_status in ('queued', 'running', 'completed', 'failed')),
        undo_by uuid,
        undo_scopes jsonb,
        undo_removed integer not null default 0,
        undo_restored integer not null default 0,
        undo_conflicts integer not null default 0,
        undo_finished_at timestamptz,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz
      )`.execute(db);
    await sql`create index import_run_history_idx on rapport.import_run (workspace_id, created_at desc, id desc)`.execute(db);
    await sql`
      create table rapport.import_file_chunk (
        import_id uuid not null references rapport.import_run(id) on delete cascade,
        seq integer not null,
        data bytea not null,
        primary key (import_id, seq)
      )`.execute(db);
    // One row per record the import wrote: created, or updated with the previous and written values of
    // the fields it changed (undo restores a field only while it still holds what the import wrote).
    await sql`
      create table rapport.import_record (
        import_id uuid not null references rapport.import_run(id) on delete cascade,
        object text not null,
        record_id uuid not null,
        action text not null check (action in ('created', 'updated')),
        row_number integer,
        is_related boolean not null default false,
        previous jsonb,
        written jsonb,
        primary key (import_id, object, record_id)
      )`.execute(db);
    await sql`
      create table rapport.import_error (
        id bigint generated always as identity primary key,
        import_id uuid not null references rapport.import_run(id) on delete cascade,
        row_number integer not null,
        column_name text,
        field text not null,
        code text not null,
        message text not null,
        cells jsonb not null
      )`.execute(db);
    await sql`create index import_error_row_idx on rapport.import_error (import_id, row_number, id)`.execute(db);
    await sql`
      create table rapport.import_mapping (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        name text not null,
        object text not null,
        mapping jsonb not null,
        upsert_on text,
        created_by uuid,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create unique index import_mapping_name_idx on rapport.import_mapping (workspace_id, object, lower(name))`.execute(db);
  },
};
