/** What a telephony provider tells about a call, whatever its wire format (docs/reference/telephony.md). */
export const CALL_EVENT_TYPES = ['ringing', 'answered', 'ended', 'missed', 'recordingAvailable'] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export const CALL_OUTCOMES = ['connected', 'noAnswer', 'busy', 'voicemail', 'missed', 'wrongNumber'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export type CallDirection = 'inbound' | 'outbound';

export const TELEPHONY_PROVIDERS = ['rapport', 'twilio'] as const;
export type TelephonyProvider = (typeof TELEPHONY_PROVIDERS)[number];

export interface CallEvent {
  provider: TelephonyProvider;
  /** The provider's id of the call: every event of one call carries it. */
  callId: string;
  type: CallEventType;
  direction: CallDirection;
  /** Numbers as the provider sent them (E.164 for Twilio); normalised when matched. */
  from: string;
  to: string;
  /** When it happened (ISO 8601). */
  at: string;
  durationSeconds?: number;
  recordingUrl?: string;
  /** How an `ended` call went, when the provider says more than "ended" (busy, no answer). */
  outcome?: CallOutcome;
  /** The agent's extension, number or email, when the provider knows who took or made the call. */
  agentHint?: string;
}

/** A provider's webhook request, as received: the signature covers the raw body and, for some, the URL. */
export interface TelephonyRequest {
  /** The URL the provider called, as configured there (the public URL, path and query). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface VerifyOptions {
  secret: string;
  /** Unix seconds; tests pass a fixed clock. */
  now: number;
}

/** Why a request was refused: nothing of it is trusted or written. */
export class TelephonySignatureError extends Error {}

/** A request is malformed although signed: answered 400, as the provider would not fix it by retrying. */
export class TelephonyPayloadError extends Error {}

export interface TelephonyAdapter {
  provider: TelephonyProvider;
  /** Checks the request's signature (throws TelephonySignatureError) and reads its events (TelephonyPayloadError). */
  parse(request: TelephonyRequest, options: VerifyOptions): CallEvent[];
  /**
   * Click-to-call through the provider (the agent's phone rings, then the callee's). Optional: without it, the app
   * dials with a `tel:` link on the agent's own device.
   */
  dial?(options: { from: string; to: string; secret: string }): Promise<{ callId: string }>;
}

export const headerOf = (headers: TelephonyRequest['headers'], name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};
