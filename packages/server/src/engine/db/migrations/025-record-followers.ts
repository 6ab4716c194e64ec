import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Record followers (engine/notifications/followers.ts): who follows which record, and which of its fields they want
 * to hear about (null: any change). Each person's notification preferences per kind: in the app (the default), in
 * the app and in a daily email digest, or off; and when their last digest went. Changes to a followed record become
 * a notification kind.
 */
export const recordFollowersMigration: Migration = {
  name: '025-record-followers',
  async up(db) {
    await sql`
      create table rapport.record_follower (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        object text not null,
        record_id uuid not null,
        user_id uuid not null references rapport.user(id) on delete cascade,
        fields text[],
        created_at timestamptz not null default now(),
        primary key (workspace_id, object, record_id, user_id)
      )`.execute(db);
    await sql`create index record_follower_user_idx on rapport.record_follower (workspace_id, user_id)`.execute(db);
    await sql`
      create table rapport.notification_preference (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        kind text not null,
        channel text not null check (channel in ('inApp', 'digest', 'off')),
        primary key (workspace_id, user_id, kind)
      )`.execute(db);
    await sql`
      create table rapport.notification_digest (
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        last_sent_at timestamptz not null,
        primary key (workspace_id, user_id)
      )`.execute(db);
    await sql`alter table rapport.notification drop constraint notification_kind_check`.execute(db);
    await sql`alter table rapport.notification add constraint notification_kind_check check (kind in ('mention', 'assignment', 'reminder', 'missedCall', 'recordChange'))`.execute(db);
  },
};
