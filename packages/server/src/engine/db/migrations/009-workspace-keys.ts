import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Data keys of encrypted fields (engine/crypto/field-keys.ts): per workspace and version, each sealed
 * under a key derived from the master key. Made at the first encrypted field of a workspace.
 */
export const workspaceKeysMigration: Migration = {
  name: '009-workspace-keys',
  async up(db) {
    await sql`
      create table rapport.workspace_key (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        version integer not null check (version > 0),
        sealed_key text not null,
        created_at timestamptz not null default now(),
        primary key (workspace_id, version)
      )`.execute(db);
  },
};
