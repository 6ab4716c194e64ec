import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Notifications (engine/notifications): one row per user and thing to tell them (a mention, an
 * assignment, a reminder), and the position of each outbox consumer per workspace. Workspaces that
 * exist already start their consumers at their newest event: old mentions raise no bells.
 */
export const notificationsMigration: Migration = {
  name: '010-notifications',
  async up(db) {
    await sql`
      create table rapport.notification (
        id uuid primary key,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        user_id uuid not null references rapport.user(id) on delete cascade,
        kind text not null check (kind in ('mention', 'assignment', 'reminder')),
        object text not null,
        record_id uuid not null,
        actor_id uuid,
        title text not null,
        excerpt text,
        created_at timestamptz not null default now(),
        read_at timestamptz
      )`.execute(db);
    await sql`create index notification_user_idx on rapport.notification (workspace_id, user_id, created_at desc, id desc)`.execute(db);
    await sql`create index notification_unread_idx on rapport.notification (workspace_id, user_id) where read_at is null`.execute(db);
    // A person is told once that a record mentions them, however often it is edited.
    await sql`create unique index notification_mention_once on rapport.notification (workspace_id, user_id, record_id) where kind = 'mention'`.execute(db);
    await sql`
      create table rapport.event_consumer (
        name text not null,
        workspace_id uuid not null references rapport.workspace(id) on delete cascade,
        last_event_id bigint not null default 0,
        primary key (name, workspace_id)
      )`.execute(db);
    await sql`
      insert into rapport.event_consumer (name, workspace_id, last_event_id)
      select 'notifications', w.id, coalesce((select max(e.id) from rapport.event e where e.workspace_id = w.id), 0)
      from rapport.workspace w`.execute(db);
  },
};
