import { describe, expect, it } from 'vitest';
import { summariseTestResult, testEventBodyOf, type TestEventResult } from './telephony-test-model.ts';

const event = { callId: 'rapport-test-1', type: 'ringing', direction: 'inbound', from: '+33612345678', to: '+14155550100', at: '2026-12-02T10:00:00.000Z' };
const ok: TestEventResult = {
  ok: true,
  failure: null,
  provider: 'rapport',
  event,
  call: { subject: 'Call from Ada Lovelace', phone: '+33612345678', owner: { id: 'u1', name: 'Alice Martin' }, person: { id: 'p1', name: 'Ada Lovelace' }, screenPop: true },
  notes: [],
};

describe('telephony test event', () => {
  it('should send only what was typed or chosen, trimmed', () => {
    expect(testEventBodyOf({ from: '  ', line: null })).toEqual({});
    expect(testEventBodyOf({ from: ' 06 12 34 56 78 ', line: '201' })).toEqual({ from: '06 12 34 56 78', line: '201' });
  });

  it('should say what the call would be: its subject, the person, whose screen pops, and that nothing was saved', () => {
    expect(summariseTestResult(ok)).toEqual({
      tone: 'ok',
      lines: [
        { key: 'result.subject', values: { subject: 'Call from Ada Lovelace' } },
        { key: 'result.person', values: { name: 'Ada Lovelace' } },
        { key: 'result.ownerPops', values: { name: 'Alice Martin' } },
        { key: 'result.nothingSaved', values: {} },
      ],
      fieldErrors: [],
      notes: [],
    });
  });

  it('should turn the notes into sentences with the line, the number and the owner', () => {
    const summary = summariseTestResult({
      ...ok,
      call: { ...ok.call!, owner: null, person: null, screenPop: false },
      notes: [{ code: 'lineUnknown', message: 'No line…' }, { code: 'noPersonMatched', message: 'Nobody…' }, { code: 'somethingNew' as never, message: 'A new note.' }],
    });
    expect(summary.lines.map((line) => line.key)).toEqual(['result.subject', 'result.nothingSaved']);
    expect(summary.notes).toEqual([
      { key: 'notes.lineUnknown', values: expect.objectContaining({ line: '+14155550100' }) },
      { key: 'notes.noPersonMatched', values: expect.objectContaining({ phone: '+33612345678' }) },
      // A code this version does not know: the server's sentence.
      { key: 'serverMessage', values: { message: 'A new note.' } },
    ]);
  });

  it('should give the reason a call would not be logged, with the write path\'s field errors', () => {
    const summary = summariseTestResult({
      ok: false,
      failure: { code: 'callRefused', message: 'The call record would be refused: …', errors: [{ field: 'region', code: 'required', message: 'Required.' }] },
      provider: 'rapport',
      event,
      call: null,
      notes: [],
    });
    expect(summary).toMatchObject({ tone: 'failed', lines: [{ key: 'failures.callRefused' }], fieldErrors: [{ field: 'region', code: 'required' }] });
    const notSetUp = summariseTestResult({ ok: false, failure: { code: 'notConfigured', message: 'Telephony is not set up yet.' }, provider: null, event: null, call: null, notes: [] });
    expect(notSetUp.lines).toEqual([{ key: 'failures.notConfigured', values: { message: 'Telephony is not set up yet.' } }]);
  });
});
