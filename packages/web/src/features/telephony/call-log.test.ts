import { describe, expect, it } from 'vitest';
import { saveCallLog, textToHtml, type CallLogApi } from './call-log.ts';
import { isMissed, toRingingCall } from './use-ringing-calls.ts';

/** Records each request and answers with a record whose id names the path. */
const recordingClient = () => {
  const requests: { method: string; path: string; body: unknown }[] = [];
  let next = 0;
  const answer = <T>(method: string, path: string, body: unknown) => {
    requests.push({ method, path, body });
    return Promise.resolve({ id: `${path.split('/')[2]}-${++next}` } as T);
  };
  const client: CallLogApi = { post: (path, body) => answer('POST', path, body), patch: (path, body) => answer('PATCH', path, body) };
  return { client, requests };
};

describe('textToHtml', () => {
  it('should make one escaped paragraph per line, and nothing of blank text', () => {
    expect(textToHtml('Wants a quote\n<b>by Friday</b> & more')).toBe('<p>Wants a quote</p><p>&lt;b&gt;by Friday&lt;/b&gt; &amp; more</p>');
    expect(textToHtml('  \n ')).toBeNull();
  });
});

describe('saveCallLog', () => {
  it('should update the call the webhook made, linked to the matched person, with a follow-up task about them', async () => {
    const { client, requests } = recordingClient();

    await saveCallLog(client, {
      userId: 'u1',
      draft: { callId: 'call-9', direction: 'inbound', phone: '+33612345678', person: { id: 'p1', name: 'Ada' } },
      input: { notes: 'Wants a quote', outcome: 'connected', person: { id: 'p1' }, followUp: { title: 'Send the quote', dueAt: '2026-12-04T09:00:00.000Z' } },
    });

    expect(requests).toEqual([
      { method: 'PATCH', path: '/records/call/call-9', body: { notes: '<p>Wants a quote</p>', outcome: 'connected', person: 'p1' } },
      { method: 'POST', path: '/records/task', body: { title: 'Send the quote', assignee: 'u1', dueAt: '2026-12-04T09:00:00.000Z', person: 'p1' } },
    ]);
  });

  it('should create the person with the number first, then a call of mine when none rang', async () => {
    const { client, requests } = recordingClient();

    await saveCallLog(client, {
      userId: 'u1',
      draft: { direction: 'outbound', phone: '+442079460958', person: null },
      input: { notes: '', outcome: 'voicemail', person: { firstName: 'Grace', lastName: 'Hopper' }, followUp: null },
    });

    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /records/person', 'POST /records/call']);
    expect(requests[0]!.body).toEqual({ firstName: 'Grace', lastName: 'Hopper', phone: '+442079460958', owner: 'u1' });
    expect(requests[1]!.body).toMatchObject({ direction: 'outbound', phone: '+442079460958', owner: 'u1', outcome: 'voicemail', person: 'person-1' });
  });
});

describe('toRingingCall', () => {
  it('should read a call.ringing event and ignore any other', () => {
    const base = { id: 1, object: 'call', recordId: 'r1', changedFields: [], actorId: null };

    expect(toRingingCall({ ...base, type: 'call.ringing', payload: { callRecordId: 'r1', phone: '+33612345678', from: '+33612345678', person: { id: 'p1', name: 'Ada' } } })).toEqual({
      callId: 'r1', phone: '+33612345678', from: '+33612345678', person: { id: 'p1', name: 'Ada' },
    });
    expect(toRingingCall({ ...base, type: 'record.created', payload: {} })).toBeUndefined();
  });
});

describe('isMissed', () => {
  it('should tell when a call became missed, so that its card goes', () => {
    const base = { id: 2, object: 'call', recordId: 'r1', changedFields: ['outcome'], actorId: null };

    expect(isMissed({ ...base, type: 'record.updated', payload: { outcome: 'missed' } })).toBe(true);
    expect(isMissed({ ...base, type: 'record.updated', payload: { outcome: 'connected' } })).toBe(false);
  });
});
