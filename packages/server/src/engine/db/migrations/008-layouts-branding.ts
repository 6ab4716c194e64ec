import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Record-page layouts per object (kept by object id, so a renamed object keeps its layout) and the
 * workspace's branding and defaults (logo, primary colour, locale) beside its time zone and currency.
 */
export const layoutsBrandingMigration: Migration = {
  name: '008-layouts-branding',
  async up(db) {
    await sql`
      create table rapport.object_layout (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object_id uuid not null,
        layout jsonb not null,
        updated_at timestamptz not null default now(),
        primary key (workspace_id, object_id)
      )`.execute(db);
    await sql`alter table rapport.workspace add column logo text`.execute(db);
    await sql`alter table rapport.workspace add column primary_color text`.execute(db);
    await sql`alter table rapport.workspace add column locale text not null default 'en'`.execute(db);
  },
};
