import type { CallEvent, CallOutcome } from './telephony-adapter.ts';

/** The fields of a call record the telephony events write (call.object.ts). */
export interface StoredCall {
  id: string;
  direction?: string | null;
  phone?: string | null;
  startedAt?: string | null;
  durationSeconds?: number | null;
  outcome?: string | null;
  recording?: string | null;
  owner?: string | null;
  person?: string | null;
  company?: string | null;
}

/** Who and what the event's numbers point at, found before planning (owner from the line, person from the number). */
export interface CallParties {
  /** The other party's number in E.164, when it reads as one. */
  phone?: string;
  ownerId?: string;
  person?: { id: string; name: string; companyId?: string | null };
}

export interface CallPlan {
  /** Fields to write; empty when the event adds nothing the record does not already say (a repeated event). */
  changes: Record<string, unknown>;
  isCreate: boolean;
  /** This event made the call missed: its owner is told once. */
  isNewlyMissed: boolean;
  /** An inbound call starts ringing: its owner's screen shows who calls. */
  isScreenPop: boolean;
}

// An outcome only moves up: a final one (from an end or a miss) is never replaced by `connected` from an answer that
// arrives late, and the first final one stays, so events applied in any order, or twice, end in the same record.
const rank = (outcome: string | null | undefined): number => (outcome === null || outcome === undefined ? 0 : outcome === 'connected' ? 1 : 2);

const outcomeOf = (event: CallEvent): CallOutcome | undefined => {
  if (event.type === 'missed') return 'missed';
  if (event.type === 'answered') return 'connected';
  if (event.type === 'ended') return event.outcome ?? ((event.durationSeconds ?? 0) > 0 ? 'connected' : undefined);
  return undefined;
};

/** When the call began, as far as this event tells: an end minus its duration, else the event's time. */
const startOf = (event: CallEvent): string => {
  if ((event.type === 'ended' || event.type === 'missed') && event.durationSeconds) return new Date(Date.parse(event.at) - event.durationSeconds * 1000).toISOString();
  return event.at;
};

const subjectOf = (event: CallEvent, parties: CallParties): string => {
  const who = parties.person?.name ?? parties.phone ?? (event.direction === 'inbound' ? event.from : event.to);
  return event.direction === 'inbound' ? `Call from ${who}` : `Call to ${who}`;
};

/**
 * What one provider event changes on its call record. Pure: the same event against the record it produced changes
 * nothing, and events arriving out of order converge (the earliest start, the highest outcome, links filled once).
 */
export const planCallEvent = ({ existing, event, parties }: { existing: StoredCall | undefined; event: CallEvent; parties: CallParties }): CallPlan => {
  const changes: Record<string, unknown> = {};
  const set = (name: keyof StoredCall, value: unknown) => {
    if (value !== undefined && existing?.[name] !== value) changes[name] = value;
  };
  // Only a call's own numbers: a recording callback may come without them.
  const hasParties = event.type !== 'recordingAvailable' || (event.from !== '' && event.to !== '');
  if (!existing) {
    changes.externalId = event.callId;
    changes.subject = subjectOf(event, parties);
    changes.direction = event.direction;
  }
  if (hasParties) {
    if (!existing?.phone && parties.phone) set('phone', parties.phone);
    if (!existing?.owner && parties.ownerId) set('owner', parties.ownerId);
    if (!existing?.person && parties.person) {
      set('person', parties.person.id);
      if (!existing?.company && parties.person.companyId) set('company', parties.person.companyId);
    }
  }
  const start = startOf(event);
  if (!existing?.startedAt || Date.parse(start) < Date.parse(existing.startedAt)) set('startedAt', start);
  if (event.type === 'ended' || event.type === 'missed') set('durationSeconds', event.durationSeconds ?? (event.type === 'missed' ? 0 : undefined));
  const outcome = outcomeOf(event);
  if (outcome && rank(outcome) > rank(existing?.outcome)) set('outcome', outcome);
  if (event.type === 'recordingAvailable') set('recording', event.recordingUrl);
  return {
    changes,
    isCreate: !existing,
    isNewlyMissed: changes.outcome === 'missed',
    isScreenPop: !existing && event.type === 'ringing' && event.direction === 'inbound',
  };
};
