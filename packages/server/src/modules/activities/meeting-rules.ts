import type { FieldError } from '@rapport/common';
import type { Db } from '../../engine/db/database.ts';
import { isUuid } from '../../engine/fields/types/relation.field.ts';
import { findMemberIds } from '../../engine/identity/users.service.ts';
import type { RecordBehaviour } from '../../engine/records/record-behaviours.ts';
import { jsonValueOf } from './related-record.ts';

/** A list of distinct user ids, or the problem with it. */
export const checkUserIdList = (given: unknown): { ids: string[] } | { problem: string } => {
  const value = jsonValueOf(given);
  if (!Array.isArray(value)) return { problem: 'Expected a list of user ids.' };
  if (value.some((id) => !isUuid(id))) return { problem: 'Every entry is a user id.' };
  return { ids: [...new Set((value as string[]).map((id) => id.toLowerCase()))] };
};

/** The ids among `ids` that are not members of the workspace. */
export const unknownUsers = async (trx: Db, workspaceId: string, ids: string[]): Promise<string[]> => {
  const found = await findMemberIds(trx, workspaceId, ids);
  return ids.filter((id) => !found.has(id));
};

/** The fields attendees see in their invitation: a change to one is a new revision. */
const SEEN_BY_ATTENDEES = ['title', 'start', 'end', 'location', 'videoUrl', 'status', 'agenda'];

/**
 * A meeting ends after it starts; its colleagues are users of the workspace, each once; any change attendees see
 * (time, place, link, title, status) raises its invitation revision (RFC 5545 SEQUENCE), so calendars take the update.
 */
export const meetingRules: RecordBehaviour = {
  object: 'meeting',
  async beforeWrite({ trx, workspace }, records) {
    const errors: FieldError[] = [];
    for (const record of records) {
      const { start, end } = record.after;
      if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) <= Date.parse(start)) {
        errors.push({ field: `${record.path}end`, code: 'endBeforeStart', message: 'A meeting ends after it starts.' });
      }
      if (record.isGiven('userAttendees') && record.after.userAttendees !== null) {
        const checked = checkUserIdList(record.after.userAttendees);
        if ('problem' in checked) {
          errors.push({ field: `${record.path}userAttendees`, code: 'invalidUserList', message: checked.problem });
          continue;
        }
        const missing = await unknownUsers(trx, workspace.id, checked.ids);
        if (missing.length > 0) errors.push({ field: `${record.path}userAttendees`, code: 'relationNotFound', message: `No user of this workspace with id ${missing.join(', ')}.` });
        else record.set('userAttendees', checked.ids);
      }
      // A meeting with people is about the first of them unless told otherwise: it shows on their page.
      const attendees = record.after.attendees;
      if (record.isCreate && !record.isGiven('person') && !record.isGiven('related') && Array.isArray(attendees) && typeof attendees[0] === 'string') {
        record.set('person', attendees[0]);
        if (!record.after.related) record.set('related', { object: 'person', id: attendees[0] });
      }
      if (!record.isCreate && !record.isGiven('sequence') && SEEN_BY_ATTENDEES.some((field) => record.isGiven(field) && JSON.stringify(record.after[field]) !== JSON.stringify(record.before?.[field]))) {
        record.set('sequence', Number(record.before?.sequence ?? 0) + 1);
      }
    }
    return errors;
  },
};

