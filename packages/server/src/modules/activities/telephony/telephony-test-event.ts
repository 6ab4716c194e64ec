import { randomUUID } from 'node:crypto';
import type { TelephonyTestFailureCode, TelephonyTestNoteCode, TelephonyTestResult } from '@rapport/common';
import { normalizePhone } from '@rapport/common/values/index';
import type { Db } from '../../../engine/db/database.ts';
import { isAppError, validationFailed } from '../../../engine/errors.ts';
import { findUser } from '../../../engine/identity/users.service.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import type { Access } from '../../../engine/permissions/access.ts';
import { signRapportPayload, RAPPORT_SIGNATURE_HEADER } from './rapport-signature.ts';
import { isReadableBy, recordCallEvent } from './record-call-events.ts';
import { TelephonyPayloadError, TelephonySignatureError, type CallEvent, type TelephonyProvider, type TelephonyRequest } from './telephony-adapter.ts';
import { TELEPHONY_ADAPTERS } from './telephony-adapters.ts';
import type { TelephonyConfig } from './telephony-settings.ts';
import { computeTwilioSignature, TWILIO_SIGNATURE_HEADER } from './twilio-signature.ts';

/** The caller of a test call when none is given: a number reserved for fiction (NANP 555-01xx). */
export const SAMPLE_CALLER = '+12025550142';
/** The line of a test call when the workspace has none. */
const SAMPLE_LINE = '+12025550100';

export interface TestEventInput {
  /** The caller's number; default SAMPLE_CALLER. */
  from?: string;
  /** The line called (a number or extension of the settings); default the caller's own line, else the first. */
  line?: string;
}

/** Why a test event did not go through, and what the admin should know, as the API answers (@rapport/common). */
export type TestEventFailureCode = TelephonyTestFailureCode;
export type TestEventNoteCode = TelephonyTestNoteCode;
export type TestEventResult = TelephonyTestResult<TelephonyProvider>;

export interface TestEventOptions {
  workspace: WorkspaceMeta;
  config: TelephonyConfig | undefined;
  input: TestEventInput;
  /** The webhook URL the provider calls: the request is signed for it, as the provider would. */
  webhookUrl: string | null;
  /** The admin who asked: their own line is the default one, and a person is named to them only if they may read it. */
  actorId: string | null;
  viewer: Access;
  accessOf(userId: string): Promise<Access>;
  now?: Date;
}

const failed = (code: TestEventFailureCode, message: string, rest: Partial<TestEventResult> = {}, errors?: { field: string; code: string; message: string }[]): TestEventResult => ({
  ok: false,
  failure: { code, message, ...(errors ? { errors } : {}) },
  provider: null,
  event: null,
  call: null,
  notes: [],
  ...rest,
});

/** The line a test rings: the one asked for, else the admin's own, else the first of the settings. */
const lineOf = (config: TelephonyConfig, input: TestEventInput, actorId: string | null): string => {
  if (input.line?.trim()) return input.line.trim();
  const lines = Object.entries(config.lines).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (lines.find(([, userId]) => userId === actorId) ?? lines[0])?.[0] ?? SAMPLE_LINE;
};

/** The signed request the provider would send for a ringing inbound call: the generic format's JSON, or Twilio's form. */
const signedRequestOf = (provider: TelephonyProvider, { secret, url, event, now }: { secret: string; url: string; event: Omit<CallEvent, 'provider'>; now: Date }): TelephonyRequest => {
  const timestamp = Math.floor(now.getTime() / 1000);
  if (provider === 'twilio') {
    const params: [string, string][] = [['CallSid', event.callId], ['CallStatus', 'ringing'], ['Direction', 'inbound'], ['From', event.from], ['To', event.to], ['Timestamp', now.toUTCString()]];
    const rawBody = new URLSearchParams(params).toString();
    return { url, rawBody, headers: { 'content-type': 'application/x-www-form-urlencoded', [TWILIO_SIGNATURE_HEADER]: computeTwilioSignature({ authToken: secret, url, params }) } };
  }
  const rawBody = JSON.stringify({ callId: event.callId, type: event.type, direction: event.direction, from: event.from, to: event.to, at: event.at });
  return { url, rawBody, headers: { 'content-type': 'application/json', [RAPPORT_SIGNATURE_HEADER]: signRapportPayload({ secret, timestamp, body: rawBody }) } };
};

/** Input problems answer 422 with the field: a caller that is not a phone number, an empty line. */
export const checkTestEventInput = (input: TestEventInput, defaultCountry: string | null): void => {
  const errors = [];
  if (input.from !== undefined && !normalizePhone(input.from, defaultCountry ?? undefined).ok) {
    errors.push({ field: 'from', code: 'invalidPhone', message: 'Expected a phone number, e.g. +33 6 12 34 56 78 (or a national number with the default country).' });
  }
  if (input.line !== undefined && input.line.trim() === '') errors.push({ field: 'line', code: 'required', message: 'A number or extension of the lines, or leave it out.' });
  if (errors.length > 0) throw validationFailed(errors, 'The test event was not sent.');
};

