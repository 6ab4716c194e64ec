import { normalizePhone, normalizeUrl } from '@rapport/common/values/index';
import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import { findReadableIds } from '../../../engine/events/event-visibility.ts';
import { appendEvents } from '../../../engine/events/outbox.ts';
import { isEncryptedField } from '../../../engine/crypto/field-keys.ts';
import { hasBlindIndex } from '../../../engine/fields/encrypted-field.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { createNotifications } from '../../../engine/notifications/notification.service.ts';
import { createFullAccess, type Access } from '../../../engine/permissions/access.ts';
import { listRecords } from '../../../engine/records/read-records.ts';
import { saveRecords } from '../../../engine/records/save-records.ts';
import { planCallEvent, type CallParties, type StoredCall } from './call-event-plan.ts';
import type { CallEvent } from './telephony-adapter.ts';
import { toLineKey, type TelephonyConfig } from './telephony-settings.ts';

/** The live event that makes a call ring on its user's screen; the change feed shows it to that user only. */
export const CALL_RINGING_EVENT = 'call.ringing';

export interface CallEventOutcome {
  callId: string;
  recordId: string | null;
  action: 'created' | 'updated' | 'unchanged';
}

/** What a dry run would have written: the call as stored, and what its user would have been shown. */
export interface CallEventPreview {
  record: Record<string, unknown> | null;
  ownerId: string | null;
  /** The person matched (whoever may read them) and whether the owner's screen would name them. */
  person: { id: string; name: string; isShownToOwner: boolean } | null;
  isScreenPop: boolean;
  isMissedCallAlert: boolean;
}

/** Thrown inside a dry run's transaction to roll it back, carrying what was written. */
class DryRunRollback extends Error {
  constructor(readonly outcome: CallEventOutcome, readonly preview: CallEventPreview) {
    super('dry run');
  }
}

const CALL_FIELDS = ['id', 'direction', 'phone', 'startedAt', 'durationSeconds', 'outcome', 'recording', 'owner', 'person', 'company', 'subject'];

/** The other party's number (the caller of an inbound call, the callee of an outbound one) and our line. */
const numbersOf = (event: CallEvent) => (event.direction === 'inbound' ? { party: event.from, line: event.to } : { party: event.to, line: event.from });

/** The user who answers the line: the provider's hint first (an extension, a number, an email), then the line's number. */
const findOwner = async (db: Db, { config, event }: { config: TelephonyConfig; event: CallEvent }): Promise<string | undefined> => {
  const { line } = numbersOf(event);
  for (const key of [event.agentHint, line]) {
    if (!key) continue;
    const userId = config.lines[toLineKey(key, config.defaultCountry)];
    if (userId) return userId;
  }
  if (event.agentHint?.includes('@')) {
    const { rows } = await sql<{ id: string }>`
      select u.id from rapport.user u join rapport.workspace_member m on m.user_id = u.id
      where m.workspace_id = ${config.workspaceId} and m.status = 'active' and lower(u.email) = ${event.agentHint.trim().toLowerCase()}`.execute(db);
    return rows[0]?.id;
  }
  return undefined;
};

/**
 * The phone fields of people a number can be looked up in: single ones and lists of numbers alike (`eq` on a list
 * holds when any of its numbers is equal). An encrypted list has no blind index: the database cannot compare it.
 */
export const matchablePhoneFields = (object: ObjectMeta): FieldMeta[] =>
  object.fields.filter((field) => field.type === 'phone' && (!isEncryptedField(field) || hasBlindIndex(field)));

/**
 * The person one of whose numbers is this number (E.164, as phone fields store it), in any of their phone fields.
 * Several people sharing a number (a switchboard): the most recently updated one, which is most likely the one
 * being worked with.
 */
const findPerson = async (db: Db, { workspace, phone }: { workspace: WorkspaceMeta; phone: string }): Promise<CallParties['person']> => {
  const person = workspace.objects.get('person');
  const phoneFields = person ? matchablePhoneFields(person) : [];
  if (!person || phoneFields.length === 0) return undefined;
  const filter = { or: phoneFields.map((field) => ({ field: field.name, op: 'eq' as const, value: phone })) };
  const { data } = await listRecords({ db, workspace, object: person, access: createFullAccess(workspace) }, { filter, sort: ['-updatedAt'], limit: 1 });
  const found = data[0];
  if (!found) return undefined;
  const title = found[person.labelField];
  return { id: found.id as string, name: typeof title === 'string' && title.trim() !== '' ? title : phone, companyId: (found.company as string | null | undefined) ?? null };
};

const findCall = async (db: Db, { workspace, callId }: { workspace: WorkspaceMeta; callId: string }): Promise<StoredCall | undefined> => {
  const call = workspace.objects.get('call')!;
  const { data } = await listRecords({ db, workspace, object: call, access: createFullAccess(workspace) }, { filter: { field: 'externalId', op: 'eq', value: callId }, sort: ['createdAt'], limit: 1, fields: CALL_FIELDS });
  return data[0] as StoredCall | undefined;
};

/** Whether the owner may read the matched person: only then does their name show in the call's subject and screen pop. */
export const isReadableBy = async (db: Db, { access, workspace, personId }: { access: Access; workspace: WorkspaceMeta; personId: string }): Promise<boolean> => {
  if (!access.can('person', 'read')) return false;
  return access.readsEverything || (await findReadableIds(db, access, workspace.objects.get('person')!, [personId])).has(personId);
};

