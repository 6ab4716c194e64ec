import type { Filter } from '@rapport/common';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Db } from '../../../engine/db/database.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { listRecords } from '../../../engine/records/read-records.ts';
import { htmlToText } from '@rapport/common/values/index';
import { meetingUid } from './meeting-invitation.ts';

// What a calendar app shows of a user's meetings: the past quarter and the year ahead.
const DAYS_BACK = 90;
const DAYS_AHEAD = 366;
// A feed is polled by calendar apps every few minutes or hours: it stays a bounded read.
const MAX_ITEMS = 2000;
const PAGE = 500;

export interface CalendarFeedOptions {
  db: Db;
  workspace: WorkspaceMeta;
  /** The feed owner's own access: the feed shows what they may read, and only the fields they may see. */
  access: Access;
  userId: string;
  publicUrl: string;
  now?: Date;
}

type ApiRecord = Record<string, unknown>;

// Every page of a list as the owner reads it; an object they may not read gives nothing.
const readAll = async (options: CalendarFeedOptions, objectName: string, filter: Filter): Promise<ApiRecord[]> => {
  const object = options.workspace.objects.get(objectName);
  if (!object || !options.access.can(objectName, 'read')) return [];
  const records: ApiRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords({ db: options.db, workspace: options.workspace, object, access: options.access }, { filter, limit: PAGE, sort: ['id'], ...(cursor ? { cursor } : {}) });
    records.push(...page.data);
    cursor = page.pageInfo.hasNextPage && page.pageInfo.nextCursor ? page.pageInfo.nextCursor : undefined;
  } while (cursor && records.length < MAX_ITEMS);
  return records.slice(0, MAX_ITEMS);
};

// The meetings the user organises or attends as a colleague (`userAttendees`, a JSON list of user ids, when their role
// lets them see it), in the window.
const ownMeetingsFilter = (options: CalendarFeedOptions, now: Date): Filter => ({
  and: [
    options.access.view.objects.get('meeting')?.fieldsByName.has('userAttendees')
      ? { or: [{ field: 'owner', op: 'eq', value: options.userId }, { field: 'userAttendees', op: 'contains', value: options.userId }] }
      : { field: 'owner', op: 'eq', value: options.userId },
    { field: 'start', op: 'gte', value: new Date(now.getTime() - DAYS_BACK * 86_400_000).toISOString() },
    { field: 'start', op: 'lt', value: new Date(now.getTime() + DAYS_AHEAD * 86_400_000).toISOString() },
  ],
});

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * A user's private calendar (RFC 5545, METHOD:PUBLISH): their meetings (organiser or colleague attending) from 90 days
 * back to a year ahead, and their open tasks with a due date as all-day entries on the local due date, a recurring
 * task with its RRULE. Read through the permission layer as that user.
 */
export const buildCalendarFeed = async (options: CalendarFeedOptions): Promise<string> => {
  const now = options.now ?? new Date();
  const { workspace, userId, publicUrl } = options;
  const calendar = ical({ prodId: { company: 'Rapport', product: 'Rapport CRM', language: 'EN' }, method: ICalCalendarMethod.PUBLISH, name: `Rapport — ${workspace.name}`, ttl: 15 * 60 });
  const meetings = await readAll(options, 'meeting', ownMeetingsFilter(options, now));
  for (const meeting of meetings) {
    if (typeof meeting.start !== 'string' || typeof meeting.end !== 'string') continue;
    const description = [text(meeting.agenda) && htmlToText(String(meeting.agenda)), text(meeting.videoUrl) && `Video: ${String(meeting.videoUrl)}`].filter(Boolean).join('\n\n');
    calendar.createEvent({
      id: meetingUid(String(meeting.id)),
      sequence: Number(meeting.sequence ?? 0),
      start: new Date(meeting.start),
      end: new Date(meeting.end),
      summary: text(meeting.title) ?? 'Meeting',
      ...(description ? { description } : {}),
      ...(text(meeting.location) ? { location: String(meeting.location) } : {}),
      url: text(meeting.videoUrl) ?? `${publicUrl}/objects/meeting/${String(meeting.id)}`,
      status: meeting.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  const tasks = await readAll(options, 'task', { and: [{ field: 'assignee', op: 'eq', value: userId }, { field: 'status', op: 'neq', value: 'done' }, { field: 'dueAt', op: 'isNotEmpty' }] });
  for (const task of tasks) {
    if (typeof task.dueAt !== 'string') continue;
    // An all-day entry on the due date as the workspace sees it; its RRULE then repeats by local date, unmoved by DST.
    const due = DateTime.fromISO(task.dueAt, { zone: workspace.timezone });
    calendar.createEvent({
      id: `task-${String(task.id)}@rapport`,
      start: new Date(Date.UTC(due.year, due.month - 1, due.day)),
      allDay: true,
      summary: `Task: ${text(task.title) ?? 'Task'}`,
      description: [`Due ${due.toFormat('HH:mm')} (${workspace.timezone})`, text(task.body) && htmlToText(String(task.body))].filter(Boolean).join('\n\n'),
      url: `${publicUrl}/objects/task/${String(task.id)}`,
      ...(text(task.recurrence) ? { repeating: String(task.recurrence) } : {}),
    });
  }
  return calendar.toString();
};
