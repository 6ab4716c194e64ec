import { useEffect, useState } from 'react';
import { onLiveEvent, type LiveEvent } from '../../api/live-events.ts';

/** A call ringing for me, as the server's `call.ringing` event tells it. */
export interface RingingCall {
  callId: string;
  phone: string | null;
  from: string;
  person: { id: string; name: string } | null;
}

// A call that rang this long ago has been answered or missed: its pop-up goes.
const RINGING_MS = 60_000;

export const toRingingCall = (event: LiveEvent): RingingCall | undefined => {
  if (event.type !== 'call.ringing') return undefined;
  const payload = event.payload as { callRecordId?: string; phone?: string | null; from?: string; person?: { id: string; name: string } | null };
  return { callId: payload.callRecordId ?? event.recordId, phone: payload.phone ?? null, from: payload.from ?? '', person: payload.person ?? null };
};

export const isMissed = (event: LiveEvent): boolean => event.type === 'record.updated' && event.object === 'call' && event.payload.outcome === 'missed';

/** The calls ringing for me now (newest first), from the change feed; each can be dismissed. */
export const useRingingCalls = () => {
  const [calls, setCalls] = useState<RingingCall[]>([]);
  useEffect(() => {
    const timers = new Set<number>();
    const unsubscribe = onLiveEvent((event) => {
      // Answered, the card stays (it opens the in-call panel); missed, there is nothing to pick up any more.
      if (isMissed(event)) setCalls((current) => current.filter((other) => other.callId !== event.recordId));
      const call = toRingingCall(event);
      if (!call) return;
      setCalls((current) => [call, ...current.filter((other) => other.callId !== call.callId)]);
      const timer = window.setTimeout(() => {
        timers.delete(timer);
        setCalls((current) => current.filter((other) => other.callId !== call.callId));
      }, RINGING_MS);
      timers.add(timer);
    });
    return () => {
      unsubscribe();
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, []);
  const dismiss = (callId: string) => setCalls((current) => current.filter((call) => call.callId !== callId));
  return { calls, dismiss };
};
