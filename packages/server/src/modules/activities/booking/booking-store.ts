import type { RecordBehaviour } from '../../../engine/records/record-behaviours.ts';
import { findMemberIds } from '../../../engine/identity/users.service.ts';
import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { AppError } from '../../../engine/errors.ts';
import type { MetadataCache } from '../../../engine/metadata/metadata-store.ts';
import type { ObjectMeta, WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { columnOf, tableOf } from '../../../engine/query/sql-parts.ts';
import { createFullAccess } from '../../../engine/permissions/access.ts';
import { getRecord } from '../../../engine/records/read-records.ts';
import { bookingSettingsOf, type BookingSettings } from './booking-settings.ts';
import type { AssignmentStats, Interval, MemberCalendar } from './booking-slots.ts';

const DAY = 86_400_000;

/** A published page as the public routes see it, with the workspace it belongs to. */
export interface PublishedPage {
  workspace: WorkspaceMeta;
  id: string;
  slug: string;
  name: string;
  description: string | null;
  settings: BookingSettings;
}

/** The published page at `slug`, whatever its workspace; BOOKING_PAGE_NOT_FOUND when there is none (or it is off). */
export const getPublishedPage = async ({ db, metadata, slug }: { db: Db; metadata: MetadataCache; slug: string }): Promise<PublishedPage> => {
  const { rows } = await sql<{ workspace_id: string; page_id: string }>`select workspace_id, page_id from rapport.booking_slug where slug = ${slug}`.execute(db);
  const entry = rows[0];
  const page = entry ? await findPage({ db, metadata, workspaceId: entry.workspace_id, pageId: entry.page_id }) : undefined;
  if (!page?.isActive) throw new AppError('BOOKING_PAGE_NOT_FOUND', `No published booking page at "${slug}".`);
  return page;
};

/** A page by id, trashed ones included (a booking's manage link outlives its page), or undefined. */
export const findPage = async ({ db, metadata, workspaceId, pageId }: { db: Db; metadata: MetadataCache; workspaceId: string; pageId: string }): Promise<(PublishedPage & { isActive: boolean }) | undefined> => {
  const workspace = await metadata.get(workspaceId);
  const object = workspace.objects.get('bookingPage');
  if (!object) return undefined;
  const page = await getRecord({ db, workspace, object, access: createFullAccess(workspace) }, { id: pageId, withDeleted: true }).catch(() => undefined);
  if (!page) return undefined;
  const settings = bookingSettingsOf(page);
  return {
    workspace,
    id: pageId,
    slug: String(page.slug),
    name: String(page.name),
    description: typeof page.description === 'string' ? page.description : null,
    settings: { ...settings, members: await activeMembers(db, workspaceId, settings.members) },
    isActive: page.isActive !== false && !page.deletedAt,
  };
};

// A member deactivated since the page was set up is not offered (nor booked); the list keeps its order.
const activeMembers = async (db: Db, workspaceId: string, members: string[]) => {
  const active = await findMemberIds(db, workspaceId, members, { activeOnly: true });
  return members.filter((member) => active.has(member));
};

export const meetingObjectOf = (workspace: WorkspaceMeta): ObjectMeta => {
  const object = workspace.objects.get('meeting');
  if (!object) throw new AppError('OBJECT_NOT_FOUND', 'This workspace has no meeting object.');
  return object;
};

/**
 * What the page's members have on around `window`: their meetings that are not cancelled, as organiser or attending
 * colleague, booked through a page or made in the CRM. Only times leave this function.
 */
export const readCalendars = async (db: Db, { page, window, exceptMeetingId }: { page: PublishedPage; window: Interval; exceptMeetingId?: string }): Promise<MemberCalendar[]> => {
  const { workspace, settings } = page;
  const meeting = meetingObjectOf(workspace);
  const column = (name: string) => columnOf('m', meeting.fieldsByName.get(name)!.column);
  const members = settings.members;
  if (members.length === 0) return [];
  // Buffers and the per-day maximum look past the window's edges: to the whole local days it touches (a day of 25
  // hours, in any zone), hence two days either side.
  const from = new Date(window.start - 2 * DAY).toISOString();
  const to = new Date(window.end + 2 * DAY).toISOString();
  const { rows } = await sql<{ owner: string | null; user_attendees: unknown; start_at: string; end_at: string }>`
    select ${column('owner')} as owner, ${column('userAttendees')} as user_attendees, ${column('start')} as start_at, ${column('end')} as end_at
    from ${tableOf(workspace, meeting)} as m
    where m.deleted_at is null and ${column('start')} < ${to}::timestamptz and ${column('end')} > ${from}::timestamptz
      and ${column('status')} is distinct from 'cancelled'
      ${exceptMeetingId ? sql`and m.id <> ${exceptMeetingId}` : sql``}
      and (${column('owner')} = any(${members}::uuid[]) or ${column('userAttendees')} ?| ${members}::text[])`.execute(db);
  return members.map((userId) => ({
    userId,
    busy: rows
      .filter((row) => row.owner === userId || (Array.isArray(row.user_attendees) && row.user_attendees.includes(userId)))
      .map((row) => ({ start: Date.parse(row.start_at), end: Date.parse(row.end_at) })),
  }));
};

/** Each member's meetings booked through the page and still on, and when they last got one (round robin). */
export const readAssignmentStats = async (db: Db, page: PublishedPage): Promise<Map<string, AssignmentStats>> => {
  const { rows } = await sql<{ member_id: string; count: number; last_booked_at: string }>`
    select member_id, count(*)::int as count, max(created_at) as last_booked_at from rapport.booking
    where workspace_id = ${page.workspace.id} and page_id = ${page.id} and status = 'booked' group by member_id`.execute(db);
  return new Map(rows.map((row) => [row.member_id, { count: Number(row.count), lastBookedAt: Date.parse(row.last_booked_at) }]));
};

/**
 * Serialises bookings of the same people: a transaction-level advisory lock per member, taken in one order so two
 * team pages sharing members cannot deadlock. Held until commit, so the busy times read after it are current.
 */
export const lockMembers = async (trx: Db, members: readonly string[]) => {
  for (const member of [...members].sort()) await sql`select pg_advisory_xact_lock(hashtextextended(${`rapport.booking:${member}`}, 0))`.execute(trx);
};

export interface BookingRow {
  id: string;
  workspace_id: string;
  page_id: string;
  meeting_id: string;
  member_id: string;
  start_at: string;
  end_at: string;
  /** The visitor, as they gave themselves: their invitations greet them by this name. */
  name: string;
  email: string;
  status: 'booked' | 'cancelled';
}

export const insertBooking = async (trx: Db, row: Omit<BookingRow, 'status'> & { tokenHash: string }) => {
  const { tokenHash, ...values } = row;
  await sql`insert into rapport.booking (id, workspace_id, page_id, meeting_id, member_id, start_at, end_at, name, email, token_hash)
    values (${values.id}, ${values.workspace_id}, ${values.page_id}, ${values.meeting_id}, ${values.member_id}, ${values.start_at}::timestamptz, ${values.end_at}::timestamptz, ${values.name}, ${values.email}, ${tokenHash})`.execute(trx);
};

/** The booking a manage link names; `forUpdate` locks it for the change. */
export const findBookingByTokenHash = async (db: Db, tokenHash: string, forUpdate = false): Promise<BookingRow | undefined> => {
  const { rows } = await sql<BookingRow>`
    select id, workspace_id, page_id, meeting_id, member_id, start_at, end_at, name, email, status from rapport.booking
    where token_hash = ${tokenHash} ${forUpdate ? sql`for update` : sql``}`.execute(db);
  return rows[0];
};

export const updateBooking = async (trx: Db, id: string, change: { member_id: string; start_at: string; end_at: string } | { status: 'cancelled' }) => {
  if ('status' in change) await sql`update rapport.booking set status = 'cancelled' where id = ${id}`.execute(trx);
  else await sql`update rapport.booking set member_id = ${change.member_id}, start_at = ${change.start_at}::timestamptz, end_at = ${change.end_at}::timestamptz where id = ${id}`.execute(trx);
};

/**
 * A person's personal data erased: the bookings they made keep no name or email of theirs (the slots they hold stay
 * taken, the meetings stay in the calendars).
 */
export const bookingVisitorErasure: RecordBehaviour = {
  object: 'person',
  async afterErase({ trx, workspace }, before) {
    const email = typeof before.email === 'string' ? before.email.trim().toLowerCase() : '';
    if (!email) return;
    await sql`update rapport.booking set name = 'Erased', email = '' where workspace_id = ${workspace.id} and lower(email) = ${email}`.execute(trx);
  },
};
