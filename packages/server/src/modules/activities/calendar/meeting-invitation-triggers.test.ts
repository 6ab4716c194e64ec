import { describe, expect, it } from 'vitest';
import { invitationsFor } from './meeting-invitation-triggers.ts';

const BOB = '11111111-1111-4111-8111-111111111111';
const CAROL = '22222222-2222-4222-8222-222222222222';
const stored = { id: 'm1', title: 'Review', status: 'planned', sequence: 2, userAttendees: [BOB, CAROL] };
const update = (after: Record<string, unknown>) => invitationsFor({ id: 'm1', isCreate: false, before: stored, after: { ...stored, ...after } });

describe('invitationsFor', () => {
  it('should invite everyone to a new meeting, and nobody to one created cancelled', () => {
    expect(invitationsFor({ id: 'm1', isCreate: true, after: { ...stored, sequence: 0 } })).toEqual([{ method: 'REQUEST', sequence: 0 }]);
    expect(invitationsFor({ id: 'm1', isCreate: true, after: { ...stored, status: 'cancelled' } })).toEqual([]);
  });

  it('should send an update when the revision was raised, and nothing for a change nobody sees', () => {
    expect(update({ sequence: 3, start: '2030-01-01T10:00:00Z' })).toEqual([{ method: 'REQUEST', sequence: 3 }]);
    expect(update({ outcome: '<p>Done</p>' })).toEqual([]);
  });

  it('should cancel for everyone once, when the meeting becomes cancelled', () => {
    expect(update({ status: 'cancelled', sequence: 3 })).toEqual([{ method: 'CANCEL', sequence: 3 }]);
    expect(invitationsFor({ id: 'm1', isCreate: false, before: { ...stored, status: 'cancelled' }, after: { ...stored, status: 'cancelled', title: 'Renamed' } })).toEqual([]);
  });

  it('should cancel for colleagues taken off and send the current revision to the others', () => {
    expect(update({ userAttendees: [BOB] })).toEqual([
      { method: 'CANCEL', sequence: 2, onlyUserIds: [CAROL] },
      { method: 'REQUEST', sequence: 2 },
    ]);
  });

  it('should invite at the same revision when contacts are given', () => {
    expect(update({ attendees: ['33333333-3333-4333-8333-333333333333'] })).toEqual([{ method: 'REQUEST', sequence: 2 }]);
  });
});
