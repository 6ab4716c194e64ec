import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification.service.ts';

/** In the app (the bell and live toasts), in the app and a daily email digest, or not at all. */
export const NOTIFICATION_CHANNELS = ['inApp', 'digest', 'off'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export type NotificationPreferences = Record<NotificationKind, NotificationChannel>;

const DEFAULTS: NotificationPreferences = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, 'inApp'])) as NotificationPreferences;

export const readNotificationPreferences = async (db: Db, options: { workspaceId: string; userId: string }): Promise<NotificationPreferences> => {
  const { rows } = await sql<{ kind: NotificationKind; channel: NotificationChannel }>`
    select kind, channel from rapport.notification_preference where workspace_id = ${options.workspaceId} and user_id = ${options.userId}`.execute(db);
  const preferences = { ...DEFAULTS };
  for (const row of rows) if (row.kind in preferences) preferences[row.kind] = row.channel;
  return preferences;
};

/** Sets some kinds' channels (the others keep theirs); unknown kinds or channels are refused with nothing written. */
export const updateNotificationPreferences = async (db: Db, options: { workspaceId: string; userId: string; changes: Record<string, unknown> }): Promise<NotificationPreferences> => {
  const errors = Object.entries(options.changes).flatMap(([kind, channel]) =>
    !(NOTIFICATION_KINDS as readonly string[]).includes(kind)
      ? [{ field: kind, code: 'unknownKind', message: `No notification kind "${kind}". Kinds: ${NOTIFICATION_KINDS.join(', ')}.` }]
      : !(NOTIFICATION_CHANNELS as readonly string[]).includes(channel as string)
        ? [{ field: kind, code: 'invalidChoice', message: `Expected one of: ${NOTIFICATION_CHANNELS.join(', ')}.` }]
        : [],
  );
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Some preferences are invalid; nothing was saved.', { errors });
  await db.transaction().execute(async (trx) => {
    for (const [kind, channel] of Object.entries(options.changes)) {
      await sql`
        insert into rapport.notification_preference (workspace_id, user_id, kind, channel) values (${options.workspaceId}, ${options.userId}, ${kind}, ${channel as string})
        on conflict (workspace_id, user_id, kind) do update set channel = excluded.channel`.execute(trx);
    }
  });
  return readNotificationPreferences(db, options);
};

const DIGEST_WINDOW_MS = 24 * 3_600_000;
const DIGEST_MAX_ITEMS = 50;

interface DigestRow {
  user_id: string;
  email: string;
  name: string | null;
  kind: NotificationKind;
  object: string;
  record_id: string;
  title: string;
  excerpt: string | null;
  actor_name: string | null;
  created_at: string;
}

const KIND_WORDS: Record<NotificationKind, string> = {
  mention: 'mentioned you',
  assignment: 'assigned to you',
  reminder: 'reminder',
  missedCall: 'missed call',
  recordChange: 'changed',
};

/** One digest's text: the unread notifications, newest first, each with a link to its record. */
export const digestText = (rows: readonly DigestRow[], publicUrl: string, total: number): string => {
  const lines = rows.map((row) => {
    const who = row.actor_name ? `${row.actor_name}: ` : '';
    const excerpt = row.excerpt ? ` — ${row.excerpt}` : '';
    return `• ${row.title} (${who}${KIND_WORDS[row.kind]}${excerpt})\n  ${publicUrl}/objects/${encodeURIComponent(row.object)}/${row.record_id}`;
  });
  const more = total > rows.length ? `\n…and ${total - rows.length} more in Rapport.` : '';
  return `Here is what happened in Rapport since your last digest:\n\n${lines.join('\n')}${more}\n\nChoose what reaches you, and how, in your preferences: ${publicUrl}/account/preferences\n`;
};

/**
 * Sends the daily digest of each member of the workspace who asked for one: their notifications of the kinds they
 * want as a digest, unread and made since their last digest (at most a day back). A user with nothing new gets no mail.
 * Returns how many digests went.
 */
export const sendNotificationDigests = async (db: Db, options: { workspaceId: string; mailer: Mailer; publicUrl: string; now?: Date }): Promise<number> => {
  const now = options.now ?? new Date();
  const { rows: users } = await sql<{ user_id: string; kinds: string[]; since: string | null }>`
    select p.user_id, array_agg(p.kind) as kinds, d.last_sent_at as since
    from rapport.notification_preference p
    join rapport.workspace_member m on m.workspace_id = p.workspace_id and m.user_id = p.user_id
    left join rapport.notification_digest d on d.workspace_id = p.workspace_id and d.user_id = p.user_id
    where p.workspace_id = ${options.workspaceId} and p.channel = 'digest' and m.status = 'active'
    group by p.user_id, d.last_sent_at`.execute(db);
  let sent = 0;
  for (const user of users) {
    const since = new Date(Math.max(user.since ? Date.parse(user.since) : 0, now.getTime() - DIGEST_WINDOW_MS));
    const { rows } = await sql<DigestRow>`
      select n.user_id, u.email, u.name, n.kind, n.object, n.record_id, n.title, n.excerpt, a.name as actor_name, n.created_at
      from rapport.notification n
      join rapport.user u on u.id = n.user_id
      left join rapport.user a on a.id = n.actor_id
      where n.workspace_id = ${options.workspaceId} and n.user_id = ${user.user_id} and n.kind = any(${user.kinds}::text[])
        and n.read_at is null and n.created_at > ${since.toISOString()} and n.created_at <= ${now.toISOString()}
      order by n.created_at desc, n.id desc`.execute(db);
    if (rows.length > 0) {
      const shown = rows.slice(0, DIGEST_MAX_ITEMS);
      await options.mailer.send({ to: rows[0]!.email, subject: `Rapport: ${rows.length} new notification${rows.length === 1 ? '' : 's'}`, text: digestText(shown, options.publicUrl, rows.length) });
      sent++;
    }
    await sql`
      insert into rapport.notification_digest (workspace_id, user_id, last_sent_at) values (${options.workspaceId}, ${user.user_id}, ${now.toISOString()})
      on conflict (workspace_id, user_id) do update set last_sent_at = excluded.last_sent_at`.execute(db);
  }
  return sent;
};

export const NOTIFICATION_DIGEST_JOB = 'notifications.digest';
/** Every morning at 07:00 UTC (a digest covers the day before: the notifications still unread). */
export const NOTIFICATION_DIGEST_CRON = '0 7 * * *';
