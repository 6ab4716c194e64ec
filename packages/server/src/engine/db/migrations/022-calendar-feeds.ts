import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The activities module's calendar (issue 7): each user's private calendar feed per workspace, and whether they
 * want their reminders by email too.
 */
export const calendarFeedsMigration: Migration = {
  name: '022-calendar-feeds',
  async up(db) {
    // The token is found by its hash; it is also kept sealed (secret box) so its owner can copy the same URL again.
    await sql`
      create table rapport.calendar_feed (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        token_hash text not null unique,
        token_sealed text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        primary key (workspace_id, user_id)
      )`.execute(db);
    // A preference of the person, like their locale: reminders reach them by email unless they turn it off.
    await sql`alter table rapport.user add column reminder_emails boolean not null default true`.execute(db);
  },
};
