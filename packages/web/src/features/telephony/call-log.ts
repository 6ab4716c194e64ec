import type { ApiRecord } from '../../api/types.ts';

/** A call the panel logs: one that rang (its record exists, made by the telephony webhook) or one to create. */
export interface CallDraft {
  /** The call record made by the webhook; absent for a call logged by hand. */
  callId?: string;
  direction: 'inbound' | 'outbound';
  phone: string | null;
  person: { id: string; name: string } | null;
}

export interface CallLogInput {
  notes: string;
  outcome: string | null;
  /** Link the call to this existing person, or create one with these names. */
  person: { id: string } | { firstName: string; lastName: string } | null;
  followUp: { title: string; dueAt: string | null } | null;
}

export interface CallLogApi {
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text as the rich-text field stores it: one paragraph per line. */
export const textToHtml = (text: string): string | null => {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  return lines.some(Boolean) ? lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('') : null;
};

/**
 * Saves what the panel says through the records API: the person first when it is new (with the number), then the call
 * (updated when the webhook made it, else created as mine), then the follow-up task about the same person.
 */
export const saveCallLog = async (client: CallLogApi, { draft, input, userId }: { draft: CallDraft; input: CallLogInput; userId: string }): Promise<ApiRecord> => {
  let personId: string | null = null;
  if (input.person && 'id' in input.person) personId = input.person.id;
  else if (input.person) {
    const created = await client.post<ApiRecord>('/records/person', { firstName: input.person.firstName || null, lastName: input.person.lastName || null, phone: draft.phone, owner: userId });
    personId = created.id;
  }
  const notes = textToHtml(input.notes);
  const fields = {
    ...(notes ? { notes } : {}),
    ...(input.outcome ? { outcome: input.outcome } : {}),
    ...(personId ? { person: personId } : {}),
  };
  const call = draft.callId
    ? await client.patch<ApiRecord>(`/records/call/${encodeURIComponent(draft.callId)}`, fields)
    : await client.post<ApiRecord>('/records/call', { direction: draft.direction, phone: draft.phone, startedAt: new Date().toISOString(), owner: userId, ...fields });
  if (input.followUp && input.followUp.title.trim() !== '') {
    await client.post('/records/task', {
      title: input.followUp.title.trim(),
      assignee: userId,
      ...(input.followUp.dueAt ? { dueAt: input.followUp.dueAt } : {}),
      ...(personId ? { person: personId } : { related: { object: 'call', id: call.id } }),
    });
  }
  return call;
};
