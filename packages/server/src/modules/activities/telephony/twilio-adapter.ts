import { headerOf, TelephonyPayloadError, type CallEvent, type TelephonyAdapter } from './telephony-adapter.ts';
import { TWILIO_SIGNATURE_HEADER, verifyTwilioSignature } from './twilio-signature.ts';

/**
 * Twilio's Voice status callback (application/x-www-form-urlencoded) as a call event. A call that ends unanswered is
 * `missed` when it came in (someone tried to reach us) and `ended` with its outcome when we placed it.
 */
const toStatusEvent = (params: URLSearchParams, receivedAt: Date): CallEvent | undefined => {
  const callId = params.get('CallSid');
  const status = params.get('CallStatus');
  const recordingUrl = params.get('RecordingUrl');
  if (!callId || (!status && !recordingUrl)) throw new TelephonyPayloadError('A Twilio status callback has CallSid and CallStatus.');
  const direction = params.get('Direction') === 'inbound' ? 'inbound' : 'outbound';
  const timestamp = params.get('Timestamp');
  const parsedAt = timestamp ? new Date(timestamp) : receivedAt;
  const at = (Number.isNaN(parsedAt.getTime()) ? receivedAt : parsedAt).toISOString();
  const duration = Number(params.get('CallDuration') ?? '');
  const base = {
    provider: 'twilio' as const,
    callId,
    direction,
    from: params.get('From') ?? '',
    to: params.get('To') ?? '',
    at,
    ...(Number.isInteger(duration) && duration >= 0 && params.has('CallDuration') ? { durationSeconds: duration } : {}),
  } as const;
  // The recording status callback (RecordingStatus, RecordingUrl, no CallStatus).
  if (!status) return params.get('RecordingStatus') === 'completed' || !params.has('RecordingStatus') ? { ...base, type: 'recordingAvailable', recordingUrl: recordingUrl! } : undefined;
  switch (status) {
    case 'queued':
    case 'initiated':
      return undefined;
    case 'ringing':
      return { ...base, type: 'ringing' };
    case 'in-progress':
      return { ...base, type: 'answered' };
    case 'completed':
      return { ...base, type: 'ended', ...((base.durationSeconds ?? 0) > 0 ? { outcome: 'connected' as const } : {}) };
    case 'busy':
      return direction === 'inbound' ? { ...base, type: 'missed' } : { ...base, type: 'ended', outcome: 'busy' };
    case 'no-answer':
    case 'canceled':
    case 'failed':
      return direction === 'inbound' ? { ...base, type: 'missed' } : { ...base, type: 'ended', outcome: 'noAnswer' };
    default:
      throw new TelephonyPayloadError(`Unknown CallStatus "${status}".`);
  }
};

/** The events of one callback: its status, and the recording when a completed call's callback carries one. */
export const toTwilioEvents = (params: URLSearchParams, receivedAt: Date): CallEvent[] => {
  const event = toStatusEvent(params, receivedAt);
  if (!event) return [];
  const recordingUrl = params.get('RecordingUrl');
  return recordingUrl && event.type === 'ended' ? [event, { ...event, type: 'recordingAvailable', recordingUrl }] : [event];
};

export const twilioAdapter: TelephonyAdapter = {
  provider: 'twilio',
  parse(request, { secret, now }) {
    const params = new URLSearchParams(request.rawBody);
    verifyTwilioSignature({ header: headerOf(request.headers, TWILIO_SIGNATURE_HEADER), authToken: secret, url: request.url, params: [...params.entries()] });
    return toTwilioEvents(params, new Date(now * 1000));
  },
};
