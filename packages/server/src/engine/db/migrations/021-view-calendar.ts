import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Calendar views (issue 7): a third view type, and its settings (start, end or duration, colour field, mode) as one
 * JSON value, checked against the object's fields on every write like the rest of a view. Older views keep `null`.
 */
export const viewCalendarMigration: Migration = {
  name: '021-view-calendar',
  async up(db) {
    // The check constraint of 007 was named by the database (`<table>_<column>_check`).
    await sql`alter table rapport.saved_view drop constraint if exists saved_view_type_check`.execute(db);
    await sql`alter table rapport.saved_view add constraint saved_view_type_check check (type in ('table', 'kanban', 'calendar'))`.execute(db);
    await sql`alter table rapport.saved_view add column calendar jsonb`.execute(db);
  },
};
