import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The blind-index key of a workspace whose first data key was deleted (engine/crypto/field-keys.ts):
 * indexes are keyed from that first version, so the derived key is kept here, sealed under the master key.
 */
export const workspaceBlindKeysMigration: Migration = {
  name: '012-workspace-blind-keys',
  async up(db) {
    await sql`
      create table rapport.workspace_blind_key (
        workspace_id uuid primary key references rapport.workspace(id) on delete cascade,
        sealed_key text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
  },
};
