import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Segments (C11): a named list of one object's records, for campaigns, exports and bulk actions. A dynamic
 * segment is a saved filter (the query language's JSON, checked against metadata on every write); a static
 * one holds its members. Like views, a segment points at its object by id and is private or shared.
 */
export const segmentsMigration: Migration = {
  name: '016-segments',
  async up(db) {
    await sql`
      create table rapport.segment (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object_id uuid not null,
        name text not null check (length(name) between 1 and 200),
        description text not null default '' check (length(description) <= 2000),
        kind text not null check (kind in ('dynamic', 'static')),
        visibility text not null check (visibility in ('private', 'shared')),
        owner_id uuid references rapport.user(id) on delete cascade,
        filter jsonb,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (visibility = 'shared' or owner_id is not null),
        check (kind = 'dynamic' or filter is null)
      )`.execute(db);
    await sql`create index segment_object_idx on rapport.segment (workspace_id, object_id, name, id)`.execute(db);
    await sql`
      create table rapport.segment_member (
        segment_id uuid not null references rapport.segment(id) on delete cascade,
        record_id uuid not null,
        added_at timestamptz not null default now(),
        added_by uuid,
        primary key (segment_id, record_id)
      )`.execute(db);
  },
};