/** The event with values as the call record stores them, so that a repeated event compares equal. */
const normalizeEvent = (event: CallEvent): CallEvent => {
  const url = event.recordingUrl ? normalizeUrl(event.recordingUrl) : undefined;
  return url?.ok ? { ...event, recordingUrl: url.value } : event;
};

export interface RecordCallEventOptions {
  workspace: WorkspaceMeta;
  config: TelephonyConfig;
  event: CallEvent;
  /** A user's access (their role, teams, rules): what the owner may read decides what their screen shows. */
  accessOf(userId: string): Promise<Access>;
  /**
   * Runs everything — the lookups, the write path with the call's rules, the screen pop and missed-call alert —
   * then rolls the transaction back: nothing is kept, nobody is told. The outcome carries a `preview`.
   */
  dryRun?: boolean;
}

/**
 * Applies one provider event to its call record (found by `externalId`), through the write path with full access:
 * created on the first event seen, updated by the later ones, left alone when the event adds nothing. One call's
 * events are serialised by an advisory lock, so two arriving at once never make two records.
 */
export const recordCallEvent = async (db: Db, { workspace, config, event: given, accessOf, dryRun = false }: RecordCallEventOptions): Promise<CallEventOutcome & { preview?: CallEventPreview }> => {
  const event = normalizeEvent(given);
  const object = workspace.objects.get('call')!;
  // Read before the transaction: the access cache reads through the outer connection (one session on PGlite).
  const ownerId = await findOwner(db, { config, event });
  const ownerAccess = ownerId ? await accessOf(ownerId) : undefined;
  let onCommitted = () => undefined as void;
  const run = db.transaction().execute(async (trx): Promise<CallEventOutcome> => {
    await sql`select pg_advisory_xact_lock(hashtext(${`telephony:${workspace.id}:${event.callId}`}))`.execute(trx);
    const existing = await findCall(trx, { workspace, callId: event.callId });
    const party = normalizePhone(numbersOf(event).party, config.defaultCountry ?? undefined);
    const phone = party.ok ? party.value : undefined;
    // A call linked once keeps its person: no lookup for its later events.
    const found = phone && !existing?.person ? await findPerson(trx, { workspace, phone }) : undefined;
    // Linked whoever may read it (a call is about that person); named only to an owner who may read them.
    const isPersonShown = Boolean(found && ownerAccess && (await isReadableBy(trx, { access: ownerAccess, workspace, personId: found.id })));
    const person = found && !isPersonShown ? { ...found, name: phone! } : found;
    const parties: CallParties = { ...(phone ? { phone } : {}), ...(ownerId ? { ownerId } : {}), ...(person ? { person } : {}) };
    const plan = planCallEvent({ existing, event, parties });
    const shown = person && isPersonShown ? { id: person.id, name: person.name } : null;
    const matched = found ? { id: found.id, name: found.name, isShownToOwner: isPersonShown } : null;
    if (Object.keys(plan.changes).length === 0) {
      const unchanged = { callId: event.callId, recordId: existing?.id ?? null, action: 'unchanged' as const };
      if (dryRun) throw new DryRunRollback(unchanged, { record: (existing as Record<string, unknown> | undefined) ?? null, ownerId: (existing?.owner as string | null | undefined) ?? null, person: matched, isScreenPop: false, isMissedCallAlert: false });
      return unchanged;
    }
    const owner = (existing?.owner ?? plan.changes.owner ?? null) as string | null;
    // Written as its owner's (they made or took the call): history says so, and they are not told it was "assigned" to them.
    const context = { db: trx, workspace, object, actorId: owner, access: createFullAccess(workspace) };
    const saved = await saveRecords(context, existing ? { records: [plan.changes], updateId: existing.id } : { records: [plan.changes], createOnly: true });
    onCommitted = saved.onCommitted;
    const record = saved.data[0]!;
    if (plan.isScreenPop && owner) {
      await appendEvents(trx, [{
        workspaceId: workspace.id,
        type: CALL_RINGING_EVENT,
        object: 'call',
        recordId: record.id as string,
        changedFields: [],
        payload: { userId: owner, callRecordId: record.id, externalId: event.callId, from: event.from, to: event.to, phone: phone ?? null, person: shown, at: event.at },
        actorId: null,
      }]);
    }
    if (plan.isNewlyMissed && owner) {
      await createNotifications(trx, [{
        workspaceId: workspace.id,
        userId: owner,
        kind: 'missedCall',
        object: 'call',
        recordId: record.id as string,
        actorId: null,
        title: (record.subject as string | null) ?? 'Missed call',
        excerpt: (record.phone as string | null) ?? (event.direction === 'inbound' ? event.from : event.to),
      }]);
    }
    const written = { callId: event.callId, recordId: record.id as string, action: existing ? ('updated' as const) : ('created' as const) };
    if (dryRun) {
      throw new DryRunRollback(written, { record, ownerId: owner, person: matched, isScreenPop: Boolean(plan.isScreenPop && owner), isMissedCallAlert: Boolean(plan.isNewlyMissed && owner) });
    }
    return written;
  });
  try {
    const outcome = await run;
    onCommitted();
    return outcome;
  } catch (error) {
    // The dry run's transaction is rolled back: its record, events and notifications are gone, onCommitted never runs.
    if (error instanceof DryRunRollback) return { ...error.outcome, preview: error.preview };
    throw error;
  }
};
