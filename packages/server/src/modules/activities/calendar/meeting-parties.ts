import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { toApiRecord } from '../../../engine/records/record-shape.ts';
import { checkUserIdList } from '../meeting-rules.ts';
import type { CalendarParty } from './meeting-invitation.ts';

/** An attendee with where they come from: a colleague (user id) or a contact (person id). */
export interface MeetingAttendee extends CalendarParty {
  userId?: string;
  personId?: string;
}

export interface MeetingParties {
  meeting: Record<string, unknown>;
  organizer: CalendarParty | null;
  attendees: MeetingAttendee[];
}

/** Colleagues by id, as parties of a meeting (a colleague taken off a meeting is no longer among its attendees). */
export const readUsers = async (db: Db, ids: string[]): Promise<MeetingAttendee[]> => {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string; email: string; name: string }>`select id, email, name from rapport.user where id = any(${ids}::uuid[]) order by email`.execute(db);
  return rows.map((row) => ({ userId: row.id, email: row.email, name: row.name || null }));
};

// The people linked as attendees (live ones with an email), through the relation's junction table.
const readPeople = async (db: Db, workspace: WorkspaceMeta, meetingId: string): Promise<MeetingAttendee[]> => {
  const field = workspace.objects.get('meeting')?.fieldsByName.get('attendees');
  const person = workspace.objects.get('person');
  if (!field?.junction || !person) return [];
  const { table, selfColumn, otherColumn } = field.junction;
  const { rows } = await sql<Record<string, unknown>>`
    select p.* from ${sql.id(workspace.schema, person.table)} p
    join ${sql.id(workspace.schema, table)} j on j.${sql.id(otherColumn)} = p.id
    where j.${sql.id(selfColumn)} = ${meetingId} and p.deleted_at is null`.execute(db);
  return rows
    .map((row) => toApiRecord(person, row))
    .filter((record) => typeof record.email === 'string' && record.email !== '')
    .map((record) => ({ personId: String(record.id), email: String(record.email), name: typeof record.fullName === 'string' && record.fullName !== '' ? record.fullName : null }))
    .sort((a, b) => a.email.localeCompare(b.email));
};

/**
 * A meeting as stored (in the trash too: a deleted meeting is cancelled), its organiser (the owner user) and its
 * attendees: colleagues (`userAttendees`) and contacts (`attendees`), each email once. Read as the engine: who
 * receives an invitation is the meeting's business, not a reader's.
 */
export const findMeetingParties = async (db: Db, workspace: WorkspaceMeta, meetingId: string): Promise<MeetingParties | undefined> => {
  const object = workspace.objects.get('meeting');
  if (!object) return undefined;
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.id(workspace.schema, object.table)} where id = ${meetingId}`.execute(db);
  if (!rows[0]) return undefined;
  const meeting = toApiRecord(object, rows[0]);
  const checked = meeting.userAttendees ? checkUserIdList(meeting.userAttendees) : { ids: [] };
  const userIds = 'ids' in checked ? checked.ids : [];
  const owner = typeof meeting.owner === 'string' ? meeting.owner : null;
  const [users, people, organizers] = await Promise.all([readUsers(db, userIds), readPeople(db, workspace, meetingId), readUsers(db, owner ? [owner] : [])]);
  const seen = new Set<string>();
  const attendees = [...users, ...people].filter((attendee) => {
    const key = attendee.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const organizer = organizers[0] ? { email: organizers[0].email, name: organizers[0].name ?? null } : null;
  return { meeting, organizer, attendees };
};
