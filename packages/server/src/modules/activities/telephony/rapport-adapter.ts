import { RAPPORT_SIGNATURE_HEADER, verifyRapportSignature } from './rapport-signature.ts';
import {
  CALL_EVENT_TYPES,
  CALL_OUTCOMES,
  headerOf,
  TelephonyPayloadError,
  type CallEvent,
  type CallEventType,
  type CallOutcome,
  type TelephonyAdapter,
} from './telephony-adapter.ts';

const MAX_EVENTS = 100;
const MAX_TEXT = 200;

const text = (value: unknown, name: string, isRequired: boolean): string | undefined => {
  if (value === undefined || value === null) {
    if (isRequired) throw new TelephonyPayloadError(`"${name}" is required.`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) throw new TelephonyPayloadError(`"${name}" must be a non-empty string of at most ${MAX_TEXT} characters.`);
  return value.trim();
};

const readEvent = (input: unknown, index: number): CallEvent => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new TelephonyPayloadError(`events[${index}] must be an object.`);
  const raw = input as Record<string, unknown>;
  const type = raw.type as CallEventType;
  if (!CALL_EVENT_TYPES.includes(type)) throw new TelephonyPayloadError(`events[${index}].type must be one of ${CALL_EVENT_TYPES.join(', ')}.`);
  if (raw.direction !== 'inbound' && raw.direction !== 'outbound') throw new TelephonyPayloadError(`events[${index}].direction must be inbound or outbound.`);
  const at = text(raw.at, 'at', true)!;
  if (Number.isNaN(Date.parse(at))) throw new TelephonyPayloadError(`events[${index}].at must be an ISO 8601 date-time.`);
  const duration = raw.durationSeconds;
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0)) throw new TelephonyPayloadError(`events[${index}].durationSeconds must be a whole number of seconds.`);
  const outcome = raw.outcome as CallOutcome | undefined;
  if (outcome !== undefined && !CALL_OUTCOMES.includes(outcome)) throw new TelephonyPayloadError(`events[${index}].outcome must be one of ${CALL_OUTCOMES.join(', ')}.`);
  const recordingUrl = text(raw.recordingUrl, 'recordingUrl', type === 'recordingAvailable');
  const agentHint = text(raw.agent, 'agent', false);
  return {
    provider: 'rapport',
    callId: text(raw.callId, 'callId', true)!,
    type,
    direction: raw.direction,
    from: text(raw.from, 'from', true)!,
    to: text(raw.to, 'to', true)!,
    at: new Date(at).toISOString(),
    ...(duration !== undefined ? { durationSeconds: duration as number } : {}),
    ...(recordingUrl ? { recordingUrl } : {}),
    ...(outcome ? { outcome } : {}),
    ...(agentHint ? { agentHint } : {}),
  };
};

/** The Rapport generic format: one event as a JSON object, or `{"events": [...]}`, signed with X-Rapport-Signature. */
export const rapportAdapter: TelephonyAdapter = {
  provider: 'rapport',
  parse(request, { secret, now }) {
    verifyRapportSignature({ header: headerOf(request.headers, RAPPORT_SIGNATURE_HEADER), body: request.rawBody, secret, now });
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody);
    } catch {
      throw new TelephonyPayloadError('The body is not JSON.');
    }
    const list = typeof body === 'object' && body !== null && 'events' in body ? (body as { events: unknown }).events : [body];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_EVENTS) throw new TelephonyPayloadError(`"events" must be a list of 1 to ${MAX_EVENTS} events.`);
    return list.map(readEvent);
  },
};
