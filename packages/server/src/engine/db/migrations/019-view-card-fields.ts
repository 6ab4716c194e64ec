import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The fields a kanban view's cards show, in order (issue 4: "card fields configurable"). Null: the
 * board's default for the object (its amount, date and main relation).
 */
export const viewCardFieldsMigration: Migration = {
  name: '019-view-card-fields',
  async up(db) {
    await sql`alter table rapport.saved_view add column card_fields jsonb`.execute(db);
  },
};