/**
 * "Send a test event": signs a sample ringing call as the provider would (with the stored secret, for the webhook
 * URL), reads it back through the provider's adapter, and applies it with `recordCallEvent` in a dry run — the line's
 * owner, the person lookup, the write path with the call's rules, the screen pop — then rolls everything back. No
 * call record stays, nobody's screen pops, nothing is notified. The answer says what would have happened, or the
 * plain reason it would not.
 */
export const runTelephonyTestEvent = async (db: Db, options: TestEventOptions): Promise<TestEventResult> => {
  const { workspace, config, input, actorId } = options;
  if (!config?.secret || !options.webhookUrl) {
    return failed('notConfigured', 'Telephony is not set up yet: choose a provider and save its secret first.');
  }
  checkTestEventInput(input, config.defaultCountry);
  const now = options.now ?? new Date();
  const provider = config.provider;
  const sample = { callId: `rapport-test-${randomUUID()}`, type: 'ringing' as const, direction: 'inbound' as const, from: (input.from ?? SAMPLE_CALLER).trim(), to: lineOf(config, input, actorId), at: now.toISOString() };
  const request = signedRequestOf(provider, { secret: config.secret, url: options.webhookUrl, event: sample, now });
  let events: CallEvent[];
  try {
    events = TELEPHONY_ADAPTERS[provider].parse(request, { secret: config.secret, now: Math.floor(now.getTime() / 1000) });
  } catch (error) {
    if (error instanceof TelephonySignatureError) return failed('signatureRefused', `The webhook would refuse the provider's request: ${error.message}`, { provider });
    if (error instanceof TelephonyPayloadError) return failed('eventRefused', `The webhook would refuse the event: ${error.message}`, { provider });
    throw error;
  }
  const event = events[0]!;
  const shownEvent = { callId: event.callId, type: event.type, direction: event.direction, from: event.from, to: event.to, at: event.at };

  const notes: TestEventResult['notes'] = [];
  let preview;
  try {
    ({ preview } = await recordCallEvent(db, { workspace, config, event, accessOf: options.accessOf, dryRun: true }));
  } catch (error) {
    if (isAppError(error)) {
      const errors = error.errors?.map(({ field, code, message }) => ({ field, code, message }));
      const details = errors?.length ? ` ${errors.map((each) => `${each.field}: ${each.message}`).join(' ')}` : '';
      return failed('callRefused', `The call record would be refused: ${error.message}${details}`, { provider, event: shownEvent }, errors);
    }
    throw error;
  }
  const record = preview?.record ?? null;
  const ownerId = preview?.ownerId ?? null;
  const owner = ownerId ? await findUser(db, workspace.id, ownerId) : undefined;

  if (Object.keys(config.lines).length === 0) notes.push({ code: 'noLines', message: 'No line is set up: calls get no owner, so nobody\'s screen pops and missed calls alert nobody.' });
  else if (!ownerId) notes.push({ code: 'lineUnknown', message: `No line is set up for "${event.to}": this call would get no owner, no screen pop and no missed-call alert.` });
  if (owner && owner.status !== 'active') notes.push({ code: 'ownerInactive', message: `${owner.name} answers this line but is not an active member: they would see nothing.` });
  const phone = (record?.phone as string | null | undefined) ?? null;
  if (!phone) notes.push({ code: 'callerNotANumber', message: `"${event.from}" is not a phone number: the call cannot be matched to a person.` });
  else if (!record?.person) notes.push({ code: 'noPersonMatched', message: `Nobody has the number ${phone}: the call would stay unlinked, and the in-call panel would offer to create the person.` });

  // The person is named to the admin only if they may read them (the answer goes through their permissions), and the
  // subject, which may carry the name, likewise.
  const personId = (record?.person as string | null | undefined) ?? null;
  const isPersonReadable = personId ? await isReadableBy(db, { access: options.viewer, workspace, personId }) : true;
  const personName = isPersonReadable && preview?.person ? preview.person.name : null;
  if (personId && owner && preview?.person && !preview.person.isShownToOwner) {
    notes.push({ code: 'personHiddenFromOwner', message: `${owner.name} may not read the person with this number: the call is linked to them, but ${owner.name}'s screen shows the number only.` });
  }
  return {
    ok: true,
    failure: null,
    provider,
    event: shownEvent,
    call: {
      subject: isPersonReadable ? ((record?.subject as string | null | undefined) ?? null) : null,
      phone,
      owner: owner ? { id: owner.id, name: owner.name } : null,
      person: personId ? { id: personId, name: personName ?? phone ?? personId } : null,
      screenPop: Boolean(preview?.isScreenPop),
    },
    notes,
  };
};
