import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Saved views and favourites (issue 4). A view points at its object by id, so renaming the object
 * keeps it; its filter, sort and columns are the query language's JSON, checked against metadata on
 * every write. Favourites are a user's pinned records and views, in their own order.
 */
export const savedViewsMigration: Migration = {
  name: '007-saved-views',
  async up(db) {
    await sql`
      create table rapport.saved_view (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object_id uuid not null,
        name text not null check (length(name) between 1 and 200),
        type text not null check (type in ('table', 'kanban')),
        visibility text not null check (visibility in ('private', 'shared')),
        owner_id uuid references rapport.user(id) on delete cascade,
        filter jsonb,
        sort jsonb not null default '[]',
        columns jsonb not null default '[]',
        group_by text,
        kanban_field text,
        position integer not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (visibility = 'shared' or owner_id is not null)
      )`.execute(db);
    await sql`create index saved_view_object_idx on rapport.saved_view (workspace_id, object_id, position, id)`.execute(db);

    await sql`
      create table rapport.favourite (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        view_id uuid references rapport.saved_view(id) on delete cascade,
        object_id uuid,
        record_id uuid,
        position integer not null default 0,
        created_at timestamptz not null default now(),
        check ((view_id is not null and record_id is null) or (view_id is null and record_id is not null and object_id is not null))
      )`.execute(db);
    await sql`create unique index favourite_view_idx on rapport.favourite (workspace_id, user_id, view_id) where view_id is not null`.execute(db);
    await sql`create unique index favourite_record_idx on rapport.favourite (workspace_id, user_id, object_id, record_id) where record_id is not null`.execute(db);
    await sql`create index favourite_user_idx on rapport.favourite (workspace_id, user_id, position, id)`.execute(db);
  },
};
