import { createHmac, timingSafeEqual } from 'node:crypto';
import { TelephonySignatureError } from './telephony-adapter.ts';

export const RAPPORT_SIGNATURE_HEADER = 'x-rapport-signature';
/** A signed request older (or newer) than this is refused: a captured request cannot be played later. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** The hex HMAC-SHA256 of `<t>.<body>` under the workspace's telephony secret. */
export const computeRapportSignature = ({ secret, timestamp, body }: { secret: string; timestamp: number; body: string }): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The header value a sender puts on a request: `t=<unix seconds>,v1=<hex>`. */
export const signRapportPayload = ({ secret, timestamp, body }: { secret: string; timestamp: number; body: string }): string =>
  `t=${timestamp},v1=${computeRapportSignature({ secret, timestamp, body })}`;

const parseHeader = (header: string): { timestamp: number; signatures: string[] } => {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 values are allowed: a sender rotating its secret signs with both for a while.
    if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) throw new TelephonySignatureError('X-Rapport-Signature must be "t=<unix seconds>,v1=<hex HMAC-SHA256>".');
  return { timestamp, signatures };
};

/**
 * Checks `X-Rapport-Signature` against the raw body: a v1 value must match and `t` must be within five minutes of
 * now. Replays inside that window are harmless: applying an event twice changes nothing (call-event-plan.ts).
 */
export const verifyRapportSignature = ({ header, body, secret, now }: { header: string | undefined; body: string; secret: string; now: number }): void => {
  if (!header) throw new TelephonySignatureError('The request has no X-Rapport-Signature header.');
  const { timestamp, signatures } = parseHeader(header);
  if (Math.abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS) throw new TelephonySignatureError('The signature timestamp is more than five minutes away from the server clock.');
  const expected = Buffer.from(computeRapportSignature({ secret, timestamp, body }), 'hex');
  const isMatch = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!isMatch) throw new TelephonySignatureError('The signature does not match the body and the workspace\'s telephony secret.');
};
