import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The order of the objects in the web app's navigation, one per workspace (set by administrators,
 * seen by everyone). Objects by id, so a rename keeps its place; objects not listed come after.
 */
export const navigationOrderMigration: Migration = {
  name: '011-navigation-order',
  async up(db) {
    await sql`
      create table rapport.navigation_order (
        workspace_id uuid primary key references rapport.workspace(id) on delete cascade,
        object_ids jsonb not null default '[]',
        updated_at timestamptz not null default now()
      )`.execute(db);
  },
};
