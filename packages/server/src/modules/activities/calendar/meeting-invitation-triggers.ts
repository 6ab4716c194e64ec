import { enqueueJob } from '../../../engine/jobs/index.ts';
import type { BehaviourContext, RecordBehaviour, WrittenRecord } from '../../../engine/records/record-behaviours.ts';
import { checkUserIdList } from '../meeting-rules.ts';
import { MEETING_INVITATION_JOB, type MeetingInvitationPayload } from './meeting-invitation.job.ts';

const userIdsOf = (value: unknown): string[] => {
  if (value === null || value === undefined) return [];
  const checked = checkUserIdList(value);
  return 'ids' in checked ? checked.ids : [];
};

type Send = Pick<MeetingInvitationPayload, 'method' | 'sequence' | 'onlyUserIds'>;

/** What one write of a meeting sends: nothing, an invitation or update to everyone, a cancellation, and to colleagues taken off it their own cancellation. */
export const invitationsFor = (record: WrittenRecord): Send[] => {
  const { before, after } = record;
  const sequence = Number(after.sequence ?? 0);
  const isCancelled = after.status === 'cancelled';
  if (record.isCreate) return isCancelled ? [] : [{ method: 'REQUEST', sequence }];
  if (isCancelled) return before?.status === 'cancelled' ? [] : [{ method: 'CANCEL', sequence }];
  const sends: Send[] = [];
  const removed = userIdsOf(before?.userAttendees).filter((id) => !userIdsOf(after.userAttendees).includes(id));
  if (removed.length > 0) sends.push({ method: 'CANCEL', sequence, onlyUserIds: removed });
  // Contacts given in the write come as a list; new ones need the invitation (at the same revision: nothing changed for the others).
  const isAttendeeChange = Array.isArray(after.attendees) || JSON.stringify(userIdsOf(before?.userAttendees)) !== JSON.stringify(userIdsOf(after.userAttendees));
  if (sequence > Number(before?.sequence ?? 0) || isAttendeeChange) sends.push({ method: 'REQUEST', sequence });
  return sends;
};

// A meeting already over (an import of past meetings, notes written after it) concerns no calendar any more.
const isOver = (meeting: Readonly<Record<string, unknown>>) => typeof meeting.end === 'string' && Date.parse(meeting.end) < Date.now();

const enqueue = async (context: BehaviourContext, record: WrittenRecord, sends: Send[]) => {
  if (isOver(record.after)) return;
  for (const send of sends) {
    const payload: MeetingInvitationPayload = { workspaceId: context.workspace.id, meetingId: record.id, actorId: context.actorId, ...send };
    // One job per write (the version) and kind: a retried write does not send twice.
    const key = `${MEETING_INVITATION_JOB}:${record.id}:${String(record.after.version)}:${send.method}:${send.onlyUserIds ? 'removed' : 'all'}`;
    await enqueueJob(context.trx, { type: MEETING_INVITATION_JOB, workspaceId: context.workspace.id, payload, key });
  }
};

/**
 * Invitations follow the meeting's writes: enqueued in the write's transaction, so they leave only when it commits, and
 * sent by a job (meeting-invitation.job.ts) that retries when the mail server refuses.
 */
export const meetingInvitationTriggers: RecordBehaviour = {
  object: 'meeting',
  async afterWrite(context, records) {
    for (const record of records) await enqueue(context, record, invitationsFor(record));
  },
  // A deleted meeting is cancelled, one revision past the last one attendees saw.
  async afterDelete(context, record) {
    if (record.before?.status === 'cancelled') return;
    await enqueue(context, record, [{ method: 'CANCEL', sequence: Number(record.before?.sequence ?? 0) + 1 }]);
  },
  async afterRestore(context, record) {
    if (record.after.status === 'cancelled') return;
    await enqueue(context, record, [{ method: 'REQUEST', sequence: Number(record.after.sequence ?? 0) + 1 }]);
  },
};
