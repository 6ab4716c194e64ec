import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Telephony (modules/activities/telephony): each workspace's provider, its signing secret (sealed with the secret
 * box) and the token of its webhook URL, and which user answers each line; and missed calls as a notification kind,
 * told once per call.
 */
export const telephonyMigration: Migration = {
  name: '024-telephony',
  async up(db) {
    await sql`
      create table rapport.telephony_settings (
        workspace_id uuid primary key references rapport.workspace(id) on delete cascade,
        provider text not null check (provider in ('rapport', 'twilio')),
        secret text,
        webhook_token text not null unique,
        lines jsonb not null default '{}',
        default_country text,
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`alter table rapport.notification drop constraint notification_kind_check`.execute(db);
    await sql`alter table rapport.notification add constraint notification_kind_check check (kind in ('mention', 'assignment', 'reminder', 'missedCall'))`.execute(db);
    await sql`create unique index notification_missed_call_once on rapport.notification (workspace_id, user_id, record_id) where kind = 'missedCall'`.execute(db);
  },
};
