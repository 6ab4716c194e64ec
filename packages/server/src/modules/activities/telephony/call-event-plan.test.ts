import { describe, expect, it } from 'vitest';
import { planCallEvent, type StoredCall } from './call-event-plan.ts';
import type { CallEvent } from './telephony-adapter.ts';
import { toTwilioEvents } from './twilio-adapter.ts';

const event = (overrides: Partial<CallEvent> = {}): CallEvent => ({
  provider: 'rapport',
  callId: 'call-1',
  type: 'ringing',
  direction: 'inbound',
  from: '+33612345678',
  to: '+14155550100',
  at: '2026-12-02T10:00:00.000Z',
  ...overrides,
});
const parties = { phone: '+33612345678', ownerId: 'u1', person: { id: 'p1', name: 'Ada Lovelace', companyId: 'c1' } };

/** Applies events in order to a record kept in memory, as the write path would. */
const applyAll = (events: CallEvent[]): StoredCall => {
  let record: StoredCall | undefined;
  for (const next of events) {
    const { changes } = planCallEvent({ existing: record, event: next, parties });
    record = { id: 'r1', ...record, ...changes } as StoredCall;
  }
  return record!;
};

const ringing = event();
const answered = event({ type: 'answered', at: '2026-12-02T10:00:05.000Z' });
const ended = event({ type: 'ended', at: '2026-12-02T10:02:05.000Z', durationSeconds: 120 });

describe('planCallEvent', () => {
  it('should create the call on its first event, linked to the person, the company and the line\'s user', () => {
    const plan = planCallEvent({ existing: undefined, event: ringing, parties });

    expect(plan).toMatchObject({ isCreate: true, isScreenPop: true, isNewlyMissed: false });
    expect(plan.changes).toEqual({
      externalId: 'call-1', subject: 'Call from Ada Lovelace', direction: 'inbound', phone: '+33612345678',
      owner: 'u1', person: 'p1', company: 'c1', startedAt: '2026-12-02T10:00:00.000Z',
    });
  });

  it('should change nothing when the same event comes again', () => {
    const record = applyAll([ringing, answered, ended]);

    for (const again of [ringing, answered, ended]) expect(planCallEvent({ existing: record, event: again, parties }).changes).toEqual({});
  });

  it('should end in the same record whatever order the events arrive in', () => {
    const inOrder = applyAll([ringing, answered, ended]);

    expect(applyAll([ended, answered, ringing])).toEqual(inOrder);
    expect(applyAll([answered, ended, ringing])).toEqual(inOrder);
    expect(inOrder).toMatchObject({ outcome: 'connected', durationSeconds: 120, startedAt: '2026-12-02T10:00:00.000Z' });
  });

  it('should not let a late answer replace a final outcome', () => {
    const record = applyAll([event({ type: 'ended', outcome: 'busy' }), answered]);

    expect(record.outcome).toBe('busy');
  });

  it('should mark a missed call once and pop no screen for it', () => {
    const missed = event({ type: 'missed', at: '2026-12-02T10:00:30.000Z' });
    const first = planCallEvent({ existing: applyAll([ringing]), event: missed, parties });

    expect(first).toMatchObject({ isNewlyMissed: true, isScreenPop: false, changes: { outcome: 'missed', durationSeconds: 0 } });
    expect(planCallEvent({ existing: applyAll([ringing, missed]), event: missed, parties }).isNewlyMissed).toBe(false);
  });

  it('should pop a screen only for an inbound call that starts ringing', () => {
    expect(planCallEvent({ existing: undefined, event: event({ direction: 'outbound' }), parties }).isScreenPop).toBe(false);
    expect(planCallEvent({ existing: undefined, event: ended, parties }).isScreenPop).toBe(false);
  });

  it('should set the recording without touching the numbers when a recording callback has none', () => {
    const record = applyAll([ringing, ended]);
    const plan = planCallEvent({ existing: record, event: event({ type: 'recordingAvailable', from: '', to: '', recordingUrl: 'https://rec.example.com/r1' }), parties: {} });

    expect(plan.changes).toEqual({ recording: 'https://rec.example.com/r1' });
  });
});

describe('toTwilioEvents', () => {
  const callback = (fields: Record<string, string>) =>
    toTwilioEvents(new URLSearchParams({ CallSid: 'CA1', From: '+33612345678', To: '+14155550100', Direction: 'inbound', Timestamp: 'Wed, 02 Dec 2026 10:00:00 +0000', ...fields }), new Date());

  it.each([
    [{ CallStatus: 'ringing' }, { type: 'ringing', direction: 'inbound' }],
    [{ CallStatus: 'in-progress' }, { type: 'answered' }],
    [{ CallStatus: 'completed', CallDuration: '42' }, { type: 'ended', durationSeconds: 42, outcome: 'connected' }],
    [{ CallStatus: 'no-answer' }, { type: 'missed' }],
    [{ CallStatus: 'busy' }, { type: 'missed' }],
    [{ CallStatus: 'canceled' }, { type: 'missed' }],
    [{ CallStatus: 'busy', Direction: 'outbound-api' }, { type: 'ended', direction: 'outbound', outcome: 'busy' }],
    [{ CallStatus: 'no-answer', Direction: 'outbound-dial' }, { type: 'ended', direction: 'outbound', outcome: 'noAnswer' }],
    [{ RecordingStatus: 'completed', RecordingUrl: 'https://api.twilio.com/rec/RE1' }, { type: 'recordingAvailable', recordingUrl: 'https://api.twilio.com/rec/RE1' }],
  ])('should read %j as %j', (fields, expected) => {
    expect(callback(fields)[0]).toMatchObject({ provider: 'twilio', callId: 'CA1', at: '2026-12-02T10:00:00.000Z', ...expected });
  });

  it('should read a completed call with a recording as its end and its recording', () => {
    expect(callback({ CallStatus: 'completed', CallDuration: '5', RecordingUrl: 'https://api.twilio.com/rec/RE2' }).map((e) => e.type)).toEqual(['ended', 'recordingAvailable']);
  });

  it('should ignore the statuses before the call rings', () => {
    expect(callback({ CallStatus: 'queued' })).toEqual([]);
  });
});
