import type { FieldError } from './errors.ts';

/** Why a telephony test event did not go through (`POST /api/v1/telephony/test-event`). */
export const TELEPHONY_TEST_FAILURE_CODES = ['notConfigured', 'signatureRefused', 'eventRefused', 'callRefused'] as const;
export type TelephonyTestFailureCode = (typeof TELEPHONY_TEST_FAILURE_CODES)[number];

/** Something that works but that the admin should know (no owner: no screen pop...). */
export const TELEPHONY_TEST_NOTE_CODES = ['noLines', 'lineUnknown', 'ownerInactive', 'noPersonMatched', 'callerNotANumber', 'personHiddenFromOwner'] as const;
export type TelephonyTestNoteCode = (typeof TELEPHONY_TEST_NOTE_CODES)[number];

/** The answer of `POST /api/v1/telephony/test-event`: what a sample ringing call went through, written and rolled back. */
export interface TelephonyTestResult<Provider extends string = string> {
  ok: boolean;
  failure: { code: TelephonyTestFailureCode; message: string; errors?: FieldError[] } | null;
  provider: Provider | null;
  /** The sample event, as the provider would have sent it (already read back through its adapter). */
  event: { callId: string; type: string; direction: string; from: string; to: string; at: string } | null;
  /** The call record the event would make: written, then rolled back. */
  call: {
    subject: string | null;
    phone: string | null;
    owner: { id: string; name: string } | null;
    person: { id: string; name: string } | null;
    screenPop: boolean;
  } | null;
  notes: { code: TelephonyTestNoteCode; message: string }[];
}
