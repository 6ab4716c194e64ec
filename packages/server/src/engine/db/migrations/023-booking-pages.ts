import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Public booking pages (modules/activities/booking): `/book/{slug}` names no workspace, so slugs are kept unique
 * across the installation in `booking_slug`; `booking` remembers each meeting booked through a page (who got it, for
 * round robin and the day's maximum) and the hash of its manage link.
 */
export const bookingPagesMigration: Migration = {
  name: '023-booking-pages',
  async up(db) {
    await sql`
      create table rapport.booking_slug (
        slug text primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        page_id uuid not null,
        unique (workspace_id, page_id)
      )`.execute(db);
    await sql`
      create table rapport.booking (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        page_id uuid not null,
        meeting_id uuid not null,
        member_id uuid not null,
        start_at timestamptz not null,
        end_at timestamptz not null,
        name text not null,
        email text not null,
        token_hash text not null unique,
        status text not null default 'booked' check (status in ('booked', 'cancelled')),
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index booking_page_member on rapport.booking (workspace_id, page_id, member_id, start_at) where status = 'booked'`.execute(db);
  },
};
