import { sql } from 'kysely';
import { createDuplicateIndexes } from '../../duplicates/duplicate-indexes.ts';
import { loadWorkspaceMeta } from '../../metadata/metadata-store.ts';
import type { Migration } from '../migrate.ts';

/**
 * Duplicates (engine/duplicates): pairs found by the scheduled scan (dismissed ones remembered), the
 * scan's position per workspace and object, and merges with what they changed so they can be undone.
 * Existing workspaces get the trigram and domain indexes the lookups use.
 */
export const duplicatesMigration: Migration = {
  name: '014-duplicates',
  async up(db) {
    await sql`
      create table rapport.duplicate_pair (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object text not null,
        a_id uuid not null,
        b_id uuid not null,
        score real not null,
        reasons text[] not null,
        found_at timestamptz not null default now(),
        dismissed_at timestamptz,
        dismissed_by uuid,
        check (a_id < b_id),
        unique (workspace_id, object, a_id, b_id)
      )`.execute(db);
    await sql`create index duplicate_pair_open_idx on rapport.duplicate_pair (workspace_id, object, score desc, id) where dismissed_at is null`.execute(db);
    await sql`
      create table rapport.duplicate_scan (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object text not null,
        last_updated_at timestamptz not null,
        last_id uuid not null,
        scanned_at timestamptz not null default now(),
        primary key (workspace_id, object)
      )`.execute(db);
    await sql`
      create table rapport.record_merge (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object text not null,
        survivor_id uuid not null,
        merged_ids uuid[] not null,
        survivor_before jsonb not null,
        survivor_version integer not null,
        moves jsonb not null,
        actor_id uuid,
        created_at timestamptz not null default now(),
        undone_at timestamptz,
        undone_by uuid
      )`.execute(db);
    await sql`create index record_merge_survivor_idx on rapport.record_merge (workspace_id, survivor_id)`.execute(db);
    const { rows: workspaces } = await sql<{ id: string }>`select id from rapport.workspace order by created_at`.execute(db);
    for (const { id } of workspaces) await createDuplicateIndexes(db, await loadWorkspaceMeta(db, id));
  },
};
